/** A fragment held in memory. `sn` is its media sequence number in the synthesised playlist. */
export interface StoredFragment {
    sn: number;
    duration: number;
    data: Uint8Array;
    /** A timestamp discontinuity precedes this fragment (`#EXT-X-DISCONTINUITY`). */
    discontinuity: boolean;
    /**
     * When the fragment's transfer began (`performance.now()` at its `F` header), set for the levels of a channel: the
     * fragment loader reports it to hls.js, whose bandwidth estimate then measures the WebSocket, not the memory copy.
     */
    transferStart?: number;
}
/** Identity of a fragment's bytes: length and 32-bit FNV-1a hash. */
export declare function fingerprint(data: Uint8Array): string;
/**
 * The sliding window of the last fragments received, numbered with media sequence numbers.
 *
 * After a reconnect (a new `session`) the node re-sends its buffered fragments: those already
 * received (recognised by fingerprint, also after they left the window) are skipped. The first new fragment is marked as a discontinuity unless the fragment the
 * node sent just before it was our newest one (then nothing was missed and nothing jumps).
 */
export declare class FragmentStore {
    private readonly windowSize;
    private readonly fragments;
    /** Fingerprint → sequence number of the last fragments received. */
    private readonly history;
    private nextSn;
    private session;
    /** In a new session, still skipping fragments we already hold. */
    private resyncing;
    /** In a new session, the last skipped fragment was the newest one received. */
    private resyncContiguous;
    private removedDiscontinuities;
    private maxDuration;
    private isEnded;
    private changeListeners;
    constructor(windowSize: number);
    /** Bit rate of the newest `count` fragments (bits per second of media), or null before any. */
    bitrate(count?: number): number | null;
    /** Adds a fragment; returns it, or `null` when it is a re-sent copy of one already held. */
    add(duration: number, data: Uint8Array, session: number): StoredFragment | null;
    /**
     * Adds a fragment under a sequence number given by the caller (a channel's timeline, the same in every rendition).
     * Returns null when `sn` is not above the newest held (a copy re-sent after a reconnect, or late). When `sn` skips
     * numbers, the fragments held so far are let go (a playlist lists consecutive numbers only), so the window restarts
     * at `sn`; hls.js sees its live window move forward.
     */
    addAt(sn: number, duration: number, data: Uint8Array, discontinuity: boolean, transferStart?: number): StoredFragment | null;
    /** Marks the stream as ended (the playlist gets `#EXT-X-ENDLIST`). */
    end(): void;
    get ended(): boolean;
    /** The fragment with media sequence number `sn`, if still in the window. */
    get(sn: number): StoredFragment | undefined;
    /** The fragments in the window, oldest first. */
    get window(): readonly StoredFragment[];
    /** Sequence number of the newest fragment, -1 when none. */
    get lastSn(): number;
    /** Longest fragment duration seen (the playlist's target duration is its ceiling). */
    get maxFragmentDuration(): number;
    /** Median duration of the fragments in the window (0 when none): a first fragment of odd length does not skew it. */
    get typicalFragmentDuration(): number;
    /** Number of discontinuities that slid out of the window (`#EXT-X-DISCONTINUITY-SEQUENCE`). */
    get discontinuitySequence(): number;
    /** Total duration of the held fragments with a sequence number above `sn`. */
    durationAfter(sn: number): number;
    /** Calls `listener` at the next change (new fragment or end), once. Returns a canceller. */
    onceChanged(listener: () => void): () => void;
    private changed;
}
