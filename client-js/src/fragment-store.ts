/** A fragment held in memory. `sn` is its media sequence number in the synthesised playlist. */
export interface StoredFragment {
  sn: number;
  duration: number;
  data: Uint8Array;
  /** A timestamp discontinuity precedes this fragment (`#EXT-X-DISCONTINUITY`). */
  discontinuity: boolean;
  /**
   * When the fragment's transfer began (`performance.now()` at its `F` header), set for the levels of a channel: the
   * fragment loader reports it to hls.js, whose bandwidth estimate then measures the WebSocket, not the memory copy.
   */
  transferStart?: number;
}

/** Fingerprints kept to recognise re-sent fragments, also after they left the window. */
const HISTORY_LENGTH = 128;

/** Identity of a fragment's bytes: length and 32-bit FNV-1a hash. */
export function fingerprint(data: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) hash = Math.imul(hash ^ data[i]!, 0x01000193);
  return `${data.length}:${(hash >>> 0).toString(16)}`;
}

/**
 * The sliding window of the last fragments received, numbered with media sequence numbers.
 *
 * After a reconnect (a new `session`) the node re-sends its buffered fragments: those already
 * received (recognised by fingerprint, also after they left the window) are skipped. The first new fragment is marked as a discontinuity unless the fragment the
 * node sent just before it was our newest one (then nothing was missed and nothing jumps).
 */
export class FragmentStore {
  private readonly fragments: StoredFragment[] = [];
  /** Fingerprint → sequence number of the last fragments received. */
  private readonly history = new Map<string, number>();
  private nextSn = 0;
  private session: number | null = null;
  /** In a new session, still skipping fragments we already hold. */
  private resyncing = false;
  /** In a new session, the last skipped fragment was the newest one received. */
  private resyncContiguous = false;
  private removedDiscontinuities = 0;
  private maxDuration = 0;
  private isEnded = false;
  private changeListeners: Array<() => void> = [];

  constructor(private readonly windowSize: number) {}

  /** Bit rate of the newest `count` fragments (bits per second of media), or null before any. */
  bitrate(count = 4): number | null {
    const recent = this.fragments.slice(-count);
    const seconds = recent.reduce((sum, f) => sum + f.duration, 0);
    return seconds > 0 ? (8 * recent.reduce((sum, f) => sum + f.data.byteLength, 0)) / seconds : null;
  }

  /** Adds a fragment; returns it, or `null` when it is a re-sent copy of one already held. */
  add(duration: number, data: Uint8Array, session: number): StoredFragment | null {
    const newSession = this.session !== null && session !== this.session;
    this.session = session;
    if (newSession) {
      this.resyncing = true;
      this.resyncContiguous = false;
    }
    const key = fingerprint(data);
    if (this.resyncing) {
      const sn = this.history.get(key);
      if (sn !== undefined) {
        this.resyncContiguous = sn === this.lastSn;
        return null;
      }
    }
    const discontinuity = this.resyncing && !this.resyncContiguous && this.nextSn > 0;
    this.resyncing = false;
    const fragment: StoredFragment = { sn: this.nextSn++, duration, data, discontinuity };
    this.fragments.push(fragment);
    this.history.set(key, fragment.sn);
    if (this.history.size > HISTORY_LENGTH) this.history.delete(this.history.keys().next().value!);
    this.maxDuration = Math.max(this.maxDuration, duration);
    while (this.fragments.length > this.windowSize) {
      if (this.fragments.shift()!.discontinuity) this.removedDiscontinuities++;
    }
    this.changed();
    return fragment;
  }

  /**
   * Adds a fragment under a sequence number given by the caller (a channel's timeline, the same in every rendition).
   * Returns null when `sn` is not above the newest held (a copy re-sent after a reconnect, or late). When `sn` skips
   * numbers, the fragments held so far are let go (a playlist lists consecutive numbers only), so the window restarts
   * at `sn`; hls.js sees its live window move forward.
   */
  addAt(sn: number, duration: number, data: Uint8Array, discontinuity: boolean, transferStart?: number): StoredFragment | null {
    if (sn <= this.lastSn) return null;
    if (sn > this.nextSn && this.fragments.length > 0) {
      for (const f of this.fragments) if (f.discontinuity) this.removedDiscontinuities++;
      this.fragments.length = 0;
    }
    const fragment: StoredFragment = { sn, duration, data, discontinuity: discontinuity && this.nextSn > 0 };
    if (transferStart !== undefined) fragment.transferStart = transferStart;
    this.nextSn = sn + 1;
    this.fragments.push(fragment);
    this.maxDuration = Math.max(this.maxDuration, duration);
    while (this.fragments.length > this.windowSize) {
      if (this.fragments.shift()!.discontinuity) this.removedDiscontinuities++;
    }
    this.changed();
    return fragment;
  }

  /** Marks the stream as ended (the playlist gets `#EXT-X-ENDLIST`). */
  end(): void {
    if (this.isEnded) return;
    this.isEnded = true;
    this.changed();
  }

  get ended(): boolean {
    return this.isEnded;
  }

  /** The fragment with media sequence number `sn`, if still in the window. */
  get(sn: number): StoredFragment | undefined {
    const first = this.fragments[0];
    return first ? this.fragments[sn - first.sn] : undefined;
  }

  /** The fragments in the window, oldest first. */
  get window(): readonly StoredFragment[] {
    return this.fragments;
  }

  /** Sequence number of the newest fragment, -1 when none. */
  get lastSn(): number {
    return this.nextSn - 1;
  }

  /** Longest fragment duration seen (the playlist's target duration is its ceiling). */
  get maxFragmentDuration(): number {
    return this.maxDuration;
  }

  /** Median duration of the fragments in the window (0 when none): a first fragment of odd length does not skew it. */
  get typicalFragmentDuration(): number {
    if (this.fragments.length === 0) return 0;
    const sorted = this.fragments.map((f) => f.duration).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  }

  /** Number of discontinuities that slid out of the window (`#EXT-X-DISCONTINUITY-SEQUENCE`). */
  get discontinuitySequence(): number {
    return this.removedDiscontinuities;
  }

  /** Total duration of the held fragments with a sequence number above `sn`. */
  durationAfter(sn: number): number {
    let total = 0;
    for (const f of this.fragments) if (f.sn > sn) total += f.duration;
    return total;
  }

  /** Calls `listener` at the next change (new fragment or end), once. Returns a canceller. */
  onceChanged(listener: () => void): () => void {
    this.changeListeners.push(listener);
    return () => {
      this.changeListeners = this.changeListeners.filter((l) => l !== listener);
    };
  }

  private changed(): void {
    const listeners = this.changeListeners;
    this.changeListeners = [];
    for (const l of listeners) l();
  }
}
