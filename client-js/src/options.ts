import type { HlsConfig } from "hls.js";
import type { WebSocketFactory } from "./socket";
import { browserWebSocket } from "./socket";
import { resolveRenditions, type HlsCdnRenditionOption, type ResolvedRendition } from "./renditions";

/** Options of {@link HlsCdnPlayer}. Only `cdnServerUrl` and `streamId` are required. */
export interface HlsCdnPlayerOptions {
  /** `ws://` or `wss://` URL of a CDN node. */
  cdnServerUrl: string;
  /** Stream to pull. With `renditions` it may be omitted. */
  streamId: string;
  /**
   * A channel of renditions (adaptive bitrate): their stream ids (`…/{WIDTH}x{HEIGHT}-{FPS}~{KBPS}`), or objects with
   * a stream id and explicit properties. The player plays them as one hls.js multivariant presentation, one level per
   * rendition, each fed by its own pull opened when hls.js first needs the level. `streamId` is then ignored.
   */
  renditions?: ReadonlyArray<string | HlsCdnRenditionOption>;
  /** Channel: the level to start with (index in `levels`, lowest bandwidth first). Default 0 (the lowest: starts fastest). */
  startLevel?: number;
  /** Channel: close a level's pull this many ms after hls.js last asked for it (a switch to another level closes it at once). Default 4000. */
  renditionIdleTimeout?: number;
  /** Pull token (JWT, `sub` = `PULL:{streamId}`); empty when the node checks none. Default `""`. */
  authToken?: string;
  /** Ask the node for at most this many buffered fragments on (re)connect. Default: all it holds. */
  maxInitialFragments?: number;
  /** Milliseconds to wait for the socket to open and answer `OK`. Default 30000. */
  timeout?: number;
  /** Log protocol and player activity to the console. Default false. */
  debug?: boolean;
  /** Keep retrying (with backoff) while the node answers "not found" (`OK` then `CLOSE`). Default true. */
  waitForStream?: boolean;
  /** After the stream ended (`CLOSE`), keep reconnecting to wait for it to start again. Default false. */
  reconnectOnEnd?: boolean;
  /** First reconnect delay in ms; doubles per consecutive failure. Default 500. */
  reconnectDelay?: number;
  /** Upper bound of the reconnect delay in ms. Default 10000. */
  maxReconnectDelay?: number;
  /** Consecutive failed attempts before giving up with a fatal error. Default Infinity. */
  maxReconnectAttempts?: number;
  /**
   * Pins the delay behind the newest fragment's end, seconds. Default: none, the low-latency mode: each fragment plays
   * as soon as it is appended, with a margin of buffered media derived from the measured arrival jitter (see
   * `minMargin`, `maxMargin`).
   */
  targetDelay?: number;
  /** Beyond this delay (seconds) the player seeks forward. Default target (or margin) + 4 × fragment duration. */
  maxDelay?: number;
  /**
   * Fastest playback rate used to catch up (the low-latency mode also slows down to as little as `2 - catchUpRate`
   * to rebuild its margin instead of stalling). Default 1.1.
   */
  catchUpRate?: number;
  /** Low-latency mode: smallest margin of buffered media when the next fragment becomes playable, seconds. Default 0.1. */
  minMargin?: number;
  /** Low-latency mode: largest margin, seconds. Default 3. */
  maxMargin?: number;
  /** Read the HlsCdn tester's picture clock for the `clockDelay` statistic (one pixel row per stats tick). Default true. */
  pictureClock?: boolean;
  /** Fragments kept in memory and listed in the synthesised playlist. Default 10. */
  playlistWindow?: number;
  /** Interval of the `stats` event in ms. Default 1000. */
  statsInterval?: number;
  /** Extra hls.js configuration (the loaders and live-sync settings are set by the player). */
  hlsConfig?: Partial<HlsConfig>;
  /** Creates the WebSocket (tests inject a fake). Default: the browser `WebSocket`. */
  webSocketFactory?: WebSocketFactory;
}

/** Options with defaults applied. */
export type ResolvedOptions = Required<Omit<HlsCdnPlayerOptions, "maxInitialFragments" | "targetDelay" | "maxDelay" | "renditions">> &
  Pick<HlsCdnPlayerOptions, "maxInitialFragments" | "targetDelay" | "maxDelay"> & {
    /** The channel's levels, lowest bandwidth first; null for a single stream. */
    renditions: ResolvedRendition[] | null;
  };

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value > 0) || value === Infinity) {
    throw new Error(`HlsCdnPlayer: option '${name}' must be a positive number, got ${value}`);
  }
  return value;
}

