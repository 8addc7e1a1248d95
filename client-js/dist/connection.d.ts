import { Emitter } from "./emitter";
import { HlsCdnError } from "./errors";
import type { WebSocketFactory } from "./socket";
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
export declare const HEARTBEAT_INTERVAL_MS = 30000;
/** Drop the connection after this long without receiving anything (protocol). */
export declare const RECEIVE_TIMEOUT_MS = 60000;
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
export declare class PullConnection extends Emitter<ConnectionEvents> {
    private readonly options;
    readonly counters: ConnectionCounters;
    private currentState;
    private socket;
    private session;
    private sessionFragments;
    private pendingDuration;
    private pendingSince;
    private lastReceivedAt;
    private lastSentAt;
    private tickTimer;
    private connectTimer;
    private reconnectTimer;
    private readonly backoff;
    private readonly pull;
    constructor(options: ConnectionOptions);
    get state(): ConnectionState;
    /** The fragment being received: its `F` header came at `since` (`performance.now()`), its bytes not yet; else null. */
    get inFlight(): {
        since: number;
        duration: number;
    } | null;
    /** Starts pulling. Only the first call has an effect. */
    start(): void;
    /** Stops for good and releases the socket and timers. */
    destroy(): void;
    private connect;
    private onOpen;
    private send;
    private onMessage;
    private onText;
    private onFragmentHeader;
    private onBinary;
    private onStreamClosed;
    private onServerError;
    private onSocketClosed;
    private tick;
    private protocolError;
    /** Ends the current attempt after a recoverable error and schedules the next one. */
    private drop;
    private scheduleReconnect;
    private finish;
    private closeSocket;
    private clearConnectTimer;
    private setState;
}
