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
export declare function createChannelLoaders(levels: ChannelLevels): StoreLoaders;
