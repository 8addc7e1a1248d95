/** MPEG-TS packet size. */
const PACKET = 188;
const SYNC = 0x47;
/** PTS clock rate. */
const PTS_HZ = 90000;

/**
 * The earliest presentation time stamp (seconds, 33-bit 90 kHz clock) among the PES packets that start in an MPEG-TS
 * segment, or null when the data is not MPEG-TS or carries no PTS. Renditions encoded from one source with the same
 * timestamps give the same value for segments that cover the same time.
 */
export function earliestPts(data: Uint8Array): number | null {
  let earliest: number | null = null;
  for (let off = 0; off + PACKET <= data.length; off += PACKET) {
    if (data[off] !== SYNC) return earliest;
    if ((data[off + 1]! & 0x40) === 0) continue; // not the start of a PES packet or section
    const adaptation = (data[off + 3]! >> 4) & 3;
    if (adaptation === 0 || adaptation === 2) continue; // no payload
    const p = adaptation === 3 ? off + 5 + data[off + 4]! : off + 4;
    if (p + 14 > off + PACKET) continue;
    if (data[p] !== 0 || data[p + 1] !== 0 || data[p + 2] !== 1) continue; // a section (PAT, PMT), not PES
    if ((data[p + 7]! & 0x80) === 0) continue; // no PTS
    const b = p + 9;
    const pts =
      (data[b]! & 0x0e) * 536870912 + data[b + 1]! * 4194304 + (data[b + 2]! & 0xfe) * 16384 + data[b + 3]! * 128 + (data[b + 4]! >> 1);
    const seconds = pts / PTS_HZ;
    if (earliest === null || seconds < earliest) earliest = seconds;
  }
  return earliest;
}
