import Hls, { type ErrorData } from "hls.js";
import { PullConnection, type ConnectionState, type ReceivedFragment } from "./connection";
import { Emitter } from "./emitter";
import { HlsCdnError } from "./errors";
import { FragmentStore } from "./fragment-store";
import { JitterMargin } from "./jitter-margin";
import { bufferAround, decide, STARVED_BUFFER, type LatencyMode } from "./latency";
import { LiveEdgeController } from "./live-edge";
import { readPictureClock, type PictureClockLayout, type PictureClockReading } from "./picture-clock";
import { createStoreLoaders } from "./loaders";
import { resolveOptions, type HlsCdnPlayerOptions, type ResolvedOptions } from "./options";
import { PLAYLIST_URL } from "./playlist";

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

const LATENCY_TICK_MS = 250;
/** Default seek threshold, in fragment durations beyond the target delay. */
const DEFAULT_MAX_EXTRA_FRAGMENTS = 4;
const HAVE_METADATA = 1;
/** A fragment playable within this fraction of a fragment duration after the previous one came in a burst. */
const BURST_FRACTION = 0.25;

/**
 * Plays a live stream of an HlsCdn / hls-websocket-cdn node in a media element.
 *
 * Fragments pulled over the WebSocket are held in memory and served to hls.js through custom
 * playlist and fragment loaders; a latency controller keeps playback close to the live edge.
 */
export class HlsCdnPlayer extends Emitter<HlsCdnPlayerEvents> {
  /** True when the browser has Media Source Extensions with H.264/AAC (required). */
  static isSupported(): boolean {
    return Hls.isSupported();
  }

  private readonly options: ResolvedOptions;
  private readonly store: FragmentStore;
  private readonly connection: PullConnection;
  private readonly log: (message: string) => void;
  private video: HTMLMediaElement | null = null;
  private hls: Hls | null = null;
  private mode: LatencyMode = "normal";
  private readonly margin: JitterMargin;
  private readonly edge: LiveEdgeController;
  private lastTick: number | null = null;
  private lastCc: number | null = null;
  private lastPlayableAt: number | null = null;
  private playingSince: number | null = null;
  private seekedAt = -Infinity;
  private stalls = 0;
  private readonly onWaiting = () => this.onStall();
  private readonly onPlaying = () => {
    this.playingSince ??= performance.now();
  };
  private latencyTimer: ReturnType<typeof setInterval> | null = null;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private destroyed = false;

  constructor(options: HlsCdnPlayerOptions) {
    super();
    this.options = resolveOptions(options);
    this.margin = new JitterMargin({ min: this.options.minMargin, max: Math.max(this.options.minMargin, this.options.maxMargin), window: 12, shrinkRate: 0.01 });
    this.edge = new LiveEdgeController(this.options.catchUpRate - 1);
    this.log = this.options.debug ? (m) => console.debug(`[HlsCdnPlayer] ${m}`) : () => undefined;
    this.store = new FragmentStore(this.options.playlistWindow);
    this.connection = new PullConnection({ ...this.options, log: this.log });
    this.connection.on("fragment", (f) => this.onFragment(f));
    this.connection.on("state", (s) => this.emit("state", s));
    this.connection.on("error", (e) => this.emit("error", e));
    this.connection.on("notfound", () => this.emit("notfound"));
    this.connection.on("ended", () => {
      if (!this.options.reconnectOnEnd) this.store.end();
      this.emit("ended");
    });
    this.connection.on("close", () => this.emit("close"));
  }

  /** Connects and starts pulling the stream. */
  start(): void {
    if (this.destroyed) throw new Error("HlsCdnPlayer: start() after destroy()");
    if (this.statsTimer === null) {
      this.statsTimer = setInterval(() => this.emit("stats", this.getStats()), this.options.statsInterval);
    }
    this.connection.start();
  }

  /** Plays the stream in `media` (before or after `start()`). */
  attachMedia(media: HTMLMediaElement): void {
    if (this.destroyed) throw new Error("HlsCdnPlayer: attachMedia() after destroy()");
    if (this.video === media) return;
    this.detachMedia();
    this.video = media;
    this.createHls();
  }

  /** Stops playing in the attached media element (pulling goes on). */
  detachMedia(): void {
    this.hls?.destroy();
    this.hls = null;
    this.video?.removeEventListener("waiting", this.onWaiting);
    this.video?.removeEventListener("playing", this.onPlaying);
    this.playingSince = null;
    this.lastTick = null;
    if (this.latencyTimer !== null) clearInterval(this.latencyTimer);
    this.latencyTimer = null;
    if (this.video) this.setRate(this.video, 1);
    this.video = null;
    this.mode = "normal";
  }

  /** Reads the HlsCdn tester's clock from the frame `video` shows now (capture-to-display delay); null without one. */
  static readPictureClock(video: HTMLVideoElement, layout?: PictureClockLayout): PictureClockReading | null {
    return readPictureClock(video, layout);
  }

