// Binary searches over ascending Float64Arrays: every per-frame question ("how many events between
// t0 and t1 in this lane?") is answered in O(log n), so drawing costs O(pixels), not O(events).

/** First index in [lo, hi) whose value is >= v (hi when none). */
export function lowerBound(a: Float64Array, v: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in [lo, hi) whose value is > v (hi when none). */
export function upperBound(a: Float64Array, v: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many values fall in [start, end). */
export function countInRange(a: Float64Array, start: number, end: number, length = a.length): number {
  if (end <= start) return 0;
  return lowerBound(a, end, 0, length) - lowerBound(a, start, 0, length);
}
