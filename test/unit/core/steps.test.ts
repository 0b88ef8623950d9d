import assert from 'node:assert/strict';
import { IndexBuilder } from '../../../src/core/eventIndex';
import { classifyIndex, classifySteps } from '../../../src/core/classify/classify';
import { loadRules } from '../../../src/core/classify/rules';
import { computeStats, computeStatsSteps } from '../../../src/core/stats/computeStats';
import { ROWS_PER_STEP, runSliced, type Yielder } from '../../../src/shared/steps';
import { makeCorpus } from '../stats/corpus';

// Classification and statistics run on the extension host a slice at a time: sliced, they must
// give exactly what they give at once, and they must pause (a computation that never yields would
// hold the host for its whole length, 140-450 ms at a million events).

/** A yielder that counts the pauses offered and, on some of them, lets other work run. */
function countingYielder(onPause?: (k: number) => void): Yielder & { pauses: number } {
  const y = {
    pauses: 0,
    async maybeYield(): Promise<void> {
      y.pauses++;
      onPause?.(y.pauses);
      await new Promise<void>((r) => setImmediate(r));
    },
  };
  return y;
}

describe('steps: classification and statistics a slice at a time', () => {
  const n = 30_000;
  const { events } = makeCorpus(n, 7);
  const index = new IndexBuilder();
  events.forEach((e, i) => index.add(e, i * 100, 99));
  const rules = loadRules([]);

  it('classifies the same, sliced or at once, and pauses every few thousand rows', async () => {
    const y = countingYielder();
    const sliced = await runSliced(classifySteps(index, rules), y);
    const once = classifyIndex(index, rules);
    assert.deepEqual(sliced.classes, once.classes);
    assert.deepEqual(sliced.reasons, once.reasons);
    assert.ok(y.pauses >= Math.floor((2 * n) / ROWS_PER_STEP), `${y.pauses} pauses for ${n} rows`);
  });

  it('computes the same statistics, sliced or at once, and pauses', async () => {
    const { classes } = classifyIndex(index, rules);
    const y = countingYielder();
    const sliced = await runSliced(computeStatsSteps(index, { classes }), y);
    const once = computeStats(index, { classes });
    assert.deepEqual({ ...sliced, elapsedMs: 0 }, { ...once, elapsedMs: 0 });
    assert.ok(y.pauses >= Math.floor(n / ROWS_PER_STEP), `${y.pauses} pauses for ${n} rows`);
  });

  it('covers the rows present when it started: rows appended during a pause are left out', async () => {
    const grown = new IndexBuilder();
    events.slice(0, 20_000).forEach((e, i) => grown.add(e, i * 100, 99));
    const before = new IndexBuilder();
    events.slice(0, 20_000).forEach((e, i) => before.add(e, i * 100, 99));
    // During the first pause, the rest of the events arrive (a refresh appending).
    const y = countingYielder((k) => {
      if (k === 1) events.slice(20_000).forEach((e, i) => grown.add(e, (20_000 + i) * 100, 99));
    });
    const stats = await runSliced(computeStatsSteps(grown), y);
    assert.equal(grown.length, n);
    assert.deepEqual({ ...stats, elapsedMs: 0 }, { ...computeStats(before), elapsedMs: 0 });
    const classes = await runSliced(classifySteps(grown, rules, {}, 20_000), countingYielder());
    assert.deepEqual(classes.classes, classifyIndex(before, rules).classes);
  });
});
