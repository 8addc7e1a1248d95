import Hls, { type ErrorData, type HlsConfig } from "hls.js";
import { PullConnection, type ConnectionState, type ReceivedFragment } from "./connection";
import { Emitter } from "./emitter";
import { HlsCdnError } from "./errors";
import { FragmentStore } from "./fragment-store";
import { JitterMargin } from "./jitter-margin";
import { LevelSwitchMargin } from "./level-switch-margin";
import { bufferAround, decide, STARVED_BUFFER, type LatencyMode } from "./latency";
import { LiveEdgeController } from "./live-edge";
import { readPictureClock, type PictureClockLayout, type PictureClockReading } from "./picture-clock";
import { createChannelLoaders, createStoreLoaders } from "./loaders";
import { resolveOptions, type HlsCdnPlayerOptions, type ResolvedOptions } from "./options";
import { MULTIVARIANT_URL, PLAYLIST_URL, renderMultivariant } from "./playlist";
import { ChannelTimeline } from "./channel-timeline";
import { emergencySwitch } from "./emergency-switch";
import { RenditionFeed } from "./rendition-feed";
import type { HlsCdnLevel } from "./renditions";
import { lacksDeclaredAudio } from "./ts-audio";
import { earliestPts } from "./ts-timestamp";

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

const LATENCY_TICK_MS = 250;
/** Channel: how often idle levels' pulls are looked for. */
const IDLE_CHECK_MS = 1000;
/**
 * Channel: fragments asked for when a level's pull opens during playback: the live edge only. After a switch at a
 * fragment boundary hls.js has it already, but it covers a next fragment published while the pull opens; after a
 * switch down in the middle of a transfer it is the very fragment hls.js waits for. One before it would cost the
 * constrained link a whole fragment's transfer before the one that ends the stall.
 */
