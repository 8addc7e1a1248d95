import { Backoff } from "./backoff";
import { MAX_TEXT_MESSAGE_BYTES, fragmentDuration, parseMessage, pullMessage, serializeMessage, utf8Length, type TextMessage } from "./codec";
import { Emitter } from "./emitter";
import { HlsCdnError } from "./errors";
import type { WebSocketFactory, WebSocketLike } from "./socket";

/**
 * Connection states. `ended`, `failed` and `closed` are terminal.
 *
 * idle → connecting → pulling (PULL sent) → streaming (OK received) → ... ;
 * any non-terminal state → reconnecting (backoff) → connecting.
 */
export type ConnectionState = "idle" | "connecting" | "pulling" | "streaming" | "reconnecting" | "ended" | "failed" | "closed";

/** One fragment received from the node. `session` counts accepted pulls (1 for the first `OK`). */
export interface ReceivedFragment {
  duration: number;
  data: ArrayBuffer;
  session: number;
  /** `performance.now()` when its `F` header arrived: the start of its transfer. */
  headerAt: number;
}

export type ConnectionEvents = {
  state: (state: ConnectionState) => void;
  fragment: (fragment: ReceivedFragment) => void;
  /** The node answered `OK` then `CLOSE` without a fragment: the stream is not (yet) there. */
  notfound: () => void;
  /** The stream ended (`CLOSE` after fragments). */
  ended: () => void;
  error: (error: HlsCdnError) => void;
  /** The connection stopped for good (ended, failed or closed). */
  close: () => void;
};

export interface ConnectionOptions {
  cdnServerUrl: string;
  streamId: string;
  authToken: string;
  maxInitialFragments?: number;
  timeout: number;
  waitForStream: boolean;
  reconnectOnEnd: boolean;
  reconnectDelay: number;
  maxReconnectDelay: number;
  maxReconnectAttempts: number;
  webSocketFactory: WebSocketFactory;
  log: (message: string) => void;
  random?: () => number;
}

/** Send `H` after this long without sending anything (protocol). */
export const HEARTBEAT_INTERVAL_MS = 30_000;
/** Drop the connection after this long without receiving anything (protocol). */
export const RECEIVE_TIMEOUT_MS = 60_000;
const TICK_MS = 1000;

const TERMINAL: ReadonlySet<ConnectionState> = new Set(["ended", "failed", "closed"]);

/** Counters of a connection over its whole life (all attempts). */
export interface ConnectionCounters {
  fragments: number;
  bytes: number;
  reconnects: number;
}

/**
 * Pulls one stream from a node: sends `PULL`, receives `F` + binary pairs, keeps the connection
 * alive with heartbeats and reconnects with exponential backoff.
 */
export class PullConnection extends Emitter<ConnectionEvents> {
  readonly counters: ConnectionCounters = { fragments: 0, bytes: 0, reconnects: 0 };
  private currentState: ConnectionState = "idle";
  private socket: WebSocketLike | null = null;
  private session = 0;
  private sessionFragments = 0;
  private pendingDuration: number | null = null;
  private pendingSince = 0;
  private lastReceivedAt = 0;
  private lastSentAt = 0;
  private tickTimer: ReturnType<typeof setInterval> | null = null;
  private connectTimer: ReturnType<typeof setTimeout> | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly backoff: Backoff;
  private readonly pull: string;

