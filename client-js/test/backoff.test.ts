import { describe, expect, it } from "vitest";
import { Backoff } from "../src/backoff";

describe("Backoff", () => {
  it("doubles up to the maximum and counts attempts", () => {
    const b = new Backoff(500, 4000, () => 1);
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([500, 1000, 2000, 4000, 4000]);
    expect(b.attempts).toBe(5);
  });

  it("applies jitter between half and the full delay", () => {
    expect(new Backoff(1000, 8000, () => 0).next()).toBe(500);
    expect(new Backoff(1000, 8000, () => 0.5).next()).toBe(750);
  });

  it("starts over after reset", () => {
    const b = new Backoff(100, 1000, () => 1);
    b.next();
    b.next();
    b.reset();
    expect(b.attempts).toBe(0);
    expect(b.next()).toBe(100);
  });
});
