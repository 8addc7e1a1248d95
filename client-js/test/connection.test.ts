import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PullConnection, type ConnectionOptions, type ReceivedFragment } from "../src/connection";
import type { HlsCdnError } from "../src/errors";
import type { WebSocketLike } from "../src/socket";

/** A fake WebSocket: records what is sent; the test drives open/message/close. */
class FakeSocket implements WebSocketLike {
  binaryType = "blob";
  onopen: WebSocketLike["onopen"] = null;
  onmessage: WebSocketLike["onmessage"] = null;
  onclose: WebSocketLike["onclose"] = null;
  onerror: WebSocketLike["onerror"] = null;
  sent: string[] = [];
  closed = false;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.onopen?.({});
  }
  text(t: string) {
    this.onmessage?.({ data: t });
  }
  binary(...bytes: number[]) {
    this.onmessage?.({ data: new Uint8Array(bytes).buffer });
  }
  drop(code = 1006) {
    this.onclose?.({ code });
  }
}

function setup(overrides: Partial<ConnectionOptions> = {}) {
  const sockets: FakeSocket[] = [];
  const connection = new PullConnection({
    cdnServerUrl: "ws://node.test/",
    streamId: "room/cam",
    authToken: "tok",
    timeout: 5000,
    waitForStream: true,
    reconnectOnEnd: false,
    reconnectDelay: 100,
    maxReconnectDelay: 1000,
    maxReconnectAttempts: Infinity,
    webSocketFactory: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    log: () => undefined,
    random: () => 1,
    ...overrides,
  });
  const events: string[] = [];
  const errors: HlsCdnError[] = [];
  const fragments: ReceivedFragment[] = [];
  connection.on("state", (s) => events.push(`state:${s}`));
  connection.on("notfound", () => events.push("notfound"));
  connection.on("ended", () => events.push("ended"));
  connection.on("close", () => events.push("close"));
  connection.on("error", (e) => {
    errors.push(e);
    events.push(`error:${e.kind}`);
  });
  connection.on("fragment", (f) => fragments.push(f));
  const last = () => sockets[sockets.length - 1]!;
  return { connection, sockets, last, events, errors, fragments };
}

/** Starts and gets to `streaming`. */
function streaming(overrides: Partial<ConnectionOptions> = {}) {
  const t = setup(overrides);
  t.connection.start();
  t.last().open();
  t.last().text("OK");
  return t;
}

