import { describe, expect, it } from "vitest";
import { FragmentStore, fingerprint } from "../src/fragment-store";
import { fragmentSnFromUrl, fragmentUrl, renderPlaylist } from "../src/playlist";

const bytes = (...b: number[]) => new Uint8Array(b);

describe("FragmentStore", () => {
  it("numbers fragments and slides the window", () => {
    const s = new FragmentStore(3);
    for (let i = 0; i < 5; i++) s.add(1, bytes(i), 1);
    expect(s.window.map((f) => f.sn)).toEqual([2, 3, 4]);
    expect(s.lastSn).toBe(4);
    expect(s.get(1)).toBeUndefined();
    expect(s.get(3)?.data).toEqual(bytes(3));
    expect(s.get(5)).toBeUndefined();
  });

  it("gives the bit rate of its newest fragments", () => {
    const s = new FragmentStore(10);
    expect(s.bitrate()).toBeNull();
    s.add(1, new Uint8Array(1000), 1);
    s.add(0.5, new Uint8Array(1000), 1);
    expect(s.bitrate()).toBeCloseTo((8 * 2000) / 1.5, 6);
    expect(s.bitrate(1)).toBe(16000);
  });

  it("skips fragments re-sent after a reconnect and stays continuous when nothing was missed", () => {
    const s = new FragmentStore(10);
    s.add(1, bytes(1), 1);
    s.add(1, bytes(2), 1);
    s.add(1, bytes(3), 1);
    expect(s.add(1, bytes(2), 2)).toBeNull();
    expect(s.add(1, bytes(3), 2)).toBeNull();
    const next = s.add(1, bytes(4), 2);
    expect(next).toMatchObject({ sn: 3, discontinuity: false });
  });

  it("marks a discontinuity when the reconnect lost fragments", () => {
    const s = new FragmentStore(10);
    s.add(1, bytes(1), 1);
    s.add(1, bytes(2), 1);
    expect(s.add(1, bytes(1), 2)).toBeNull(); // an older duplicate, not our newest
    expect(s.add(1, bytes(9), 2)).toMatchObject({ sn: 2, discontinuity: true });
    expect(s.add(1, bytes(10), 2)).toMatchObject({ sn: 3, discontinuity: false });
  });

  it("recognises re-sent fragments that already left the window", () => {
    const s = new FragmentStore(2);
    for (let i = 1; i <= 4; i++) s.add(1, bytes(i), 1);
    for (let i = 1; i <= 4; i++) expect(s.add(1, bytes(i), 2)).toBeNull();
    expect(s.add(1, bytes(5), 2)).toMatchObject({ sn: 4, discontinuity: false });
  });

  it("marks a discontinuity when the new session starts with unknown fragments", () => {
    const s = new FragmentStore(10);
    s.add(1, bytes(1), 1);
    expect(s.add(1, bytes(7), 2)?.discontinuity).toBe(true);
  });

  it("does not skip identical fragments within one session", () => {
    const s = new FragmentStore(10);
    s.add(1, bytes(1), 1);
    expect(s.add(1, bytes(1), 1)).toMatchObject({ sn: 1 });
  });

  it("counts discontinuities that left the window", () => {
    const s = new FragmentStore(2);
    s.add(1, bytes(1), 1);
    s.add(1, bytes(2), 2); // discontinuity
    s.add(1, bytes(3), 2);
    expect(s.discontinuitySequence).toBe(0);
    s.add(1, bytes(4), 2);
    expect(s.discontinuitySequence).toBe(1);
  });

  it("notifies a change listener once, and not after cancelling", () => {
    const s = new FragmentStore(5);
    let calls = 0;
    s.onceChanged(() => calls++);
    s.add(1, bytes(1), 1);
    s.add(1, bytes(2), 1);
    expect(calls).toBe(1);
    const cancel = s.onceChanged(() => calls++);
    cancel();
    s.end();
    expect(calls).toBe(1);
  });

  it("sums the duration after a sequence number", () => {
    const s = new FragmentStore(5);
    s.add(1, bytes(1), 1);
    s.add(2, bytes(2), 1);
    s.add(0.5, bytes(3), 1);
    expect(s.durationAfter(0)).toBe(2.5);
    expect(s.durationAfter(2)).toBe(0);
  });
});

describe("fingerprint", () => {
  it("differs for different bytes and lengths, equal for equal bytes", () => {
    expect(fingerprint(bytes(1, 2, 3))).toBe(fingerprint(bytes(1, 2, 3)));
    expect(fingerprint(bytes(1, 2, 3))).not.toBe(fingerprint(bytes(1, 2, 4)));
    expect(fingerprint(bytes(0))).not.toBe(fingerprint(bytes(0, 0)));
  });
});

describe("renderPlaylist", () => {
  it("renders a live sliding-window playlist", () => {
    const s = new FragmentStore(3);
    s.add(1.001, bytes(1), 1);
    s.add(2.5, bytes(2), 1);
    s.add(1, bytes(3), 1);
    s.add(1 / 3, bytes(4), 2);
    expect(renderPlaylist(s)).toBe(
      [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        "#EXT-X-TARGETDURATION:3",
        "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES",
        "#EXT-X-MEDIA-SEQUENCE:1",
        "#EXT-X-DISCONTINUITY-SEQUENCE:0",
        "#EXTINF:2.5,",
        fragmentUrl(1),
        "#EXTINF:1,",
        fragmentUrl(2),
        "#EXT-X-DISCONTINUITY",
        "#EXTINF:0.333333,",
        fragmentUrl(3),
        "",
      ].join("\n"),
    );
  });

  it("ends with #EXT-X-ENDLIST once the stream ended", () => {
    const s = new FragmentStore(3);
    s.add(1, bytes(1), 1);
    expect(renderPlaylist(s)).not.toContain("#EXT-X-ENDLIST");
    s.end();
    expect(renderPlaylist(s).trimEnd().endsWith("#EXT-X-ENDLIST")).toBe(true);
  });
});

describe("fragment URLs", () => {
  it("round-trip and reject foreign URLs", () => {
    expect(fragmentSnFromUrl(fragmentUrl(42))).toBe(42);
    expect(fragmentSnFromUrl("https://example.com/42.ts")).toBeNull();
    expect(fragmentSnFromUrl(fragmentUrl(1).replace("1.ts", "x.ts"))).toBeNull();
  });
});
