/**
 * Text message codec of the hls-websocket-cdn protocol.
 *
 * A text message is `TYPE` or `TYPE:query`: TYPE is letters/digits compared case-insensitively,
 * query is a URL query string (`+` is a space, percent-decoded, the first value of a repeated
 * parameter wins, unknown parameters are ignored by the reader).
 */

/** Maximum size of a text message, in bytes (the server closes the socket beyond it). */
export const MAX_TEXT_MESSAGE_BYTES = 1600;

/** A parsed text message. `type` is upper-case. */
export interface TextMessage {
  type: string;
  params: Map<string, string>;
}

const TYPE_PATTERN = /^[A-Za-z0-9]+$/;

function decodeComponent(s: string): string | null {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return null;
  }
}

/**
 * Parses a text message. Returns `null` when the type is empty or not letters/digits.
 * A parameter with an invalid percent escape is skipped (as Go's url.ParseQuery does).
 */
export function parseMessage(text: string): TextMessage | null {
  const colon = text.indexOf(":");
  const type = colon < 0 ? text : text.substring(0, colon);
  if (!TYPE_PATTERN.test(type)) return null;
  const params = new Map<string, string>();
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

/** Serialises a text message; parameters are percent-encoded and kept in the given order. */
export function serializeMessage(type: string, params?: Iterable<[string, string]>): string {
  if (!TYPE_PATTERN.test(type)) throw new Error(`invalid message type '${type}'`);
  const parts: string[] = [];
  for (const [key, value] of params ?? []) {
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  }
  return parts.length === 0 ? type : `${type}:${parts.join("&")}`;
}

/** Builds the `PULL` request of a spectator. */
export function pullMessage(streamId: string, authToken: string, maxInitialFragments?: number): string {
  const params: Array<[string, string]> = [
    ["stream", streamId],
    ["auth", authToken],
  ];
  if (maxInitialFragments !== undefined) params.push(["max_initial_fragments", String(maxInitialFragments)]);
  return serializeMessage("PULL", params);
}

/** Size of a text message in bytes once UTF-8 encoded. */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * Parses the `duration` of an `F` message: seconds, any float form, finite and > 0.
 * Returns `null` when missing or invalid.
 */
export function fragmentDuration(message: TextMessage): number | null {
  const raw = message.params.get("duration");
  if (raw === undefined || raw.trim() === "") return null;
  const duration = Number(raw);
  return Number.isFinite(duration) && duration > 0 ? duration : null;
}
