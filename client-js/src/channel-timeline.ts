/** A fragment whose media sequence number is known: where it starts on the media timeline and how long it is. */
interface Placed {
  pts: number;
  sn: number;
  duration: number;
}

/** Fragments remembered to place the fragments of renditions opened later. */
const HISTORY = 256;
/** A fragment further than this (seconds) from every known one starts a new timeline (the publisher restarted). */
const MAX_GAP_SECONDS = 60;

/**
 * Gives fragments of the same time the same media sequence number in every rendition of a channel.
 *
 * hls.js switches live levels by sequence number, so level N's fragment `sn` must cover the same media time as level
 * M's. Each rendition is its own stream on the CDN and its fragments carry no sequence number, but renditions encoded
 * together carry the same timestamps: a fragment is placed by its earliest PTS. The first fragment seen gets 0; a
 * fragment that starts where a known one starts (within 40 % of a fragment) gets its number; one after the newest
 * known gets the next number (more when fragments were skipped, counted by duration); one before the oldest known is
 * counted backwards. A fragment far from everything known (a restarted publisher) starts over after the highest
 * number, as a discontinuity.
 */
export class ChannelTimeline {
  private placed: Placed[] = [];

  /** The sequence number of a fragment starting at `pts` seconds, lasting `duration` seconds. */
  place(pts: number, duration: number): { sn: number; discontinuity: boolean } {
    const tolerance = Math.max(0.02, 0.4 * Math.min(duration, this.typicalDuration(duration)));
    for (let i = this.placed.length - 1; i >= 0; i--) {
      const p = this.placed[i]!;
      if (Math.abs(p.pts - pts) < tolerance) return { sn: p.sn, discontinuity: false };
    }
    const step = Math.max(duration, 0.001);
    const newest = this.placed[this.placed.length - 1];
    const oldest = this.placed[0];
    if (!newest || !oldest) return this.remember({ pts, sn: 0, duration }, false);
    if (pts > newest.pts && pts - newest.pts < MAX_GAP_SECONDS) {
      const skipped = Math.max(0, Math.round((pts - (newest.pts + newest.duration)) / step));
      return this.remember({ pts, sn: newest.sn + 1 + skipped, duration }, false);
    }
    if (pts < newest.pts && newest.pts - pts < MAX_GAP_SECONDS) {
      // Between or before known fragments: count from the next known one.
      const next = this.placed.find((p) => p.pts > pts)!;
      const sn = next.sn - Math.max(1, Math.round((next.pts - pts) / step));
      return this.remember({ pts, sn, duration }, false);
    }
    const sn = Math.max(...this.placed.map((p) => p.sn)) + 1;
    this.placed = [];
    return this.remember({ pts, sn, duration }, true);
  }

  private typicalDuration(fallback: number): number {
    const newest = this.placed[this.placed.length - 1];
    return newest ? newest.duration : fallback;
  }

  private remember(p: Placed, discontinuity: boolean): { sn: number; discontinuity: boolean } {
    const at = this.placed.findIndex((q) => q.pts > p.pts);
    if (at < 0) this.placed.push(p);
    else this.placed.splice(at, 0, p);
    if (this.placed.length > HISTORY) this.placed.shift();
    return { sn: p.sn, discontinuity };
  }
}
