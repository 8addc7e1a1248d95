import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HlsCdnPlayer } from "../src/player";
import type { WebSocketLike } from "../src/socket";

class FakeSocket implements WebSocketLike {
  binaryType = "blob";
  onopen: WebSocketLike["onopen"] = null;
  onmessage: WebSocketLike["onmessage"] = null;
  onclose: WebSocketLike["onclose"] = null;
  onerror: WebSocketLike["onerror"] = null;
  sent: string[] = [];
  send(data: string) {
    this.sent.push(data);
  }
  close() {}
  text(t: string) {
    this.onmessage?.({ data: t });
  }
  fragment(duration: number, ...bytes: number[]) {
    this.text(`F:duration=${duration}`);
    this.onmessage?.({ data: new Uint8Array(bytes).buffer });
  }
}

function newPlayer(options: Partial<ConstructorParameters<typeof HlsCdnPlayer>[0]> = {}) {
  const sockets: FakeSocket[] = [];
  const player = new HlsCdnPlayer({
    cdnServerUrl: "ws://node.test/",
    streamId: "s",
    authToken: "t",
    webSocketFactory: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    ...options,
  });
  const events: string[] = [];
  for (const name of ["error", "close", "ended", "notfound", "fragment", "state"] as const) {
    player.on(name, () => events.push(name));
  }
  const connect = () => {
    const s = sockets[sockets.length - 1]!;
    s.onopen?.({});
    s.text("OK");
    return s;
  };
  return { player, sockets, events, connect };
}

describe("HlsCdnPlayer (without media)", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("pulls, counts fragments and bytes, and reports the end", () => {
    const { player, events, connect } = newPlayer();
    player.start();
    const s = connect();
    expect(s.sent[0]).toBe("PULL:stream=s&auth=t");
    s.fragment(1, 1, 2);
    s.fragment(1, 3);
    s.text("CLOSE");
    expect(events.filter((e) => e !== "state")).toEqual(["fragment", "fragment", "ended", "close"]);
    expect(player.getStats()).toMatchObject({
      state: "ended",
      fragmentsReceived: 2,
      bytesReceived: 3,
      reconnects: 0,
      // Low-latency default: the minimum margin (0.1 s) plus half a fragment.
      targetDelay: 0.6,
      margin: 0.1,
      stalls: 0,
      clockDelay: null,
      latency: null,
    });
  });

  it("keeps the pinned target delay when targetDelay is given (no margin)", () => {
    const { player, connect } = newPlayer({ targetDelay: 1.5 });
    player.start();
    connect().fragment(1, 1);
    expect(player.getStats()).toMatchObject({ targetDelay: 1.5, margin: null });
  });

  it("emits stats periodically once started", () => {
    const { player } = newPlayer({ statsInterval: 500 });
    const stats = vi.fn();
    player.on("stats", stats);
    player.start();
    vi.advanceTimersByTime(1000);
    expect(stats).toHaveBeenCalledTimes(2);
    expect(stats.mock.calls[0]![0]).toMatchObject({ state: "connecting", fragmentsReceived: 0 });
  });

  it("does not announce re-sent fragments after a reconnect", () => {
    const { player, sockets, events, connect } = newPlayer();
    player.start();
    let s = connect();
    s.fragment(1, 1);
    s.fragment(1, 2);
    s.onclose?.({ code: 1006 });
    vi.advanceTimersByTime(500);
    expect(sockets).toHaveLength(2);
    s = connect();
    s.fragment(1, 1);
    s.fragment(1, 2);
    s.fragment(1, 3);
    expect(events.filter((e) => e === "fragment")).toHaveLength(3);
    expect(player.getStats()).toMatchObject({ fragmentsReceived: 5, reconnects: 1 });
  });

  it("reports a fatal auth error and closes", () => {
    const { player, events, connect } = newPlayer();
    const errors = vi.fn();
    player.on("error", errors);
    player.start();
    connect().text("E:code=AUTH_ERROR&message=bad");
    expect(errors.mock.calls[0]![0]).toMatchObject({ kind: "auth", fatal: true });
    expect(events.slice(-2)).toEqual(["state", "close"]);
  });

  it("emits nothing after destroy and refuses to start again", () => {
    const { player, events, connect } = newPlayer();
    player.start();
    connect();
    const before = events.length;
    player.destroy();
    expect(events.length).toBe(before);
    expect(() => player.start()).toThrow(/destroy/);
  });

  it("supports the original player's addEventListener/removeEventListener", () => {
    const { player, connect } = newPlayer();
    const ended = vi.fn();
    player.addEventListener("ended", ended);
    player.removeEventListener("ended", ended);
    player.start();
    const s = connect();
    s.fragment(1, 1);
    s.text("CLOSE");
    expect(ended).not.toHaveBeenCalled();
  });
});
