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
export declare class ChannelTimeline {
    private placed;
    /** The sequence number of a fragment starting at `pts` seconds, lasting `duration` seconds. */
    place(pts: number, duration: number): {
        sn: number;
        discontinuity: boolean;
    };
    private typicalDuration;
    private remember;
}
