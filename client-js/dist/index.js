/* @hlscdn/player 0.1.0 (MIT) */

// src/player.ts
import Hls from "hls.js";

// src/backoff.ts
var Backoff = class {
  constructor(initialMs, maxMs, random = Math.random) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.random = random;
    this.failures = 0;
  }
  /** Number of consecutive failures recorded since the last reset. */
  get attempts() {
    return this.failures;
  }
  /** Records a failure and returns how long to wait before the next attempt. */
  next() {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** this.failures);
    this.failures++;
    return Math.round(base * (0.5 + 0.5 * this.random()));
  }
  /** Forgets the failures (call when the stream flows again). */
  reset() {
    this.failures = 0;
  }
};

// src/codec.ts
var MAX_TEXT_MESSAGE_BYTES = 1600;
var TYPE_PATTERN = /^[A-Za-z0-9]+$/;
function decodeComponent(s) {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return null;
  }
}
function parseMessage(text) {
  const colon = text.indexOf(":");
  const type = colon < 0 ? text : text.substring(0, colon);
  if (!TYPE_PATTERN.test(type)) return null;
  const params = /* @__PURE__ */ new Map();
  if (colon >= 0) {
    for (const pair of text.substring(colon + 1).split("&")) {
      if (pair === "") continue;
      const eq = pair.indexOf("=");
      const key = decodeComponent(eq < 0 ? pair : pair.substring(0, eq));
      const value = decodeComponent(eq < 0 ? "" : pair.substring(eq + 1));
      if (key === null || value === null || params.has(key)) continue;
      params.set(key, value);
    }
  }
  return { type: type.toUpperCase(), params };
}
function serializeMessage(type, params) {
  if (!TYPE_PATTERN.test(type)) throw new Error(`invalid message type '${type}'`);
  const parts = [];
  for (const [key, value] of params ?? []) {
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  }
  return parts.length === 0 ? type : `${type}:${parts.join("&")}`;
}
function pullMessage(streamId, authToken, maxInitialFragments) {
  const params = [
    ["stream", streamId],
    ["auth", authToken]
  ];
  if (maxInitialFragments !== void 0) params.push(["max_initial_fragments", String(maxInitialFragments)]);
  return serializeMessage("PULL", params);
}
function utf8Length(text) {
  return new TextEncoder().encode(text).length;
}
function fragmentDuration(message) {
  const raw = message.params.get("duration");
  if (raw === void 0 || raw.trim() === "") return null;
  const duration = Number(raw);
  return Number.isFinite(duration) && duration > 0 ? duration : null;
}

// src/emitter.ts
var Emitter = class {
  constructor() {
    this.listeners = /* @__PURE__ */ new Map();
  }
  /** Adds `handler` for `event`. */
  on(event, handler) {
    const list = this.listeners.get(event) ?? [];
    list.push(handler);
    this.listeners.set(event, list);
    return this;
  }
  /** Removes `handler` from `event`; without `handler`, removes every listener of `event`. */
  off(event, handler) {
    const list = this.listeners.get(event);
    if (!list) return this;
    if (handler === void 0) {
      this.listeners.delete(event);
      return this;
    }
    const i = list.indexOf(handler);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.listeners.delete(event);
    return this;
  }
  /** Calls every listener of `event` with `args`, in registration order. */
  emit(event, ...args) {
    const list = this.listeners.get(event);
    if (!list) return;
    for (const handler of [...list]) {
      try {
        handler(...args);
      } catch (e) {
        console.error(`HlsCdnPlayer: '${String(event)}' listener threw`, e);
      }
    }
  }
  /** Removes all listeners of all events. */
  removeAllListeners() {
    this.listeners.clear();
  }
};

// src/errors.ts
var HlsCdnError = class extends Error {
  constructor(kind, message, fatal, code) {
    super(message);
    this.name = "HlsCdnError";
    this.kind = kind;
    this.fatal = fatal;
    this.code = code;
  }
};

