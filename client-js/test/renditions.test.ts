import { M3U8Parser } from "hls.js";
import { describe, expect, it } from "vitest";
import { bandwidthOf, parseRenditionId, resolveRenditions } from "../src/renditions";
import { MULTIVARIANT_URL, levelFragmentUrl, levelPlaylistUrl, parseLevelUrl, renderMultivariant } from "../src/playlist";
import { resolveOptions } from "../src/options";

describe("renditions", () => {
  it("parses the stream id convention from the last path segment", () => {
    expect(parseRenditionId("room/cam/640x360-25~800")).toEqual({ width: 640, height: 360, frameRate: 25, kbps: 800 });
    expect(parseRenditionId("1280x720-29.97~2500")).toEqual({ width: 1280, height: 720, frameRate: 29.97, kbps: 2500 });
    expect(parseRenditionId("room/cam")).toBeNull();
    expect(parseRenditionId("room/640x360-25~800/x")).toBeNull();
    expect(parseRenditionId("0x360-25~800")).toBeNull();
  });

  it("resolves ids and explicit properties, lowest bandwidth first, tokens per rendition", () => {
    const levels = resolveRenditions(
      ["c/640x360-25~800", { streamId: "c/low", width: 256, height: 144, frameRate: 25, bandwidth: 200000, authToken: "t-low" }, "c/426x240-25~400"],
      "t",
    );
    expect(levels.map((l) => [l.index, l.streamId, l.width, l.height, l.bandwidth, l.authToken, l.name])).toEqual([
      [0, "c/low", 256, 144, 200000, "t-low", "144p"],
      [1, "c/426x240-25~400", 426, 240, bandwidthOf(400), "t", "240p"],
      [2, "c/640x360-25~800", 640, 360, bandwidthOf(800), "t", "360p"],
    ]);
    expect(bandwidthOf(800)).toBe(976000);
  });

  it("names the bad item", () => {
    expect(() => resolveRenditions([], "")).toThrow(/'renditions' must be a non-empty array/);
    expect(() => resolveRenditions(["c/640x360-25~800", "c/nope"], "")).toThrow(/item 1 \('c\/nope'\) has no valid 'width'/);
    expect(() => resolveRenditions([{ streamId: "c/640x360-25~800", bandwidth: -1 }], "")).toThrow(/item 0 .* 'bandwidth'/);
    expect(() => resolveRenditions(["a/1x1-1~1", "a/1x1-1~1"], "")).toThrow(/listed twice/);
    expect(() => resolveOptions({ cdnServerUrl: "ws://x/", streamId: undefined as unknown as string, renditions: ["a/2x2-25~1"], startLevel: 1 })).toThrow(
      /'startLevel' must be an integer from 0 to 0/,
    );
  });

  it("lets the stream id be omitted with renditions", () => {
    const o = resolveOptions({ cdnServerUrl: "ws://x/", renditions: ["a/640x360-25~800", "a/256x144-25~150"] } as never);
    expect(o.streamId).toBe("a/640x360-25~800");
    expect(o.renditions!.map((r) => r.width)).toEqual([256, 640]);
    expect(o.startLevel).toBe(0);
    expect(resolveOptions({ cdnServerUrl: "ws://x/", streamId: "s" }).renditions).toBeNull();
  });

  it("renders a multivariant playlist hls.js reads as one level per rendition", () => {
    const levels = resolveRenditions(["c/256x144-25~150", "c/640x360-25~800"], "");
    const text = renderMultivariant(levels);
    const parsed = M3U8Parser.parseMasterPlaylist(text, MULTIVARIANT_URL);
    expect(parsed.levels.map((l) => [l.width, l.height, l.bitrate, l.url])).toEqual([
      [256, 144, bandwidthOf(150), levelPlaylistUrl(0)],
      [640, 360, bandwidthOf(800), levelPlaylistUrl(1)],
    ]);
  });

  it("round-trips level URLs, with or without delivery directives", () => {
    expect(parseLevelUrl(levelPlaylistUrl(2))).toEqual({ level: 2, sn: null });
    expect(parseLevelUrl(`${levelPlaylistUrl(2)}?_HLS_msn=7`)).toEqual({ level: 2, sn: null });
    expect(parseLevelUrl(levelFragmentUrl(1, 42))).toEqual({ level: 1, sn: 42 });
    expect(parseLevelUrl("hlscdn://live/level/x/playlist.m3u8")).toBeNull();
    expect(parseLevelUrl("hlscdn://live/playlist.m3u8")).toBeNull();
  });
});
