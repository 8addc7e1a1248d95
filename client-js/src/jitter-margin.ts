/** Settings of {@link JitterMargin}, seconds. */
export interface JitterMarginSettings {
  /** Smallest margin (what the decoder and the append path need even with perfectly regular arrivals). */
  min: number;
  /** Largest margin. */
  max: number;
  /** Fragments whose arrival times make up the jitter estimate. */
  window: number;
  /** How fast the margin shrinks when arrivals are steady, seconds of margin per second of media. */
  shrinkRate: number;
}

/** Arrivals needed before their spread counts (one or two say little, and start-up is irregular). */
const MIN_ARRIVALS = 3;

export const DEFAULT_JITTER_MARGIN: JitterMarginSettings = { min: 0.1, max: 3, window: 12, shrinkRate: 0.01 };

/**
 * How much media the player keeps buffered when the next fragment is due: the spread of the recent fragments'
 * arrival times (each arrival measured against its media end, so the fragments' own durations cancel) plus a floor.
 * It grows at once when arrivals spread or playback stalls, and shrinks slowly (by `shrinkRate`) while arrivals
 * are steady.
 */
export class JitterMargin {
  private offsets: number[] = [];
  private current: number;

  constructor(private readonly settings: JitterMarginSettings = DEFAULT_JITTER_MARGIN) {
    this.current = settings.min;
  }

  /** The margin in use, seconds. */
  get value(): number {
    return this.current;
  }

  /**
   * Spread (latest - earliest) of the recent arrival offsets, seconds; 0 before three arrivals. Every arrival counts:
   * a single late one (an encoder hiccup) is exactly what would stall playback.
   */
  get spread(): number {
    if (this.offsets.length < MIN_ARRIVALS) return 0;
    return Math.max(...this.offsets) - Math.min(...this.offsets);
  }

  /**
   * A fragment of `duration` seconds ending at media time `end` became playable at wall-clock time `now`
   * (seconds, any fixed origin).
   */
  arrived(now: number, end: number, duration: number): void {
    this.offsets.push(now - end);
    if (this.offsets.length > this.settings.window) this.offsets.shift();
    const wanted = this.clamp(this.settings.min + this.spread);
    this.current = wanted >= this.current ? wanted : Math.max(wanted, this.current - this.settings.shrinkRate * duration);
  }

  /** Playback stalled: widen the margin by half (at least 0.1 s). */
  stalled(): void {
    this.current = this.clamp(this.current + Math.max(0.1, this.current / 2));
  }

  /** Sets the margin back to `value` (clamped) and forgets the arrival history (e.g. after a switch to another level). */
  rewind(value: number): void {
    this.offsets = [];
    this.current = this.clamp(value);
  }

  /** The timeline jumped (reconnect, discontinuity): forget the arrival history, keep the margin. */
  resetArrivals(): void {
    this.offsets = [];
  }

  private clamp(x: number): number {
    return Math.min(this.settings.max, Math.max(this.settings.min, x));
  }
}
