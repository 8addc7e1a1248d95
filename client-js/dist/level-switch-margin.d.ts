import type { JitterMargin } from "./jitter-margin";
/** A transfer slower than this share of its fragment's duration says the link, not jitter, is the limit. */
export declare const SLOW_TRANSFER_SHARE = 0.5;
/**
 * What a channel's level switches do to the jitter margin. Stalls and late arrivals caused by too little bandwidth are
 * the switch down's to fix, not the margin's: a switch down at once puts the margin back to its steady value (from
 * while transfers were in time), and a climb after that episode (the link is good again, by hls.js's measure) restores
 * it again. Any other switch starts the arrival spread anew, and the new pull's initial fragments (held by the node,
 * arriving in a burst) stay out of it.
 */
export declare class LevelSwitchMargin {
    private readonly margin;
    private readonly initialFragments;
    /** The margin while the loading level's fragments came in time; null before the first tick. */
    private steady;
    /** The loading level's last fragment took more than {@link SLOW_TRANSFER_SHARE} of its duration to arrive. */
    private lastTransferSlow;
    /** The steady margin when the last switch down at once happened; restored when hls.js climbs again. */
    private beforeEpisode;
    /** Appended fragments still to leave out of the arrival spread. */
    private arrivalsToSkip;
    /** @param initialFragments fragments a level's pull asks for when it opens during playback. */
    constructor(margin: JitterMargin, initialFragments: number);
    /** A fragment of the loading level arrived, `transfer` seconds after its header, for `duration` seconds of media. */
    transferred(transfer: number, duration: number): void;
    /**
     * Notes the margin as steady while transfers are in time: the last one was, and the fragment in transfer (if any,
     * `elapsed` seconds so far of `duration`) is not slow yet.
     */
    observe(pending: {
        elapsed: number;
        duration: number;
    } | null): void;
    /** The player switched down at once: the margin goes back to the steady one, which the next climb restores. */
    switchedDownAtOnce(): void;
    /**
     * hls.js switched to another level (`up`: a higher one). Returns the margin restored from before a switch down at
     * once (a climb after that episode), else null (the arrival spread starts anew).
     */
    levelSwitched(up: boolean): number | null;
    /** Whether an appended fragment's arrival stays out of the spread (one of a new pull's initial fragments). */
    skipsArrival(): boolean;
}