// src/connection.ts
var HEARTBEAT_INTERVAL_MS = 3e4;
var RECEIVE_TIMEOUT_MS = 6e4;
var TICK_MS = 1e3;
var TERMINAL = /* @__PURE__ */ new Set(["ended", "failed", "closed"]);
var PullConnection = class extends Emitter {
  constructor(options) {
    super();
    this.options = options;
    this.counters = { fragments: 0, bytes: 0, reconnects: 0 };
    this.currentState = "idle";
    this.socket = null;
    this.session = 0;
    this.sessionFragments = 0;
    this.pendingDuration = null;
    this.lastReceivedAt = 0;
    this.lastSentAt = 0;
    this.tickTimer = null;
    this.connectTimer = null;
    this.reconnectTimer = null;
    this.backoff = new Backoff(options.reconnectDelay, options.maxReconnectDelay, options.random);
    this.pull = pullMessage(options.streamId, options.authToken, options.maxInitialFragments);
  }
  get state() {
    return this.currentState;
  }
  /** Starts pulling. Only the first call has an effect. */
  start() {
    if (this.currentState !== "idle") return;
    if (utf8Length(this.pull) > MAX_TEXT_MESSAGE_BYTES) {
      this.finish("failed", new HlsCdnError("protocol", `PULL message exceeds ${MAX_TEXT_MESSAGE_BYTES} bytes (stream id or token too long)`, true));
      return;
    }
    this.tickTimer = setInterval(() => this.tick(), TICK_MS);
    this.connect();
  }
  /** Stops for good and releases the socket and timers. */
  destroy() {
    if (!TERMINAL.has(this.currentState)) this.finish("closed");
  }
  connect() {
    this.setState("connecting");
    this.pendingDuration = null;
    this.connectTimer = setTimeout(() => {
      this.connectTimer = null;
      this.drop(new HlsCdnError("timeout", `no OK from ${this.options.cdnServerUrl} within ${this.options.timeout} ms`, false));
    }, this.options.timeout);
    let socket;
    try {
      socket = this.options.webSocketFactory(this.options.cdnServerUrl);
    } catch (e) {
      this.drop(new HlsCdnError("network", `cannot connect to ${this.options.cdnServerUrl}: ${e.message}`, false));
      return;
    }
    socket.binaryType = "arraybuffer";
    socket.onopen = () => this.onOpen();
    socket.onmessage = (ev) => this.onMessage(ev.data);
    socket.onclose = (ev) => this.onSocketClosed(ev.code);
    socket.onerror = () => this.options.log("socket error (a close follows)");
    this.socket = socket;
  }
  onOpen() {
    this.lastReceivedAt = Date.now();
    this.setState("pulling");
    this.send(this.pull);
  }
  send(text) {
    if (!this.socket) return;
    try {
      this.socket.send(text);
      this.lastSentAt = Date.now();
    } catch (e) {
      this.drop(new HlsCdnError("network", `send failed: ${e.message}`, false));
    }
  }
  onMessage(data) {
    this.lastReceivedAt = Date.now();
    if (typeof data === "string") this.onText(data);
    else if (data instanceof ArrayBuffer) this.onBinary(data);
    else this.protocolError("unsupported message data (expected text or ArrayBuffer)");
  }
  onText(text) {
    const message = parseMessage(text);
    if (!message) {
      this.protocolError(`malformed text message '${text.slice(0, 64)}'`);
      return;
    }
    switch (message.type) {
      case "H":
        return;
      case "OK":
        if (this.currentState !== "pulling") return this.protocolError("unexpected OK");
        this.clearConnectTimer();
        this.session++;
        this.sessionFragments = 0;
        this.setState("streaming");
        return;
      case "F":
        return this.onFragmentHeader(message);
      case "CLOSE":
        return this.onStreamClosed();
      case "E":
        return this.onServerError(message);
      default:
        this.options.log(`ignoring message type ${message.type}`);
    }
  }
  onFragmentHeader(message) {
    if (this.currentState !== "streaming") return this.protocolError("F before OK");
    if (this.pendingDuration !== null) return this.protocolError("F while the previous fragment is still expected");
    const duration = fragmentDuration(message);
    if (duration === null) return this.protocolError(`F without a valid duration: '${message.params.get("duration") ?? ""}'`);
    this.pendingDuration = duration;
  }
  onBinary(data) {
    if (this.pendingDuration === null) return this.protocolError("binary message without a preceding F");
    if (data.byteLength === 0) return this.protocolError("empty binary message");
    const duration = this.pendingDuration;
    this.pendingDuration = null;
    this.sessionFragments++;
    this.counters.fragments++;
    this.counters.bytes += data.byteLength;
    this.backoff.reset();
    this.emit("fragment", { duration, data, session: this.session });
  }
  onStreamClosed() {
    this.closeSocket();
    if (this.sessionFragments === 0) {
      this.options.log(`stream '${this.options.streamId}' not found`);
      this.emit("notfound");
      if (this.options.waitForStream) this.scheduleReconnect();
      else this.finish("failed", new HlsCdnError("notfound", `stream '${this.options.streamId}' not found`, true));
      return;
    }
    this.options.log(`stream '${this.options.streamId}' ended`);
    this.emit("ended");
    if (this.options.reconnectOnEnd) this.scheduleReconnect();
    else this.finish("ended");
  }
  onServerError(message) {
    const code = message.params.get("code") ?? "UNKNOWN";
    const text = message.params.get("message") ?? "";
    const fatal = code === "AUTH_ERROR" || code === "PROTOCOL_ERROR";
    const error = new HlsCdnError(code === "AUTH_ERROR" ? "auth" : "server", `server error ${code}${text ? `: ${text}` : ""}`, fatal, code);
    if (fatal) this.finish("failed", error);
    else this.drop(error);
  }
  onSocketClosed(code) {
    this.socket = null;
    this.drop(new HlsCdnError("network", `connection to ${this.options.cdnServerUrl} closed (code ${code ?? "none"})`, false));
  }
  tick() {
    if (!this.socket || this.currentState !== "pulling" && this.currentState !== "streaming") return;
    const now = Date.now();
    if (now - this.lastReceivedAt >= RECEIVE_TIMEOUT_MS) {
      this.drop(new HlsCdnError("timeout", `nothing received for ${RECEIVE_TIMEOUT_MS / 1e3} s`, false));
    } else if (now - this.lastSentAt >= HEARTBEAT_INTERVAL_MS) {
      this.send(serializeMessage("H"));
    }
  }
  protocolError(message) {
    this.drop(new HlsCdnError("protocol", `protocol error: ${message}`, false));
  }
  /** Ends the current attempt after a recoverable error and schedules the next one. */
  drop(error) {
    if (TERMINAL.has(this.currentState)) return;
    this.closeSocket();
    this.emit("error", error);
    this.scheduleReconnect();
  }
  scheduleReconnect() {
    if (TERMINAL.has(this.currentState)) return;
    if (this.backoff.attempts >= this.options.maxReconnectAttempts) {
      this.finish("failed", new HlsCdnError("network", `gave up after ${this.backoff.attempts} failed reconnect attempts`, true));
      return;
    }
    const delay = this.backoff.next();
    this.options.log(`reconnecting in ${delay} ms`);
    this.setState("reconnecting");
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.counters.reconnects++;
      this.connect();
    }, delay);
  }
  finish(state, error) {
    this.closeSocket();
    if (this.tickTimer !== null) clearInterval(this.tickTimer);
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.tickTimer = this.reconnectTimer = null;
    if (error) this.emit("error", error);
    this.setState(state);
    this.emit("close");
  }
  closeSocket() {
    this.clearConnectTimer();
    this.pendingDuration = null;
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close();
    } catch {
    }
  }
  clearConnectTimer() {
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    this.connectTimer = null;
  }
  setState(state) {
    if (state === this.currentState) return;
    this.currentState = state;
    this.options.log(`state ${state}`);
    this.emit("state", state);
  }
};

