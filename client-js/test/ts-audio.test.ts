import { describe, expect, it } from "vitest";
import { lacksDeclaredAudio } from "../src/ts-audio";

const PACKET = 188;

/** A 188-byte packet on `pid` whose payload is `payload` (padded with 0xff); `start` sets payload_unit_start. */
function packet(pid: number, payload: number[], start = true): number[] {
  const p = [0x47, (start ? 0x40 : 0) | ((pid >> 8) & 0x1f), pid & 0xff, 0x10, ...payload];
  while (p.length < PACKET) p.push(0xff);
  return p;
}

/** A section (pointer field 0, table id, length), CRC bytes zeroed: the parser does not check them. */
function section(tableId: number, body: number[]): number[] {
  const length = body.length + 5 + 4; // transport/program number .. last section number, body, CRC
  return [0x00, tableId, 0xb0 | ((length >> 8) & 0x0f), length & 0xff, 0x00, 0x01, 0xc1, 0x00, 0x00, ...body, 0, 0, 0, 0];
}

const pat = packet(0x0000, section(0x00, [0x00, 0x01, 0xe0 | 0x10, 0x00])); // program 1 -> PMT PID 0x1000
/** PMT: PCR PID 0x100, no program info, then the streams [type, pid]. */
const pmt = (streams: [number, number][]) =>
  packet(0x1000, section(0x02, [0xe1, 0x00, 0xf0, 0x00, ...streams.flatMap(([type, pid]) => [type, 0xe0 | (pid >> 8), pid & 0xff, 0xf0, 0x00])]));
/** The first packet of a PES packet (stream id `sid`) on `pid`. */
const pes = (pid: number, sid: number) => packet(pid, [0x00, 0x00, 0x01, sid, 0x00, 0x00, 0x80, 0x80, 0x05, 0x21, 0x00, 0x01, 0x00, 0x01]);
const segment = (...packets: number[][]) => new Uint8Array(packets.flat());

const h264AndAac = pmt([
  [0x1b, 0x100],
  [0x0f, 0x101],
]);

describe("lacksDeclaredAudio", () => {
  it("is true for a segment whose program declares AAC but carries video only", () => {
    expect(lacksDeclaredAudio(segment(pat, h264AndAac, pes(0x100, 0xe0), packet(0x100, [1, 2, 3], false)))).toBe(true);
  });

  it("is false once an audio PES packet starts in the segment", () => {
    expect(lacksDeclaredAudio(segment(pat, h264AndAac, pes(0x100, 0xe0), pes(0x101, 0xc0)))).toBe(false);
  });

  it("is false when the program declares no audio, or the data has no tables or is not MPEG-TS", () => {
    expect(lacksDeclaredAudio(segment(pat, pmt([[0x1b, 0x100]]), pes(0x100, 0xe0)))).toBe(false);
    expect(lacksDeclaredAudio(segment(pes(0x100, 0xe0)))).toBe(false);
    expect(lacksDeclaredAudio(new Uint8Array([1, 2, 3, 4]))).toBe(false);
  });

  it("finds the tables wherever they are in the segment", () => {
    expect(lacksDeclaredAudio(segment(pes(0x101, 0xc0), pat, h264AndAac, pes(0x100, 0xe0)))).toBe(false);
    expect(lacksDeclaredAudio(segment(pes(0x100, 0xe0), pat, h264AndAac))).toBe(true);
  });
});
