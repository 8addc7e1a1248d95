import { describe, expect, it } from "vitest";
import { JitterMargin } from "../src/jitter-margin";

const settings = { min: 0.1, max: 3, window: 12, shrinkRate: 0.02 };

/** Feeds `delays` (seconds after each 1 s fragment's end) as arrivals. */
function feed(margin: JitterMargin, delays: number[], from = 0): void {
  delays.forEach((delay, i) => margin.arrived(from + i + 1 + delay, from + i + 1, 1));
}

describe("JitterMargin", () => {
  it("stays at the minimum when fragments arrive exactly one duration apart", () => {
    const m = new JitterMargin(settings);
    feed(m, Array(20).fill(0.05));
    expect(m.spread).toBeCloseTo(0, 9);
    expect(m.value).toBeCloseTo(0.1, 9);
  });

  it("covers the spread of the arrival delays at once", () => {
    const m = new JitterMargin(settings);
    feed(m, [0, 0.2, 0.05, 0.15]);
    expect(m.spread).toBeCloseTo(0.2, 9);
    expect(m.value).toBeCloseTo(0.3, 9);
  });

  it("shrinks slowly once arrivals are steady again", () => {
    const m = new JitterMargin(settings);
    feed(m, [0, 0.05, 0.4]);
    expect(m.value).toBeCloseTo(0.5, 9);
    feed(m, Array(12).fill(0.1), 3); // the late arrival leaves the window
    expect(m.value).toBeGreaterThan(0.2);
    expect(m.value).toBeLessThan(0.5);
    feed(m, Array(30).fill(0.1), 15);
    expect(m.value).toBeCloseTo(0.1, 9);
  });

  it("widens after a stall, within the maximum", () => {
    const m = new JitterMargin(settings);
    m.stalled();
    expect(m.value).toBeCloseTo(0.2, 9);
    m.stalled();
    expect(m.value).toBeCloseTo(0.3, 9);
    for (let i = 0; i < 20; i++) m.stalled();
    expect(m.value).toBe(3);
  });

  it("counts no spread before three arrivals", () => {
    const m = new JitterMargin(settings);
    feed(m, [0, 0.8]);
    expect(m.spread).toBe(0);
    expect(m.value).toBeCloseTo(0.1, 9);
  });

  it("widens at once for a single late arrival", () => {
    const m = new JitterMargin(settings);
    feed(m, [0.05, 0.06, 0.05, 0.07, 0.05, 0.9, 0.06]);
    expect(m.spread).toBeCloseTo(0.85, 9);
    expect(m.value).toBeCloseTo(0.95, 9);
  });

  it("forgets the arrival history on a new timeline but keeps its margin", () => {
    const m = new JitterMargin(settings);
    feed(m, [0, 0.3, 0.1]);
    m.resetArrivals();
    expect(m.spread).toBe(0);
    expect(m.value).toBeCloseTo(0.4, 9);
  });

  it("rewinds to a given margin (clamped) and forgets the arrivals", () => {
    const m = new JitterMargin(settings);
    feed(m, [0, 2.5, 0.1]);
    expect(m.value).toBeCloseTo(2.6, 9);
    m.rewind(0.25);
    expect(m.spread).toBe(0);
    expect(m.value).toBeCloseTo(0.25, 9);
    m.rewind(10);
    expect(m.value).toBe(3);
  });
});
