/**
 * Exponential backoff with jitter: attempt n (from 0) waits
 * `min(max, initial * 2^n)` scaled by a random factor in [0.5, 1].
 */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** Number of consecutive failures recorded since the last reset. */
  get attempts(): number {
    return this.failures;
  }

  /** Records a failure and returns how long to wait before the next attempt. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** this.failures);
    this.failures++;
    return Math.round(base * (0.5 + 0.5 * this.random()));
  }

  /** Forgets the failures (call when the stream flows again). */
  reset(): void {
    this.failures = 0;
  }
}
