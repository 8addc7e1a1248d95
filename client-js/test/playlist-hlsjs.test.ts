import { M3U8Parser, PlaylistLevelType } from "hls.js";
import { describe, expect, it } from "vitest";
import { FragmentStore } from "../src/fragment-store";
import { PLAYLIST_URL, fragmentSnFromUrl, renderPlaylist } from "../src/playlist";

// hls.js's own parser must read the synthesised playlist the way the loaders expect.
describe("synthesised playlist as parsed by hls.js", () => {
  it("yields live fragments with our sequence numbers, URLs and discontinuity counters", () => {
    const store = new FragmentStore(3);
    store.add(1, new Uint8Array([1]), 1);
    store.add(1, new Uint8Array([2]), 1);
    store.add(1.2, new Uint8Array([3]), 2); // discontinuity
    store.add(1, new Uint8Array([4]), 2); // slides fragment 0 out
    const details = M3U8Parser.parseLevelPlaylist(renderPlaylist(store), PLAYLIST_URL, 0, PlaylistLevelType.MAIN, 0, null);
    expect(details.live).toBe(true);
    expect(details.startSN).toBe(1);
    expect(details.endSN).toBe(3);
    expect(details.targetduration).toBe(2);
    expect(details.fragments.map((f) => f.sn)).toEqual([1, 2, 3]);
    expect(details.fragments.map((f) => f.cc)).toEqual([0, 1, 1]);
    expect(details.fragments.map((f) => fragmentSnFromUrl(f.url))).toEqual([1, 2, 3]);
    expect(details.totalduration).toBeCloseTo(3.2);
  });

  it("is no longer live once the stream ended", () => {
    const store = new FragmentStore(3);
    store.add(1, new Uint8Array([1]), 1);
    store.end();
    const details = M3U8Parser.parseLevelPlaylist(renderPlaylist(store), PLAYLIST_URL, 0, PlaylistLevelType.MAIN, 0, null);
    expect(details.live).toBe(false);
    expect(details.fragments).toHaveLength(1);
  });
});
