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
export declare const TESTER_CLOCK_LAYOUT: PictureClockLayout;
/** A clock read from the picture on screen. */
export interface PictureClockReading {
    /** UTC millisecond of the day burned into the frame (its capture time). */
    burnedMs: number;
    /** The page's clock when the frame was read (ms since the epoch). */
    nowMs: number;
    /** Capture-to-display delay, ms. */
    delayMs: number;
}
/** Decodes one pixel row across the strip's middle; null when it does not hold the clock. */
export declare function decodeClockRow(row: Uint8ClampedArray, width: number, layout?: PictureClockLayout): number | null;
/** Delay from a burned UTC millisecond of the day to `nowMs` (epoch ms), across midnight; ms. */
export declare function clockDelay(burnedMs: number, nowMs: number): number;
/**
 * Reads the tester's clock from the frame `video` shows now; null when the picture carries no readable clock (or the
 * canvas is tainted, e.g. by a cross-origin source).
 */
export declare function readPictureClock(video: HTMLVideoElement, layout?: PictureClockLayout): PictureClockReading | null;
