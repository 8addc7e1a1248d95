import { describe, expect, it } from "vitest";
import { LiveEdgeController, START_TRIM_ARRIVALS } from "../src/live-edge";

describe("LiveEdgeController", () => {
  it("plays at 1x before any fragment and within the dead band", () => {
    const c = new LiveEdgeController(0.1);
    expect(c.decide(0.1, 4)).toEqual({ playbackRate: 1 });
    c.fragment(0.12);
    expect(c.decide(0.1, 4)).toEqual({ playbackRate: 1 });
  });

  it("speeds up within the bound when the slack exceeds the margin, and stops once it is played off", () => {
    const c = new LiveEdgeController(0.1);
    c.fragment(1.1);
    expect(c.decide(0.1, 4)).toEqual({ playbackRate: 1.1 });
    c.played(1.1, 5); // 0.5 s gained
    expect(c.excess(0.1)).toBeCloseTo(0.5, 9);
    c.played(1.1, 4.8); // 0.98 s gained in all
    expect(c.decide(0.1, 4)).toEqual({ playbackRate: 1 });
  });

  it("uses the median recent slack, so one early fragment does not pull playback into the next late one", () => {
    const c = new LiveEdgeController(0.1);
    c.fragment(0.1, false);
    c.fragment(0.1, false);
    c.fragment(0.6, false);
    expect(c.decide(0.1, 4)).toEqual({ playbackRate: 1 });
  });

  it("nor one late fragment push playback back", () => {
    const c = new LiveEdgeController(0.1);
    c.fragment(0.12, false);
    c.fragment(0.0, false);
    c.fragment(0.1, false);
    expect(c.decide(0.1, 4)).toEqual({ playbackRate: 1 });
  });

  it("slows down (within the bound) to rebuild a margin instead of stalling", () => {
    const c = new LiveEdgeController(0.1);
    c.fragment(0.02);
    const d = c.decide(0.3, 4);
    expect(d.playbackRate).toBeLessThan(1);
    expect(d.playbackRate).toBeGreaterThanOrEqual(0.9);
  });

  it("seeks when far behind, and counts the jump", () => {
    const c = new LiveEdgeController(0.1);
    c.fragment(6.1);
    expect(c.decide(0.1, 4)).toEqual({ playbackRate: 1, seekBy: 6 });
    c.jumped(6);
    expect(c.decide(0.1, 4)).toEqual({ playbackRate: 1 });
  });

  it("seeks the whole excess once right after the start, then trims by rate", () => {
    const c = new LiveEdgeController(0.1);
    for (let i = 1; i < START_TRIM_ARRIVALS; i++) {
      c.fragment(2.1);
      expect(c.decide(0.1, 4).seekBy).toBeUndefined();
    }
    c.fragment(2.1);
    expect(c.decide(0.1, 4)).toEqual({ playbackRate: 1, seekBy: 2 });
    c.jumped(2);
    for (let i = 0; i < 4; i++) c.fragment(0.6); // the window's slacks all show 0.5 s of excess
    // Later excess (below maxExcess) is played off by rate, not by another seek.
    expect(c.decide(0.1, 4)).toEqual({ playbackRate: 1.1 });
  });

  it("does not count fragments appended in a burst towards the start-up trim", () => {
    const c = new LiveEdgeController(0.1);
    for (let i = 0; i < 5; i++) c.fragment(2.1, false);
    expect(c.decide(0.1, 4)).toEqual({ playbackRate: 1.1 });
  });

  it("trims again after a new timeline", () => {
    const c = new LiveEdgeController(0.1);
    for (let i = 0; i < START_TRIM_ARRIVALS; i++) c.fragment(0.1);
    expect(c.decide(0.1, 4)).toEqual({ playbackRate: 1 });
    c.reset();
    for (let i = 0; i < START_TRIM_ARRIVALS; i++) c.fragment(1.6);
    expect(c.decide(0.1, 4)).toEqual({ playbackRate: 1, seekBy: 1.5 });
  });
});
