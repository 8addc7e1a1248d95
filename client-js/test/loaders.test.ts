import type { FragmentLoaderContext, HlsConfig, LoaderCallbacks, LoaderConfiguration, LoaderContext, PlaylistLoaderContext } from "hls.js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FragmentStore } from "../src/fragment-store";
import { createStoreLoaders } from "../src/loaders";
import { PLAYLIST_URL, fragmentUrl } from "../src/playlist";

const config = {} as LoaderConfiguration;
const hlsConfig = {} as HlsConfig;

function callbacks<T extends LoaderContext>() {
  return {
    onSuccess: vi.fn(),
    onError: vi.fn(),
    onTimeout: vi.fn(),
    onAbort: vi.fn(),
  } satisfies LoaderCallbacks<T>;
}

const playlistContext = (url = PLAYLIST_URL) => ({ url, responseType: "text", type: "level" }) as unknown as PlaylistLoaderContext;
const fragmentContext = (url: string) => ({ url, responseType: "arraybuffer", type: "media-fragment" }) as unknown as FragmentLoaderContext;

describe("store loaders", () => {
  let store: FragmentStore;
  beforeEach(() => {
    vi.useFakeTimers();
    store = new FragmentStore(3);
  });
  afterEach(() => vi.useRealTimers());

  it("accepts hls.js's blocking-reload delivery directives on the playlist URL and refuses other playlists", () => {
    store.add(1, new Uint8Array([1]), 1);
    const { pLoader } = createStoreLoaders(store);
    const ok = callbacks<PlaylistLoaderContext>();
    new pLoader(hlsConfig).load(playlistContext(`${PLAYLIST_URL}?_HLS_msn=1`), config, ok);
    vi.advanceTimersByTime(0);
    expect(ok.onSuccess).toHaveBeenCalledTimes(1);
    const bad = callbacks<PlaylistLoaderContext>();
    new pLoader(hlsConfig).load(playlistContext("hlscdn://live/other.m3u8"), config, bad);
    vi.advanceTimersByTime(0);
    expect(bad.onError).toHaveBeenCalledTimes(1);
  });

  it("answers a playlist asynchronously with the rendered window", () => {
    store.add(1, new Uint8Array([1]), 1);
    const { pLoader } = createStoreLoaders(store);
    const cb = callbacks<PlaylistLoaderContext>();
    new pLoader(hlsConfig).load(playlistContext(), config, cb);
    expect(cb.onSuccess).not.toHaveBeenCalled();
    vi.advanceTimersByTime(0);
    expect(cb.onSuccess).toHaveBeenCalledTimes(1);
    const [response, stats] = cb.onSuccess.mock.calls[0]!;
    expect(response.url).toBe(PLAYLIST_URL);
    expect(response.data).toContain("#EXT-X-MEDIA-SEQUENCE:0");
    expect(stats.loaded).toBe((response.data as string).length);
  });

  it("holds an unchanged playlist reload until the next fragment arrives", () => {
    store.add(2, new Uint8Array([1]), 1);
    const { pLoader } = createStoreLoaders(store);
    const first = callbacks<PlaylistLoaderContext>();
    new pLoader(hlsConfig).load(playlistContext(), config, first);
    vi.advanceTimersByTime(0);
    const reload = callbacks<PlaylistLoaderContext>();
    new pLoader(hlsConfig).load(playlistContext(), config, reload);
    vi.advanceTimersByTime(500);
    expect(reload.onSuccess).not.toHaveBeenCalled();
    store.add(2, new Uint8Array([2]), 1);
    vi.advanceTimersByTime(0);
    expect(reload.onSuccess).toHaveBeenCalledTimes(1);
    expect(reload.onSuccess.mock.calls[0]![0].data).toContain(fragmentUrl(1));
  });

  it("answers a held reload after one target duration without news", () => {
    store.add(2, new Uint8Array([1]), 1);
    const { pLoader } = createStoreLoaders(store);
    new pLoader(hlsConfig).load(playlistContext(), config, callbacks());
    vi.advanceTimersByTime(0);
    const reload = callbacks<PlaylistLoaderContext>();
    new pLoader(hlsConfig).load(playlistContext(), config, reload);
    vi.advanceTimersByTime(1999);
    expect(reload.onSuccess).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2); // the hold expires at 2000 ms, then the answer is delivered asynchronously
    expect(reload.onSuccess).toHaveBeenCalledTimes(1);
  });

  it("answers a held reload at once when the stream ends", () => {
    store.add(1, new Uint8Array([1]), 1);
    const { pLoader } = createStoreLoaders(store);
    new pLoader(hlsConfig).load(playlistContext(), config, callbacks());
    vi.advanceTimersByTime(0);
    const reload = callbacks<PlaylistLoaderContext>();
    new pLoader(hlsConfig).load(playlistContext(), config, reload);
    store.end();
    vi.advanceTimersByTime(0);
    expect(reload.onSuccess.mock.calls[0]![0].data).toContain("#EXT-X-ENDLIST");
  });

  it("calls onAbort on abort and never answers afterwards", () => {
    store.add(1, new Uint8Array([1]), 1);
    const { pLoader } = createStoreLoaders(store);
    const loader = new pLoader(hlsConfig);
    const cb = callbacks<PlaylistLoaderContext>();
    loader.load(playlistContext(), config, cb);
    loader.abort();
    vi.advanceTimersByTime(5000);
    expect(cb.onAbort).toHaveBeenCalledTimes(1);
    expect(loader.stats.aborted).toBe(true);
    expect(cb.onSuccess).not.toHaveBeenCalled();
  });

  it("returns a copy of the held fragment bytes", () => {
    const data = new Uint8Array([7, 8, 9]);
    store.add(1, data, 1);
    const { fLoader } = createStoreLoaders(store);
    const cb = callbacks<FragmentLoaderContext>();
    new fLoader(hlsConfig).load(fragmentContext(fragmentUrl(0)), config, cb);
    vi.advanceTimersByTime(0);
    const payload = cb.onSuccess.mock.calls[0]![0].data as ArrayBuffer;
    expect(new Uint8Array(payload)).toEqual(data);
    expect(payload).not.toBe(data.buffer);
  });

  it("fails with 404 for a fragment that left the window or a foreign URL", () => {
    for (let i = 0; i < 4; i++) store.add(1, new Uint8Array([i]), 1);
    const { fLoader } = createStoreLoaders(store);
    for (const url of [fragmentUrl(0), "https://example.com/0.ts"]) {
      const cb = callbacks<FragmentLoaderContext>();
      new fLoader(hlsConfig).load(fragmentContext(url), config, cb);
      vi.advanceTimersByTime(0);
      expect(cb.onError).toHaveBeenCalledTimes(1);
      expect(cb.onError.mock.calls[0]![0].code).toBe(404);
    }
  });
});
