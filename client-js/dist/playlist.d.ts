import type { FragmentStore } from "./fragment-store";
/** URL under which hls.js requests the synthesised live playlist. */
export declare const PLAYLIST_URL = "hlscdn://live/playlist.m3u8";
/** URL of fragment `sn` in the playlist. */
export declare function fragmentUrl(sn: number): string;
/** Whether `url` is the playlist, with or without hls.js's delivery directives (`?_HLS_msn=…`). */
export declare function isPlaylistUrl(url: string): boolean;
/** Sequence number from a fragment URL, or `null` when the URL is not one of ours. */
export declare function fragmentSnFromUrl(url: string): number | null;
/** URL of the synthesised multivariant playlist of a channel of renditions. */
export declare const MULTIVARIANT_URL = "hlscdn://live/channel.m3u8";
/** URL of level `index`'s media playlist. */
export declare function levelPlaylistUrl(index: number): string;
/** URL of fragment `sn` of level `index`. */
export declare function levelFragmentUrl(index: number, sn: number): string;
/** Level and (for fragments) sequence number of a level URL (directives such as `?_HLS_msn=` ignored); null otherwise. */
export declare function parseLevelUrl(url: string): {
    level: number;
    sn: number | null;
} | null;
/** A level of the multivariant playlist. */
export interface VariantInfo {
    bandwidth: number;
    width: number;
    height: number;
    frameRate: number;
    name: string;
}
/** Renders the multivariant playlist: one `#EXT-X-STREAM-INF` per level, in the given order. */
export declare function renderMultivariant(levels: readonly VariantInfo[]): string;
/** Renders the live media playlist (HLS version 3) of the fragments held in `store`; `urlOf` names each fragment. */
export declare function renderPlaylist(store: FragmentStore, urlOf?: (sn: number) => string): string;
