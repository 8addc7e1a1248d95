import type {
  FragmentLoaderConstructor,
  FragmentLoaderContext,
  Loader,
  LoaderCallbacks,
  LoaderConfiguration,
  LoaderContext,
  LoaderStats,
  PlaylistLoaderConstructor,
  PlaylistLoaderContext,
} from "hls.js";
import type { FragmentStore } from "./fragment-store";
import { MULTIVARIANT_URL, fragmentSnFromUrl, fragmentUrl, isPlaylistUrl, levelFragmentUrl, parseLevelUrl, renderPlaylist } from "./playlist";

function newStats(): LoaderStats {
  return {
    aborted: false,
    loaded: 0,
    retry: 0,
    total: 0,
    chunkCount: 0,
    bwEstimate: 0,
    loading: { start: 0, first: 0, end: 0 },
    parsing: { start: 0, end: 0 },
    buffering: { start: 0, first: 0, end: 0 },
  };
}

/**
 * Base of the in-memory loaders: answers asynchronously (never inside `load()`), once,
 * and never after `abort()` or `destroy()`.
 */
abstract class MemoryLoader<T extends LoaderContext> implements Loader<T> {
  context: T | null = null;
  stats: LoaderStats = newStats();
  private callbacks: LoaderCallbacks<T> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private cancelWait: (() => void) | null = null;

  load(context: T, _config: LoaderConfiguration, callbacks: LoaderCallbacks<T>): void {
    this.release();
    this.context = context;
    this.callbacks = callbacks;
    // In place: hls.js's fragment loader holds this very object as the fragment's stats (frag.stats = loader.stats)
    // before calling load(), and its bandwidth estimate reads it there.
    Object.assign(this.stats, newStats());
    this.stats.loading.start = performance.now();
    this.start(context);
  }

  abort(): void {
    const callbacks = this.callbacks;
    const context = this.context;
    this.release();
    if (!callbacks || !context) return;
    this.stats.aborted = true;
    callbacks.onAbort?.(this.stats, context, null);
  }

  destroy(): void {
    this.release();
    this.context = null;
  }

  /** Begins serving `context`: call `answerLater`, possibly after `waitFor`. */
  protected abstract start(context: T): void;

  /** Answers on the next macrotask with what `produce` returns: data, or an error. */
  protected answerLater(produce: () => { data: string | ArrayBuffer; transferStart?: number } | { code: number; text: string }): void {
    this.clearWait();
    this.timer = setTimeout(() => {
      this.timer = null;
      const callbacks = this.callbacks;
      const context = this.context;
      if (!callbacks || !context) return;
      this.callbacks = null;
      const result = produce();
      const now = performance.now();
      if ("data" in result) {
        const size = typeof result.data === "string" ? result.data.length : result.data.byteLength;
        this.stats.loaded = this.stats.total = size;
        this.stats.chunkCount = 1;
        this.stats.loading.first = this.stats.loading.end = now;
        if (result.transferStart !== undefined && result.transferStart < this.stats.loading.start) {
          // The bytes came over the WebSocket before hls.js asked: report the transfer (from the F header on), so
          // hls.js's bandwidth estimate measures the link (the first byte counts as the start, no round trip).
          this.stats.loading.start = this.stats.loading.first = result.transferStart;
        }
        callbacks.onSuccess({ url: context.url, data: result.data, code: 200 }, this.stats, context, null);
      } else {
        this.stats.loading.end = now;
        callbacks.onError({ code: result.code, text: result.text }, context, null, this.stats);
      }
    }, 0);
  }

  /** Runs `then` when `subscribe` fires or after `maxWaitMs`, whichever comes first. */
  protected waitFor(subscribe: (listener: () => void) => () => void, maxWaitMs: number, then: () => void): void {
    this.cancelWait = subscribe(then);
    this.timer = setTimeout(then, maxWaitMs);
  }