const SWITCH_INITIAL_FRAGMENTS = 1;
/** Default seek threshold, in fragment durations beyond the target delay. */
const DEFAULT_MAX_EXTRA_FRAGMENTS = 4;
const HAVE_METADATA = 1;
/** Leading fragments without their declared audio dropped at most before hls.js starts anyway. */
const MAX_LEADING_SKIPPED = 3;
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
  /** The single stream's store and pull (null for a channel). */
  private readonly single: { store: FragmentStore; connection: PullConnection } | null = null;
  /** A channel's levels (null for a single stream). */
  private readonly feeds: RenditionFeed[] | null = null;
  private readonly timeline = new ChannelTimeline();
  /** Channel: the level hls.js loads (its store drives the latency control), and the level on screen. */
  private loadingLevel = 0;
  private playingLevel = -1;
  /** Channel: a manual level chosen before hls.js started (-1: auto). */
  private chosenLevel = -1;
  private idleTimer: ReturnType<typeof setInterval> | null = null;
  /** Channel: what level switches do to the jitter margin. */
  private readonly switchMargin: LevelSwitchMargin;
  /** Channel: ABR is held on the start level until the first fragment is buffered. */
  private holdingAbr = false;
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
  /** Leading fragments dropped for lacking their declared audio (see skipsLeading). */
  private leadingSkipped = 0;
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
    this.switchMargin = new LevelSwitchMargin(this.margin, SWITCH_INITIAL_FRAGMENTS);
    this.edge = new LiveEdgeController(this.options.catchUpRate - 1);
    this.log = this.options.debug ? (m) => console.debug(`[HlsCdnPlayer] ${m}`) : () => undefined;
    const renditions = this.options.renditions;
    if (renditions) {
      this.feeds = renditions.map((r) => new RenditionFeed(r, this.options.playlistWindow, (feed, first) => this.connectFeed(feed, first)));
      this.loadingLevel = this.options.startLevel;
      return;
    }
    const store = new FragmentStore(this.options.playlistWindow);
    const connection = new PullConnection({ ...this.options, log: this.log });
    this.single = { store, connection };
    connection.on("fragment", (f) => this.onFragment(f));
    connection.on("state", (s) => this.emit("state", s));
    connection.on("error", (e) => this.emit("error", e));
    connection.on("notfound", () => this.emit("notfound"));
    connection.on("ended", () => {
      if (!this.options.reconnectOnEnd) store.end();
      this.emit("ended");
    });
    connection.on("close", () => this.emit("close"));
  }

  /** The channel's levels, lowest bandwidth first (hls.js's level indexes); empty for a single stream. */
  get levels(): HlsCdnLevel[] {
    return (this.feeds ?? []).map(({ rendition: { authToken: _token, ...level } }) => level);
  }

  /** The level on screen (index in `levels`); 0 for a single stream, -1 before a channel plays. */
  get currentLevel(): number {
    return this.feeds ? this.playingLevel : 0;
  }

  /** Whether hls.js picks the level by itself (adaptive bitrate). */
  get autoLevelEnabled(): boolean {
    return this.chosenLevel < 0;
  }

  /**
   * Chooses the level: an index in `levels` plays that rendition from the next fragment boundary on (no flush, no
   * stall) and turns adaptive bitrate off; -1 turns it back on. No effect for a single stream.
   */
  setLevel(level: number): void {
    const count = this.feeds?.length ?? 0;
    if (!(Number.isInteger(level) && level >= -1 && level < count)) {
      throw new Error(`HlsCdnPlayer: level must be -1 (auto) or an integer from 0 to ${count - 1}, got ${level}`);
    }
    if (!this.feeds) return;
    this.chosenLevel = level;
    this.log(level < 0 ? "level: auto" : `level: ${level} (${this.feeds[level]!.rendition.streamId}) chosen`);
    if (this.hls) this.hls.nextLevel = level;
  }

  /** The store that drives playback: the single stream's, or that of the level hls.js loads. */
  private get store(): FragmentStore {
    return this.single ? this.single.store : this.feeds![this.loadingLevel]!.store;
  }

  /** Creates the pull of a channel's level. Only the loading level's life-cycle events are the player's. */
  private connectFeed(feed: RenditionFeed, first: boolean): PullConnection {
    const r = feed.rendition;
    // A level hls.js switches to needs the fragment at the live edge, not the node's whole buffer (which would compete
    // for the very bandwidth that made hls.js switch).
    const initial = first && r.index === this.options.startLevel ? this.options.maxInitialFragments : Math.min(this.options.maxInitialFragments ?? Infinity, SWITCH_INITIAL_FRAGMENTS);
    const connection = new PullConnection({
      ...this.options,
      streamId: r.streamId,
      authToken: r.authToken,
      maxInitialFragments: initial,
      log: (m) => this.log(`[${r.name}] ${m}`),
    });
    const mine = () => feed.connection === connection && this.loadingLevel === r.index;
    this.log(`level ${r.index} (${r.streamId}): pull opened`);
    connection.on("fragment", (f) => {
      if (feed.connection === connection) this.onFeedFragment(feed, f);
    });
    connection.on("state", (s) => mine() && this.emit("state", s));
    connection.on("error", (e) => feed.connection === connection && this.emit("error", e));
    connection.on("notfound", () => mine() && this.emit("notfound"));
    connection.on("ended", () => {
      if (feed.connection !== connection) return;
      if (!this.options.reconnectOnEnd) feed.store.end();
      if (mine()) this.emit("ended");
    });
    connection.on("close", () => mine() && this.emit("close"));
    return connection;
  }

  private onFeedFragment(feed: RenditionFeed, received: ReceivedFragment): void {
    const data = new Uint8Array(received.data);
    if (this.skipsLeading(data, feed.store)) return;
    const pts = earliestPts(data);
    const place = pts === null ? { sn: feed.store.lastSn + 1, discontinuity: false } : this.timeline.place(pts, received.duration);
    const fragment = feed.store.addAt(place.sn, received.duration, data, place.discontinuity, received.headerAt);
    if (!fragment) return;
    if (feed.rendition.index !== this.loadingLevel) return;
    this.switchMargin.transferred((performance.now() - received.headerAt) / 1000, received.duration);
    const { sn, duration, discontinuity } = fragment;
    this.emit("fragment", { sn, duration, bytes: data.byteLength, discontinuity });
    this.createHls();
  }

  /** Closes the pulls of levels hls.js stopped using a while ago. */
  private closeIdleFeeds(): void {
    if (!this.feeds) return;
    const hls = this.hls;
    const inUse = new Set([this.loadingLevel, this.playingLevel, hls?.loadLevel ?? -1, hls?.nextLoadLevel ?? -1]);
    const now = performance.now();
    for (const feed of this.feeds) {
      if (!feed.connection || inUse.has(feed.rendition.index)) continue;
      if (now - feed.lastUsed < this.options.renditionIdleTimeout) continue;
      this.log(`level ${feed.rendition.index} (${feed.rendition.streamId}): pull closed, unused for ${Math.round(now - feed.lastUsed)} ms`);
      feed.close();
    }
  }

  /** Connects and starts pulling the stream. */
  start(): void {
    if (this.destroyed) throw new Error("HlsCdnPlayer: start() after destroy()");
    if (this.statsTimer === null) {
      this.statsTimer = setInterval(() => this.emit("stats", this.getStats()), this.options.statsInterval);
    }
    if (this.single) {
      this.single.connection.start();
      return;
    }
    this.idleTimer ??= setInterval(() => this.closeIdleFeeds(), IDLE_CHECK_MS);
    this.feeds![this.loadingLevel]!.use(performance.now());
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
    const counters = this.single ? this.single.connection.counters : sumCounters(this.feeds!);
    const playing = this.feeds ? (this.playingLevel >= 0 ? this.feeds[this.playingLevel]!.rendition.streamId : null) : this.options.streamId;
    const estimate = this.hls?.bandwidthEstimate;
    return {
      state: this.single ? this.single.connection.state : this.feeds![this.loadingLevel]!.state,
      latency: latency === null ? null : round3(latency),
      bufferLength: video ? round3(bufferAround(video.buffered, video.currentTime).ahead) : 0,
      targetDelay: this.store.lastSn < 0 ? null : round3(this.targetDelay()),
      margin: this.lowLatency ? round3(this.margin.value) : null,
      arrivalJitter: round3(this.margin.spread),
      stalls: this.stalls,
      clockDelay: this.readClock(),
      playbackRate: video ? video.playbackRate : 1,
      mode: this.mode,
      fragmentsReceived: counters.fragments,
      bytesReceived: counters.bytes,
      reconnects: counters.reconnects,
      level: this.currentLevel,
      rendition: playing,
      bandwidthEstimate: estimate === undefined || !Number.isFinite(estimate) ? null : Math.round(estimate),
      autoLevel: this.autoLevelEnabled,
    };
  }

  /** Stops everything and releases the socket, hls.js and the media element. No event follows. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.removeAllListeners();
    this.single?.connection.destroy();
    for (const feed of this.feeds ?? []) feed.close();
    if (this.idleTimer !== null) clearInterval(this.idleTimer);
    this.idleTimer = null;
    this.detachMedia();
    if (this.statsTimer !== null) clearInterval(this.statsTimer);
    this.statsTimer = null;
  }

  private onFragment(received: ReceivedFragment): void {
    const data = new Uint8Array(received.data);
    if (this.skipsLeading(data, this.store)) return;
    const fragment = this.store.add(received.duration, data, received.session);
    if (!fragment) {
      this.log(`skipped a re-sent fragment (${received.data.byteLength} bytes)`);
      return;
    }
    const { sn, duration, discontinuity } = fragment;
    this.emit("fragment", { sn, duration, bytes: fragment.data.byteLength, discontinuity });
    this.createHls();
  }

  /**
   * Whether to drop a fragment that would be the first one hls.js sees but lacks the audio its program declares (an
   * encoder's first segment often ends before its first audio packet): hls.js would set up a video-only SourceBuffer
   * and fail for good on the next fragment ("unsupported transition between video and audio,video"). At most
   * {@link MAX_LEADING_SKIPPED} are dropped, so a stream that declares audio but never sends any still plays.
   */
  private skipsLeading(data: Uint8Array, store: FragmentStore): boolean {
    if (this.hls || store.lastSn >= 0 || this.leadingSkipped >= MAX_LEADING_SKIPPED || !lacksDeclaredAudio(data)) return false;
    this.leadingSkipped++;
    this.log(`skipped a first fragment without the audio its program declares (${data.byteLength} bytes)`);
    return true;
  }

  /** Starts hls.js once there is both a media element and a first fragment. */
  private createHls(): void {
    const video = this.video;
    if (this.hls || !video || this.store.lastSn < 0) return;
    const feeds = this.feeds;
    const { pLoader, fLoader } = feeds
      ? createChannelLoaders({
          multivariant: () => renderMultivariant(feeds.map((f) => f.rendition)),
          use: (level) => {
            const feed = feeds[level];
            if (!feed) return null;
            if (feed.use(performance.now())) this.log(`level ${level}: hls.js asked for it`);
            return feed.store;
          },
        })
      : createStoreLoaders(this.store);
    const channel: Partial<HlsConfig> = feeds
      ? {
          // Start where the first pull is; hls.js's ABR then moves by the measured throughput (the fragment loader
          // reports each fragment's transfer over the WebSocket) and the buffer.
          startLevel: this.chosenLevel >= 0 ? this.chosenLevel : this.loadingLevel,
          testBandwidth: false,
        }
      : {};
    const hls = new Hls({
      // A channel's bandwidth samples are WebSocket transfers, a few tens of milliseconds each on a good link: hls.js's
      // default half-lives (3 s and 9 s of transfer time) would take half a minute of fragments to notice that a limit
      // was lifted. Shorter ones, which the page's own hlsConfig may override.
      ...(feeds ? { abrEwmaFastLive: 1.5, abrEwmaSlowLive: 4 } : {}),
      ...this.options.hlsConfig,
      ...channel,
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
    if (feeds) {
      hls.on(Hls.Events.MANIFEST_PARSED, () => {
        if (this.chosenLevel >= 0) {
          hls.nextLevel = this.chosenLevel;
        } else {
          // ABR stays on the start level until a first fragment is in the buffer: a switch while the SourceBuffers are
          // being created (hls.js climbs at once on the node's initial burst) left hls.js appending to SourceBuffers
          // that did not exist, and playback stuck for good, on a loaded machine.
          hls.autoLevelCapping = this.loadingLevel;
          this.holdingAbr = true;
        }
      });
      hls.on(Hls.Events.FRAG_BUFFERED, (_event, data) => {
        if (data.frag.type !== "main" || !this.holdingAbr) return;
        this.holdingAbr = false;
        hls.autoLevelCapping = -1;
      });
      hls.on(Hls.Events.LEVEL_SWITCHING, (_event, data) => {
        if (data.level !== this.loadingLevel) {
          this.log(`loading level ${data.level} (${feeds[data.level]?.rendition.streamId})`);
          // Another level's fragments arrive with their own transfer times: their arrival spread starts anew, and the
          // new pull's initial fragments stay out of it (counted, they once widened the margin from 0.1 to 1.5 s).
          // Climbing after a switch down at once restores the margin from before.
          const restored = this.switchMargin.levelSwitched(data.level > this.loadingLevel);
          if (restored !== null) {
            this.log(`margin back to ${restored.toFixed(3)} s from before the switch down`);
            this.edge.reset();
          }
        }
        this.loadingLevel = data.level;
        // Its pull opens now (hls.js may reuse a pending playlist request instead of asking for the level again).
        feeds[data.level]?.use(performance.now());
        // hls.js loads the next fragments from this level only: the other pulls would compete for the very link whose
        // bandwidth made it switch (what they delivered is buffered already or no longer wanted).
        for (const feed of feeds) {
          if (feed.rendition.index === data.level || !feed.connection) continue;
          this.log(`level ${feed.rendition.index} (${feed.rendition.streamId}): pull closed, hls.js switched to level ${data.level}`);
          feed.close();
        }
      });
      hls.on(Hls.Events.LEVEL_SWITCHED, (_event, data) => {
        if (data.level === this.playingLevel) return;
        this.playingLevel = data.level;
        const feed = feeds[data.level];
        if (!feed) return;
        const { authToken: _token, ...rendition } = feed.rendition;
        this.log(`level ${data.level} (${rendition.streamId}) on screen`);
        this.emit("levelswitched", { level: data.level, rendition, auto: hls.autoLevelEnabled });
      });
    }
    video.addEventListener("waiting", this.onWaiting);
    video.addEventListener("playing", this.onPlaying);
    hls.attachMedia(video);
    hls.loadSource(feeds ? MULTIVARIANT_URL : PLAYLIST_URL);
    this.hls = hls;
    this.latencyTimer = setInterval(() => this.controlLatency(), LATENCY_TICK_MS);
  }

  private onHlsError(hls: Hls, data: ErrorData): void {
    const frag = data.frag ? ` (level ${data.frag.level}, fragment ${data.frag.sn})` : "";
    this.log(`hls.js ${data.fatal ? "fatal " : ""}error ${data.type}/${data.details}${frag}${data.error ? `: ${data.error.message}` : ""}`);
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
    let burst = this.lastPlayableAt !== null && now - this.lastPlayableAt < BURST_FRACTION * duration;
    this.lastPlayableAt = now;
    if (this.switchMargin.skipsArrival()) burst = true;
    if (!burst) this.margin.arrived(now, start + duration, duration);
    this.edge.fragment(start - video.currentTime, !burst);
  }

  /**
   * Channel: switches down at once when playback starves or the loading level's fragment is slower than real time
   * while it is still in transfer (see {@link emergencySwitch}); in auto mode only. The jitter margin goes back to
   * what it was before the slow transfer (see {@link LevelSwitchMargin}).
   */
  private checkTransfer(hls: Hls, now: number): void {
    const feeds = this.feeds!;
    const feed = feeds[this.loadingLevel];
    const pending = feed?.connection?.inFlight ?? null;
    const elapsed = pending ? (now - pending.since) / 1000 : 0;
    this.switchMargin.observe(pending ? { elapsed, duration: pending.duration } : null);
    if (!feed || !pending || this.chosenLevel >= 0 || !hls.autoLevelEnabled) return;
    const rates = feeds.map((f) => f.store.bitrate() ?? f.rendition.bandwidth);
    const video = this.video;
    const decision = emergencySwitch({
      bufferAhead: video && this.playingSince !== null && !video.paused ? bufferAround(video.buffered, video.currentTime).ahead : Number.POSITIVE_INFINITY,
      loadingLevel: this.loadingLevel,
      minLevel: hls.minAutoLevel,
      elapsed,
      duration: pending.duration,
      expectedBits: rates[this.loadingLevel]! * pending.duration,
      rates,
    });
    if (!decision) return;
    this.log(
      `level ${this.loadingLevel}: fragment still in transfer after ${elapsed.toFixed(2)} s (${pending.duration} s of media); ` +
        `switching down to level ${decision.level}, bandwidth estimate ${Math.round(decision.estimate / 1000)} kbit/s`,
    );
    this.switchMargin.switchedDownAtOnce();
    // The stall adds delay that rate control would take ~10 s per second to play off: trim it once, as at the start.
    this.edge.reset();
    hls.bandwidthEstimate = decision.estimate;
    hls.nextLoadLevel = decision.level;
  }

  /** The media element ran out of data while playing. */
  private onStall(): void {
    const video = this.video;
    if (!video || this.playingSince === null || video.seeking || this.store.ended) return;
    if (performance.now() - this.seekedAt < 1000) return;
    this.stalls++;
    if (this.lowLatency) this.margin.stalled();
    this.log(`stalled at ${video.currentTime.toFixed(2)} s; margin now ${this.margin.value.toFixed(3)} s`);
    // A channel whose fragment is still coming switches down now rather than at the next tick.
    if (this.feeds && this.hls) this.checkTransfer(this.hls, performance.now());
  }

  private controlLatency(): void {
    const video = this.video;
    if (!video || video.readyState < HAVE_METADATA) return;
    const now = performance.now();
    if (this.lastTick !== null && !video.paused) this.edge.played(video.playbackRate, (now - this.lastTick) / 1000);
    this.lastTick = now;
    if (this.feeds && this.hls) this.checkTransfer(this.hls, now);
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
    const details = this.hls?.levels[this.feeds ? this.loadingLevel : 0]?.details;
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

function sumCounters(feeds: readonly RenditionFeed[]): { fragments: number; bytes: number; reconnects: number } {
  const total = { fragments: 0, bytes: 0, reconnects: 0 };
  for (const f of feeds) {
    const c = f.counters;
    total.fragments += c.fragments;
    total.bytes += c.bytes;
    total.reconnects += c.reconnects;
  }
  return total;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
