import type { ConnectionCounters, ConnectionState, PullConnection } from "./connection";
import { FragmentStore } from "./fragment-store";
import type { ResolvedRendition } from "./renditions";

/**
 * One level of a channel: its rendition, its own store of fragments, and its own pull while the level is in use. The
 * pull opens when hls.js switches to (or asks for) the level; the player closes it as soon as hls.js switches to
 * another level, or `renditionIdleTimeout` after hls.js last asked for it. The store stays (a reopened pull's re-sent
 * fragments are recognised by their sequence numbers).
 */
export class RenditionFeed {
  readonly store: FragmentStore;
  /** `performance.now()` when hls.js last asked for this level's playlist or fragments. */
  lastUsed = -Infinity;
  private current: PullConnection | null = null;
  private opened = 0;
  private readonly closedTotals: ConnectionCounters = { fragments: 0, bytes: 0, reconnects: 0 };

  constructor(
    readonly rendition: ResolvedRendition,
    playlistWindow: number,
    /** Creates (and wires) the pull; `first` tells whether this is the level's first pull. */
    private readonly connect: (feed: RenditionFeed, first: boolean) => PullConnection,
  ) {
    this.store = new FragmentStore(playlistWindow);
  }

  /** The open pull, or null. */
  get connection(): PullConnection | null {
    return this.current;
  }

  /** Marks the level as used now and opens its pull if it is closed; true when it was opened now. */
  use(now: number): boolean {
    this.lastUsed = now;
    if (this.current) return false;
    this.current = this.connect(this, this.opened++ === 0);
    this.current.start();
    return true;
  }

  /** Closes the pull (the store stays). */
  close(): void {
    const c = this.current;
    if (!c) return;
    this.current = null;
    this.closedTotals.fragments += c.counters.fragments;
    this.closedTotals.bytes += c.counters.bytes;
    this.closedTotals.reconnects += c.counters.reconnects;
    c.destroy();
  }

  /** Pulls opened so far. */
  get pulls(): number {
    return this.opened;
  }

  /** The pull's state, `idle` when closed. */
  get state(): ConnectionState {
    return this.current?.state ?? "idle";
  }

  /** Counters over every pull of this level. */
  get counters(): ConnectionCounters {
    const c = this.current?.counters;
    return {
      fragments: this.closedTotals.fragments + (c?.fragments ?? 0),
      bytes: this.closedTotals.bytes + (c?.bytes ?? 0),
      reconnects: this.closedTotals.reconnects + (c?.reconnects ?? 0),
    };
  }
}
