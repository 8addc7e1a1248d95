/** One rendition of a channel, as given in the options: a stream id, or a stream id with explicit properties. */
export interface HlsCdnRenditionOption {
  /** The rendition's stream (by convention `{ROOM}/{STREAM_ID}/{WIDTH}x{HEIGHT}-{FPS}~{KBPS}`). */
  streamId: string;
  /** Pull token for this stream (`sub` = `PULL:{streamId}`). Default: the player's `authToken`. */
  authToken?: string;
  /** Picture width. Default: from the stream id. */
  width?: number;
  /** Picture height. Default: from the stream id. */
  height?: number;
  /** Frame rate. Default: from the stream id. */
  frameRate?: number;
  /**
   * Peak bit rate of the whole stream (video, audio, container) in bit/s, what hls.js compares with its bandwidth
   * estimate. Default from the stream id's video bit rate: `KBPS × 1000 × 1.1 + 96000` (audio and MPEG-TS overhead).
   */
  bandwidth?: number;
  /** Label for menus. Default: `{height}p` (or the stream id). */
  name?: string;
}

/** A level of the channel, as hls.js plays it (index = hls.js level index, lowest bandwidth first). */
export interface HlsCdnLevel {
  index: number;
  streamId: string;
  width: number;
  height: number;
  frameRate: number;
  bandwidth: number;
  name: string;
}

/** A level with its token, as the player uses it. */
export interface ResolvedRendition extends HlsCdnLevel {
  authToken: string;
}

/** What the stream id convention says: `…/{WIDTH}x{HEIGHT}-{FPS}~{KBPS}` (the last path segment). */
export interface RenditionIdParts {
  width: number;
  height: number;
  frameRate: number;
  kbps: number;
}

/** Parses the rendition convention from the last path segment of a stream id; null when it does not follow it. */
export function parseRenditionId(streamId: string): RenditionIdParts | null {
  const m = /(?:^|\/)(\d{1,5})x(\d{1,5})-(\d{1,3}(?:\.\d{1,3})?)~(\d{1,6})$/.exec(streamId);
  if (!m) return null;
  const [width, height, frameRate, kbps] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  if (!(width > 0 && height > 0 && frameRate > 0 && kbps > 0)) return null;
  return { width, height, frameRate, kbps };
}

/** BANDWIDTH declared for a video bit rate in kbit/s: audio and container overhead included. */
export function bandwidthOf(kbps: number): number {
  return Math.round(kbps * 1000 * 1.1 + 96000);
}

function positiveOr(name: string, value: number | undefined, fallback: number | undefined, what: string): number {
  const v = value ?? fallback;
  if (v === undefined || !(v > 0) || !Number.isFinite(v)) {
    throw new Error(
      `HlsCdnPlayer: option 'renditions': ${what} has no valid '${name}' (give it, or use a stream id ending in {WIDTH}x{HEIGHT}-{FPS}~{KBPS})`,
    );
  }
  return v;
}

/**
 * Validates the `renditions` option (throws an Error naming the bad item) and returns the levels, lowest bandwidth
 * first (the order of hls.js's levels).
 */
export function resolveRenditions(list: ReadonlyArray<string | HlsCdnRenditionOption>, authToken: string): ResolvedRendition[] {
  if (!Array.isArray(list) || list.length === 0) {
    throw new Error("HlsCdnPlayer: option 'renditions' must be a non-empty array of stream ids or { streamId, ... }");
  }
  const seen = new Set<string>();
  const result = list.map((item, i) => {
    const o: HlsCdnRenditionOption = typeof item === "string" ? { streamId: item } : item;
    const what = `item ${i} ('${o?.streamId}')`;
    if (!o || typeof o.streamId !== "string" || o.streamId.length === 0 || o.streamId.length > 255) {
      throw new Error(`HlsCdnPlayer: option 'renditions': item ${i} needs a 'streamId' of 1 to 255 characters`);
    }
    if (seen.has(o.streamId)) throw new Error(`HlsCdnPlayer: option 'renditions': ${what} is listed twice`);
    seen.add(o.streamId);
    const parts = parseRenditionId(o.streamId);
    const width = Math.round(positiveOr("width", o.width, parts?.width, what));
    const height = Math.round(positiveOr("height", o.height, parts?.height, what));
    const frameRate = positiveOr("frameRate", o.frameRate, parts?.frameRate, what);
    const bandwidth = Math.round(positiveOr("bandwidth", o.bandwidth, parts ? bandwidthOf(parts.kbps) : undefined, what));
    return {
      index: 0,
      streamId: o.streamId,
      width,
      height,
      frameRate,
      bandwidth,
      name: o.name ?? `${height}p`,
      authToken: o.authToken ?? authToken,
    };
  });
  result.sort((a, b) => a.bandwidth - b.bandwidth || a.width * a.height - b.width * b.height);
  result.forEach((r, i) => (r.index = i));
  return result;
}
