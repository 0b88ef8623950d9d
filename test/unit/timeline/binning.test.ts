import assert from 'node:assert/strict';
import { binCounts, maxCount, sumBins } from '../../../src/shared/timeline/binning';
import { countInRange, lowerBound, upperBound } from '../../../src/shared/timeline/search';

/** The obvious O(n) reference the binary-search version must agree with. */
function naiveBins(values: number[], start: number, end: number, bins: number): number[] {
  const out = new Array<number>(bins).fill(0);
  const width = (end - start) / bins;
  for (const v of values) {
    if (v < start || v >= end) continue;
    let b = Math.floor((v - start) / width);
    // Floating point: the edge a value sits on decides, as in the sorted search.
    while (b > 0 && v < start + b * width) b--;
    while (b < bins - 1 && v >= start + (b + 1) * width) b++;
    out[b] = (out[b] as number) + 1;
  }
  return out;
}

describe('timeline binning and search', () => {
  const sorted = Float64Array.from([1, 2, 2, 2, 5, 9, 9, 10]);

  it('finds lower and upper bounds with duplicates', () => {
    assert.equal(lowerBound(sorted, 2), 1);
    assert.equal(upperBound(sorted, 2), 4);
    assert.equal(lowerBound(sorted, 0), 0);
    assert.equal(lowerBound(sorted, 11), 8);
    assert.equal(countInRange(sorted, 2, 9), 4, '[2, 9): 2,2,2,5');
    assert.equal(countInRange(sorted, 9, 9), 0);
  });

  it('counts per bin like the naive loop, on random data', () => {
    let seed = 42;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 20; round++) {
      const values = Array.from({ length: 500 + round * 50 }, () => Math.floor(rnd() * 100_000));
      values.sort((a, b) => a - b);
      const start = Math.floor(rnd() * 30_000);
      const end = start + 1 + Math.floor(rnd() * 80_000);
      const bins = 1 + Math.floor(rnd() * 300);
      const got = Array.from(binCounts(Float64Array.from(values), start, end, bins, new Uint32Array(bins)));
      assert.deepEqual(got, naiveBins(values, start, end, bins));
    }
  });

  it('respects a length smaller than the array (growable buffers)', () => {
    const out = binCounts(sorted, 0, 11, 1, new Uint32Array(1), 4);
    assert.equal(out[0], 4);
  });

  it('returns zeros for an empty span and sums stacks', () => {
    assert.deepEqual(Array.from(binCounts(sorted, 5, 5, 3, new Uint32Array(3))), [0, 0, 0]);
    const a = Uint32Array.from([1, 2, 3]);
    const b = Uint32Array.from([4, 0, 1]);
    assert.deepEqual(Array.from(sumBins([a, b], 3, new Uint32Array(3))), [5, 2, 4]);
    assert.equal(maxCount(a), 3);
  });
});
