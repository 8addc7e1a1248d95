import { describe, expect, it } from "vitest";
import { LiveEdgeController } from "../src/live-edge";

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

  it("uses the smallest recent slack, so one early fragment does not pull playback into the next late one", () => {
    const c = new LiveEdgeController(0.1);
    c.fragment(0.1);
    c.fragment(0.3);
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
});
