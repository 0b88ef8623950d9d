// Range checks for every number that becomes a timer or a size bound in the NP6 client.
//
// Node's setTimeout takes a signed 32-bit delay: anything above 2^31-1 ms (24.8 days) is replaced
// by 1 ms, with only a warning. So `--timeout 3000000` (seconds) used to fire after 1 ms. Every
// delay is refused or clamped here before it reaches a timer.

/** The longest delay setTimeout honours (2^31-1 ms, about 24.8 days). */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * What is wrong with a timeout in milliseconds, or undefined when setTimeout can honour it:
 * a finite number from 1 to MAX_TIMER_MS. `what` names it in the message ("the request timeout").
 */
export function checkTimeoutMs(ms: number, what = 'The timeout'): string | undefined {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 1) {
    return `${what} must be a positive number of milliseconds (got ${String(ms)}).`;
  }
  if (ms > MAX_TIMER_MS) {
    return `${what} of ${ms} ms is longer than the ${MAX_TIMER_MS} ms (24 days) a timer can wait: choose a shorter one.`;
  }
  return undefined;
}

/** A delay fit for setTimeout: `fallback` when not a usable number, at most MAX_TIMER_MS. */
export function clampTimeoutMs(ms: number | undefined, fallback: number): number {
  if (ms === undefined || !Number.isFinite(ms) || ms < 1) return fallback;
  return Math.min(Math.round(ms), MAX_TIMER_MS);
}

/** A non-negative number (bytes, bytes per second, a count), or `fallback` when not one. */
export function nonNegativeOr(
  v: number | undefined,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (v === undefined || !Number.isFinite(v) || v < 0) return fallback;
  return Math.min(v, max);
}
