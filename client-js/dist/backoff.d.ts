/**
 * Exponential backoff with jitter: attempt n (from 0) waits
 * `min(max, initial * 2^n)` scaled by a random factor in [0.5, 1].
 */
export declare class Backoff {
    private readonly initialMs;
    private readonly maxMs;
    private readonly random;
    private failures;
    constructor(initialMs: number, maxMs: number, random?: () => number);
    /** Number of consecutive failures recorded since the last reset. */
    get attempts(): number;
    /** Records a failure and returns how long to wait before the next attempt. */
    next(): number;
    /** Forgets the failures (call when the stream flows again). */
    reset(): void;
}
