import { describe, expect, it } from "vitest";
import { resolveOptions } from "../src/options";

const base = { cdnServerUrl: "wss://cdn.example/", streamId: "s" };

describe("resolveOptions", () => {
  it("fills in the documented defaults", () => {
    expect(resolveOptions(base)).toMatchObject({
      authToken: "",
      timeout: 30000,
      debug: false,
      waitForStream: true,
      reconnectOnEnd: false,
      reconnectDelay: 500,
      maxReconnectDelay: 10000,
      maxReconnectAttempts: Infinity,
      catchUpRate: 1.1,
      minMargin: 0.1,
      maxMargin: 3,
      pictureClock: true,
      playlistWindow: 10,
      statsInterval: 1000,
      maxInitialFragments: undefined,
      targetDelay: undefined,
    });
  });

  it("names the bad option", () => {
    expect(() => resolveOptions({ ...base, cdnServerUrl: "http://x/" })).toThrow(/cdnServerUrl/);
    expect(() => resolveOptions({ ...base, streamId: "" })).toThrow(/streamId/);
    expect(() => resolveOptions({ ...base, timeout: 0 })).toThrow(/timeout/);
    expect(() => resolveOptions({ ...base, maxInitialFragments: 1.5 })).toThrow(/maxInitialFragments/);
    expect(() => resolveOptions({ ...base, maxReconnectAttempts: -1 })).toThrow(/maxReconnectAttempts/);
    expect(() => resolveOptions({ ...base, playlistWindow: 1 })).toThrow(/playlistWindow/);
    expect(() => resolveOptions({ ...base, catchUpRate: 0.9 })).toThrow(/catchUpRate/);
    expect(() => resolveOptions({ ...base, minMargin: 0 })).toThrow(/minMargin/);
    expect(() => resolveOptions({ ...base, minMargin: 2, maxMargin: 1 })).toThrow(/minMargin/);
  });

  it("accepts zero initial fragments and zero reconnect attempts", () => {
    expect(resolveOptions({ ...base, maxInitialFragments: 0, maxReconnectAttempts: 0 })).toMatchObject({ maxInitialFragments: 0, maxReconnectAttempts: 0 });
  });
});
