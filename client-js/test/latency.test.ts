import { describe, expect, it } from "vitest";
import { bufferAround, decide, type LatencySample } from "../src/latency";

const targets = { targetDelay: 1.5, maxDelay: 5.5, catchUpRate: 1.1, fragmentDuration: 1 };
const sample = (s: Partial<LatencySample>): LatencySample => ({ latency: 1.5, bufferAhead: 1.5, gap: null, ended: false, paused: false, ...s });

function ranges(...r: Array<[number, number]>): TimeRanges {
  return { length: r.length, start: (i: number) => r[i]![0], end: (i: number) => r[i]![1] } as TimeRanges;
}

describe("decide", () => {
  it("plays at normal speed around the target", () => {
    expect(decide(sample({ latency: 1.5 }), targets, "normal")).toEqual({ mode: "normal", playbackRate: 1 });
    expect(decide(sample({ latency: 2.4 }), targets, "normal")).toEqual({ mode: "normal", playbackRate: 1 });
  });

  it("speeds up when more than one fragment beyond the target, until back at the target", () => {
    expect(decide(sample({ latency: 2.6 }), targets, "normal")).toEqual({ mode: "catchup", playbackRate: 1.1 });
    expect(decide(sample({ latency: 1.8 }), targets, "catchup")).toEqual({ mode: "catchup", playbackRate: 1.1 });
    expect(decide(sample({ latency: 1.5 }), targets, "catchup")).toEqual({ mode: "normal", playbackRate: 1 });
  });

  it("seeks to the target delay when beyond maxDelay", () => {
    expect(decide(sample({ latency: 8, bufferAhead: 8 }), targets, "normal")).toEqual({ mode: "normal", playbackRate: 1, seekBy: 6.5 });
  });

  it("holds still when starved and resumes once the buffer is refilled", () => {
    expect(decide(sample({ bufferAhead: 0.05 }), targets, "normal")).toEqual({ mode: "rebuffering", playbackRate: 0 });
    expect(decide(sample({ bufferAhead: 1 }), targets, "rebuffering")).toEqual({ mode: "rebuffering", playbackRate: 0 });
    expect(decide(sample({ bufferAhead: 1.5 }), targets, "rebuffering")).toEqual({ mode: "normal", playbackRate: 1 });
  });

  it("jumps over a gap when the range after it is long enough", () => {
    const gap = { offset: 0.4, length: 2 };
    expect(decide(sample({ bufferAhead: 0, gap }), targets, "rebuffering")).toEqual({ mode: "normal", playbackRate: 1, seekBy: 0.4 });
    expect(decide(sample({ bufferAhead: 0, gap: { offset: 0.4, length: 0.5 } }), targets, "rebuffering").seekBy).toBeUndefined();
  });

  it("caps the refill level at two fragments for large target delays", () => {
    const far = { ...targets, targetDelay: 10, maxDelay: 20 };
    expect(decide(sample({ latency: 10, bufferAhead: 2 }), far, "rebuffering").mode).toBe("normal");
  });

  it("plays out normally once the stream ended, and leaves a paused video alone", () => {
    expect(decide(sample({ bufferAhead: 0, ended: true }), targets, "rebuffering")).toEqual({ mode: "normal", playbackRate: 1 });
    expect(decide(sample({ latency: 30, paused: true }), targets, "normal")).toEqual({ mode: "normal", playbackRate: 1 });
  });
});

describe("bufferAround", () => {
  it("measures the buffer ahead of the playhead", () => {
    expect(bufferAround(ranges([0, 4]), 1)).toEqual({ ahead: 3, gap: null });
    expect(bufferAround(ranges([0, 4]), 4)).toEqual({ ahead: 0, gap: null });
  });

  it("reports the next range after a gap", () => {
    expect(bufferAround(ranges([0, 2], [2.5, 5]), 2)).toEqual({ ahead: 0, gap: { offset: 0.5, length: 2.5 } });
    expect(bufferAround(ranges([10, 12]), 0).gap).toEqual({ offset: 10, length: 2 });
  });

  it("tolerates a playhead slightly before the range start", () => {
    expect(bufferAround(ranges([1.05, 3]), 1).ahead).toBeCloseTo(2);
  });
});