// src/fragment-store.ts
var HISTORY_LENGTH = 128;
function fingerprint(data) {
  let hash = 2166136261;
  for (let i = 0; i < data.length; i++) hash = Math.imul(hash ^ data[i], 16777619);
  return `${data.length}:${(hash >>> 0).toString(16)}`;
}
var FragmentStore = class {
  constructor(windowSize) {
    this.windowSize = windowSize;
    this.fragments = [];
    /** Fingerprint → sequence number of the last fragments received. */
    this.history = /* @__PURE__ */ new Map();
    this.nextSn = 0;
    this.session = null;
    /** In a new session, still skipping fragments we already hold. */
    this.resyncing = false;
    /** In a new session, the last skipped fragment was the newest one received. */
    this.resyncContiguous = false;
    this.removedDiscontinuities = 0;
    this.maxDuration = 0;
    this.isEnded = false;
    this.changeListeners = [];
  }
  /** Adds a fragment; returns it, or `null` when it is a re-sent copy of one already held. */
  add(duration, data, session) {
    const newSession = this.session !== null && session !== this.session;
    this.session = session;
    if (newSession) {
      this.resyncing = true;
      this.resyncContiguous = false;
    }
    const key = fingerprint(data);
    if (this.resyncing) {
      const sn = this.history.get(key);
      if (sn !== void 0) {
        this.resyncContiguous = sn === this.lastSn;
        return null;
      }
    }
    const discontinuity = this.resyncing && !this.resyncContiguous && this.nextSn > 0;
    this.resyncing = false;
    const fragment = { sn: this.nextSn++, duration, data, discontinuity };
    this.fragments.push(fragment);
    this.history.set(key, fragment.sn);
    if (this.history.size > HISTORY_LENGTH) this.history.delete(this.history.keys().next().value);
    this.maxDuration = Math.max(this.maxDuration, duration);
    while (this.fragments.length > this.windowSize) {
      if (this.fragments.shift().discontinuity) this.removedDiscontinuities++;
    }
    this.changed();
    return fragment;
  }
  /** Marks the stream as ended (the playlist gets `#EXT-X-ENDLIST`). */
  end() {
    if (this.isEnded) return;
    this.isEnded = true;
    this.changed();
  }
  get ended() {
    return this.isEnded;
  }
  /** The fragment with media sequence number `sn`, if still in the window. */
  get(sn) {
    const first = this.fragments[0];
    return first ? this.fragments[sn - first.sn] : void 0;
  }
  /** The fragments in the window, oldest first. */
  get window() {
    return this.fragments;
  }
  /** Sequence number of the newest fragment, -1 when none. */
  get lastSn() {
    return this.nextSn - 1;
  }
  /** Longest fragment duration seen (the playlist's target duration is its ceiling). */
  get maxFragmentDuration() {
    return this.maxDuration;
  }
  /** Median duration of the fragments in the window (0 when none): a first fragment of odd length does not skew it. */
  get typicalFragmentDuration() {
    if (this.fragments.length === 0) return 0;
    const sorted = this.fragments.map((f) => f.duration).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
  }
  /** Number of discontinuities that slid out of the window (`#EXT-X-DISCONTINUITY-SEQUENCE`). */
  get discontinuitySequence() {
    return this.removedDiscontinuities;
  }
  /** Total duration of the held fragments with a sequence number above `sn`. */
  durationAfter(sn) {
    let total = 0;
    for (const f of this.fragments) if (f.sn > sn) total += f.duration;
    return total;
  }
  /** Calls `listener` at the next change (new fragment or end), once. Returns a canceller. */
  onceChanged(listener) {
    this.changeListeners.push(listener);
    return () => {
      this.changeListeners = this.changeListeners.filter((l) => l !== listener);
    };
  }
  changed() {
    const listeners = this.changeListeners;
    this.changeListeners = [];
    for (const l of listeners) l();
  }
};

