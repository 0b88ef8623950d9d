// The CSV export's class column lines up with the rows: classesInExportOrder gives the class of
// each record in the exact order a real result store hands its records over (time order, ties in
// arrival order, events without a timestamp last; all of them or those of a selection). And the
// class cache: the statistics and the timeline share one classification per result state.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ClassCache } from '../../../src/core/classify/classCache';
import { classesInExportOrder } from '../../../src/core/classify/exportClasses';
import { indexBitmap } from '../../../src/shared/timeline/selectRecords';
import { ResultStore } from '../../../src/core/resultStore';
import type { Np6Event } from '../../../src/np6/events';
import { allEmailEvents, type EventQuery } from '../../../src/np6/query';
import { record, removeDir, tempDir } from '../core/scaleHelpers';

function hit(id: string, timestamp: number, ua: string): Np6Event {
  return {
    type: 'hit',
    id,
    timestamp,
    source: {
      type: 'email',
      detail: {
        activation: { id: 'item', receiver: { type: 'footprint', id: `fp-${id}` } },
        link: { type: 'open' },
        client: { ua: { ua } },
      },
    },
  };
}

describe('classes in export order', () => {
  const q: EventQuery = {
    campaignId: 'c',
    endpoint: 'campaign',
    itemsEvents: [allEmailEvents()],
    sort: 'none',
  };

  it('follows the store records order: time, ties by arrival, untimed last; whole or a selection', async () => {
    const dir = tempDir('np6-classes-');
    const store = await ResultStore.create(path.join(dir, 'r'), { id: 'r', campaignLabel: 'C', query: q });
    try {
      let seed = 9;
      const rnd = (k: number): number =>
        Math.floor(((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * k);
      const n = 400;
      for (let i = 0; i < n; i++) {
        // Few distinct times (many ties), some events without a timestamp, arrival out of time order.
        const ts = rnd(10) === 0 ? Number.NaN : 1000 * rnd(30);
        store.append(record(hit(`e${i}`, ts, 'UA')));
      }
      await store.finish({ complete: true, missing: [] });
      // A class per arrival index that names its event: i % 250.
      const classes = Uint8Array.from({ length: n }, (_, i) => i % 250);
      const idOf = (r: { event: Np6Event }): number => Number(String(r.event.id).slice(1));
      const whole: number[] = [];
      for await (const r of store.records('time')) whole.push(idOf(r) % 250);
      assert.deepEqual([...classesInExportOrder(classes, store.index)], whole);
      const only = Array.from({ length: 150 }, () => rnd(n));
      const some: number[] = [];
      for await (const r of store.records('time', indexBitmap(only, n))) some.push(idOf(r) % 250);
      assert.deepEqual([...classesInExportOrder(classes, store.index, only)], some);
    } finally {
      await store.close();
      removeDir(dir);
    }
  });

  it('classifies a result once for every caller, again when it grew or the extra rules changed', async () => {
    const dir = tempDir('np6-classes-');
    const store = await ResultStore.create(path.join(dir, 'r'), { id: 'r', campaignLabel: 'C', query: q });
    try {
      store.append(record(hit('a', 1000, 'Mozilla/5.0 (iPhone)')));
      store.append(record(hit('b', 2000, 'Googlebot/2.1')));
      const cache = new ClassCache();
      // The second caller asks while the first computation runs: both get that one.
      const first = cache.classesOf(store.index, []);
      const second = cache.classesOf(store.index, []);
      assert.equal(second, first, 'the second caller gets the same computation');
      assert.equal(cache.computed, 1);
      assert.deepEqual([...(await first).classes], [0, 3]);
      store.append(record(hit('c', 3000, 'curl/8.0')));
      assert.deepEqual([...(await cache.classesOf(store.index, [])).classes], [0, 3, 3]);
      assert.equal(cache.computed, 2);
      const extra = [
        {
          id: 'mine',
          class: 'security scanner' as const,
          userAgent: { contains: ['iPhone'] },
          source: 'test',
        },
      ];
      assert.deepEqual([...(await cache.classesOf(store.index, extra)).classes], [2, 3, 3]);
      assert.equal(cache.computed, 3);
    } finally {
      await store.close();
      removeDir(dir);
    }
  });
});
