import { describe, expect, it } from "vitest";
import { JitterMargin } from "../src/jitter-margin";
import { LevelSwitchMargin } from "../src/level-switch-margin";

const settings = { min: 0.1, max: 3, window: 12, shrinkRate: 0.01 };

/** A margin grown to about `value` by a stall (0.1 + max(0.1, 0.05) = 0.2, and so on). */
function marginAt(stalls: number): JitterMargin {
  const margin = new JitterMargin(settings);
  for (let i = 0; i < stalls; i++) margin.stalled();
  return margin;
}

describe("LevelSwitchMargin", () => {
  it("puts the margin back to its steady value on a switch down at once, and again on the climb after it", () => {
    const margin = marginAt(1);
    const keeper = new LevelSwitchMargin(margin, 1);
    keeper.observe(null);
    const steady = margin.value;
    // The link degrades: the stall widens the margin, then the player switches down at once.
    margin.stalled();
    expect(margin.value).toBeGreaterThan(steady);
    keeper.switchedDownAtOnce();
    expect(margin.value).toBeCloseTo(steady);
    // On the lower level the margin grows again (a second stall); the climb restores the steady one.
    expect(keeper.levelSwitched(false)).toBeNull();
    margin.stalled();
    expect(keeper.levelSwitched(true)).toBeCloseTo(steady);
    expect(margin.value).toBeCloseTo(steady);
    // Only once: a later climb starts the spread anew and keeps the margin.
    margin.stalled();
    const widened = margin.value;
    expect(keeper.levelSwitched(true)).toBeNull();
    expect(margin.value).toBe(widened);
  });

  it("does not take a margin as steady while a transfer is slow", () => {
    const margin = marginAt(0);
    const keeper = new LevelSwitchMargin(margin, 1);
    keeper.observe(null);
    const steady = margin.value;
    margin.stalled();
    // The last fragment took 0.8 s for 1 s of media, then one is 0.6 s into its transfer: neither is steady.
    keeper.transferred(0.8, 1);
    keeper.observe(null);
    keeper.transferred(0.1, 1);
    keeper.observe({ elapsed: 0.6, duration: 1 });
    keeper.switchedDownAtOnce();
    expect(margin.value).toBeCloseTo(steady);
  });

  it("leaves a new pull's initial fragments out of the arrival spread after each switch", () => {
    const keeper = new LevelSwitchMargin(marginAt(0), 2);
    expect(keeper.skipsArrival()).toBe(false);
    keeper.levelSwitched(false);
    expect([keeper.skipsArrival(), keeper.skipsArrival(), keeper.skipsArrival()]).toEqual([true, true, false]);
  });

  it("changes nothing on a switch down at once before any steady margin was seen", () => {
    const margin = marginAt(2);
    const before = margin.value;
    const keeper = new LevelSwitchMargin(margin, 1);
    keeper.switchedDownAtOnce();
    expect(margin.value).toBe(before);
    expect(keeper.levelSwitched(true)).toBeNull();
  });
});