// src/jitter-margin.ts
var MIN_ARRIVALS = 3;
var DEFAULT_JITTER_MARGIN = { min: 0.1, max: 3, window: 12, shrinkRate: 0.01 };
var JitterMargin = class {
  constructor(settings = DEFAULT_JITTER_MARGIN) {
    this.settings = settings;
    this.offsets = [];
    this.current = settings.min;
  }
  /** The margin in use, seconds. */
  get value() {
    return this.current;
  }
  /**
   * Spread (latest - earliest) of the recent arrival offsets, seconds; 0 before three arrivals. Every arrival counts:
   * a single late one (an encoder hiccup) is exactly what would stall playback.
   */
  get spread() {
    if (this.offsets.length < MIN_ARRIVALS) return 0;
    return Math.max(...this.offsets) - Math.min(...this.offsets);
  }
  /**
   * A fragment of `duration` seconds ending at media time `end` became playable at wall-clock time `now`
   * (seconds, any fixed origin).
   */
  arrived(now, end, duration) {
    this.offsets.push(now - end);
    if (this.offsets.length > this.settings.window) this.offsets.shift();
    const wanted = this.clamp(this.settings.min + this.spread);
    this.current = wanted >= this.current ? wanted : Math.max(wanted, this.current - this.settings.shrinkRate * duration);
  }
  /** Playback stalled: widen the margin by half (at least 0.1 s). */
  stalled() {
    this.current = this.clamp(this.current + Math.max(0.1, this.current / 2));
  }
  /** The timeline jumped (reconnect, discontinuity): forget the arrival history, keep the margin. */
  resetArrivals() {
    this.offsets = [];
  }
  clamp(x) {
    return Math.min(this.settings.max, Math.max(this.settings.min, x));
  }
};

// src/latency.ts
var STARVED_BUFFER = 0.1;
function decide(sample, targets, mode) {
  const { latency, bufferAhead, gap, ended, paused } = sample;
  if (ended) return { mode: "normal", playbackRate: 1 };
  if (mode === "rebuffering") {
    const refill = Math.min(targets.targetDelay, targets.fragmentDuration * 2) - 0.05;
    if (bufferAhead >= refill) return { mode: "normal", playbackRate: 1 };
    if (gap && gap.length >= refill) return { mode: "normal", playbackRate: 1, seekBy: gap.offset };
    return { mode, playbackRate: 0 };
  }
  if (paused || latency === null) return { mode: "normal", playbackRate: 1 };
  if (bufferAhead < STARVED_BUFFER) return { mode: "rebuffering", playbackRate: 0 };
  if (latency > targets.maxDelay) {
    return { mode: "normal", playbackRate: 1, seekBy: latency - targets.targetDelay };
  }
  const behind = latency - targets.targetDelay;
  if (behind > targets.fragmentDuration || mode === "catchup" && behind > 0) {
    return { mode: "catchup", playbackRate: targets.catchUpRate };
  }
  return { mode: "normal", playbackRate: 1 };
}
var IN_RANGE_TOLERANCE = 0.1;
function bufferAround(ranges, time) {
  let ahead = 0;
  for (let i = 0; i < ranges.length; i++) {
    const start = ranges.start(i);
    const end = ranges.end(i);
    if (start <= time + IN_RANGE_TOLERANCE && time < end) ahead = end - time;
    else if (start > time + IN_RANGE_TOLERANCE && end > start) {
      return { ahead, gap: { offset: start - time, length: end - start } };
    }
  }
  return { ahead, gap: null };
}

// src/live-edge.ts
var START_TRIM_ARRIVALS = 3;
var LiveEdgeController = class {
  /**
   * @param maxRateChange largest deviation of the playback rate from 1 (0.1: between 0.9 and 1.1).
   * @param window fragments whose slack is considered.
   * @param deadband excess (either sign) that is left alone, seconds.
   */
  constructor(maxRateChange, window = 4, deadband = 0.03) {
    this.maxRateChange = maxRateChange;
    this.window = window;
    this.deadband = deadband;
    this.slacks = [];
    this.gained = 0;
    this.liveArrivals = 0;
    this.trimmed = false;
  }
  /**
   * A fragment became playable with `slack` seconds of media still ahead of the playhead before it; `live` unless it
   * was appended in a burst right behind the previous one (fragments the node held, not the live edge).
   */
  fragment(slack, live = true) {
    this.slacks.push({ slack, gained: this.gained });
    if (this.slacks.length > this.window) this.slacks.shift();
    if (live) this.liveArrivals++;
  }
  /** Playback ran at `rate` for `seconds` of wall time. */
  played(rate, seconds) {
    if (seconds > 0 && rate > 0) this.gained += (rate - 1) * seconds;
  }
  /** The playhead jumped by `seconds` (a seek): the recorded slacks shrink by as much. */
  jumped(seconds) {
    this.gained += seconds;
  }
  /** Forget the history (new timeline); the next live arrivals trim the start again. */
  reset() {
    this.slacks = [];
    this.liveArrivals = 0;
    this.trimmed = false;
  }
  /**
   * Excess delay over `margin`, seconds (null before the first fragment): the median of the recent slacks (each
   * corrected by the catch-up since) minus the margin. The margin already covers the spread of the arrivals around
   * the typical one, so the slack it is held against is the typical arrival's, not the latest's (which would count
   * the jitter twice); the median also keeps one early or late fragment from moving playback.
   */
  excess(margin) {
    if (this.slacks.length === 0) return null;
    const corrected = this.slacks.map((s) => s.slack - (this.gained - s.gained)).sort((a, b) => a - b);
    const middle = corrected.length >> 1;
    const median = corrected.length % 2 === 1 ? corrected[middle] : (corrected[middle - 1] + corrected[middle]) / 2;
    return median - margin;
  }
  /** The rate (and possibly a seek) that brings the slack to `margin`. */
  decide(margin, maxExcess) {
    const excess = this.excess(margin);
    if (excess === null) return { playbackRate: 1 };
    if (!this.trimmed && this.liveArrivals >= START_TRIM_ARRIVALS) {
      this.trimmed = true;
      if (excess > this.deadband) return { playbackRate: 1, seekBy: excess };
    }
    if (Math.abs(excess) <= this.deadband) return { playbackRate: 1 };
    if (excess > maxExcess) return { playbackRate: 1, seekBy: excess };
    const change = Math.max(-this.maxRateChange, Math.min(this.maxRateChange, excess / 2));
    const minimal = Math.sign(change) * Math.max(Math.abs(change), 0.02);
    return { playbackRate: round3(1 + Math.max(-this.maxRateChange, Math.min(this.maxRateChange, minimal))) };
  }
};
function round3(x) {
  return Math.round(x * 1e3) / 1e3;
}