describe("PullConnection", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends PULL on open and streams F + binary pairs after OK", () => {
    const t = setup({ maxInitialFragments: 2 });
    t.connection.start();
    expect(t.connection.state).toBe("connecting");
    expect(t.last().binaryType).toBe("arraybuffer");
    t.last().open();
    expect(t.last().sent).toEqual(["PULL:stream=room%2Fcam&auth=tok&max_initial_fragments=2"]);
    expect(t.connection.state).toBe("pulling");
    t.last().text("ok");
    expect(t.connection.state).toBe("streaming");
    t.last().text("F:duration=1.5");
    t.last().binary(1, 2, 3);
    t.last().text("H");
    t.last().text("f:duration=2");
    t.last().binary(4);
    expect(t.fragments.map((f) => [f.duration, f.data.byteLength, f.session])).toEqual([
      [1.5, 3, 1],
      [2, 1, 1],
    ]);
    expect(t.connection.counters).toEqual({ fragments: 2, bytes: 4, reconnects: 0 });
    expect(t.errors).toEqual([]);
  });

  it("tells which fragment is in transfer: from its F header until its bytes arrive", () => {
    const t = streaming();
    expect(t.connection.inFlight).toBeNull();
    vi.advanceTimersByTime(100);
    t.last().text("F:duration=0.5");
    const since = performance.now();
    vi.advanceTimersByTime(300);
    expect(t.connection.inFlight).toEqual({ since, duration: 0.5 });
    t.last().binary(1, 2);
    expect(t.connection.inFlight).toBeNull();
    expect(t.fragments[0]!.headerAt).toBe(since);
  });

  it("reports OK then CLOSE as not found and retries with backoff while waitForStream", () => {
    const t = streaming();
    t.last().text("CLOSE");
    expect(t.events).toContain("notfound");
    expect(t.connection.state).toBe("reconnecting");
    expect(t.last().closed).toBe(true);
    vi.advanceTimersByTime(99);
    expect(t.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(t.sockets).toHaveLength(2);
    expect(t.connection.counters.reconnects).toBe(1);
    t.last().open();
    t.last().text("OK");
    t.last().text("CLOSE");
    vi.advanceTimersByTime(199);
    expect(t.sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(t.sockets).toHaveLength(3);
  });

  it("fails with 'notfound' when waitForStream is false", () => {
    const t = streaming({ waitForStream: false });
    t.last().text("CLOSE");
    expect(t.connection.state).toBe("failed");
    expect(t.errors[0]).toMatchObject({ kind: "notfound", fatal: true });
    expect(t.events.slice(-3)).toEqual(["error:notfound", "state:failed", "close"]);
  });

  it("ends after CLOSE following fragments, without reconnecting", () => {
    const t = streaming();
    t.last().text("F:duration=1");
    t.last().binary(1);
    t.last().text("CLOSE");
    expect(t.events.slice(-3)).toEqual(["ended", "state:ended", "close"]);
    vi.advanceTimersByTime(60_000);
    expect(t.sockets).toHaveLength(1);
  });

  it("keeps waiting after the end with reconnectOnEnd", () => {
    const t = streaming({ reconnectOnEnd: true });
    t.last().text("F:duration=1");
    t.last().binary(1);
    t.last().text("CLOSE");
    expect(t.events).toContain("ended");
    expect(t.connection.state).toBe("reconnecting");
    vi.advanceTimersByTime(100);
    t.last().open();
    t.last().text("OK");
    t.last().text("F:duration=1");
    t.last().binary(2);
    expect(t.fragments.map((f) => f.session)).toEqual([1, 2]);
  });

  it("stops on AUTH_ERROR with a fatal 'auth' error", () => {
    const t = streaming();
    t.last().text("E:code=AUTH_ERROR&message=Invalid+token");
    expect(t.errors[0]).toMatchObject({ kind: "auth", code: "AUTH_ERROR", fatal: true, message: "server error AUTH_ERROR: Invalid token" });
    expect(t.connection.state).toBe("failed");
    vi.advanceTimersByTime(60_000);
    expect(t.sockets).toHaveLength(1);
  });

  it("retries after another server error code", () => {
    const t = streaming();
    t.last().text("E:message=busy&code=OVERLOADED");
    expect(t.errors[0]).toMatchObject({ kind: "server", code: "OVERLOADED", fatal: false });
    expect(t.connection.state).toBe("reconnecting");
  });

  it("reconnects with growing delays after network drops and resets the backoff on a fragment", () => {
    const t = streaming();
    t.last().drop();
    expect(t.errors[0]).toMatchObject({ kind: "network", fatal: false });
    vi.advanceTimersByTime(100);
    t.last().drop(); // the attempt fails before opening
    vi.advanceTimersByTime(199);
    expect(t.sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(t.sockets).toHaveLength(3);
    t.last().open();
    t.last().text("OK");
    t.last().text("F:duration=1");
    t.last().binary(9);
    t.last().drop();
    vi.advanceTimersByTime(100);
    expect(t.sockets).toHaveLength(4);
    expect(t.connection.counters.reconnects).toBe(3);
  });

  it("gives up after maxReconnectAttempts consecutive failures", () => {
    const t = streaming({ maxReconnectAttempts: 2 });
    t.last().drop();
    vi.advanceTimersByTime(100);
    t.last().drop();
    vi.advanceTimersByTime(200);
    t.last().drop();
    expect(t.connection.state).toBe("failed");
    expect(t.errors[t.errors.length - 1]).toMatchObject({ kind: "network", fatal: true });
    expect(t.events[t.events.length - 1]).toBe("close");
  });

  it("times out when OK does not come within `timeout`", () => {
    const t = setup({ timeout: 3000 });
    t.connection.start();
    t.last().open();
    vi.advanceTimersByTime(2999);
    expect(t.errors).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(t.errors[0]).toMatchObject({ kind: "timeout", fatal: false });
    expect(t.sockets[0]!.closed).toBe(true);
    expect(t.connection.state).toBe("reconnecting");
  });

  it("sends H after 30 s without sending and drops after 60 s without receiving", () => {
    const t = streaming();
    vi.advanceTimersByTime(29_000);
    expect(t.last().sent).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(t.last().sent).toEqual([expect.stringMatching(/^PULL:/), "H"]);
    t.last().text("H");
    vi.advanceTimersByTime(59_000);
    expect(t.errors).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(t.errors[0]).toMatchObject({ kind: "timeout" });
  });

  it("treats protocol violations as recoverable errors", () => {
    for (const violate of [
      (s: FakeSocket) => s.binary(1), // binary without F
      (s: FakeSocket) => s.text("F:duration=0"),
      (s: FakeSocket) => (s.text("F:duration=1"), s.binary()), // empty fragment
      (s: FakeSocket) => (s.text("F:duration=1"), s.text("F:duration=1")),
      (s: FakeSocket) => s.text("not a message"),
    ]) {
      const t = streaming();
      violate(t.last());
      expect(t.errors[0]?.kind).toBe("protocol");
      expect(t.connection.state).toBe("reconnecting");
    }
  });

  it("rejects F before OK", () => {
    const t = setup();
    t.connection.start();
    t.last().open();
    t.last().text("F:duration=1");
    expect(t.errors[0]?.kind).toBe("protocol");
  });

  it("fails at start when the PULL message is over 1600 bytes", () => {
    const t = setup({ authToken: "x".repeat(1600) });
    t.connection.start();
    expect(t.sockets).toHaveLength(0);
    expect(t.errors[0]).toMatchObject({ kind: "protocol", fatal: true });
  });

  it("destroy closes the socket, stops timers and ignores late socket events", () => {
    const t = streaming();
    const socket = t.last();
    t.connection.destroy();
    expect(socket.closed).toBe(true);
    expect(t.connection.state).toBe("closed");
    socket.drop();
    vi.advanceTimersByTime(120_000);
    expect(t.sockets).toHaveLength(1);
    expect(t.errors).toEqual([]);
  });
});
