import type { JitterMargin } from "./jitter-margin";

/** A transfer slower than this share of its fragment's duration says the link, not jitter, is the limit. */
export const SLOW_TRANSFER_SHARE = 0.5;

/**
 * What a channel's level switches do to the jitter margin. Stalls and late arrivals caused by too little bandwidth are
 * the switch down's to fix, not the margin's: a switch down at once puts the margin back to its steady value (from
 * while transfers were in time), and a climb after that episode (the link is good again, by hls.js's measure) restores
 * it again. Any other switch starts the arrival spread anew, and the new pull's initial fragments (held by the node,
 * arriving in a burst) stay out of it.
 */
export class LevelSwitchMargin {
  /** The margin while the loading level's fragments came in time; null before the first tick. */
  private steady: number | null = null;
  /** The loading level's last fragment took more than {@link SLOW_TRANSFER_SHARE} of its duration to arrive. */
  private lastTransferSlow = false;
  /** The steady margin when the last switch down at once happened; restored when hls.js climbs again. */
  private beforeEpisode: number | null = null;
  /** Appended fragments still to leave out of the arrival spread. */
  private arrivalsToSkip = 0;

  /** @param initialFragments fragments a level's pull asks for when it opens during playback. */
  constructor(
    private readonly margin: JitterMargin,
    private readonly initialFragments: number,
  ) {}

  /** A fragment of the loading level arrived, `transfer` seconds after its header, for `duration` seconds of media. */
  transferred(transfer: number, duration: number): void {
    this.lastTransferSlow = transfer > SLOW_TRANSFER_SHARE * duration;
  }

  /**
   * Notes the margin as steady while transfers are in time: the last one was, and the fragment in transfer (if any,
   * `elapsed` seconds so far of `duration`) is not slow yet.
   */
  observe(pending: { elapsed: number; duration: number } | null): void {
    if (this.lastTransferSlow) return;
    if (pending && pending.elapsed >= SLOW_TRANSFER_SHARE * pending.duration) return;
    this.steady = this.margin.value;
  }

  /** The player switched down at once: the margin goes back to the steady one, which the next climb restores. */
  switchedDownAtOnce(): void {
    if (this.steady !== null) this.margin.rewind(this.steady);
    this.beforeEpisode ??= this.steady;
  }

  /**
   * hls.js switched to another level (`up`: a higher one). Returns the margin restored from before a switch down at
   * once (a climb after that episode), else null (the arrival spread starts anew).
   */
  levelSwitched(up: boolean): number | null {
    const restored = up ? this.beforeEpisode : null;
    if (restored !== null) {
      this.margin.rewind(restored);
      this.beforeEpisode = null;
    } else {
      this.margin.resetArrivals();
    }
    this.lastTransferSlow = false;
    this.arrivalsToSkip = this.initialFragments;
    return restored;
  }

  /** Whether an appended fragment's arrival stays out of the spread (one of a new pull's initial fragments). */
  skipsArrival(): boolean {
    if (this.arrivalsToSkip === 0) return false;
    this.arrivalsToSkip--;
    return true;
  }
}
