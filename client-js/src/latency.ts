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
export const STARVED_BUFFER = 0.1;

/**
 * Decides the playback rate (and possibly a seek) from one sample. Pure: `mode` is the previous
 * decision's mode, which gives the hysteresis.
 *
 * - starved (buffer nearly empty, stream not ended): hold still (rate 0) until the buffer holds
 *   the target delay again, instead of stuttering one fragment at a time at the live edge;
 * - more than `maxDelay` behind: seek to the target delay;
 * - more than one fragment beyond the target: play at `catchUpRate` until back at the target.
 */
export function decide(sample: LatencySample, targets: LatencyTargets, mode: LatencyMode): LatencyDecision {
  const { latency, bufferAhead, gap, ended, paused } = sample;
  if (ended) return { mode: "normal", playbackRate: 1 };
  if (mode === "rebuffering") {
    const refill = Math.min(targets.targetDelay, targets.fragmentDuration * 2) - 0.05;
    if (bufferAhead >= refill) return { mode: "normal", playbackRate: 1 };
    if (gap && gap.length >= refill) return { mode: "normal", playbackRate: 1, seekBy: gap.offset };
    return { mode, playbackRate: 0 };
  }
  if (paused || latency === null) return { mode: "normal", playbackRate: 1 };
  if (bufferAhead < STARVED_BUFFER) return { mode: "rebuffering", playbackRate: 0 };
  if (latency > targets.maxDelay) {
    return { mode: "normal", playbackRate: 1, seekBy: latency - targets.targetDelay };
  }
  const behind = latency - targets.targetDelay;
  if (behind > targets.fragmentDuration || (mode === "catchup" && behind > 0)) {
    return { mode: "catchup", playbackRate: targets.catchUpRate };
  }
  return { mode: "normal", playbackRate: 1 };
}

/** Tolerance when deciding whether the playhead is inside a buffered range, seconds. */
const IN_RANGE_TOLERANCE = 0.1;

/** The buffer seen from `time`: seconds contiguously ahead, and the next range after a gap. */
export function bufferAround(ranges: TimeRanges, time: number): { ahead: number; gap: BufferGap | null } {
  let ahead = 0;
  for (let i = 0; i < ranges.length; i++) {
    const start = ranges.start(i);
    const end = ranges.end(i);
    if (start <= time + IN_RANGE_TOLERANCE && time < end) ahead = end - time;
    else if (start > time + IN_RANGE_TOLERANCE && end > start) {
      return { ahead, gap: { offset: start - time, length: end - start } };
    }
  }
  return { ahead, gap: null };
}
