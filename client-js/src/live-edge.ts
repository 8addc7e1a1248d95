/** One fragment's slack: media left to play when it became playable, and the rate catch-up done up to then. */
interface Slack {
  slack: number;
  gained: number;
}

/** What {@link LiveEdgeController.decide} returns. */
export interface LiveEdgeDecision {
  playbackRate: number;
  /** Seconds to jump ahead, when far behind. */
  seekBy?: number;
}

/**
 * Low-latency playback: play each fragment as soon as it is appended, keeping only a margin of media in the buffer
 * when the next fragment becomes playable. For each appended fragment it records the slack (how much media was left
 * before the fragment's start); the smallest recent slack, corrected by what playback-rate changes gained since,
 * minus the margin is the excess delay. Excess is played off by a slightly faster rate, a deficit rebuilt by a
 * slightly slower one, both within `maxRateChange` of 1; far behind (beyond `maxExcess`) it seeks.
 */
export class LiveEdgeController {
  private slacks: Slack[] = [];
  private gained = 0;

  /**
   * @param maxRateChange largest deviation of the playback rate from 1 (0.1: between 0.9 and 1.1).
   * @param window fragments whose slack is considered.
   * @param deadband excess (either sign) that is left alone, seconds.
   */
  constructor(
    private readonly maxRateChange: number,
    private readonly window = 4,
    private readonly deadband = 0.03,
  ) {}

  /** A fragment became playable with `slack` seconds of media still ahead of the playhead before it. */
  fragment(slack: number): void {
    this.slacks.push({ slack, gained: this.gained });
    if (this.slacks.length > this.window) this.slacks.shift();
  }

  /** Playback ran at `rate` for `seconds` of wall time. */
  played(rate: number, seconds: number): void {
    if (seconds > 0 && rate > 0) this.gained += (rate - 1) * seconds;
  }

  /** The playhead jumped by `seconds` (a seek): the recorded slacks shrink by as much. */
  jumped(seconds: number): void {
    this.gained += seconds;
  }

  /** Forget the history (new timeline). */
  reset(): void {
    this.slacks = [];
  }

  /** Excess delay over `margin`, seconds (null before the first fragment). */
  excess(margin: number): number | null {
    if (this.slacks.length === 0) return null;
    let smallest = Infinity;
    for (const s of this.slacks) smallest = Math.min(smallest, s.slack - (this.gained - s.gained));
    return smallest - margin;
  }

  /** The rate (and possibly a seek) that brings the slack to `margin`. */
  decide(margin: number, maxExcess: number): LiveEdgeDecision {
    const excess = this.excess(margin);
    if (excess === null || Math.abs(excess) <= this.deadband) return { playbackRate: 1 };
    if (excess > maxExcess) return { playbackRate: 1, seekBy: excess };
    const change = Math.max(-this.maxRateChange, Math.min(this.maxRateChange, excess / 2));
    const minimal = Math.sign(change) * Math.max(Math.abs(change), 0.02);
    return { playbackRate: round3(1 + Math.max(-this.maxRateChange, Math.min(this.maxRateChange, minimal))) };
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
