import assert from 'node:assert/strict';
import {
  DAY_MS,
  DEFAULT_WINDOW_POLICY,
  HOUR_MS,
  initialWindowMs,
  nextWindowMs,
  planWindows,
  splitWindow,
  windowsLeft,
} from '../../../src/core/windowPlan';

describe('windowPlan', () => {
  it('covers a range with consecutive windows, the last one clipped', () => {
    const start = Date.UTC(2024, 0, 1);
    const end = start + 2 * DAY_MS + 5 * HOUR_MS;
    const w = planWindows(start, end, DAY_MS);
    assert.equal(w.length, 3);
    assert.equal(w[0]!.start, start);
    for (let i = 1; i < w.length; i++) assert.equal(w[i]!.start, w[i - 1]!.end, 'no gap, no overlap');
    assert.equal(w[w.length - 1]!.end, end);
    assert.equal(w[2]!.end - w[2]!.start, 5 * HOUR_MS);
    assert.equal(windowsLeft(start, end, DAY_MS), 3);
    assert.equal(windowsLeft(end, end, DAY_MS), 0);
  });

  it('starts at one day, or the requested length, never longer than the range', () => {
    const start = 0;
    assert.equal(initialWindowMs({ start, end: 10 * DAY_MS }), DAY_MS);
    assert.equal(initialWindowMs({ start, end: 10 * DAY_MS }, HOUR_MS), HOUR_MS);
    assert.equal(initialWindowMs({ start, end: 3 * HOUR_MS }), 3 * HOUR_MS);
    assert.equal(initialWindowMs({ start, end: 500 }), 500, 'a range shorter than the minimum is one window');
    assert.throws(() => initialWindowMs({ start, end: DAY_MS }, 0), /positive/);
    assert.throws(() => planWindows(0, 10, 0), /positive/);
  });

  it('widens nearly empty windows, narrows crowded ones, keeps steady ones', () => {
    const p = DEFAULT_WINDOW_POLICY;
    assert.equal(nextWindowMs(HOUR_MS, 0), 4 * HOUR_MS);
    const sparse = nextWindowMs(HOUR_MS, p.targetEvents / 10);
    assert.ok(sparse > HOUR_MS && sparse <= 4 * HOUR_MS, `sparse → ${sparse}`);
    assert.equal(nextWindowMs(HOUR_MS, p.targetEvents / 2), HOUR_MS);
    assert.equal(nextWindowMs(HOUR_MS, p.targetEvents * 4), HOUR_MS / 4);
    assert.equal(nextWindowMs(2000, p.targetEvents * 100), p.minWindowMs, 'never below the minimum');
    assert.equal(nextWindowMs(80 * DAY_MS, 0), p.maxWindowMs, 'never above the maximum');
  });

  it('halves a window down to the minimum length', () => {
    const halves = splitWindow({ start: 1000, end: 5000 });
    assert.deepEqual(halves, [
      { start: 1000, end: 3000 },
      { start: 3000, end: 5000 },
    ]);
    assert.equal(splitWindow({ start: 0, end: 1999 }), undefined);
  });
});
