import { describe, expect, it } from "vitest";
import { ChannelTimeline } from "../src/channel-timeline";
import { FragmentStore } from "../src/fragment-store";
import { earliestPts } from "../src/ts-timestamp";

/** An MPEG-TS packet starting a PES packet with `pts` (90 kHz units) on `pid`. */
function pesPacket(pid: number, pts: number): Uint8Array {
  const p = new Uint8Array(188).fill(0xff);
  p.set([0x47, 0x40 | (pid >> 8), pid & 0xff, 0x10]);
  p.set([0, 0, 1, 0xe0, 0, 0, 0x80, 0x80, 5], 4);
  const hi = Math.floor(pts / 2 ** 30);
  p[13] = 0x21 | ((hi & 7) << 1);
  p[14] = (pts >> 22) & 0xff;
  p[15] = (((pts >> 15) & 0x7f) << 1) | 1;
  p[16] = (pts >> 7) & 0xff;
  p[17] = ((pts & 0x7f) << 1) | 1;
  return p;
}

function segment(...packets: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(packets.length * 188);
  packets.forEach((p, i) => out.set(p, i * 188));
  return out;
}

describe("earliestPts", () => {
  it("reads the smallest PTS of the PES packets that start in the segment, 33 bits included", () => {
    const pat = new Uint8Array(188).fill(0xff);
    pat.set([0x47, 0x40, 0x00, 0x10, 0x00, 0x00, 0xb0]);
    const big = 2 ** 32 + 90000; // above 32 bits
    expect(earliestPts(segment(pat, pesPacket(0x100, big + 3600), pesPacket(0x101, big)))).toBeCloseTo(big / 90000, 6);
    expect(earliestPts(segment(pat))).toBeNull();
    expect(earliestPts(new Uint8Array([1, 2, 3]))).toBeNull();
  });
});

describe("ChannelTimeline", () => {
  it("gives fragments of the same time the same number in every rendition, whenever that rendition joined", () => {
    const t = new ChannelTimeline();
    // Rendition A from the start: fragments at 100.0, 101.0 (+ a few ms of jitter), 102.0 ...
    const a = [100, 101.004, 101.996, 103.0, 104.002].map((pts) => t.place(pts, 1).sn);
    expect(a).toEqual([0, 1, 2, 3, 4]);
    // Rendition B joins later: its node sends the two newest, then live ones; the timestamps match A's within ms.
    expect([103.001, 104.0, 105.003].map((pts) => t.place(pts, 1).sn)).toEqual([3, 4, 5]);
    // A catches up with the same fragment.
    expect(t.place(105.0, 1).sn).toBe(5);
  });

  it("counts skipped fragments by duration, and back from a known one for older fragments", () => {
    const t = new ChannelTimeline();
    expect(t.place(10, 0.5).sn).toBe(0);
    expect(t.place(12.0, 0.5).sn).toBe(4); // 10.5, 11, 11.5 never seen here
    expect(t.place(11.0, 0.5).sn).toBe(2);
    expect(t.place(9.5, 0.5).sn).toBe(-1);
  });

  it("starts over after the highest number, as a discontinuity, when the timestamps jump (publisher restarted)", () => {
    const t = new ChannelTimeline();
    t.place(1000, 1);
    t.place(1001, 1);
    expect(t.place(5, 1)).toEqual({ sn: 2, discontinuity: true });
    expect(t.place(6, 1)).toEqual({ sn: 3, discontinuity: false });
  });
});

describe("FragmentStore.addAt", () => {
  it("keeps given numbers, refuses old ones and restarts the window over a gap", () => {
    const store = new FragmentStore(4);
    expect(store.addAt(5, 1, new Uint8Array([1]), false, 12)!.transferStart).toBe(12);
    expect(store.addAt(6, 1, new Uint8Array([2]), false)).not.toBeNull();
    expect(store.addAt(6, 1, new Uint8Array([2]), false)).toBeNull();
    expect(store.addAt(3, 1, new Uint8Array([9]), false)).toBeNull();
    expect(store.window.map((f) => f.sn)).toEqual([5, 6]);
    expect(store.get(6)!.data[0]).toBe(2);
    store.addAt(9, 1, new Uint8Array([3]), true);
    expect(store.window.map((f) => [f.sn, f.discontinuity])).toEqual([[9, true]]);
    expect(store.get(9)!.data[0]).toBe(3);
    expect(store.lastSn).toBe(9);
  });
});