function nonNegativeCount(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(Number.isInteger(value) && value >= 0) && value !== Infinity) {
    throw new Error(`HlsCdnPlayer: option '${name}' must be an integer >= 0 or Infinity, got ${value}`);
  }
  return value;
}

function playlistWindow(value: number | undefined): number {
  if (value === undefined) return 10;
  if (!(Number.isInteger(value) && value >= 2)) {
    throw new Error(`HlsCdnPlayer: option 'playlistWindow' must be an integer >= 2, got ${value}`);
  }
  return value;
}

function catchUpRate(value: number | undefined): number {
  if (value === undefined) return 1.1;
  if (!(value > 1 && value <= 2)) {
    throw new Error(`HlsCdnPlayer: option 'catchUpRate' must be above 1 and at most 2, got ${value}`);
  }
  return value;
}

function startLevel(value: number | undefined, renditions: ResolvedRendition[] | null): number {
  if (value === undefined) return 0;
  const count = renditions?.length ?? 1;
  if (!(Number.isInteger(value) && value >= 0 && value < count)) {
    throw new Error(`HlsCdnPlayer: option 'startLevel' must be an integer from 0 to ${count - 1}, got ${value}`);
  }
  return value;
}

/** Validates the options and fills in the defaults; throws an Error naming the bad option. */
export function resolveOptions(o: HlsCdnPlayerOptions): ResolvedOptions {
  if (!o || typeof o.cdnServerUrl !== "string" || !/^wss?:\/\//i.test(o.cdnServerUrl)) {
    throw new Error(`HlsCdnPlayer: option 'cdnServerUrl' must be a ws:// or wss:// URL, got '${o?.cdnServerUrl}'`);
  }
  const renditions = o?.renditions === undefined ? null : resolveRenditions(o.renditions, o.authToken ?? "");
  const streamId = renditions && o.streamId === undefined ? renditions[renditions.length - 1]!.streamId : o.streamId;
  if (typeof streamId !== "string" || streamId.length === 0 || streamId.length > 255) {
    throw new Error("HlsCdnPlayer: option 'streamId' must be a non-empty string of at most 255 characters");
  }
  if (o.minMargin !== undefined && o.maxMargin !== undefined && o.minMargin > o.maxMargin) {
    throw new Error(`HlsCdnPlayer: option 'minMargin' (${o.minMargin}) must not exceed 'maxMargin' (${o.maxMargin})`);
  }
  const mif = o.maxInitialFragments;
  if (mif !== undefined && !(Number.isInteger(mif) && mif >= 0)) {
    throw new Error(`HlsCdnPlayer: option 'maxInitialFragments' must be an integer >= 0, got ${mif}`);
  }
  return {
    cdnServerUrl: o.cdnServerUrl,
    streamId,
    renditions,
    startLevel: startLevel(o.startLevel, renditions),
    renditionIdleTimeout: positive("renditionIdleTimeout", o.renditionIdleTimeout, 4000),
    authToken: o.authToken ?? "",
    maxInitialFragments: o.maxInitialFragments,
    timeout: positive("timeout", o.timeout, 30000),
    debug: o.debug ?? false,
    waitForStream: o.waitForStream ?? true,
    reconnectOnEnd: o.reconnectOnEnd ?? false,
    reconnectDelay: positive("reconnectDelay", o.reconnectDelay, 500),
    maxReconnectDelay: positive("maxReconnectDelay", o.maxReconnectDelay, 10000),
    maxReconnectAttempts: nonNegativeCount("maxReconnectAttempts", o.maxReconnectAttempts, Infinity),
    targetDelay: o.targetDelay === undefined ? undefined : positive("targetDelay", o.targetDelay, 0),
    maxDelay: o.maxDelay === undefined ? undefined : positive("maxDelay", o.maxDelay, 0),
    catchUpRate: catchUpRate(o.catchUpRate),
    minMargin: positive("minMargin", o.minMargin, 0.1),
    maxMargin: positive("maxMargin", o.maxMargin, 3),
    pictureClock: o.pictureClock ?? true,
    playlistWindow: playlistWindow(o.playlistWindow),
    statsInterval: positive("statsInterval", o.statsInterval, 1000),
    hlsConfig: o.hlsConfig ?? {},
    webSocketFactory: o.webSocketFactory ?? browserWebSocket,
  };
}