// src/picture-clock.ts
var TESTER_CLOCK_LAYOUT = { firstBoxX: 8, boxPitch: 22, boxSize: 18, stripHeight: 38, dataBits: 27 };
var DAY_MS = 864e5;
function luma(data, x) {
  const i = x * 4;
  return 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
}
function decodeClockRow(row, width, layout = TESTER_CLOCK_LAYOUT) {
  const centre = (i) => layout.firstBoxX + i * layout.boxPitch + Math.floor(layout.boxSize / 2);
  if (width < layout.firstBoxX * 2 + (layout.dataBits + 1) * layout.boxPitch) return null;
  if (luma(row, centre(layout.dataBits)) < 128 || luma(row, 2) > 96 || luma(row, width - 4) > 96) return null;
  let value = 0;
  for (let bit = 0; bit < layout.dataBits; bit++) {
    if (luma(row, centre(bit)) >= 128) value += 2 ** bit;
  }
  return value < DAY_MS ? value : null;
}
function clockDelay(burnedMs, nowMs) {
  let delay = ((nowMs % DAY_MS - burnedMs) % DAY_MS + DAY_MS) % DAY_MS;
  if (delay > DAY_MS / 2) delay -= DAY_MS;
  return delay;
}
var canvas = null;
function readPictureClock(video, layout = TESTER_CLOCK_LAYOUT) {
  const w = video.videoWidth;
  const h = video.videoHeight;
  if (!w || !h || typeof document === "undefined") return null;
  canvas ?? (canvas = document.createElement("canvas"));
  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (!context) return null;
  try {
    canvas.width = w;
    canvas.height = 1;
    const y = Math.floor(h - layout.stripHeight / 2);
    context.drawImage(video, 0, y, w, 1, 0, 0, w, 1);
    const nowMs = Date.now();
    const burnedMs = decodeClockRow(context.getImageData(0, 0, w, 1).data, w, layout);
    if (burnedMs === null) return null;
    const delayMs = clockDelay(burnedMs, nowMs);
    return delayMs > -5e3 && delayMs < 6e5 ? { burnedMs, nowMs, delayMs } : null;
  } catch {
    return null;
  }
}

// src/playlist.ts
var PLAYLIST_URL = "hlscdn://live/playlist.m3u8";
var FRAGMENT_URL_PREFIX = "hlscdn://live/fragment/";
function fragmentUrl(sn) {
  return `${FRAGMENT_URL_PREFIX}${sn}.ts`;
}
function isPlaylistUrl(url) {
  return url === PLAYLIST_URL || url.startsWith(`${PLAYLIST_URL}?`);
}
function fragmentSnFromUrl(url) {
  if (!url.startsWith(FRAGMENT_URL_PREFIX)) return null;
  const m = /^(\d+)\.ts$/.exec(url.substring(FRAGMENT_URL_PREFIX.length));
  return m ? Number(m[1]) : null;
}
function formatDuration(seconds) {
  return String(Math.round(seconds * 1e6) / 1e6);
}
function renderPlaylist(store) {
  const window = store.window;
  const lines = [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    `#EXT-X-TARGETDURATION:${Math.max(1, Math.ceil(store.maxFragmentDuration))}`,
    // Blocking reload: with it (and lowLatencyMode) hls.js asks for the next playlist as soon as it has one, instead
    // of on a timer of one target duration whose phase against the arrivals is arbitrary (0 to 1 fragment of delay).
    "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES",
    `#EXT-X-MEDIA-SEQUENCE:${window.length > 0 ? window[0].sn : 0}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${store.discontinuitySequence}`
  ];
  for (const f of window) {
    if (f.discontinuity) lines.push("#EXT-X-DISCONTINUITY");
    lines.push(`#EXTINF:${formatDuration(f.duration)},`, fragmentUrl(f.sn));
  }
  if (store.ended) lines.push("#EXT-X-ENDLIST");
  return lines.join("\n") + "\n";
}

