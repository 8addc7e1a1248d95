/** What went wrong. */
export type HlsCdnErrorKind = 
/** The server rejected the token (`E:code=AUTH_ERROR`). Fatal. */
"auth"
/** No answer in time: connecting/`OK` slower than `timeout`, or nothing received for 60 s. */
 | "timeout"
/** The WebSocket could not connect or dropped without `CLOSE`. */
 | "network"
/** The server sent `E` with another code (`code` holds it). Fatal for `PROTOCOL_ERROR`. */
 | "server"
/** The server sent something the protocol does not allow. */
 | "protocol"
/** The stream was not found and `waitForStream` is false. Fatal. */
 | "notfound"
/** Playback failed (hls.js / Media Source Extensions). */
 | "media";
/** Error reported through the `error` event. `fatal` errors stop the player. */
export declare class HlsCdnError extends Error {
    readonly kind: HlsCdnErrorKind;
    /** Server error code (`E:code=...`) when the server sent one. */
    readonly code: string | undefined;
    readonly fatal: boolean;
    constructor(kind: HlsCdnErrorKind, message: string, fatal: boolean, code?: string);
}
