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
}

/** The switch to make at once: the level to load next and the bandwidth estimate to give hls.js. */
export interface EmergencySwitch {
  level: number;
  estimate: number;
}

/** Share of the link's upper bound that the chosen level may use (a fragment slower than real time says only "less than"). */
export const EMERGENCY_SAFETY = 0.5;

/**
 * Decides a switch down while a fragment is still in transfer, the way hls.js abandons a slow load: a fragment that
 * takes longer to arrive than it lasts means the link cannot carry this level in real time. The WebSocket delivers a
 * message whole, so there is no progress to measure: the bound on the link is the expected size over the time so far,
 * and the level chosen is the highest one whose rate fits within half of that bound (the lowest if none does). The
 * estimate given to hls.js is that half, so its ABR does not climb straight back. Null: no switch.
 */
export function emergencySwitch(s: TransferState): EmergencySwitch | null {
  if (s.loadingLevel <= s.minLevel || !(s.duration > 0) || s.elapsed < s.duration || !(s.expectedBits > 0)) return null;
  const estimate = (EMERGENCY_SAFETY * s.expectedBits) / s.elapsed;
  let level = s.minLevel;
  for (let i = s.loadingLevel - 1; i > s.minLevel; i--) {
    if (s.rates[i]! <= estimate) {
      level = i;
      break;
    }
  }
  return { level, estimate };
}
