/** MPEG-TS packet size. */
const PACKET = 188;
const SYNC = 0x47;
/** PMT stream types that carry audio: MPEG-1/2 audio, AAC (ADTS, LATM), AC-3, E-AC-3. */
const AUDIO_STREAM_TYPES = new Set([0x03, 0x04, 0x0f, 0x11, 0x81, 0x87]);

/** Where a packet's payload starts (after the header and any adaptation field), or -1 when it has none. */
function payloadStart(data: Uint8Array, off: number): number {
  const adaptation = (data[off + 3]! >> 4) & 3;
  if (adaptation === 0 || adaptation === 2) return -1;
  const p = adaptation === 3 ? off + 5 + data[off + 4]! : off + 4;
  return p < off + PACKET ? p : -1;
}

/** The section that starts in a packet (after its pointer field): its start and its end (bounded by the packet). */
function section(data: Uint8Array, off: number): { start: number; end: number } | null {
  const p = payloadStart(data, off);
  if (p < 0) return null;
  const start = p + 1 + data[p]!;
  if (start + 3 > off + PACKET) return null;
  const length = ((data[start + 1]! & 0x0f) << 8) | data[start + 2]!;
  return { start, end: Math.min(start + 3 + length - 4, off + PACKET) }; // without the CRC
}

const pidOf = (data: Uint8Array, off: number) => ((data[off + 1]! & 0x1f) << 8) | data[off + 2]!;
const unitStart = (data: Uint8Array, off: number) => (data[off + 1]! & 0x40) !== 0;

/**
 * Whether an MPEG-TS segment lacks audio that its program declares: its PMT lists an audio stream, but no PES packet of
 * that stream starts in the segment (an encoder's first segment often ends before its first audio packet is written).
 * False when the data is not MPEG-TS, has no PAT/PMT, or declares no audio.
 */
export function lacksDeclaredAudio(data: Uint8Array): boolean {
  const pmtPids = new Set<number>();
  const audioPids = new Set<number>();
  // Tables first (ffmpeg and most muxers put PAT and PMT at the start of each segment, but nothing requires it).
  for (let off = 0; off + PACKET <= data.length && data[off] === SYNC; off += PACKET) {
    if (!unitStart(data, off)) continue;
    const pid = pidOf(data, off);
    if (pid === 0) {
      const s = section(data, off);
      if (!s || data[s.start] !== 0x00) continue;
      for (let e = s.start + 8; e + 4 <= s.end; e += 4) {
        const program = (data[e]! << 8) | data[e + 1]!;
        if (program !== 0) pmtPids.add(((data[e + 2]! & 0x1f) << 8) | data[e + 3]!);
      }
    } else if (pmtPids.has(pid)) {
      const s = section(data, off);
      if (!s || data[s.start] !== 0x02) continue;
      const programInfo = ((data[s.start + 10]! & 0x0f) << 8) | data[s.start + 11]!;
      for (let e = s.start + 12 + programInfo; e + 5 <= s.end; ) {
        const streamType = data[e]!;
        const elementaryPid = ((data[e + 1]! & 0x1f) << 8) | data[e + 2]!;
        if (AUDIO_STREAM_TYPES.has(streamType)) audioPids.add(elementaryPid);
        e += 5 + (((data[e + 3]! & 0x0f) << 8) | data[e + 4]!);
      }
    }
  }
  if (audioPids.size === 0) return false;
  for (let off = 0; off + PACKET <= data.length && data[off] === SYNC; off += PACKET) {
    if (unitStart(data, off) && audioPids.has(pidOf(data, off))) return false;
  }
  return true;
}