  private clearWait(): void {
    this.cancelWait?.();
    this.cancelWait = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private release(): void {
    this.clearWait();
    this.callbacks = null;
  }
}

/** The hls.js loader classes of one player, serving `store`. */
export interface StoreLoaders {
  pLoader: PlaylistLoaderConstructor;
  fLoader: FragmentLoaderConstructor;
}

/**
 * Creates hls.js `pLoader`/`fLoader` classes bound to `store`.
 *
 * The playlist loader answers a reload at once when a fragment arrived (or the stream ended)
 * since the previous answer; otherwise it holds the request until that happens, for at most one
 * target duration (a blocking reload: hls.js learns of each fragment as soon as it arrives).
 * The fragment loader returns a copy of the held bytes (hls.js transfers buffers to its worker).
 */
export function createStoreLoaders(store: FragmentStore): StoreLoaders {
  const served = { sn: -1, ended: false };

  class PlaylistLoader extends PlaylistMemoryLoader {
    protected start(context: PlaylistLoaderContext): void {
      if (!isPlaylistUrl(context.url)) {
        this.answerLater(() => ({ code: 404, text: `unknown playlist ${context.url}` }));
        return;
      }
      this.answerMediaPlaylist(store, served, fragmentUrl);
    }
  }

  class FragmentLoader extends MemoryLoader<FragmentLoaderContext> {
    protected start(context: FragmentLoaderContext): void {
      this.answerLater(() => {
        const sn = fragmentSnFromUrl(context.url);
        const fragment = sn === null ? undefined : store.get(sn);
        if (!fragment) return { code: 404, text: `fragment ${context.url} is not held (left the window)` };
        return { data: fragment.data.slice().buffer };
      });
    }
  }

  return { pLoader: PlaylistLoader, fLoader: FragmentLoader };
}

/** What a media playlist was last answered with. */
interface Served {
  sn: number;
  ended: boolean;
}

/** A playlist loader that answers media playlists with a blocking reload. */
abstract class PlaylistMemoryLoader extends MemoryLoader<PlaylistLoaderContext> {
  /**
   * Answers a media playlist request: at once when a fragment arrived (or the stream ended) since the previous answer,
   * else when that happens, for at most one target duration (a blocking reload).
   */
  protected answerMediaPlaylist(store: FragmentStore, served: Served, urlOf: (sn: number) => string): void {
    const answer = () =>
      this.answerLater(() => {
        served.sn = store.lastSn;
        served.ended = store.ended;
        return { data: renderPlaylist(store, urlOf) };
      });
    const fresh = store.lastSn !== served.sn || store.ended !== served.ended;
    if (fresh && store.lastSn >= 0) answer();
    else this.waitFor((l) => store.onceChanged(l), Math.max(1, Math.ceil(store.maxFragmentDuration || 1)) * 1000, answer);
  }
}

/** The levels of a channel as the loaders see them. */
export interface ChannelLevels {
  /** The multivariant playlist. */
  multivariant(): string;
  /** Level `level`'s store (its pull is opened if needed, and the level is marked as in use); null for no such level. */
  use(level: number): FragmentStore | null;
}

/**
 * hls.js loaders for a channel of renditions: the multivariant playlist, then each level's media playlist and
 * fragments from that level's own store (see {@link createStoreLoaders} for the blocking reload). A fragment reports
 * its transfer over the WebSocket as its loading time, so hls.js's bandwidth estimate and ABR see the real link.
 */
export function createChannelLoaders(levels: ChannelLevels): StoreLoaders {
  const served = new Map<number, Served>();

  class PlaylistLoader extends PlaylistMemoryLoader {
    protected start(context: PlaylistLoaderContext): void {
      if (context.url === MULTIVARIANT_URL) {
        this.answerLater(() => ({ data: levels.multivariant() }));
        return;
      }
      const parsed = parseLevelUrl(context.url);
      const store = parsed && parsed.sn === null ? levels.use(parsed.level) : null;
      if (!parsed || !store) {
        this.answerLater(() => ({ code: 404, text: `unknown playlist ${context.url}` }));
        return;
      }
      let s = served.get(parsed.level);
      if (!s) served.set(parsed.level, (s = { sn: -1, ended: false }));
      this.answerMediaPlaylist(store, s, (sn) => levelFragmentUrl(parsed.level, sn));
    }
  }

  class FragmentLoader extends MemoryLoader<FragmentLoaderContext> {
    protected start(context: FragmentLoaderContext): void {
      this.answerLater(() => {
        const parsed = parseLevelUrl(context.url);
        const store = parsed && parsed.sn !== null ? levels.use(parsed.level) : null;
        const fragment = store && parsed!.sn !== null ? store.get(parsed!.sn) : undefined;
        if (!fragment) return { code: 404, text: `fragment ${context.url} is not held (left the window)` };
        return { data: fragment.data.slice().buffer, transferStart: fragment.transferStart };
      });
    }
  }

  return { pLoader: PlaylistLoader, fLoader: FragmentLoader };
}
