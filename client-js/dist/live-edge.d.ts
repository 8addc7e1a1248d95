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
export declare class LiveEdgeController {
    private readonly maxRateChange;
    private readonly window;
    private readonly deadband;
    private slacks;
    private gained;
    /**
     * @param maxRateChange largest deviation of the playback rate from 1 (0.1: between 0.9 and 1.1).
     * @param window fragments whose slack is considered.
     * @param deadband excess (either sign) that is left alone, seconds.
     */
    constructor(maxRateChange: number, window?: number, deadband?: number);
    /** A fragment became playable with `slack` seconds of media still ahead of the playhead before it. */
    fragment(slack: number): void;
    /** Playback ran at `rate` for `seconds` of wall time. */
    played(rate: number, seconds: number): void;
    /** The playhead jumped by `seconds` (a seek): the recorded slacks shrink by as much. */
    jumped(seconds: number): void;
    /** Forget the history (new timeline). */
    reset(): void;
    /** Excess delay over `margin`, seconds (null before the first fragment). */
    excess(margin: number): number | null;
    /** The rate (and possibly a seek) that brings the slack to `margin`. */
    decide(margin: number, maxExcess: number): LiveEdgeDecision;
}
