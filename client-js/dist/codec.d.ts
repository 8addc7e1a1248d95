/**
 * Text message codec of the hls-websocket-cdn protocol.
 *
 * A text message is `TYPE` or `TYPE:query`: TYPE is letters/digits compared case-insensitively,
 * query is a URL query string (`+` is a space, percent-decoded, the first value of a repeated
 * parameter wins, unknown parameters are ignored by the reader).
 */
/** Maximum size of a text message, in bytes (the server closes the socket beyond it). */
export declare const MAX_TEXT_MESSAGE_BYTES = 1600;
/** A parsed text message. `type` is upper-case. */
export interface TextMessage {
    type: string;
    params: Map<string, string>;
}
/**
 * Parses a text message. Returns `null` when the type is empty or not letters/digits.
 * A parameter with an invalid percent escape is skipped (as Go's url.ParseQuery does).
 */
export declare function parseMessage(text: string): TextMessage | null;
/** Serialises a text message; parameters are percent-encoded and kept in the given order. */
export declare function serializeMessage(type: string, params?: Iterable<[string, string]>): string;
/** Builds the `PULL` request of a spectator. */
export declare function pullMessage(streamId: string, authToken: string, maxInitialFragments?: number): string;
/** Size of a text message in bytes once UTF-8 encoded. */
export declare function utf8Length(text: string): number;
/**
 * Parses the `duration` of an `F` message: seconds, any float form, finite and > 0.
 * Returns `null` when missing or invalid.
 */
export declare function fragmentDuration(message: TextMessage): number | null;
