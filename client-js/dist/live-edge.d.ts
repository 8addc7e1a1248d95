/** Fragments arriving live (not in the start-up burst) before the start-up trim: as many as the jitter margin needs to see the spread. */
export declare const START_TRIM_ARRIVALS = 3;
/** What {@link LiveEdgeController.decide} returns. */
export interface LiveEdgeDecision {
    playbackRate: number;
    /** Seconds to jump ahead, when far behind. */
    seekBy?: number;
}
/**
 * Low-latency playback: play each fragment as soon as it is appended, keeping only a margin of media in the buffer
 * when the next fragment becomes playable. For each appended fragment it records the slack (how much media was left
 * before the fragment's start); the median recent slack, corrected by what playback-rate changes gained since,
 * minus the margin is the excess delay. Excess is played off by a slightly faster rate, a deficit rebuilt by a
 * slightly slower one, both within `maxRateChange` of 1; far behind (beyond `maxExcess`) it seeks. Right after the
 * start (once {@link START_TRIM_ARRIVALS} fragments have arrived live) it seeks the whole excess at once: playback
 * starts where hls.js found the live edge in the burst of fragments the node holds, often a few seconds behind, and at
 * `maxRateChange` that would take half a minute to play off, while a jump in the first seconds goes unnoticed.
 */
export declare class LiveEdgeController {
    private readonly maxRateChange;
    private readonly window;
    private readonly deadband;
    private slacks;
    private gained;
    private liveArrivals;
    private trimmed;
    /**
     * @param maxRateChange largest deviation of the playback rate from 1 (0.1: between 0.9 and 1.1).
     * @param window fragments whose slack is considered.
     * @param deadband excess (either sign) that is left alone, seconds.
     */
    constructor(maxRateChange: number, window?: number, deadband?: number);
    /**
     * A fragment became playable with `slack` seconds of media still ahead of the playhead before it; `live` unless it
     * was appended in a burst right behind the previous one (fragments the node held, not the live edge).
     */
    fragment(slack: number, live?: boolean): void;
    /** Playback ran at `rate` for `seconds` of wall time. */
    played(rate: number, seconds: number): void;
    /** The playhead jumped by `seconds` (a seek): the recorded slacks shrink by as much. */
    jumped(seconds: number): void;
    /** Forget the history (new timeline); the next live arrivals trim the start again. */
    reset(): void;
    /**
     * Excess delay over `margin`, seconds (null before the first fragment): the median of the recent slacks (each
     * corrected by the catch-up since) minus the margin. The margin already covers the spread of the arrivals around
     * the typical one, so the slack it is held against is the typical arrival's, not the latest's (which would count
     * the jitter twice); the median also keeps one early or late fragment from moving playback.
     */
    excess(margin: number): number | null;
    /** The rate (and possibly a seek) that brings the slack to `margin`. */
    decide(margin: number, maxExcess: number): LiveEdgeDecision;
}