  /** Sets the target delay and the seek threshold, seconds (compatible with the original player); leaves the low-latency mode. */
  setDelayOptions(delay: number, maxDelay?: number): void {
    if (!(delay > 0)) throw new Error(`HlsCdnPlayer: delay must be > 0, got ${delay}`);
    this.options.targetDelay = delay;
    this.options.maxDelay = Math.max(delay, maxDelay ?? delay + DEFAULT_MAX_EXTRA_FRAGMENTS * this.fragmentDuration());
  }

  /** Alias of `on` (name used by the original player). */
  addEventListener<K extends keyof HlsCdnPlayerEvents>(event: K, handler: HlsCdnPlayerEvents[K]): void {
    this.on(event, handler);
  }

  /** Alias of `off` (name used by the original player). */
  removeEventListener<K extends keyof HlsCdnPlayerEvents>(event: K, handler: HlsCdnPlayerEvents[K]): void {
    this.off(event, handler);
  }

  /** The current statistics. */
  getStats(): HlsCdnStats {
    const video = this.video;
    const latency = this.latency();
    return {
      state: this.connection.state,
      latency: latency === null ? null : round3(latency),
      bufferLength: video ? round3(bufferAround(video.buffered, video.currentTime).ahead) : 0,
      targetDelay: this.store.lastSn < 0 ? null : round3(this.targetDelay()),
      margin: this.lowLatency ? round3(this.margin.value) : null,
      arrivalJitter: round3(this.margin.spread),
      stalls: this.stalls,
      clockDelay: this.readClock(),
      playbackRate: video ? video.playbackRate : 1,
      mode: this.mode,
      fragmentsReceived: this.connection.counters.fragments,
      bytesReceived: this.connection.counters.bytes,
      reconnects: this.connection.counters.reconnects,
    };
  }

  /** Stops everything and releases the socket, hls.js and the media element. No event follows. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.removeAllListeners();
    this.connection.destroy();
    this.detachMedia();
    if (this.statsTimer !== null) clearInterval(this.statsTimer);
    this.statsTimer = null;
  }

  private onFragment(received: ReceivedFragment): void {
    const fragment = this.store.add(received.duration, new Uint8Array(received.data), received.session);
    if (!fragment) {
      this.log(`skipped a re-sent fragment (${received.data.byteLength} bytes)`);
      return;
    }
    const { sn, duration, discontinuity } = fragment;
    this.emit("fragment", { sn, duration, bytes: fragment.data.byteLength, discontinuity });
    this.createHls();
  }

  /** Starts hls.js once there is both a media element and a first fragment. */
  private createHls(): void {
    const video = this.video;
    if (this.hls || !video || this.store.lastSn < 0) return;
    const { pLoader, fLoader } = createStoreLoaders(this.store);
    const hls = new Hls({
      ...this.options.hlsConfig,
      pLoader,
      fLoader,
      // Low-latency mode: start one fragment plus twice the margin behind the newest fragment's end; the controller
      // then trims the excess by playback rate.
      liveSyncDuration: this.lowLatency ? this.fragmentDuration() + 2 * this.margin.value : this.targetDelay(),
      maxLiveSyncPlaybackRate: 1,
      liveDurationInfinity: true,
      // With the playlist's CAN-BLOCK-RELOAD, hls.js re-requests the playlist at once after each update (the loader
      // holds the request until the next fragment): each fragment is loaded as soon as it arrives. No parts are
      // listed, so nothing else of LL-HLS applies.
      lowLatencyMode: true,
    });
    hls.on(Hls.Events.ERROR, (_event, data) => this.onHlsError(hls, data));
    hls.on(Hls.Events.FRAG_BUFFERED, (_event, data) => {
      if (data.frag.type === "main") this.onFragmentPlayable(data.frag.start, data.frag.duration, data.frag.cc);
    });
    video.addEventListener("waiting", this.onWaiting);
    video.addEventListener("playing", this.onPlaying);
    hls.attachMedia(video);
    hls.loadSource(PLAYLIST_URL);
    this.hls = hls;
    this.latencyTimer = setInterval(() => this.controlLatency(), LATENCY_TICK_MS);
  }

