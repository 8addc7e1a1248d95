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
    this.pendingSince = 0;
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
  /** The fragment being received: its `F` header came at `since` (`performance.now()`), its bytes not yet; else null. */
  get inFlight() {
    return this.pendingDuration === null ? null : { since: this.pendingSince, duration: this.pendingDuration };
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
    this.pendingSince = performance.now();
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
    this.emit("fragment", { duration, data, session: this.session, headerAt: this.pendingSince });
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
  /** Bit rate of the newest `count` fragments (bits per second of media), or null before any. */
  bitrate(count = 4) {
    const recent = this.fragments.slice(-count);
    const seconds = recent.reduce((sum, f) => sum + f.duration, 0);
    return seconds > 0 ? 8 * recent.reduce((sum, f) => sum + f.data.byteLength, 0) / seconds : null;
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
  /**
   * Adds a fragment under a sequence number given by the caller (a channel's timeline, the same in every rendition).
   * Returns null when `sn` is not above the newest held (a copy re-sent after a reconnect, or late). When `sn` skips
   * numbers, the fragments held so far are let go (a playlist lists consecutive numbers only), so the window restarts
   * at `sn`; hls.js sees its live window move forward.
   */
  addAt(sn, duration, data, discontinuity, transferStart) {
    if (sn <= this.lastSn) return null;
    if (sn > this.nextSn && this.fragments.length > 0) {
      for (const f of this.fragments) if (f.discontinuity) this.removedDiscontinuities++;
      this.fragments.length = 0;
    }
    const fragment = { sn, duration, data, discontinuity: discontinuity && this.nextSn > 0 };
    if (transferStart !== void 0) fragment.transferStart = transferStart;
    this.nextSn = sn + 1;
    this.fragments.push(fragment);
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
  /** Sets the margin back to `value` (clamped) and forgets the arrival history (e.g. after a switch to another level). */
  rewind(value) {
    this.offsets = [];
    this.current = this.clamp(value);
  }
  /** The timeline jumped (reconnect, discontinuity): forget the arrival history, keep the margin. */
  resetArrivals() {
    this.offsets = [];
  }
  clamp(x) {
    return Math.min(this.settings.max, Math.max(this.settings.min, x));
  }
};

// src/level-switch-margin.ts
var SLOW_TRANSFER_SHARE = 0.5;
var LevelSwitchMargin = class {
  /** @param initialFragments fragments a level's pull asks for when it opens during playback. */
  constructor(margin, initialFragments) {
    this.margin = margin;
    this.initialFragments = initialFragments;
    /** The margin while the loading level's fragments came in time; null before the first tick. */
    this.steady = null;
    /** The loading level's last fragment took more than {@link SLOW_TRANSFER_SHARE} of its duration to arrive. */
    this.lastTransferSlow = false;
    /** The steady margin when the last switch down at once happened; restored when hls.js climbs again. */
    this.beforeEpisode = null;
    /** Appended fragments still to leave out of the arrival spread. */
    this.arrivalsToSkip = 0;
  }
  /** A fragment of the loading level arrived, `transfer` seconds after its header, for `duration` seconds of media. */
  transferred(transfer, duration) {
    this.lastTransferSlow = transfer > SLOW_TRANSFER_SHARE * duration;
  }
  /**
   * Notes the margin as steady while transfers are in time: the last one was, and the fragment in transfer (if any,
   * `elapsed` seconds so far of `duration`) is not slow yet.
   */
  observe(pending) {
    if (this.lastTransferSlow) return;
    if (pending && pending.elapsed >= SLOW_TRANSFER_SHARE * pending.duration) return;
    this.steady = this.margin.value;
  }
  /** The player switched down at once: the margin goes back to the steady one, which the next climb restores. */
  switchedDownAtOnce() {
    if (this.steady !== null) this.margin.rewind(this.steady);
    this.beforeEpisode ?? (this.beforeEpisode = this.steady);
  }
  /**
   * hls.js switched to another level (`up`: a higher one). Returns the margin restored from before a switch down at
   * once (a climb after that episode), else null (the arrival spread starts anew).
   */
  levelSwitched(up) {
    const restored = up ? this.beforeEpisode : null;
    if (restored !== null) {
      this.margin.rewind(restored);
      this.beforeEpisode = null;
    } else {
      this.margin.resetArrivals();
    }
    this.lastTransferSlow = false;
    this.arrivalsToSkip = this.initialFragments;
    return restored;
  }
  /** Whether an appended fragment's arrival stays out of the spread (one of a new pull's initial fragments). */
  skipsArrival() {
    if (this.arrivalsToSkip === 0) return false;
    this.arrivalsToSkip--;
    return true;
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
var MULTIVARIANT_URL = "hlscdn://live/channel.m3u8";
var LEVEL_URL_PREFIX = "hlscdn://live/level/";
function levelPlaylistUrl(index) {
  return `${LEVEL_URL_PREFIX}${index}/playlist.m3u8`;
}
function levelFragmentUrl(index, sn) {
  return `${LEVEL_URL_PREFIX}${index}/fragment/${sn}.ts`;
}
function parseLevelUrl(url) {
  if (!url.startsWith(LEVEL_URL_PREFIX)) return null;
  const m = /^(\d+)\/(?:playlist\.m3u8(?:\?.*)?|fragment\/(\d+)\.ts)$/.exec(url.substring(LEVEL_URL_PREFIX.length));
  if (!m) return null;
  return { level: Number(m[1]), sn: m[2] === void 0 ? null : Number(m[2]) };
}
function renderMultivariant(levels) {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-INDEPENDENT-SEGMENTS"];
  levels.forEach((l, i) => {
    const name = l.name.replace(/["\r\n]/g, "'");
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${l.bandwidth},RESOLUTION=${l.width}x${l.height},FRAME-RATE=${l.frameRate.toFixed(3)},NAME="${name}"`,
      levelPlaylistUrl(i)
    );
  });
  return lines.join("\n") + "\n";
}
function renderPlaylist(store, urlOf = fragmentUrl) {
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
    lines.push(`#EXTINF:${formatDuration(f.duration)},`, urlOf(f.sn));
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
    Object.assign(this.stats, newStats());
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
        if (result.transferStart !== void 0 && result.transferStart < this.stats.loading.start) {
          this.stats.loading.start = this.stats.loading.first = result.transferStart;
        }
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
  class PlaylistLoader extends PlaylistMemoryLoader {
    start(context) {
      if (!isPlaylistUrl(context.url)) {
        this.answerLater(() => ({ code: 404, text: `unknown playlist ${context.url}` }));
        return;
      }
      this.answerMediaPlaylist(store, served, fragmentUrl);
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
var PlaylistMemoryLoader = class extends MemoryLoader {
  /**
   * Answers a media playlist request: at once when a fragment arrived (or the stream ended) since the previous answer,
   * else when that happens, for at most one target duration (a blocking reload).
   */
  answerMediaPlaylist(store, served, urlOf) {
    const answer = () => this.answerLater(() => {
      served.sn = store.lastSn;
      served.ended = store.ended;
      return { data: renderPlaylist(store, urlOf) };
    });
    const fresh = store.lastSn !== served.sn || store.ended !== served.ended;
    if (fresh && store.lastSn >= 0) answer();
    else this.waitFor((l) => store.onceChanged(l), Math.max(1, Math.ceil(store.maxFragmentDuration || 1)) * 1e3, answer);
  }
};
function createChannelLoaders(levels) {
  const served = /* @__PURE__ */ new Map();
  class PlaylistLoader extends PlaylistMemoryLoader {
    start(context) {
      if (context.url === MULTIVARIANT_URL) {
        this.answerLater(() => ({ data: levels.multivariant() }));
        return;
      }
      const parsed = parseLevelUrl(context.url);
      const store = parsed && parsed.sn === null ? levels.use(parsed.level) : null;
      if (!parsed || !store) {
        this.answerLater(() => ({ code: 404, text: `unknown playlist ${context.url}` }));
        return;
      }
      let s = served.get(parsed.level);
      if (!s) served.set(parsed.level, s = { sn: -1, ended: false });
      this.answerMediaPlaylist(store, s, (sn) => levelFragmentUrl(parsed.level, sn));
    }
  }
  class FragmentLoader extends MemoryLoader {
    start(context) {
      this.answerLater(() => {
        const parsed = parseLevelUrl(context.url);
        const store = parsed && parsed.sn !== null ? levels.use(parsed.level) : null;
        const fragment = store && parsed.sn !== null ? store.get(parsed.sn) : void 0;
        if (!fragment) return { code: 404, text: `fragment ${context.url} is not held (left the window)` };
        return { data: fragment.data.slice().buffer, transferStart: fragment.transferStart };
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

// src/renditions.ts
function parseRenditionId(streamId) {
  const m = /(?:^|\/)(\d{1,5})x(\d{1,5})-(\d{1,3}(?:\.\d{1,3})?)~(\d{1,6})$/.exec(streamId);
  if (!m) return null;
  const [width, height, frameRate, kbps] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  if (!(width > 0 && height > 0 && frameRate > 0 && kbps > 0)) return null;
  return { width, height, frameRate, kbps };
}
function bandwidthOf(kbps) {
  return Math.round(kbps * 1e3 * 1.1 + 96e3);
}
function positiveOr(name, value, fallback, what) {
  const v = value ?? fallback;
  if (v === void 0 || !(v > 0) || !Number.isFinite(v)) {
    throw new Error(
      `HlsCdnPlayer: option 'renditions': ${what} has no valid '${name}' (give it, or use a stream id ending in {WIDTH}x{HEIGHT}-{FPS}~{KBPS})`
    );
  }
  return v;
}
function resolveRenditions(list, authToken) {
  if (!Array.isArray(list) || list.length === 0) {
    throw new Error("HlsCdnPlayer: option 'renditions' must be a non-empty array of stream ids or { streamId, ... }");
  }
  const seen = /* @__PURE__ */ new Set();
  const result = list.map((item, i) => {
    const o = typeof item === "string" ? { streamId: item } : item;
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
    const bandwidth = Math.round(positiveOr("bandwidth", o.bandwidth, parts ? bandwidthOf(parts.kbps) : void 0, what));
    return {
      index: 0,
      streamId: o.streamId,
      width,
      height,
      frameRate,
      bandwidth,
      name: o.name ?? `${height}p`,
      authToken: o.authToken ?? authToken
    };
  });
  result.sort((a, b) => a.bandwidth - b.bandwidth || a.width * a.height - b.width * b.height);
  result.forEach((r, i) => r.index = i);
  return result;
}

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
function startLevel(value, renditions) {
  if (value === void 0) return 0;
  const count = renditions?.length ?? 1;
  if (!(Number.isInteger(value) && value >= 0 && value < count)) {
    throw new Error(`HlsCdnPlayer: option 'startLevel' must be an integer from 0 to ${count - 1}, got ${value}`);
  }
  return value;
}
function resolveOptions(o) {
  if (!o || typeof o.cdnServerUrl !== "string" || !/^wss?:\/\//i.test(o.cdnServerUrl)) {
    throw new Error(`HlsCdnPlayer: option 'cdnServerUrl' must be a ws:// or wss:// URL, got '${o?.cdnServerUrl}'`);
  }
  const renditions = o?.renditions === void 0 ? null : resolveRenditions(o.renditions, o.authToken ?? "");
  const streamId = renditions && o.streamId === void 0 ? renditions[renditions.length - 1].streamId : o.streamId;
  if (typeof streamId !== "string" || streamId.length === 0 || streamId.length > 255) {
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
    streamId,
    renditions,
    startLevel: startLevel(o.startLevel, renditions),
    renditionIdleTimeout: positive("renditionIdleTimeout", o.renditionIdleTimeout, 4e3),
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

// src/channel-timeline.ts
var HISTORY = 256;
var MAX_GAP_SECONDS = 60;
var ChannelTimeline = class {
  constructor() {
    this.placed = [];
  }
  /** The sequence number of a fragment starting at `pts` seconds, lasting `duration` seconds. */
  place(pts, duration) {
    const tolerance = Math.max(0.02, 0.4 * Math.min(duration, this.typicalDuration(duration)));
    for (let i = this.placed.length - 1; i >= 0; i--) {
      const p = this.placed[i];
      if (Math.abs(p.pts - pts) < tolerance) return { sn: p.sn, discontinuity: false };
    }
    const step = Math.max(duration, 1e-3);
    const newest = this.placed[this.placed.length - 1];
    const oldest = this.placed[0];
    if (!newest || !oldest) return this.remember({ pts, sn: 0, duration }, false);
    if (pts > newest.pts && pts - newest.pts < MAX_GAP_SECONDS) {
      const skipped = Math.max(0, Math.round((pts - (newest.pts + newest.duration)) / step));
      return this.remember({ pts, sn: newest.sn + 1 + skipped, duration }, false);
    }
    if (pts < newest.pts && newest.pts - pts < MAX_GAP_SECONDS) {
      const next = this.placed.find((p) => p.pts > pts);
      const sn2 = next.sn - Math.max(1, Math.round((next.pts - pts) / step));
      return this.remember({ pts, sn: sn2, duration }, false);
    }
    const sn = Math.max(...this.placed.map((p) => p.sn)) + 1;
    this.placed = [];
    return this.remember({ pts, sn, duration }, true);
  }
  typicalDuration(fallback) {
    const newest = this.placed[this.placed.length - 1];
    return newest ? newest.duration : fallback;
  }
  remember(p, discontinuity) {
    const at = this.placed.findIndex((q) => q.pts > p.pts);
    if (at < 0) this.placed.push(p);
    else this.placed.splice(at, 0, p);
    if (this.placed.length > HISTORY) this.placed.shift();
    return { sn: p.sn, discontinuity };
  }
};

// src/emergency-switch.ts
var EMERGENCY_SAFETY = 0.5;
var STARVING_MIN_ELAPSED = 0.1;
function emergencySwitch(s) {
  if (s.loadingLevel <= s.minLevel || !(s.duration > 0) || !(s.expectedBits > 0)) return null;
  const starving = s.bufferAhead < STARVED_BUFFER && s.elapsed >= STARVING_MIN_ELAPSED;
  if (s.elapsed < s.duration && !starving) return null;
  const bound = s.expectedBits / s.elapsed;
  if (s.elapsed < s.duration) {
    const below = s.rates[s.minLevel + 1] ?? Number.POSITIVE_INFINITY;
    return { level: s.minLevel, estimate: Math.min(EMERGENCY_SAFETY * bound, below) };
  }
  const estimate = EMERGENCY_SAFETY * bound;
  let level = s.minLevel;
  for (let i = s.loadingLevel - 1; i > s.minLevel; i--) {
    if (s.rates[i] <= estimate) {
      level = i;
      break;
    }
  }
  return { level, estimate };
}

// src/rendition-feed.ts
var RenditionFeed = class {
  constructor(rendition, playlistWindow2, connect) {
    this.rendition = rendition;
    this.connect = connect;
    /** `performance.now()` when hls.js last asked for this level's playlist or fragments. */
    this.lastUsed = -Infinity;
    this.current = null;
    this.opened = 0;
    this.closedTotals = { fragments: 0, bytes: 0, reconnects: 0 };
    this.store = new FragmentStore(playlistWindow2);
  }
  /** The open pull, or null. */
  get connection() {
    return this.current;
  }
  /** Marks the level as used now and opens its pull if it is closed; true when it was opened now. */
  use(now) {
    this.lastUsed = now;
    if (this.current) return false;
    this.current = this.connect(this, this.opened++ === 0);
    this.current.start();
    return true;
  }
  /** Closes the pull (the store stays). */
  close() {
    const c = this.current;
    if (!c) return;
    this.current = null;
    this.closedTotals.fragments += c.counters.fragments;
    this.closedTotals.bytes += c.counters.bytes;
    this.closedTotals.reconnects += c.counters.reconnects;
    c.destroy();
  }
  /** Pulls opened so far. */
  get pulls() {
    return this.opened;
  }
  /** The pull's state, `idle` when closed. */
  get state() {
    return this.current?.state ?? "idle";
  }
  /** Counters over every pull of this level. */
  get counters() {
    const c = this.current?.counters;
    return {
      fragments: this.closedTotals.fragments + (c?.fragments ?? 0),
      bytes: this.closedTotals.bytes + (c?.bytes ?? 0),
      reconnects: this.closedTotals.reconnects + (c?.reconnects ?? 0)
    };
  }
};

// src/ts-audio.ts
var PACKET = 188;
var SYNC = 71;
var AUDIO_STREAM_TYPES = /* @__PURE__ */ new Set([3, 4, 15, 17, 129, 135]);
function payloadStart(data, off) {
  const adaptation = data[off + 3] >> 4 & 3;
  if (adaptation === 0 || adaptation === 2) return -1;
  const p = adaptation === 3 ? off + 5 + data[off + 4] : off + 4;
  return p < off + PACKET ? p : -1;
}
function section(data, off) {
  const p = payloadStart(data, off);
  if (p < 0) return null;
  const start = p + 1 + data[p];
  if (start + 3 > off + PACKET) return null;
  const length = (data[start + 1] & 15) << 8 | data[start + 2];
  return { start, end: Math.min(start + 3 + length - 4, off + PACKET) };
}
var pidOf = (data, off) => (data[off + 1] & 31) << 8 | data[off + 2];
var unitStart = (data, off) => (data[off + 1] & 64) !== 0;
function lacksDeclaredAudio(data) {
  const pmtPids = /* @__PURE__ */ new Set();
  const audioPids = /* @__PURE__ */ new Set();
  for (let off = 0; off + PACKET <= data.length && data[off] === SYNC; off += PACKET) {
    if (!unitStart(data, off)) continue;
    const pid = pidOf(data, off);
    if (pid === 0) {
      const s = section(data, off);
      if (!s || data[s.start] !== 0) continue;
      for (let e = s.start + 8; e + 4 <= s.end; e += 4) {
        const program = data[e] << 8 | data[e + 1];
        if (program !== 0) pmtPids.add((data[e + 2] & 31) << 8 | data[e + 3]);
      }
    } else if (pmtPids.has(pid)) {
      const s = section(data, off);
      if (!s || data[s.start] !== 2) continue;
      const programInfo = (data[s.start + 10] & 15) << 8 | data[s.start + 11];
      for (let e = s.start + 12 + programInfo; e + 5 <= s.end; ) {
        const streamType = data[e];
        const elementaryPid = (data[e + 1] & 31) << 8 | data[e + 2];
        if (AUDIO_STREAM_TYPES.has(streamType)) audioPids.add(elementaryPid);
        e += 5 + ((data[e + 3] & 15) << 8 | data[e + 4]);
      }
    }
  }
  if (audioPids.size === 0) return false;
  for (let off = 0; off + PACKET <= data.length && data[off] === SYNC; off += PACKET) {
    if (unitStart(data, off) && audioPids.has(pidOf(data, off))) return false;
  }
  return true;
}

// src/ts-timestamp.ts
var PACKET2 = 188;
var SYNC2 = 71;
var PTS_HZ = 9e4;
function earliestPts(data) {
  let earliest = null;
  for (let off = 0; off + PACKET2 <= data.length; off += PACKET2) {
    if (data[off] !== SYNC2) return earliest;
    if ((data[off + 1] & 64) === 0) continue;
    const adaptation = data[off + 3] >> 4 & 3;
    if (adaptation === 0 || adaptation === 2) continue;
    const p = adaptation === 3 ? off + 5 + data[off + 4] : off + 4;
    if (p + 14 > off + PACKET2) continue;
    if (data[p] !== 0 || data[p + 1] !== 0 || data[p + 2] !== 1) continue;
    if ((data[p + 7] & 128) === 0) continue;
    const b = p + 9;
    const pts = (data[b] & 14) * 536870912 + data[b + 1] * 4194304 + (data[b + 2] & 254) * 16384 + data[b + 3] * 128 + (data[b + 4] >> 1);
    const seconds = pts / PTS_HZ;
    if (earliest === null || seconds < earliest) earliest = seconds;
  }
  return earliest;
}

// src/player.ts
var LATENCY_TICK_MS = 250;
var IDLE_CHECK_MS = 1e3;
var SWITCH_INITIAL_FRAGMENTS = 1;
var DEFAULT_MAX_EXTRA_FRAGMENTS = 4;
var HAVE_METADATA = 1;
var MAX_LEADING_SKIPPED = 3;
var BURST_FRACTION = 0.25;
var HlsCdnPlayer = class extends Emitter {
  constructor(options) {
    super();
    /** The single stream's store and pull (null for a channel). */
    this.single = null;
    /** A channel's levels (null for a single stream). */
    this.feeds = null;
    this.timeline = new ChannelTimeline();
    /** Channel: the level hls.js loads (its store drives the latency control), and the level on screen. */
    this.loadingLevel = 0;
    this.playingLevel = -1;
    /** Channel: a manual level chosen before hls.js started (-1: auto). */
    this.chosenLevel = -1;
    this.idleTimer = null;
    /** Channel: ABR is held on the start level until the first fragment is buffered. */
    this.holdingAbr = false;
    this.video = null;
    this.hls = null;
    this.mode = "normal";
    this.lastTick = null;
    this.lastCc = null;
    this.lastPlayableAt = null;
    this.playingSince = null;
    this.seekedAt = -Infinity;
    this.stalls = 0;
    /** Leading fragments dropped for lacking their declared audio (see skipsLeading). */
    this.leadingSkipped = 0;
    this.onWaiting = () => this.onStall();
    this.onPlaying = () => {
      this.playingSince ?? (this.playingSince = performance.now());
    };
    this.latencyTimer = null;
    this.statsTimer = null;
    this.destroyed = false;
    this.options = resolveOptions(options);
    this.margin = new JitterMargin({ min: this.options.minMargin, max: Math.max(this.options.minMargin, this.options.maxMargin), window: 12, shrinkRate: 0.01 });
    this.switchMargin = new LevelSwitchMargin(this.margin, SWITCH_INITIAL_FRAGMENTS);
    this.edge = new LiveEdgeController(this.options.catchUpRate - 1);
    this.log = this.options.debug ? (m) => console.debug(`[HlsCdnPlayer] ${m}`) : () => void 0;
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
  /** True when the browser has Media Source Extensions with H.264/AAC (required). */
  static isSupported() {
    return Hls.isSupported();
  }
  /** The channel's levels, lowest bandwidth first (hls.js's level indexes); empty for a single stream. */
  get levels() {
    return (this.feeds ?? []).map(({ rendition: { authToken: _token, ...level } }) => level);
  }
  /** The level on screen (index in `levels`); 0 for a single stream, -1 before a channel plays. */
  get currentLevel() {
    return this.feeds ? this.playingLevel : 0;
  }
  /** Whether hls.js picks the level by itself (adaptive bitrate). */
  get autoLevelEnabled() {
    return this.chosenLevel < 0;
  }
  /**
   * Chooses the level: an index in `levels` plays that rendition from the next fragment boundary on (no flush, no
   * stall) and turns adaptive bitrate off; -1 turns it back on. No effect for a single stream.
   */
  setLevel(level) {
    const count = this.feeds?.length ?? 0;
    if (!(Number.isInteger(level) && level >= -1 && level < count)) {
      throw new Error(`HlsCdnPlayer: level must be -1 (auto) or an integer from 0 to ${count - 1}, got ${level}`);
    }
    if (!this.feeds) return;
    this.chosenLevel = level;
    this.log(level < 0 ? "level: auto" : `level: ${level} (${this.feeds[level].rendition.streamId}) chosen`);
    if (this.hls) this.hls.nextLevel = level;
  }
  /** The store that drives playback: the single stream's, or that of the level hls.js loads. */
  get store() {
    return this.single ? this.single.store : this.feeds[this.loadingLevel].store;
  }
  /** Creates the pull of a channel's level. Only the loading level's life-cycle events are the player's. */
  connectFeed(feed, first) {
    const r = feed.rendition;
    const initial = first && r.index === this.options.startLevel ? this.options.maxInitialFragments : Math.min(this.options.maxInitialFragments ?? Infinity, SWITCH_INITIAL_FRAGMENTS);
    const connection = new PullConnection({
      ...this.options,
      streamId: r.streamId,
      authToken: r.authToken,
      maxInitialFragments: initial,
      log: (m) => this.log(`[${r.name}] ${m}`)
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
  onFeedFragment(feed, received) {
    const data = new Uint8Array(received.data);
    if (this.skipsLeading(data, feed.store)) return;
    const pts = earliestPts(data);
    const place = pts === null ? { sn: feed.store.lastSn + 1, discontinuity: false } : this.timeline.place(pts, received.duration);
    const fragment = feed.store.addAt(place.sn, received.duration, data, place.discontinuity, received.headerAt);
    if (!fragment) return;
    if (feed.rendition.index !== this.loadingLevel) return;
    this.switchMargin.transferred((performance.now() - received.headerAt) / 1e3, received.duration);
    const { sn, duration, discontinuity } = fragment;
    this.emit("fragment", { sn, duration, bytes: data.byteLength, discontinuity });
    this.createHls();
  }
  /** Closes the pulls of levels hls.js stopped using a while ago. */
  closeIdleFeeds() {
    if (!this.feeds) return;
    const hls = this.hls;
    const inUse = /* @__PURE__ */ new Set([this.loadingLevel, this.playingLevel, hls?.loadLevel ?? -1, hls?.nextLoadLevel ?? -1]);
    const now = performance.now();
    for (const feed of this.feeds) {
      if (!feed.connection || inUse.has(feed.rendition.index)) continue;
      if (now - feed.lastUsed < this.options.renditionIdleTimeout) continue;
      this.log(`level ${feed.rendition.index} (${feed.rendition.streamId}): pull closed, unused for ${Math.round(now - feed.lastUsed)} ms`);
      feed.close();
    }
  }
  /** Connects and starts pulling the stream. */
  start() {
    if (this.destroyed) throw new Error("HlsCdnPlayer: start() after destroy()");
    if (this.statsTimer === null) {
      this.statsTimer = setInterval(() => this.emit("stats", this.getStats()), this.options.statsInterval);
    }
    if (this.single) {
      this.single.connection.start();
      return;
    }
    this.idleTimer ?? (this.idleTimer = setInterval(() => this.closeIdleFeeds(), IDLE_CHECK_MS));
    this.feeds[this.loadingLevel].use(performance.now());
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
    const counters = this.single ? this.single.connection.counters : sumCounters(this.feeds);
    const playing = this.feeds ? this.playingLevel >= 0 ? this.feeds[this.playingLevel].rendition.streamId : null : this.options.streamId;
    const estimate = this.hls?.bandwidthEstimate;
    return {
      state: this.single ? this.single.connection.state : this.feeds[this.loadingLevel].state,
      latency: latency === null ? null : round32(latency),
      bufferLength: video ? round32(bufferAround(video.buffered, video.currentTime).ahead) : 0,
      targetDelay: this.store.lastSn < 0 ? null : round32(this.targetDelay()),
      margin: this.lowLatency ? round32(this.margin.value) : null,
      arrivalJitter: round32(this.margin.spread),
      stalls: this.stalls,
      clockDelay: this.readClock(),
      playbackRate: video ? video.playbackRate : 1,
      mode: this.mode,
      fragmentsReceived: counters.fragments,
      bytesReceived: counters.bytes,
      reconnects: counters.reconnects,
      level: this.currentLevel,
      rendition: playing,
      bandwidthEstimate: estimate === void 0 || !Number.isFinite(estimate) ? null : Math.round(estimate),
      autoLevel: this.autoLevelEnabled
    };
  }
  /** Stops everything and releases the socket, hls.js and the media element. No event follows. */
  destroy() {
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
  onFragment(received) {
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
  skipsLeading(data, store) {
    if (this.hls || store.lastSn >= 0 || this.leadingSkipped >= MAX_LEADING_SKIPPED || !lacksDeclaredAudio(data)) return false;
    this.leadingSkipped++;
    this.log(`skipped a first fragment without the audio its program declares (${data.byteLength} bytes)`);
    return true;
  }
  /** Starts hls.js once there is both a media element and a first fragment. */
  createHls() {
    const video = this.video;
    if (this.hls || !video || this.store.lastSn < 0) return;
    const feeds = this.feeds;
    const { pLoader, fLoader } = feeds ? createChannelLoaders({
      multivariant: () => renderMultivariant(feeds.map((f) => f.rendition)),
      use: (level) => {
        const feed = feeds[level];
        if (!feed) return null;
        if (feed.use(performance.now())) this.log(`level ${level}: hls.js asked for it`);
        return feed.store;
      }
    }) : createStoreLoaders(this.store);
    const channel = feeds ? {
      // Start where the first pull is; hls.js's ABR then moves by the measured throughput (the fragment loader
      // reports each fragment's transfer over the WebSocket) and the buffer.
      startLevel: this.chosenLevel >= 0 ? this.chosenLevel : this.loadingLevel,
      testBandwidth: false
    } : {};
    const hls = new Hls({
      // A channel's bandwidth samples are WebSocket transfers, a few tens of milliseconds each on a good link: hls.js's
      // default half-lives (3 s and 9 s of transfer time) would take half a minute of fragments to notice that a limit
      // was lifted. Shorter ones, which the page's own hlsConfig may override.
      ...feeds ? { abrEwmaFastLive: 1.5, abrEwmaSlowLive: 4 } : {},
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
      lowLatencyMode: true
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
          const restored = this.switchMargin.levelSwitched(data.level > this.loadingLevel);
          if (restored !== null) {
            this.log(`margin back to ${restored.toFixed(3)} s from before the switch down`);
            this.edge.reset();
          }
        }
        this.loadingLevel = data.level;
        feeds[data.level]?.use(performance.now());
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
  onHlsError(hls, data) {
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
  onFragmentPlayable(start, duration, cc) {
    if (this.lastCc !== null && cc !== this.lastCc) {
      this.margin.resetArrivals();
      this.edge.reset();
    }
    this.lastCc = cc;
    const video = this.video;
    if (!video || this.playingSince === null || video.paused || video.seeking) return;
    const now = performance.now() / 1e3;
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
  checkTransfer(hls, now) {
    const feeds = this.feeds;
    const feed = feeds[this.loadingLevel];
    const pending = feed?.connection?.inFlight ?? null;
    const elapsed = pending ? (now - pending.since) / 1e3 : 0;
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
      expectedBits: rates[this.loadingLevel] * pending.duration,
      rates
    });
    if (!decision) return;
    this.log(
      `level ${this.loadingLevel}: fragment still in transfer after ${elapsed.toFixed(2)} s (${pending.duration} s of media); switching down to level ${decision.level}, bandwidth estimate ${Math.round(decision.estimate / 1e3)} kbit/s`
    );
    this.switchMargin.switchedDownAtOnce();
    this.edge.reset();
    hls.bandwidthEstimate = decision.estimate;
    hls.nextLoadLevel = decision.level;
  }
  /** The media element ran out of data while playing. */
  onStall() {
    const video = this.video;
    if (!video || this.playingSince === null || video.seeking || this.store.ended) return;
    if (performance.now() - this.seekedAt < 1e3) return;
    this.stalls++;
    if (this.lowLatency) this.margin.stalled();
    this.log(`stalled at ${video.currentTime.toFixed(2)} s; margin now ${this.margin.value.toFixed(3)} s`);
    if (this.feeds && this.hls) this.checkTransfer(this.hls, performance.now());
  }
  controlLatency() {
    const video = this.video;
    if (!video || video.readyState < HAVE_METADATA) return;
    const now = performance.now();
    if (this.lastTick !== null && !video.paused) this.edge.played(video.playbackRate, (now - this.lastTick) / 1e3);
    this.lastTick = now;
    if (this.feeds && this.hls) this.checkTransfer(this.hls, now);
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
    const details = this.hls?.levels[this.feeds ? this.loadingLevel : 0]?.details;
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
function sumCounters(feeds) {
  const total = { fragments: 0, bytes: 0, reconnects: 0 };
  for (const f of feeds) {
    const c = f.counters;
    total.fragments += c.fragments;
    total.bytes += c.bytes;
    total.reconnects += c.reconnects;
  }
  return total;
}
function round32(x) {
  return Math.round(x * 1e3) / 1e3;
}
export {
  HlsCdnError,
  HlsCdnPlayer,
  TESTER_CLOCK_LAYOUT,
  decodeClockRow,
  parseMessage,
  parseRenditionId,
  readPictureClock,
  serializeMessage
};
