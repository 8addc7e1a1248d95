import type { ConnectionCounters, ConnectionState, PullConnection } from "./connection";
import { FragmentStore } from "./fragment-store";
import type { ResolvedRendition } from "./renditions";
/**
 * One level of a channel: its rendition, its own store of fragments, and its own pull while the level is in use. The
 * pull opens when hls.js switches to (or asks for) the level; the player closes it as soon as hls.js switches to
 * another level, or `renditionIdleTimeout` after hls.js last asked for it. The store stays (a reopened pull's re-sent
 * fragments are recognised by their sequence numbers).
 */
export declare class RenditionFeed {
    readonly rendition: ResolvedRendition;
    /** Creates (and wires) the pull; `first` tells whether this is the level's first pull. */
    private readonly connect;
    readonly store: FragmentStore;
    /** `performance.now()` when hls.js last asked for this level's playlist or fragments. */
    lastUsed: number;
    private current;
    private opened;
    private readonly closedTotals;
    constructor(rendition: ResolvedRendition, playlistWindow: number, 
    /** Creates (and wires) the pull; `first` tells whether this is the level's first pull. */
    connect: (feed: RenditionFeed, first: boolean) => PullConnection);
    /** The open pull, or null. */
    get connection(): PullConnection | null;
    /** Marks the level as used now and opens its pull if it is closed; true when it was opened now. */
    use(now: number): boolean;
    /** Closes the pull (the store stays). */
    close(): void;
    /** Pulls opened so far. */
    get pulls(): number;
    /** The pull's state, `idle` when closed. */
    get state(): ConnectionState;
    /** Counters over every pull of this level. */
    get counters(): ConnectionCounters;
}
