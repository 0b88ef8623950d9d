// Counts per time bin from sorted timestamps, one binary search per bin boundary: the histogram and
// the dense lanes cost O(bins · log n) whatever the number of events.

import { lowerBound } from './search';

/**
 * Fills `out[0..bins)` with the number of values of the ascending `sorted[0..length)` in each of
 * `bins` equal bins spanning [start, end). Values outside the span are not counted.
 */
export function binCounts(
  sorted: Float64Array,
  start: number,
  end: number,
  bins: number,
  out: Uint32Array,
  length = sorted.length,
): Uint32Array {
  if (bins <= 0 || end <= start) {
    out.fill(0, 0, Math.max(0, bins));
    return out;
  }
  const width = (end - start) / bins;
  let prev = lowerBound(sorted, start, 0, length);
  for (let b = 0; b < bins; b++) {
    const edge = b === bins - 1 ? end : start + (b + 1) * width;
    const next = lowerBound(sorted, edge, prev, length);
    out[b] = next - prev;
    prev = next;
  }
  return out;
}

/** The largest value of `counts[0..bins)` (0 when empty). */
export function maxCount(counts: Uint32Array, bins = counts.length): number {
  let m = 0;
  for (let i = 0; i < bins; i++) if ((counts[i] as number) > m) m = counts[i] as number;
  return m;
}

/** Element-wise sum of several bin arrays into `out` (stack totals of the histogram). */
export function sumBins(parts: readonly Uint32Array[], bins: number, out: Uint32Array): Uint32Array {
  out.fill(0, 0, bins);
  for (const p of parts) for (let i = 0; i < bins; i++) out[i] = (out[i] as number) + (p[i] as number);
  return out;
}
