/**
 * The earliest presentation time stamp (seconds, 33-bit 90 kHz clock) among the PES packets that start in an MPEG-TS
 * segment, or null when the data is not MPEG-TS or carries no PTS. Renditions encoded from one source with the same
 * timestamps give the same value for segments that cover the same time.
 */
export declare function earliestPts(data: Uint8Array): number | null;