  private onHlsError(hls: Hls, data: ErrorData): void {
    this.log(`hls.js ${data.fatal ? "fatal " : ""}error ${data.type}/${data.details}`);
    if (!data.fatal) return;
    if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
      hls.startLoad();
    } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
      hls.recoverMediaError();
    } else {
      this.emit("error", new HlsCdnError("media", `playback failed: ${data.details}`, true));
      this.detachMedia();
    }
  }

  /** A fragment's media [start, start + duration) was appended and can play. */
  private onFragmentPlayable(start: number, duration: number, cc: number): void {
    if (this.lastCc !== null && cc !== this.lastCc) {
      this.margin.resetArrivals();
      this.edge.reset();
    }
    this.lastCc = cc;
    const video = this.video;
    // Before playback the node's buffered fragments arrive in a burst: their spacing says nothing about jitter.
    if (!video || this.playingSince === null || video.paused || video.seeking) return;
    const now = performance.now() / 1000;
    // Nor does a fragment appended right behind the previous one (hls.js catching up with fragments already held).
    const burst = this.lastPlayableAt !== null && now - this.lastPlayableAt < BURST_FRACTION * duration;
    this.lastPlayableAt = now;
    if (!burst) this.margin.arrived(now, start + duration, duration);
    this.edge.fragment(start - video.currentTime, !burst);
  }

  /** The media element ran out of data while playing. */
  private onStall(): void {
    const video = this.video;
    if (!video || this.playingSince === null || video.seeking || this.store.ended) return;
    if (performance.now() - this.seekedAt < 1000) return;
    this.stalls++;
    if (this.lowLatency) this.margin.stalled();
    this.log(`stalled at ${video.currentTime.toFixed(2)} s; margin now ${this.margin.value.toFixed(3)} s`);
  }

  private controlLatency(): void {
    const video = this.video;
    if (!video || video.readyState < HAVE_METADATA) return;
    const now = performance.now();
    if (this.lastTick !== null && !video.paused) this.edge.played(video.playbackRate, (now - this.lastTick) / 1000);
    this.lastTick = now;
    if (this.lowLatency) {
      this.controlLowLatency(video);
      return;
    }
    const { ahead, gap } = bufferAround(video.buffered, video.currentTime);
    const targetDelay = this.targetDelay();
    const fragmentDuration = this.fragmentDuration();
    const decision = decide(
      { latency: this.latency(), bufferAhead: ahead, gap, ended: this.store.ended, paused: video.paused },
      {
        targetDelay,
        maxDelay: this.options.maxDelay ?? targetDelay + DEFAULT_MAX_EXTRA_FRAGMENTS * fragmentDuration,
        catchUpRate: this.options.catchUpRate,
        fragmentDuration,
      },
      this.mode,
    );
    if (decision.mode !== this.mode) this.log(`latency controller: ${decision.mode}`);
    this.mode = decision.mode;
    this.setRate(video, decision.playbackRate);
    if (decision.seekBy !== undefined) this.seek(video, decision.seekBy);
  }

  /** Low-latency mode: bring the slack before each fragment to the jitter margin by playback rate. */
  private controlLowLatency(video: HTMLMediaElement): void {
    if (this.store.ended || video.paused) {
      this.mode = "normal";
      this.setRate(video, 1);
      return;
    }
    const { ahead, gap } = bufferAround(video.buffered, video.currentTime);
    if (ahead < STARVED_BUFFER && gap) {
      this.seek(video, gap.offset);
      return;
    }
    const margin = this.margin.value;
    const fragmentDuration = this.fragmentDuration();
    const maxExcess = Math.max(fragmentDuration, (this.options.maxDelay ?? margin + (DEFAULT_MAX_EXTRA_FRAGMENTS + 1) * fragmentDuration) - margin - fragmentDuration);
    const decision = this.edge.decide(margin, maxExcess);
    const mode: LatencyMode = decision.playbackRate > 1 ? "catchup" : "normal";
    if (mode !== this.mode) this.log(`latency controller: ${mode} (excess ${this.edge.excess(margin)?.toFixed(3)} s, margin ${margin.toFixed(3)} s)`);
    this.mode = mode;
    this.setRate(video, decision.playbackRate);
    if (decision.seekBy !== undefined) this.seek(video, decision.seekBy);
  }

  private seek(video: HTMLMediaElement, by: number): void {
    this.log(`seeking ${by.toFixed(2)} s ahead`);
    this.seekedAt = performance.now();
    video.currentTime += by;
    this.edge.jumped(by);
  }

  private readClock(): number | null {
    const video = this.video;
    if (!this.options.pictureClock || !video || video.readyState < 2 || !("videoWidth" in video)) return null;
    const reading: PictureClockReading | null = readPictureClock(video as HTMLVideoElement);
    return reading ? round3(reading.delayMs / 1000) : null;
  }

  /** Seconds from the playhead to the end of the newest fragment received, or null. */
  private latency(): number | null {
    const video = this.video;
    const details = this.hls?.levels[0]?.details;
    if (!video || !details || video.readyState < HAVE_METADATA) return null;
    return details.edge + this.store.durationAfter(details.endSN) - video.currentTime;
  }

  private fragmentDuration(): number {
    return this.store.typicalFragmentDuration || 1;
  }

  /** No pinned target delay: play at the live edge with the jitter margin. */
  private get lowLatency(): boolean {
    return this.options.targetDelay === undefined;
  }

  private targetDelay(): number {
    return this.options.targetDelay ?? this.margin.value + this.fragmentDuration() / 2;
  }

  private setRate(video: HTMLMediaElement, rate: number): void {
    if (video.playbackRate === rate) return;
    try {
      video.playbackRate = rate;
    } catch (e) {
      this.log(`cannot set playbackRate ${rate}: ${(e as Error).message}`);
    }
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
