import { STARVED_BUFFER } from "./latency";

/** What the emergency check knows about a channel's levels and the loading level's fragment in transfer. */
export interface TransferState {
  /** The level hls.js loads (index, lowest bandwidth first). */
  loadingLevel: number;
  /** The lowest level ABR may choose. */
  minLevel: number;
  /** Seconds since the fragment's `F` header arrived; its bytes have not all come yet. */
  elapsed: number;
  /** The fragment's media duration, seconds. */
  duration: number;
  /** The fragment's expected size in bits (the level's recent bit rate times the duration). */
  expectedBits: number;
  /** Each level's bit rate, bits per second (measured where known, else declared). */
  rates: readonly number[];
  /** Seconds of media buffered ahead of the playhead. */
  bufferAhead: number;
}

/** The switch to make at once: the level to load next and the bandwidth estimate to give hls.js. */
export interface EmergencySwitch {
  level: number;
  estimate: number;
}

/** Share of the link's upper bound that the chosen level may use (a fragment slower than real time says only "less than"). */
export const EMERGENCY_SAFETY = 0.5;

/** Seconds a fragment must have been in transfer before starvation counts against its level (not a fragment arriving now). */
export const STARVING_MIN_ELAPSED = 0.1;

/**
 * Decides a switch down while a fragment is still in transfer, the way hls.js abandons a slow load. The WebSocket
 * delivers a message whole, so there is no progress to measure; two things say the level is too much for the link:
 * - Starving: the buffer ran dry ({@link STARVED_BUFFER}, the latency controller's "starved") while the fragment is
 *   still coming. Waiting for it to finish, or for more evidence, is stall time the viewer sees, so the switch goes to
 *   the lowest level ABR may use at once; the estimate given to hls.js stays below the next level up, so ABR climbs
 *   only when fragments arrive fast again (a hiccup costs a few seconds of lower quality, a real drop no further stall).
 * - Slower than real time: a fragment that takes longer to arrive than it lasts means the link cannot carry the level;
 *   the bound on the link is the expected size over the time so far, and the level chosen is the highest one whose
 *   rate fits within half of that bound (the lowest if none does), with that half as the estimate.
 * Null: no switch.
 */
export function emergencySwitch(s: TransferState): EmergencySwitch | null {
  if (s.loadingLevel <= s.minLevel || !(s.duration > 0) || !(s.expectedBits > 0)) return null;
  const starving = s.bufferAhead < STARVED_BUFFER && s.elapsed >= STARVING_MIN_ELAPSED;
  if (s.elapsed < s.duration && !starving) return null;
  // Past either guard the fragment has been in transfer for a while: the link carries less than this.
  const bound = s.expectedBits / s.elapsed;
  if (s.elapsed < s.duration) {
    const below = s.rates[s.minLevel + 1] ?? Number.POSITIVE_INFINITY;
    return { level: s.minLevel, estimate: Math.min(EMERGENCY_SAFETY * bound, below) };
  }
  const estimate = EMERGENCY_SAFETY * bound;
  let level = s.minLevel;
  for (let i = s.loadingLevel - 1; i > s.minLevel; i--) {
    if (s.rates[i]! <= estimate) {
      level = i;
      break;
    }
  }
  return { level, estimate };
}
