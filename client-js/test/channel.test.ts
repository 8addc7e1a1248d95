import type { FragmentLoaderContext, HlsConfig, LoaderCallbacks, LoaderConfiguration, LoaderContext, PlaylistLoaderContext } from "hls.js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FragmentStore } from "../src/fragment-store";
import { createChannelLoaders } from "../src/loaders";
import { MULTIVARIANT_URL, levelFragmentUrl, levelPlaylistUrl } from "../src/playlist";
import { HlsCdnPlayer } from "../src/player";
import type { WebSocketLike } from "../src/socket";

const config = {} as LoaderConfiguration;
const hlsConfig = {} as HlsConfig;

function callbacks<T extends LoaderContext>() {
  return { onSuccess: vi.fn(), onError: vi.fn(), onTimeout: vi.fn(), onAbort: vi.fn() } satisfies LoaderCallbacks<T>;
}

describe("channel loaders", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("serve the multivariant playlist, then each level from its own store, opening it on first use", () => {
    const stores = [new FragmentStore(3), new FragmentStore(3)];
    const used: number[] = [];
    const { pLoader, fLoader } = createChannelLoaders({
      multivariant: () => "#EXTM3U\n",
      use: (level) => {
        used.push(level);
        return stores[level] ?? null;
      },
    });
    const master = callbacks<PlaylistLoaderContext>();
    new pLoader(hlsConfig).load({ url: MULTIVARIANT_URL, type: "manifest" } as unknown as PlaylistLoaderContext, config, master);
    vi.advanceTimersByTime(0);
    expect(master.onSuccess.mock.calls[0]![0].data).toBe("#EXTM3U\n");
    expect(used).toEqual([]);

    stores[1]!.addAt(7, 1, new Uint8Array([7]), false, performance.now() - 400);
    const level = callbacks<PlaylistLoaderContext>();
    new pLoader(hlsConfig).load({ url: `${levelPlaylistUrl(1)}?_HLS_msn=7` } as unknown as PlaylistLoaderContext, config, level);
    vi.advanceTimersByTime(0);
    const text = level.onSuccess.mock.calls[0]![0].data as string;
    expect(text).toContain("#EXT-X-MEDIA-SEQUENCE:7");
    expect(text).toContain(levelFragmentUrl(1, 7));
    expect(used).toEqual([1]);

    // The fragment reports its transfer over the WebSocket (from its F header) as its loading time.
    const frag = callbacks<FragmentLoaderContext>();
    const loader = new fLoader(hlsConfig);
    loader.load({ url: levelFragmentUrl(1, 7) } as unknown as FragmentLoaderContext, config, frag);
    vi.advanceTimersByTime(0);
    const stats = frag.onSuccess.mock.calls[0]![1];
    expect(new Uint8Array(frag.onSuccess.mock.calls[0]![0].data as ArrayBuffer)).toEqual(new Uint8Array([7]));
    expect(stats.loading.end - stats.loading.start).toBeGreaterThanOrEqual(400);
    expect(stats.loading.first).toBe(stats.loading.start);

    const missing = callbacks<PlaylistLoaderContext>();
    new pLoader(hlsConfig).load({ url: levelPlaylistUrl(5) } as unknown as PlaylistLoaderContext, config, missing);
    vi.advanceTimersByTime(0);
    expect(missing.onError).toHaveBeenCalledTimes(1);
  });
});

class FakeSocket implements WebSocketLike {
  binaryType = "blob";
  onopen: WebSocketLike["onopen"] = null;
  onmessage: WebSocketLike["onmessage"] = null;
  onclose: WebSocketLike["onclose"] = null;
  onerror: WebSocketLike["onerror"] = null;
  sent: string[] = [];
  closed = false;
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.closed = true;
  }
}

describe("HlsCdnPlayer with renditions (without media)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function channel() {
    const sockets: FakeSocket[] = [];
    const player = new HlsCdnPlayer({
      cdnServerUrl: "ws://node.test/",
      renditions: ["ch/640x360-25~800", { streamId: "ch/256x144-25~150", authToken: "low" }, "ch/426x240-25~400"],
      authToken: "t",
      webSocketFactory: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
    } as never);
    return { player, sockets };
  }

  it("lists the levels lowest first and opens only the start level's pull, with its own token", () => {
    const { player, sockets } = channel();
    expect(player.levels.map((l) => `${l.index}:${l.name}:${l.streamId}`)).toEqual([
      "0:144p:ch/256x144-25~150",
      "1:240p:ch/426x240-25~400",
      "2:360p:ch/640x360-25~800",
    ]);
    expect(player.currentLevel).toBe(-1);
    expect(player.autoLevelEnabled).toBe(true);
    player.start();
    expect(sockets).toHaveLength(1);
    sockets[0]!.onopen?.({});
    expect(sockets[0]!.sent[0]).toBe("PULL:stream=ch%2F256x144-25~150&auth=low");
    expect(player.getStats()).toMatchObject({ state: "pulling", level: -1, rendition: null, bandwidthEstimate: null, autoLevel: true });
  });

  it("validates and records a manual choice before playback", () => {
    const { player } = channel();
    expect(() => player.setLevel(3)).toThrow(/from 0 to 2/);
    expect(() => player.setLevel(-2)).toThrow(/-1 \(auto\)/);
    player.setLevel(2);
    expect(player.autoLevelEnabled).toBe(false);
    player.setLevel(-1);
    expect(player.autoLevelEnabled).toBe(true);
  });

  it("closes every pull on destroy", () => {
    const { player, sockets } = channel();
    player.start();
    player.destroy();
    expect(sockets[0]!.closed).toBe(true);
  });

  it("keeps the single-stream API: no levels, level 0", () => {
    const player = new HlsCdnPlayer({ cdnServerUrl: "ws://x/", streamId: "s", webSocketFactory: () => new FakeSocket() });
    expect(player.levels).toEqual([]);
    expect(player.currentLevel).toBe(0);
    expect(() => player.setLevel(0)).toThrow();
    player.setLevel(-1);
  });
});
