/** The part of the browser `WebSocket` the player uses (lets tests inject a fake). */
export interface WebSocketLike {
    binaryType: string;
    onopen: ((ev: unknown) => void) | null;
    onmessage: ((ev: {
        data: unknown;
    }) => void) | null;
    onclose: ((ev: {
        code?: number;
        reason?: string;
    }) => void) | null;
    onerror: ((ev: unknown) => void) | null;
    send(data: string): void;
    close(code?: number, reason?: string): void;
}
/** Creates the socket for one connection attempt. */
export type WebSocketFactory = (url: string) => WebSocketLike;
/** The default factory: the environment's `WebSocket`. */
export declare const browserWebSocket: WebSocketFactory;
