import type { FragmentStore } from "./fragment-store";
/** URL under which hls.js requests the synthesised live playlist. */
export declare const PLAYLIST_URL = "hlscdn://live/playlist.m3u8";
/** URL of fragment `sn` in the playlist. */
export declare function fragmentUrl(sn: number): string;
/** Whether `url` is the playlist, with or without hls.js's delivery directives (`?_HLS_msn=…`). */
export declare function isPlaylistUrl(url: string): boolean;
/** Sequence number from a fragment URL, or `null` when the URL is not one of ours. */
export declare function fragmentSnFromUrl(url: string): number | null;
/** Renders the live media playlist (HLS version 3) of the fragments held in `store`. */
export declare function renderPlaylist(store: FragmentStore): string;
