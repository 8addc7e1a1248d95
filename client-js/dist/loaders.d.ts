import type { FragmentLoaderConstructor, PlaylistLoaderConstructor } from "hls.js";
import type { FragmentStore } from "./fragment-store";
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
export declare function createStoreLoaders(store: FragmentStore): StoreLoaders;