  constructor(private readonly options: ConnectionOptions) {
    super();
    this.backoff = new Backoff(options.reconnectDelay, options.maxReconnectDelay, options.random);
    this.pull = pullMessage(options.streamId, options.authToken, options.maxInitialFragments);
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** The fragment being received: its `F` header came at `since` (`performance.now()`), its bytes not yet; else null. */
  get inFlight(): { since: number; duration: number } | null {
    return this.pendingDuration === null ? null : { since: this.pendingSince, duration: this.pendingDuration };
  }

  /** Starts pulling. Only the first call has an effect. */
  start(): void {
    if (this.currentState !== "idle") return;
    if (utf8Length(this.pull) > MAX_TEXT_MESSAGE_BYTES) {
      this.finish("failed", new HlsCdnError("protocol", `PULL message exceeds ${MAX_TEXT_MESSAGE_BYTES} bytes (stream id or token too long)`, true));
      return;
    }
    this.tickTimer = setInterval(() => this.tick(), TICK_MS);
    this.connect();
  }

  /** Stops for good and releases the socket and timers. */
  destroy(): void {
    if (!TERMINAL.has(this.currentState)) this.finish("closed");
  }

  private connect(): void {
    this.setState("connecting");
    this.pendingDuration = null;
    this.connectTimer = setTimeout(() => {
      this.connectTimer = null;
      this.drop(new HlsCdnError("timeout", `no OK from ${this.options.cdnServerUrl} within ${this.options.timeout} ms`, false));
    }, this.options.timeout);
    let socket: WebSocketLike;
    try {
      socket = this.options.webSocketFactory(this.options.cdnServerUrl);
    } catch (e) {
      this.drop(new HlsCdnError("network", `cannot connect to ${this.options.cdnServerUrl}: ${(e as Error).message}`, false));
      return;
    }
    socket.binaryType = "arraybuffer";
    socket.onopen = () => this.onOpen();
    socket.onmessage = (ev) => this.onMessage(ev.data);
    socket.onclose = (ev) => this.onSocketClosed(ev.code);
    socket.onerror = () => this.options.log("socket error (a close follows)");
    this.socket = socket;
  }

  private onOpen(): void {
    this.lastReceivedAt = Date.now();
    this.setState("pulling");
    this.send(this.pull);
  }

  private send(text: string): void {
    if (!this.socket) return;
    try {
      this.socket.send(text);
      this.lastSentAt = Date.now();
    } catch (e) {
      this.drop(new HlsCdnError("network", `send failed: ${(e as Error).message}`, false));
    }
  }

  private onMessage(data: unknown): void {
    this.lastReceivedAt = Date.now();
    if (typeof data === "string") this.onText(data);
    else if (data instanceof ArrayBuffer) this.onBinary(data);
    else this.protocolError("unsupported message data (expected text or ArrayBuffer)");
  }

  private onText(text: string): void {
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

  private onFragmentHeader(message: TextMessage): void {
    if (this.currentState !== "streaming") return this.protocolError("F before OK");
    if (this.pendingDuration !== null) return this.protocolError("F while the previous fragment is still expected");
    const duration = fragmentDuration(message);
    if (duration === null) return this.protocolError(`F without a valid duration: '${message.params.get("duration") ?? ""}'`);
    this.pendingDuration = duration;
    this.pendingSince = performance.now();
  }

  private onBinary(data: ArrayBuffer): void {
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

  private onStreamClosed(): void {
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

  private onServerError(message: TextMessage): void {
    const code = message.params.get("code") ?? "UNKNOWN";
    const text = message.params.get("message") ?? "";
    const fatal = code === "AUTH_ERROR" || code === "PROTOCOL_ERROR";
    const error = new HlsCdnError(code === "AUTH_ERROR" ? "auth" : "server", `server error ${code}${text ? `: ${text}` : ""}`, fatal, code);
    if (fatal) this.finish("failed", error);
    else this.drop(error);
  }

  private onSocketClosed(code: number | undefined): void {
    this.socket = null;
    this.drop(new HlsCdnError("network", `connection to ${this.options.cdnServerUrl} closed (code ${code ?? "none"})`, false));
  }

  private tick(): void {
    if (!this.socket || (this.currentState !== "pulling" && this.currentState !== "streaming")) return;
    const now = Date.now();
    if (now - this.lastReceivedAt >= RECEIVE_TIMEOUT_MS) {
      this.drop(new HlsCdnError("timeout", `nothing received for ${RECEIVE_TIMEOUT_MS / 1000} s`, false));
    } else if (now - this.lastSentAt >= HEARTBEAT_INTERVAL_MS) {
      this.send(serializeMessage("H"));
    }
  }

  private protocolError(message: string): void {
    this.drop(new HlsCdnError("protocol", `protocol error: ${message}`, false));
  }

  /** Ends the current attempt after a recoverable error and schedules the next one. */
  private drop(error: HlsCdnError): void {
    if (TERMINAL.has(this.currentState)) return;
    this.closeSocket();
    this.emit("error", error);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
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

  private finish(state: ConnectionState, error?: HlsCdnError): void {
    this.closeSocket();
    if (this.tickTimer !== null) clearInterval(this.tickTimer);
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.tickTimer = this.reconnectTimer = null;
    if (error) this.emit("error", error);
    this.setState(state);
    this.emit("close");
  }

  private closeSocket(): void {
    this.clearConnectTimer();
    this.pendingDuration = null;
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close();
    } catch {
      // closing a socket that never opened may throw in some environments; nothing to release
    }
  }

  private clearConnectTimer(): void {
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    this.connectTimer = null;
  }

  private setState(state: ConnectionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.options.log(`state ${state}`);
    this.emit("state", state);
  }
}
