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
export declare const DEFAULT_JITTER_MARGIN: JitterMarginSettings;
/**
 * How much media the player keeps buffered when the next fragment is due: the spread of the recent fragments'
 * arrival times (each arrival measured against its media end, so the fragments' own durations cancel) plus a floor.
 * It grows at once when arrivals spread or playback stalls, and shrinks slowly (by `shrinkRate`) while arrivals
 * are steady.
 */
export declare class JitterMargin {
    private readonly settings;
    private offsets;
    private current;
    constructor(settings?: JitterMarginSettings);
    /** The margin in use, seconds. */
    get value(): number;
    /**
     * Spread (latest - earliest) of the recent arrival offsets, seconds; 0 before three arrivals. Every arrival counts:
     * a single late one (an encoder hiccup) is exactly what would stall playback.
     */
    get spread(): number;
    /**
     * A fragment of `duration` seconds ending at media time `end` became playable at wall-clock time `now`
     * (seconds, any fixed origin).
     */
    arrived(now: number, end: number, duration: number): void;
    /** Playback stalled: widen the margin by half (at least 0.1 s). */
    stalled(): void;
    /** Sets the margin back to `value` (clamped) and forgets the arrival history (e.g. after a switch to another level). */
    rewind(value: number): void;
    /** The timeline jumped (reconnect, discontinuity): forget the arrival history, keep the margin. */
    resetArrivals(): void;
    private clamp;
}
