import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResultLibrary } from '../../../src/core/resultLibrary';
import { allEmailEvents, type EventQuery } from '../../../src/np6/query';
import { record, removeDir, tempDir } from './scaleHelpers';

const QUERY: EventQuery = {
  campaignId: 'camp',
  endpoint: 'campaign',
  itemsEvents: [allEmailEvents()],
  start: 0,
  end: 10_000,
  sort: 'none',
};

/** A finished result of `events` events about 200 bytes each, started at `startedAt`. */
async function addResult(lib: ResultLibrary, id: string, events: number, startedAt: number): Promise<void> {
  const store = await lib.create({ id, campaignLabel: `label ${id}`, query: QUERY });
  for (let i = 0; i < events; i++) {
    store.append(record({ type: 'hit', id: `${id}-${i}`, timestamp: i, pad: 'x'.repeat(150) }));
  }
  store.summary.startedAt = startedAt;
  await store.finish({ complete: true, missing: [] });
  await store.close();
}

describe('ResultLibrary', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir();
  });
  afterEach(() => removeDir(root));

  it('lists results newest first, opens them, removes and clears', async () => {
    const lib = new ResultLibrary(path.join(root, 'results'), 1e9);
    assert.deepEqual(await lib.list(), [], 'a missing root is an empty library');
    await addResult(lib, 'old', 10, 1000);
    await addResult(lib, 'new', 20, 3000);
    await addResult(lib, 'mid', 5, 2000);
    assert.deepEqual(
      (await lib.list()).map((s) => [s.id, s.count]),
      [
        ['new', 20],
        ['mid', 5],
        ['old', 10],
      ],
    );
    const opened = await lib.open('mid');
    assert.equal(opened.index.length, 5);
    await opened.close();
    await lib.remove('mid');
    assert.deepEqual(
      (await lib.list()).map((s) => s.id),
      ['new', 'old'],
    );
    // Something else of the extension's in the same root is not a result: never listed, never removed.
    fs.mkdirSync(path.join(root, 'results', 'other-data'));
    await lib.clear();
    assert.deepEqual(await lib.list(), []);
    assert.deepEqual(fs.readdirSync(path.join(root, 'results')), ['other-data']);
  });

  it('evicts the oldest results first until the budget fits, never the kept ones', async () => {
    const probe = new ResultLibrary(root, 0);
    await addResult(probe, 'a', 100, 1000);
    const oneResult = await probe.sizeOf('a');
    assert.ok(oneResult > 100 * 150, `a result takes its bytes on disk (${oneResult})`);
    await addResult(probe, 'b', 100, 2000);
    await addResult(probe, 'c', 100, 3000);
    await addResult(probe, 'd', 100, 4000);

    // Room for two results: the two oldest go, except 'a' which is on screen.
    const lib = new ResultLibrary(root, Math.floor(oneResult * 2.5));
    const evicted = await lib.enforceBudget(['a']);
    assert.deepEqual(evicted, ['b', 'c']);
    assert.deepEqual(
      (await lib.list()).map((s) => s.id),
      ['d', 'a'],
    );
    assert.deepEqual(await lib.enforceBudget(['a']), [], 'nothing more to evict once within budget');
  });

  it('refuses ids that are not safe folder names', async () => {
    const lib = new ResultLibrary(root, 1e9);
    await assert.rejects(
      lib.create({ id: '../escape', campaignLabel: 'x', query: QUERY }),
      /safe folder name/,
    );
    await assert.rejects(lib.open('a/b'), /safe folder name/);
  });
});
