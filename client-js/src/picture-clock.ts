/**
 * Where the HlsCdn tester burns its clock into the test pattern: a row of white/black boxes on a black strip at the
 * bottom of the picture, the UTC millisecond of the day in binary (least significant bit first), then an
 * always-white marker box.
 */
export interface PictureClockLayout {
  firstBoxX: number;
  boxPitch: number;
  boxSize: number;
  stripHeight: number;
  dataBits: number;
}

/** The layout the tester draws (HlsCdn.Tester ClockOverlay). */
export const TESTER_CLOCK_LAYOUT: PictureClockLayout = { firstBoxX: 8, boxPitch: 22, boxSize: 18, stripHeight: 38, dataBits: 27 };

const DAY_MS = 86_400_000;

/** A clock read from the picture on screen. */
export interface PictureClockReading {
  /** UTC millisecond of the day burned into the frame (its capture time). */
  burnedMs: number;
  /** The page's clock when the frame was read (ms since the epoch). */
  nowMs: number;
  /** Capture-to-display delay, ms. */
  delayMs: number;
}

function luma(data: Uint8ClampedArray, x: number): number {
  const i = x * 4;
  return 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
}

/** Decodes one pixel row across the strip's middle; null when it does not hold the clock. */
export function decodeClockRow(row: Uint8ClampedArray, width: number, layout: PictureClockLayout = TESTER_CLOCK_LAYOUT): number | null {
  const centre = (i: number) => layout.firstBoxX + i * layout.boxPitch + Math.floor(layout.boxSize / 2);
  if (width < layout.firstBoxX * 2 + (layout.dataBits + 1) * layout.boxPitch) return null;
  // Marker white, the strip dark at both ends: otherwise this is not the test pattern.
  if (luma(row, centre(layout.dataBits)) < 128 || luma(row, 2) > 96 || luma(row, width - 4) > 96) return null;
  let value = 0;
  for (let bit = 0; bit < layout.dataBits; bit++) {
    if (luma(row, centre(bit)) >= 128) value += 2 ** bit;
  }
  return value < DAY_MS ? value : null;
}

/** Delay from a burned UTC millisecond of the day to `nowMs` (epoch ms), across midnight; ms. */
export function clockDelay(burnedMs: number, nowMs: number): number {
  let delay = (((nowMs % DAY_MS) - burnedMs) % DAY_MS + DAY_MS) % DAY_MS;
  if (delay > DAY_MS / 2) delay -= DAY_MS;
  return delay;
}

let canvas: HTMLCanvasElement | null = null;

/**
 * Reads the tester's clock from the frame `video` shows now; null when the picture carries no readable clock (or the
 * canvas is tainted, e.g. by a cross-origin source).
 */
export function readPictureClock(video: HTMLVideoElement, layout: PictureClockLayout = TESTER_CLOCK_LAYOUT): PictureClockReading | null {
  const w = video.videoWidth;
  const h = video.videoHeight;
  if (!w || !h || typeof document === "undefined") return null;
  canvas ??= document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (!context) return null;
  try {
    canvas.width = w;
    canvas.height = 1;
    const y = Math.floor(h - layout.stripHeight / 2);
    context.drawImage(video, 0, y, w, 1, 0, 0, w, 1);
    const nowMs = Date.now();
    const burnedMs = decodeClockRow(context.getImageData(0, 0, w, 1).data, w, layout);
    if (burnedMs === null) return null;
    const delayMs = clockDelay(burnedMs, nowMs);
    return delayMs > -5000 && delayMs < 600_000 ? { burnedMs, nowMs, delayMs } : null;
  } catch {
    return null;
  }
}
