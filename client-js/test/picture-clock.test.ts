import { describe, expect, it } from "vitest";
import { clockDelay, decodeClockRow, TESTER_CLOCK_LAYOUT as L } from "../src/picture-clock";

/** One RGBA row as the tester draws it: black strip, white boxes for the 1 bits, white marker. */
function row(value: number, width = 640): Uint8ClampedArray {
  const data = new Uint8ClampedArray(width * 4);
  const box = (i: number) => {
    for (let x = L.firstBoxX + i * L.boxPitch; x < L.firstBoxX + i * L.boxPitch + L.boxSize; x++) data.fill(255, x * 4, x * 4 + 4);
  };
  for (let bit = 0; bit < L.dataBits; bit++) if (Math.floor(value / 2 ** bit) % 2 === 1) box(bit);
  box(L.dataBits);
  return data;
}

describe("picture clock", () => {
  it("decodes the millisecond of the day the tester burns in", () => {
    expect(decodeClockRow(row(0), 640)).toBe(0);
    expect(decodeClockRow(row(45_296_789), 640)).toBe(45_296_789);
    expect(decodeClockRow(row(86_399_999), 640)).toBe(86_399_999);
  });

  it("rejects a picture without the marker or too narrow", () => {
    const noMarker = row(1234);
    const x = L.firstBoxX + L.dataBits * L.boxPitch + 9;
    noMarker.fill(0, x * 4, x * 4 + 3);
    expect(decodeClockRow(noMarker, 640)).toBeNull();
    expect(decodeClockRow(row(1234, 300), 300)).toBeNull();
  });

  it("measures the delay across midnight", () => {
    const midnight = Date.UTC(2026, 0, 2);
    expect(clockDelay(86_399_900, midnight + 100)).toBe(200);
    expect(clockDelay(1000, midnight + 1250)).toBe(250);
  });
});
