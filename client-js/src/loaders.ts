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
import { fragmentSnFromUrl, isPlaylistUrl, renderPlaylist } from "./playlist";

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
    this.stats = newStats();
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
  protected answerLater(produce: () => { data: string | ArrayBuffer } | { code: number; text: string }): void {
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

  class PlaylistLoader extends MemoryLoader<PlaylistLoaderContext> {
    protected start(context: PlaylistLoaderContext): void {
      if (!isPlaylistUrl(context.url)) {
        this.answerLater(() => ({ code: 404, text: `unknown playlist ${context.url}` }));
        return;
      }
      const answer = () =>
        this.answerLater(() => {
          served.sn = store.lastSn;
          served.ended = store.ended;
          return { data: renderPlaylist(store) };
        });
      const fresh = store.lastSn !== served.sn || store.ended !== served.ended;
      if (fresh && store.lastSn >= 0) answer();
      else this.waitFor((l) => store.onceChanged(l), Math.max(1, Math.ceil(store.maxFragmentDuration)) * 1000, answer);
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
