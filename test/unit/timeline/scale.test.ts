import assert from 'node:assert/strict';
import {
  brushWindow,
  clampWindow,
  dataExtent,
  MIN_SPAN_MS,
  panBy,
  ticks,
  timeOfX,
  xOfTime,
  zoomAround,
} from '../../../src/shared/timeline/scale';

describe('timeline scale', () => {
  const w = { start: 1000, end: 2000 };
  const limits = { start: 0, end: 10_000 };

  it('maps time to x and back', () => {
    assert.equal(xOfTime(1500, w, 200), 100);
    assert.equal(xOfTime(1000, w, 200), 0);
    assert.equal(timeOfX(50, w, 200), 1250);
    for (const t of [1000, 1234.5, 1999]) assert.ok(Math.abs(timeOfX(xOfTime(t, w, 333), w, 333) - t) < 1e-9);
  });

  it('pads the data extent and handles empty or single-instant data', () => {
    const e = dataExtent(1_000_000, 2_000_000);
    assert.ok(e.start < 1_000_000 && e.end > 2_000_000);
    const one = dataExtent(5000, 5000);
    assert.ok(one.end - one.start >= MIN_SPAN_MS && one.start <= 5000 && one.end > 5000);
    const none = dataExtent(NaN, NaN, 3_600_000 * 5);
    assert.deepEqual(none, { start: 3_600_000 * 4, end: 3_600_000 * 5 });
  });

  it('zooms around an anchor that keeps its pixel', () => {
    const z = zoomAround(w, 1250, 0.5, limits);
    assert.equal(z.end - z.start, 500);
    assert.equal(xOfTime(1250, z, 100), xOfTime(1250, w, 100));
    const out = zoomAround(w, 1500, 100, limits);
    assert.deepEqual(out, limits, 'zooming out stops at the limits');
    const tiny = zoomAround(w, 1500, 1e-9, limits);
    assert.equal(tiny.end - tiny.start, MIN_SPAN_MS, 'zooming in stops at the minimum span');
  });

  it('pans without changing the span and stays inside the limits', () => {
    assert.deepEqual(panBy(w, 300, limits), { start: 1300, end: 2300 });
    assert.deepEqual(panBy(w, -5000, limits), { start: 0, end: 1000 });
    assert.deepEqual(panBy(w, 50_000, limits), { start: 9000, end: 10_000 });
  });

  it('clamps windows wider than the limits to the limits', () => {
    assert.deepEqual(clampWindow({ start: -5, end: 20_000 }, limits), limits);
  });

  it('turns a brush drag (either direction) into a window', () => {
    assert.deepEqual(brushWindow(150, 50, w, 200, limits), { start: 1250, end: 1750 });
    const zero = brushWindow(100, 100, w, 200, limits);
    assert.equal(zero.end - zero.start, MIN_SPAN_MS);
  });

  it('places ticks on round values of the display zone', () => {
    const day = 86_400_000;
    const t = ticks({ start: Date.UTC(2024, 0, 1, 5), end: Date.UTC(2024, 0, 8, 5) }, 10);
    assert.equal(t.step, day);
    assert.equal(t.times[0], Date.UTC(2024, 0, 2));
    assert.ok(t.times.every((x) => x % day === 0));
    // In UTC+2 days start at 22:00 UTC.
    const local = ticks({ start: Date.UTC(2024, 0, 1, 5), end: Date.UTC(2024, 0, 8, 5) }, 10, 2 * 3_600_000);
    assert.equal(local.times[0], Date.UTC(2024, 0, 1, 22));
    const fine = ticks({ start: 0, end: 1000 }, 5);
    assert.equal(fine.step, 200);
    assert.ok(fine.times.length <= 6);
  });
});
