/** What the latency controller sees at one tick. */
export interface LatencySample {
    /** Seconds between the playhead and the end of the newest fragment received; null if unknown. */
    latency: number | null;
    /** Seconds buffered contiguously ahead of the playhead. */
    bufferAhead: number;
    /** The next buffered range after a gap ahead of the playhead, if any. */
    gap: BufferGap | null;
    /** No more fragments will come (the stream ended). */
    ended: boolean;
    /** The user paused the video. */
    paused: boolean;
}
export interface LatencyTargets {
    /** Delay to keep behind the newest fragment's end, seconds. */
    targetDelay: number;
    /** Beyond this delay, seek to the target instead of speeding up, seconds. */
    maxDelay: number;
    /** Playback rate while catching up. */
    catchUpRate: number;
    /** Duration of one fragment, seconds (the latency oscillates by this much between arrivals). */
    fragmentDuration: number;
}
/** A buffered range that starts `offset` seconds ahead of the playhead and lasts `length` seconds. */
export interface BufferGap {
    offset: number;
    length: number;
}
/** Controller mode: playing normally, speeding up, or holding still to re-buffer after a gap. */
export type LatencyMode = "normal" | "catchup" | "rebuffering";
export interface LatencyDecision {
    mode: LatencyMode;
    playbackRate: number;
    /** Seconds to move the playhead forward, when a seek is needed. */
    seekBy?: number;
}
/** Buffer below which playback counts as starved (seconds). */
export declare const STARVED_BUFFER = 0.1;
/**
 * Decides the playback rate (and possibly a seek) from one sample. Pure: `mode` is the previous
 * decision's mode, which gives the hysteresis.
 *
 * - starved (buffer nearly empty, stream not ended): hold still (rate 0) until the buffer holds
 *   the target delay again, instead of stuttering one fragment at a time at the live edge;
 * - more than `maxDelay` behind: seek to the target delay;
 * - more than one fragment beyond the target: play at `catchUpRate` until back at the target.
 */
export declare function decide(sample: LatencySample, targets: LatencyTargets, mode: LatencyMode): LatencyDecision;
/** The buffer seen from `time`: seconds contiguously ahead, and the next range after a gap. */
export declare function bufferAround(ranges: TimeRanges, time: number): {
    ahead: number;
    gap: BufferGap | null;
};
