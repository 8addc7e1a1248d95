import { type ConnectionState } from "./connection";
import { Emitter } from "./emitter";
import { HlsCdnError } from "./errors";
import { type LatencyMode } from "./latency";
import { type HlsCdnPlayerOptions } from "./options";
/** Live statistics, emitted by the `stats` event and returned by `getStats()`. */
export interface HlsCdnStats {
    /** Connection state. */
    state: ConnectionState;
    /** Seconds between the playhead and the end of the newest fragment received (null before playback). */
    latency: number | null;
    /** Seconds buffered ahead of the playhead. */
    bufferLength: number;
    /** Delay the player aims at, seconds (null before the first fragment). */
    targetDelay: number | null;
    /** Current playback rate set by the latency controller (0 while re-buffering). */
    playbackRate: number;
    /** Latency controller mode. */
    mode: LatencyMode;
    /** Fragments received over all connections (re-sent duplicates included). */
    fragmentsReceived: number;
    /** Fragment bytes received over all connections. */
    bytesReceived: number;
    /** Reconnect attempts so far. */
    reconnects: number;
}
/** Fragment accepted into the playlist. */
export interface HlsCdnFragmentInfo {
    sn: number;
    duration: number;
    bytes: number;
    discontinuity: boolean;
}
export type HlsCdnPlayerEvents = {
    /** An error; `error.fatal` tells whether the player stopped. */
    error: (error: HlsCdnError) => void;
    /** The player stopped pulling for good (stream ended, fatal error). Not emitted by `destroy()`. */
    close: () => void;
    /** The stream ended (the node sent `CLOSE` after fragments). Playback runs on to the last fragment. */
    ended: () => void;
    /** The node does not have the stream (yet); retried while `waitForStream` is true. */
    notfound: () => void;
    /** The connection state changed. */
    state: (state: ConnectionState) => void;
    /** A new fragment entered the playlist. */
    fragment: (fragment: HlsCdnFragmentInfo) => void;
    /** Periodic statistics (every `statsInterval` ms once started). */
    stats: (stats: HlsCdnStats) => void;
};
/**
 * Plays a live stream of an HlsCdn / hls-websocket-cdn node in a media element.
 *
 * Fragments pulled over the WebSocket are held in memory and served to hls.js through custom
 * playlist and fragment loaders; a latency controller keeps playback close to the live edge.
 */
export declare class HlsCdnPlayer extends Emitter<HlsCdnPlayerEvents> {
    /** True when the browser has Media Source Extensions with H.264/AAC (required). */
    static isSupported(): boolean;
    private readonly options;
    private readonly store;
    private readonly connection;
    private readonly log;
    private video;
    private hls;
    private mode;
    private latencyTimer;
    private statsTimer;
    private destroyed;
    constructor(options: HlsCdnPlayerOptions);
    /** Connects and starts pulling the stream. */
    start(): void;
    /** Plays the stream in `media` (before or after `start()`). */
    attachMedia(media: HTMLMediaElement): void;
    /** Stops playing in the attached media element (pulling goes on). */
    detachMedia(): void;
    /** Sets the target delay and the seek threshold, seconds (compatible with the original player). */
    setDelayOptions(delay: number, maxDelay?: number): void;
    /** Alias of `on` (name used by the original player). */
    addEventListener<K extends keyof HlsCdnPlayerEvents>(event: K, handler: HlsCdnPlayerEvents[K]): void;
    /** Alias of `off` (name used by the original player). */
    removeEventListener<K extends keyof HlsCdnPlayerEvents>(event: K, handler: HlsCdnPlayerEvents[K]): void;
    /** The current statistics. */
    getStats(): HlsCdnStats;
    /** Stops everything and releases the socket, hls.js and the media element. No event follows. */
    destroy(): void;
    private onFragment;
    /** Starts hls.js once there is both a media element and a first fragment. */
    private createHls;
    private onHlsError;
    private controlLatency;
    /** Seconds from the playhead to the end of the newest fragment received, or null. */
    private latency;
    private fragmentDuration;
    private targetDelay;
    private setRate;
}
