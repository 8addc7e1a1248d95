import { type ConnectionState } from "./connection";
import { Emitter } from "./emitter";
import { HlsCdnError } from "./errors";
import { type LatencyMode } from "./latency";
import { type PictureClockLayout, type PictureClockReading } from "./picture-clock";
import { type HlsCdnPlayerOptions } from "./options";
import type { HlsCdnLevel } from "./renditions";
/** Live statistics, emitted by the `stats` event and returned by `getStats()`. */
export interface HlsCdnStats {
    /** Connection state. */
    state: ConnectionState;
    /** Seconds between the playhead and the end of the newest fragment received (null before playback). */
    latency: number | null;
    /** Seconds buffered ahead of the playhead. */
    bufferLength: number;
    /**
     * Delay the player aims at behind the newest fragment's end, seconds (null before the first fragment). In the
     * low-latency mode: the margin plus half a fragment (the latency runs from margin to margin + one fragment).
     */
    targetDelay: number | null;
    /** Low-latency mode: media kept buffered when the next fragment becomes playable, seconds (null when `targetDelay` is pinned). */
    margin: number | null;
    /** Spread of the recent fragments' arrival times, seconds (the jitter the margin covers). */
    arrivalJitter: number;
    /** Times playback stalled (the media element waited for data) after it started. */
    stalls: number;
    /**
     * Capture-to-display delay read from the HlsCdn tester's clock burned into the picture on screen, seconds; null
     * when the picture carries no such clock (or the `pictureClock` option is off).
     */
    clockDelay: number | null;
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
    /** Level on screen (index in `levels`; 0 for a single stream; -1 before playback of a channel). */
    level: number;
    /** Stream id of the rendition on screen (the stream for a single stream; null before playback of a channel). */
    rendition: string | null;
    /** hls.js's bandwidth estimate of the link, bit/s (null before hls.js runs). */
    bandwidthEstimate: number | null;
    /** Whether hls.js chooses the level by itself (adaptive bitrate); false after a manual choice. */
    autoLevel: boolean;
}
/** A switch of the level on screen (`levelswitched` event). */
export interface HlsCdnLevelSwitch {
    /** The new level (index in `levels`). */
    level: number;
    /** Its rendition. */
    rendition: HlsCdnLevel;
    /** Whether hls.js chose it by itself (adaptive bitrate) or it was chosen manually. */
    auto: boolean;
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
    /** Channel: the level on screen changed (at a fragment boundary). */
    levelswitched: (info: HlsCdnLevelSwitch) => void;
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
    /** The single stream's store and pull (null for a channel). */
    private readonly single;
    /** A channel's levels (null for a single stream). */
    private readonly feeds;
    private readonly timeline;
    /** Channel: the level hls.js loads (its store drives the latency control), and the level on screen. */
    private loadingLevel;
    private playingLevel;
    /** Channel: a manual level chosen before hls.js started (-1: auto). */
    private chosenLevel;
    private idleTimer;
    /** Channel: what level switches do to the jitter margin. */
    private readonly switchMargin;
    /** Channel: ABR is held on the start level until the first fragment is buffered. */
    private holdingAbr;
    private readonly log;
    private video;
    private hls;
    private mode;
    private readonly margin;
    private readonly edge;
    private lastTick;
    private lastCc;
    private lastPlayableAt;
    private playingSince;
    private seekedAt;
    private stalls;
    /** Leading fragments dropped for lacking their declared audio (see skipsLeading). */
    private leadingSkipped;
    private readonly onWaiting;
    private readonly onPlaying;
    private latencyTimer;
    private statsTimer;
    private destroyed;
    constructor(options: HlsCdnPlayerOptions);
    /** The channel's levels, lowest bandwidth first (hls.js's level indexes); empty for a single stream. */
    get levels(): HlsCdnLevel[];
    /** The level on screen (index in `levels`); 0 for a single stream, -1 before a channel plays. */
    get currentLevel(): number;
    /** Whether hls.js picks the level by itself (adaptive bitrate). */
    get autoLevelEnabled(): boolean;
    /**
     * Chooses the level: an index in `levels` plays that rendition from the next fragment boundary on (no flush, no
     * stall) and turns adaptive bitrate off; -1 turns it back on. No effect for a single stream.
     */
    setLevel(level: number): void;
    /** The store that drives playback: the single stream's, or that of the level hls.js loads. */
    private get store();
    /** Creates the pull of a channel's level. Only the loading level's life-cycle events are the player's. */
    private connectFeed;
    private onFeedFragment;
    /** Closes the pulls of levels hls.js stopped using a while ago. */
    private closeIdleFeeds;
    /** Connects and starts pulling the stream. */
    start(): void;
    /** Plays the stream in `media` (before or after `start()`). */
    attachMedia(media: HTMLMediaElement): void;
    /** Stops playing in the attached media element (pulling goes on). */
    detachMedia(): void;
    /** Reads the HlsCdn tester's clock from the frame `video` shows now (capture-to-display delay); null without one. */
    static readPictureClock(video: HTMLVideoElement, layout?: PictureClockLayout): PictureClockReading | null;
    /** Sets the target delay and the seek threshold, seconds (compatible with the original player); leaves the low-latency mode. */
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
    /**
     * Whether to drop a fragment that would be the first one hls.js sees but lacks the audio its program declares (an
     * encoder's first segment often ends before its first audio packet): hls.js would set up a video-only SourceBuffer
     * and fail for good on the next fragment ("unsupported transition between video and audio,video"). At most
     * {@link MAX_LEADING_SKIPPED} are dropped, so a stream that declares audio but never sends any still plays.
     */
    private skipsLeading;
    /** Starts hls.js once there is both a media element and a first fragment. */
    private createHls;
    private onHlsError;
    /** A fragment's media [start, start + duration) was appended and can play. */
    private onFragmentPlayable;
    /**
     * Channel: switches down at once when playback starves or the loading level's fragment is slower than real time
     * while it is still in transfer (see {@link emergencySwitch}); in auto mode only. The jitter margin goes back to
     * what it was before the slow transfer (see {@link LevelSwitchMargin}).
     */
    private checkTransfer;
    /** The media element ran out of data while playing. */
    private onStall;
    private controlLatency;
    /** Low-latency mode: bring the slack before each fragment to the jitter margin by playback rate. */
    private controlLowLatency;
    private seek;
    private readClock;
    /** Seconds from the playhead to the end of the newest fragment received, or null. */
    private latency;
    private fragmentDuration;
    /** No pinned target delay: play at the live edge with the jitter margin. */
    private get lowLatency();
    private targetDelay;
    private setRate;
}