// src/loaders.ts
function newStats() {
  return {
    aborted: false,
    loaded: 0,
    retry: 0,
    total: 0,
    chunkCount: 0,
    bwEstimate: 0,
    loading: { start: 0, first: 0, end: 0 },
    parsing: { start: 0, end: 0 },
    buffering: { start: 0, first: 0, end: 0 }
  };
}
var MemoryLoader = class {
  constructor() {
    this.context = null;
    this.stats = newStats();
    this.callbacks = null;
    this.timer = null;
    this.cancelWait = null;
  }
  load(context, _config, callbacks) {
    this.release();
    this.context = context;
    this.callbacks = callbacks;
    this.stats = newStats();
    this.stats.loading.start = performance.now();
    this.start(context);
  }
  abort() {
    const callbacks = this.callbacks;
    const context = this.context;
    this.release();
    if (!callbacks || !context) return;
    this.stats.aborted = true;
    callbacks.onAbort?.(this.stats, context, null);
  }
  destroy() {
    this.release();
    this.context = null;
  }
  /** Answers on the next macrotask with what `produce` returns: data, or an error. */
  answerLater(produce) {
    this.clearWait();
    this.timer = setTimeout(() => {
      this.timer = null;
      const callbacks = this.callbacks;
      const context = this.context;
      if (!callbacks || !context) return;
      this.callbacks = null;
      const result = produce();
      const now = performance.now();
      if ("data" in result) {
        const size = typeof result.data === "string" ? result.data.length : result.data.byteLength;
        this.stats.loaded = this.stats.total = size;
        this.stats.chunkCount = 1;
        this.stats.loading.first = this.stats.loading.end = now;
        callbacks.onSuccess({ url: context.url, data: result.data, code: 200 }, this.stats, context, null);
      } else {
        this.stats.loading.end = now;
        callbacks.onError({ code: result.code, text: result.text }, context, null, this.stats);
      }
    }, 0);
  }
  /** Runs `then` when `subscribe` fires or after `maxWaitMs`, whichever comes first. */
  waitFor(subscribe, maxWaitMs, then) {
    this.cancelWait = subscribe(then);
    this.timer = setTimeout(then, maxWaitMs);
  }
  clearWait() {
    this.cancelWait?.();
    this.cancelWait = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
  release() {
    this.clearWait();
    this.callbacks = null;
  }
};
function createStoreLoaders(store) {
  const served = { sn: -1, ended: false };
  class PlaylistLoader extends MemoryLoader {
    start(context) {
      if (!isPlaylistUrl(context.url)) {
        this.answerLater(() => ({ code: 404, text: `unknown playlist ${context.url}` }));
        return;
      }
      const answer = () => this.answerLater(() => {
        served.sn = store.lastSn;
        served.ended = store.ended;
        return { data: renderPlaylist(store) };
      });
      const fresh = store.lastSn !== served.sn || store.ended !== served.ended;
      if (fresh && store.lastSn >= 0) answer();
      else this.waitFor((l) => store.onceChanged(l), Math.max(1, Math.ceil(store.maxFragmentDuration)) * 1e3, answer);
    }
  }
  class FragmentLoader extends MemoryLoader {
    start(context) {
      this.answerLater(() => {
        const sn = fragmentSnFromUrl(context.url);
        const fragment = sn === null ? void 0 : store.get(sn);
        if (!fragment) return { code: 404, text: `fragment ${context.url} is not held (left the window)` };
        return { data: fragment.data.slice().buffer };
      });
    }
  }
  return { pLoader: PlaylistLoader, fLoader: FragmentLoader };
}

// src/socket.ts
var browserWebSocket = (url) => {
  if (typeof WebSocket === "undefined") throw new Error("WebSocket is not available in this environment");
  return new WebSocket(url);
};

// src/options.ts
function positive(name, value, fallback) {
  if (value === void 0) return fallback;
  if (!(value > 0) || value === Infinity) {
    throw new Error(`HlsCdnPlayer: option '${name}' must be a positive number, got ${value}`);
  }
  return value;
}
function nonNegativeCount(name, value, fallback) {
  if (value === void 0) return fallback;
  if (!(Number.isInteger(value) && value >= 0) && value !== Infinity) {
    throw new Error(`HlsCdnPlayer: option '${name}' must be an integer >= 0 or Infinity, got ${value}`);
  }
  return value;
}
function playlistWindow(value) {
  if (value === void 0) return 10;
  if (!(Number.isInteger(value) && value >= 2)) {
    throw new Error(`HlsCdnPlayer: option 'playlistWindow' must be an integer >= 2, got ${value}`);
  }
  return value;
}
function catchUpRate(value) {
  if (value === void 0) return 1.1;
  if (!(value > 1 && value <= 2)) {
    throw new Error(`HlsCdnPlayer: option 'catchUpRate' must be above 1 and at most 2, got ${value}`);
  }
  return value;
}
function resolveOptions(o) {
  if (!o || typeof o.cdnServerUrl !== "string" || !/^wss?:\/\//i.test(o.cdnServerUrl)) {
    throw new Error(`HlsCdnPlayer: option 'cdnServerUrl' must be a ws:// or wss:// URL, got '${o?.cdnServerUrl}'`);
  }
  if (typeof o.streamId !== "string" || o.streamId.length === 0 || o.streamId.length > 255) {
    throw new Error("HlsCdnPlayer: option 'streamId' must be a non-empty string of at most 255 characters");
  }
  if (o.minMargin !== void 0 && o.maxMargin !== void 0 && o.minMargin > o.maxMargin) {
    throw new Error(`HlsCdnPlayer: option 'minMargin' (${o.minMargin}) must not exceed 'maxMargin' (${o.maxMargin})`);
  }
  const mif = o.maxInitialFragments;
  if (mif !== void 0 && !(Number.isInteger(mif) && mif >= 0)) {
    throw new Error(`HlsCdnPlayer: option 'maxInitialFragments' must be an integer >= 0, got ${mif}`);
  }
  return {
    cdnServerUrl: o.cdnServerUrl,
    streamId: o.streamId,
    authToken: o.authToken ?? "",
    maxInitialFragments: o.maxInitialFragments,
    timeout: positive("timeout", o.timeout, 3e4),
    debug: o.debug ?? false,
    waitForStream: o.waitForStream ?? true,
    reconnectOnEnd: o.reconnectOnEnd ?? false,
    reconnectDelay: positive("reconnectDelay", o.reconnectDelay, 500),
    maxReconnectDelay: positive("maxReconnectDelay", o.maxReconnectDelay, 1e4),
    maxReconnectAttempts: nonNegativeCount("maxReconnectAttempts", o.maxReconnectAttempts, Infinity),
    targetDelay: o.targetDelay === void 0 ? void 0 : positive("targetDelay", o.targetDelay, 0),
    maxDelay: o.maxDelay === void 0 ? void 0 : positive("maxDelay", o.maxDelay, 0),
    catchUpRate: catchUpRate(o.catchUpRate),
    minMargin: positive("minMargin", o.minMargin, 0.1),
    maxMargin: positive("maxMargin", o.maxMargin, 3),
    pictureClock: o.pictureClock ?? true,
    playlistWindow: playlistWindow(o.playlistWindow),
    statsInterval: positive("statsInterval", o.statsInterval, 1e3),
    hlsConfig: o.hlsConfig ?? {},
    webSocketFactory: o.webSocketFactory ?? browserWebSocket
  };
}

// src/player.ts
var LATENCY_TICK_MS = 250;
var DEFAULT_MAX_EXTRA_FRAGMENTS = 4;
var HAVE_METADATA = 1;
var BURST_FRACTION = 0.25;
var HlsCdnPlayer = class extends Emitter {
  constructor(options) {
    super();
    this.video = null;
    this.hls = null;
    this.mode = "normal";
    this.lastTick = null;
    this.lastCc = null;
    this.lastPlayableAt = null;
    this.playingSince = null;
    this.seekedAt = -Infinity;
    this.stalls = 0;
    this.onWaiting = () => this.onStall();
    this.onPlaying = () => {
      this.playingSince ?? (this.playingSince = performance.now());
    };
    this.latencyTimer = null;
    this.statsTimer = null;
    this.destroyed = false;
    this.options = resolveOptions(options);
    this.margin = new JitterMargin({ min: this.options.minMargin, max: Math.max(this.options.minMargin, this.options.maxMargin), window: 12, shrinkRate: 0.01 });
    this.edge = new LiveEdgeController(this.options.catchUpRate - 1);
    this.log = this.options.debug ? (m) => console.debug(`[HlsCdnPlayer] ${m}`) : () => void 0;
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
  /** True when the browser has Media Source Extensions with H.264/AAC (required). */
  static isSupported() {
    return Hls.isSupported();
  }
  /** Connects and starts pulling the stream. */
  start() {
    if (this.destroyed) throw new Error("HlsCdnPlayer: start() after destroy()");
    if (this.statsTimer === null) {
      this.statsTimer = setInterval(() => this.emit("stats", this.getStats()), this.options.statsInterval);
    }
    this.connection.start();
  }
  /** Plays the stream in `media` (before or after `start()`). */
  attachMedia(media) {
    if (this.destroyed) throw new Error("HlsCdnPlayer: attachMedia() after destroy()");
    if (this.video === media) return;
    this.detachMedia();
    this.video = media;
    this.createHls();
  }
  /** Stops playing in the attached media element (pulling goes on). */
  detachMedia() {
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
  static readPictureClock(video, layout) {
    return readPictureClock(video, layout);
  }
  /** Sets the target delay and the seek threshold, seconds (compatible with the original player); leaves the low-latency mode. */
  setDelayOptions(delay, maxDelay) {
    if (!(delay > 0)) throw new Error(`HlsCdnPlayer: delay must be > 0, got ${delay}`);
    this.options.targetDelay = delay;
    this.options.maxDelay = Math.max(delay, maxDelay ?? delay + DEFAULT_MAX_EXTRA_FRAGMENTS * this.fragmentDuration());
  }
  /** Alias of `on` (name used by the original player). */
  addEventListener(event, handler) {
    this.on(event, handler);
  }
  /** Alias of `off` (name used by the original player). */
  removeEventListener(event, handler) {
    this.off(event, handler);
  }
  /** The current statistics. */
  getStats() {
    const video = this.video;
    const latency = this.latency();
    return {
      state: this.connection.state,
      latency: latency === null ? null : round32(latency),
      bufferLength: video ? round32(bufferAround(video.buffered, video.currentTime).ahead) : 0,
      targetDelay: this.store.lastSn < 0 ? null : round32(this.targetDelay()),
      margin: this.lowLatency ? round32(this.margin.value) : null,
      arrivalJitter: round32(this.margin.spread),
      stalls: this.stalls,
      clockDelay: this.readClock(),
      playbackRate: video ? video.playbackRate : 1,
      mode: this.mode,
      fragmentsReceived: this.connection.counters.fragments,
      bytesReceived: this.connection.counters.bytes,
      reconnects: this.connection.counters.reconnects
    };
  }
  /** Stops everything and releases the socket, hls.js and the media element. No event follows. */
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.removeAllListeners();
    this.connection.destroy();
    this.detachMedia();
    if (this.statsTimer !== null) clearInterval(this.statsTimer);
    this.statsTimer = null;
  }
  onFragment(received) {
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
  createHls() {
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
      lowLatencyMode: true
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
  onHlsError(hls, data) {
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
  onFragmentPlayable(start, duration, cc) {
    if (this.lastCc !== null && cc !== this.lastCc) {
      this.margin.resetArrivals();
      this.edge.reset();
    }
    this.lastCc = cc;
    const video = this.video;
    if (!video || this.playingSince === null || video.paused || video.seeking) return;
    const now = performance.now() / 1e3;
    const burst = this.lastPlayableAt !== null && now - this.lastPlayableAt < BURST_FRACTION * duration;
    this.lastPlayableAt = now;
    if (!burst) this.margin.arrived(now, start + duration, duration);
    this.edge.fragment(start - video.currentTime, !burst);
  }
  /** The media element ran out of data while playing. */
  onStall() {
    const video = this.video;
    if (!video || this.playingSince === null || video.seeking || this.store.ended) return;
    if (performance.now() - this.seekedAt < 1e3) return;
    this.stalls++;
    if (this.lowLatency) this.margin.stalled();
    this.log(`stalled at ${video.currentTime.toFixed(2)} s; margin now ${this.margin.value.toFixed(3)} s`);
  }
  controlLatency() {
    const video = this.video;
    if (!video || video.readyState < HAVE_METADATA) return;
    const now = performance.now();
    if (this.lastTick !== null && !video.paused) this.edge.played(video.playbackRate, (now - this.lastTick) / 1e3);
    this.lastTick = now;
    if (this.lowLatency) {
      this.controlLowLatency(video);
      return;
    }
    const { ahead, gap } = bufferAround(video.buffered, video.currentTime);
    const targetDelay = this.targetDelay();
    const fragmentDuration2 = this.fragmentDuration();
    const decision = decide(
      { latency: this.latency(), bufferAhead: ahead, gap, ended: this.store.ended, paused: video.paused },
      {
        targetDelay,
        maxDelay: this.options.maxDelay ?? targetDelay + DEFAULT_MAX_EXTRA_FRAGMENTS * fragmentDuration2,
        catchUpRate: this.options.catchUpRate,
        fragmentDuration: fragmentDuration2
      },
      this.mode
    );
    if (decision.mode !== this.mode) this.log(`latency controller: ${decision.mode}`);
    this.mode = decision.mode;
    this.setRate(video, decision.playbackRate);
    if (decision.seekBy !== void 0) this.seek(video, decision.seekBy);
  }
  /** Low-latency mode: bring the slack before each fragment to the jitter margin by playback rate. */
  controlLowLatency(video) {
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
    const fragmentDuration2 = this.fragmentDuration();
    const maxExcess = Math.max(fragmentDuration2, (this.options.maxDelay ?? margin + (DEFAULT_MAX_EXTRA_FRAGMENTS + 1) * fragmentDuration2) - margin - fragmentDuration2);
    const decision = this.edge.decide(margin, maxExcess);
    const mode = decision.playbackRate > 1 ? "catchup" : "normal";
    if (mode !== this.mode) this.log(`latency controller: ${mode} (excess ${this.edge.excess(margin)?.toFixed(3)} s, margin ${margin.toFixed(3)} s)`);
    this.mode = mode;
    this.setRate(video, decision.playbackRate);
    if (decision.seekBy !== void 0) this.seek(video, decision.seekBy);
  }
  seek(video, by) {
    this.log(`seeking ${by.toFixed(2)} s ahead`);
    this.seekedAt = performance.now();
    video.currentTime += by;
    this.edge.jumped(by);
  }
  readClock() {
    const video = this.video;
    if (!this.options.pictureClock || !video || video.readyState < 2 || !("videoWidth" in video)) return null;
    const reading = readPictureClock(video);
    return reading ? round32(reading.delayMs / 1e3) : null;
  }
  /** Seconds from the playhead to the end of the newest fragment received, or null. */
  latency() {
    const video = this.video;
    const details = this.hls?.levels[0]?.details;
    if (!video || !details || video.readyState < HAVE_METADATA) return null;
    return details.edge + this.store.durationAfter(details.endSN) - video.currentTime;
  }
  fragmentDuration() {
    return this.store.typicalFragmentDuration || 1;
  }
  /** No pinned target delay: play at the live edge with the jitter margin. */
  get lowLatency() {
    return this.options.targetDelay === void 0;
  }
  targetDelay() {
    return this.options.targetDelay ?? this.margin.value + this.fragmentDuration() / 2;
  }
  setRate(video, rate) {
    if (video.playbackRate === rate) return;
    try {
      video.playbackRate = rate;
    } catch (e) {
      this.log(`cannot set playbackRate ${rate}: ${e.message}`);
    }
  }
};
function round32(x) {
  return Math.round(x * 1e3) / 1e3;
}
export {
  HlsCdnError,
  HlsCdnPlayer,
  TESTER_CLOCK_LAYOUT,
  decodeClockRow,
  parseMessage,
  readPictureClock,
  serializeMessage
};
