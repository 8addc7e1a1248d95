import { describe, expect, it } from "vitest";
import { fragmentDuration, parseMessage, pullMessage, serializeMessage } from "../src/codec";

describe("parseMessage", () => {
  it("parses a bare type, upper-casing it", () => {
    expect(parseMessage("ok")).toEqual({ type: "OK", params: new Map() });
    expect(parseMessage("Close")?.type).toBe("CLOSE");
  });

  it("percent-decodes the query and treats + as a space", () => {
    const m = parseMessage("E:code=AUTH_ERROR&message=Invalid+auth%20token%21");
    expect(m?.type).toBe("E");
    expect(m?.params.get("code")).toBe("AUTH_ERROR");
    expect(m?.params.get("message")).toBe("Invalid auth token!");
  });

  it("keeps the first value of a repeated parameter", () => {
    expect(parseMessage("F:duration=2&duration=3")?.params.get("duration")).toBe("2");
  });

  it("accepts parameters without a value and an empty query", () => {
    const m = parseMessage("X:a&b=");
    expect(m?.params.get("a")).toBe("");
    expect(m?.params.get("b")).toBe("");
    expect(parseMessage("H:")?.params.size).toBe(0);
  });

  it("skips a parameter with an invalid percent escape, keeps the others", () => {
    const m = parseMessage("E:code=%ZZ&message=ok");
    expect(m?.params.has("code")).toBe(false);
    expect(m?.params.get("message")).toBe("ok");
  });

  it("rejects an empty or non-alphanumeric type", () => {
    expect(parseMessage("")).toBeNull();
    expect(parseMessage(":a=1")).toBeNull();
    expect(parseMessage("F-X:duration=1")).toBeNull();
  });
});

describe("serializeMessage / pullMessage", () => {
  it("writes a bare type without colon", () => {
    expect(serializeMessage("H")).toBe("H");
  });

  it("percent-encodes keys and values in the given order", () => {
    expect(serializeMessage("E", [["code", "X"], ["message", "a b&c=d"]])).toBe("E:code=X&message=a%20b%26c%3Dd");
  });

  it("builds the PULL request, max_initial_fragments only when given", () => {
    expect(pullMessage("room/s 1/1280x720-30~2000", "tok.en")).toBe("PULL:stream=room%2Fs%201%2F1280x720-30~2000&auth=tok.en");
    expect(pullMessage("s", "", 3)).toBe("PULL:stream=s&auth=&max_initial_fragments=3");
  });

  it("round-trips through parseMessage", () => {
    const text = serializeMessage("PUSH", [["stream", "ä/ö?&=+"], ["auth", "x y"]]);
    const m = parseMessage(text);
    expect(m?.params.get("stream")).toBe("ä/ö?&=+");
    expect(m?.params.get("auth")).toBe("x y");
  });

  it("refuses an invalid type", () => {
    expect(() => serializeMessage("A B")).toThrow(/invalid message type/);
  });
});

describe("fragmentDuration", () => {
  const f = (q: string) => fragmentDuration(parseMessage(`F:${q}`)!);
  it("parses any float form", () => {
    expect(f("duration=1")).toBe(1);
    expect(f("duration=2.002")).toBe(2.002);
    expect(f("duration=1e0")).toBe(1);
    expect(f("duration=.5")).toBe(0.5);
  });
  it("rejects missing, zero, negative and non-numeric durations", () => {
    expect(f("")).toBeNull();
    expect(f("duration=")).toBeNull();
    expect(f("duration=0")).toBeNull();
    expect(f("duration=-1")).toBeNull();
    expect(f("duration=abc")).toBeNull();
    expect(f("duration=Infinity")).toBeNull();
  });
});
