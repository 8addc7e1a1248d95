import type { FragmentStore } from "./fragment-store";

/** URL under which hls.js requests the synthesised live playlist. */
export const PLAYLIST_URL = "hlscdn://live/playlist.m3u8";

const FRAGMENT_URL_PREFIX = "hlscdn://live/fragment/";

/** URL of fragment `sn` in the playlist. */
export function fragmentUrl(sn: number): string {
  return `${FRAGMENT_URL_PREFIX}${sn}.ts`;
}

/** Whether `url` is the playlist, with or without hls.js's delivery directives (`?_HLS_msn=…`). */
export function isPlaylistUrl(url: string): boolean {
  return url === PLAYLIST_URL || url.startsWith(`${PLAYLIST_URL}?`);
}

/** Sequence number from a fragment URL, or `null` when the URL is not one of ours. */
export function fragmentSnFromUrl(url: string): number | null {
  if (!url.startsWith(FRAGMENT_URL_PREFIX)) return null;
  const m = /^(\d+)\.ts$/.exec(url.substring(FRAGMENT_URL_PREFIX.length));
  return m ? Number(m[1]) : null;
}

function formatDuration(seconds: number): string {
  return String(Math.round(seconds * 1e6) / 1e6);
}

/** URL of the synthesised multivariant playlist of a channel of renditions. */
export const MULTIVARIANT_URL = "hlscdn://live/channel.m3u8";

const LEVEL_URL_PREFIX = "hlscdn://live/level/";

/** URL of level `index`'s media playlist. */
export function levelPlaylistUrl(index: number): string {
  return `${LEVEL_URL_PREFIX}${index}/playlist.m3u8`;
}

/** URL of fragment `sn` of level `index`. */
export function levelFragmentUrl(index: number, sn: number): string {
  return `${LEVEL_URL_PREFIX}${index}/fragment/${sn}.ts`;
}

/** Level and (for fragments) sequence number of a level URL (directives such as `?_HLS_msn=` ignored); null otherwise. */
export function parseLevelUrl(url: string): { level: number; sn: number | null } | null {
  if (!url.startsWith(LEVEL_URL_PREFIX)) return null;
  const m = /^(\d+)\/(?:playlist\.m3u8(?:\?.*)?|fragment\/(\d+)\.ts)$/.exec(url.substring(LEVEL_URL_PREFIX.length));
  if (!m) return null;
  return { level: Number(m[1]), sn: m[2] === undefined ? null : Number(m[2]) };
}

/** A level of the multivariant playlist. */
export interface VariantInfo {
  bandwidth: number;
  width: number;
  height: number;
  frameRate: number;
  name: string;
}

/** Renders the multivariant playlist: one `#EXT-X-STREAM-INF` per level, in the given order. */
export function renderMultivariant(levels: readonly VariantInfo[]): string {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS"];
  levels.forEach((l, i) => {
    const name = l.name.replace(/["\r\n]/g, "'");
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${l.bandwidth},RESOLUTION=${l.width}x${l.height},FRAME-RATE=${l.frameRate.toFixed(3)},NAME="${name}"`,
      levelPlaylistUrl(i),
    );
  });
  return lines.join("\n") + "\n";
}

/** Renders the live media playlist (HLS version 3) of the fragments held in `store`; `urlOf` names each fragment. */
export function renderPlaylist(store: FragmentStore, urlOf: (sn: number) => string = fragmentUrl): string {
  const window = store.window;
  const lines = [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    `#EXT-X-TARGETDURATION:${Math.max(1, Math.ceil(store.maxFragmentDuration))}`,
    // Blocking reload: with it (and lowLatencyMode) hls.js asks for the next playlist as soon as it has one, instead
    // of on a timer of one target duration whose phase against the arrivals is arbitrary (0 to 1 fragment of delay).
    "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES",
    `#EXT-X-MEDIA-SEQUENCE:${window.length > 0 ? window[0]!.sn : 0}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${store.discontinuitySequence}`,
  ];
  for (const f of window) {
    if (f.discontinuity) lines.push("#EXT-X-DISCONTINUITY");
    lines.push(`#EXTINF:${formatDuration(f.duration)},`, urlOf(f.sn));
  }
  if (store.ended) lines.push("#EXT-X-ENDLIST");
  return lines.join("\n") + "\n";
}
