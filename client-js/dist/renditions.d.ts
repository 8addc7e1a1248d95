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
export declare function parseRenditionId(streamId: string): RenditionIdParts | null;
/** BANDWIDTH declared for a video bit rate in kbit/s: audio and container overhead included. */
export declare function bandwidthOf(kbps: number): number;
/**
 * Validates the `renditions` option (throws an Error naming the bad item) and returns the levels, lowest bandwidth
 * first (the order of hls.js's levels).
 */
export declare function resolveRenditions(list: ReadonlyArray<string | HlsCdnRenditionOption>, authToken: string): ResolvedRendition[];
