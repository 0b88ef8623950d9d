import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ResultStore } from '../../../src/core/resultStore';
import { readEventRange } from '../../../src/core/readEvents';
import type { Np6Event } from '../../../src/np6/events';
import { allEmailEvents } from '../../../src/np6/query';

function ev(i: number): Np6Event {
  return {
    type: 'hit',
    id: `ev-${i}`,
    timestamp: 1_700_000_000_000 + i,
    // Multi-byte text: offsets are bytes, not characters.
    source: { type: 'email', detail: { activation: { id: 'IT', recipient: `r${i}@exämple.org` } } },
    client: { userAgent: `Agent ${i} — ü`, os: 'iOS' },
  };
}

describe('reading a run of stored events in arrival order', () => {
  let dir: string;
  let store: ResultStore;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'np6-read-range-'));
    store = await ResultStore.create(path.join(dir, 'r'), {
      id: 'r',
      campaignLabel: 'C',
      query: { campaignId: 'c', endpoint: 'campaign', itemsEvents: [allEmailEvents()], sort: 'none' },
    });
  });

  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns the same events as reading them one by one, while the store still appends', async () => {
    for (let i = 0; i < 500; i++) store.append({ event: ev(i), json: JSON.stringify(ev(i)) });
    // Nothing flushed yet for the last ones: the range read must still see them.
    const a = await readEventRange(store, 0, 500);
    for (let i = 500; i < 1200; i++) store.append({ event: ev(i), json: JSON.stringify(ev(i)) });
    const b = await readEventRange(store, 500, 1200);
    const all = [...a, ...b];
    assert.equal(all.length, 1200);
    for (const i of [0, 1, 499, 500, 777, 1199]) {
      assert.deepEqual(all[i], await store.readEvent(i), `event ${i}`);
    }
    assert.deepEqual(
      all.map((e) => e.id),
      Array.from({ length: 1200 }, (_, i) => `ev-${i}`),
    );
    assert.deepEqual(await readEventRange(store, 1200, 1300), [], 'nothing past the end');
    assert.deepEqual(
      (await readEventRange(store, 10, 11)).map((e) => e.id),
      ['ev-10'],
    );
    assert.deepEqual(await readEventRange(store, 20, 20), [], 'an empty range');
    assert.deepEqual(await readEventRange(store, 30, 10), [], 'a reversed range');
  });

  it('reads one event at a time from a store whose index has no file offsets', async () => {
    // Only IndexBuilder knows where each line starts; any other EventIndex takes the slow path.
    const asked: number[] = [];
    const withoutOffsets = {
      index: { length: 3 },
      readEvent: (i: number): Promise<Np6Event> => {
        asked.push(i);
        return Promise.resolve(ev(i));
      },
    } as unknown as ResultStore;
    const got = await readEventRange(withoutOffsets, 1, 10);
    assert.deepEqual(
      got.map((e) => e.id),
      ['ev-1', 'ev-2'],
    );
    assert.deepEqual(asked, [1, 2]);
  });
});
