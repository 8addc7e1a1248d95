import { describe, expect, it } from "vitest";
import { EMERGENCY_SAFETY, emergencySwitch, STARVING_MIN_ELAPSED, type TransferState } from "../src/emergency-switch";
import { STARVED_BUFFER } from "../src/latency";

// Three levels like the tester's default set: ~0.26, ~0.52 and ~0.94 Mbit/s with audio and TS.
const rates = [260_000, 520_000, 940_000];
const top = (elapsed: number, extra: Partial<TransferState> = {}): TransferState => ({
  loadingLevel: 2,
  minLevel: 0,
  elapsed,
  duration: 1,
  expectedBits: 940_000,
  rates,
  bufferAhead: 0.5,
  ...extra,
});

describe("emergencySwitch", () => {
  it("waits while the fragment has been in transfer for less than its duration", () => {
    expect(emergencySwitch(top(0.2))).toBeNull();
    expect(emergencySwitch(top(0.99))).toBeNull();
  });

  it("switches to the highest level within half the bound on the link once the fragment is slower than real time", () => {
    // 0.94 Mbit expected, not there after 1 s: the link carries < 0.94 Mbit/s; half of that (0.47) fits level 0 only.
    expect(emergencySwitch(top(1))).toEqual({ level: 0, estimate: 470_000 });
    // A fragment twice as large as usual (a scene change) bounds the link higher: level 1 (0.52) fits within 0.6.
    const big = emergencySwitch(top(1.5, { expectedBits: 1_800_000 }));
    expect(big).toEqual({ level: 1, estimate: (EMERGENCY_SAFETY * 1_800_000) / 1.5 });
  });

  it("never goes below the lowest level ABR may use, nor switches from it", () => {
    expect(emergencySwitch(top(10, { minLevel: 1 }))).toEqual({ level: 1, estimate: 47_000 });
    expect(emergencySwitch(top(10, { loadingLevel: 0 }))).toBeNull();
  });

  it("switches to the lowest level at once when playback starves while the fragment is still coming", () => {
    // 0.3 s without the fragment bounds the link at 3.1 Mbit/s, which says little: the estimate stays below level 1.
    expect(emergencySwitch(top(0.3, { bufferAhead: 0.05 }))).toEqual({ level: 0, estimate: 520_000 });
    // A long wait bounds the link lower than the next level up: the estimate is half that bound.
    expect(emergencySwitch(top(0.95, { bufferAhead: 0 }))).toEqual({ level: 0, estimate: (EMERGENCY_SAFETY * 940_000) / 0.95 });
    // Enough buffer left, or a fragment that has only just begun to arrive: no switch.
    expect(emergencySwitch(top(0.3, { bufferAhead: STARVED_BUFFER }))).toBeNull();
    expect(emergencySwitch(top(STARVING_MIN_ELAPSED / 2, { bufferAhead: 0 }))).toBeNull();
    // Never from the lowest level.
    expect(emergencySwitch(top(0.5, { bufferAhead: 0, loadingLevel: 0 }))).toBeNull();
  });

  it("ignores a transfer it cannot judge", () => {
    expect(emergencySwitch(top(5, { duration: 0 }))).toBeNull();
    expect(emergencySwitch(top(5, { expectedBits: 0 }))).toBeNull();
  });
});
