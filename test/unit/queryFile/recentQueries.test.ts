// Recent Queries: the last 20, the same question moved up (not doubled), pinned ones kept, and what
// globalState holds read back through the query file checks.
import * as assert from 'node:assert/strict';
import { parseQueryFile, type QueryFile } from '../../../src/core/queryFile/queryFile';
import {
  addRecent,
  MAX_RECENT,
  parseRecent,
  pinRecent,
  recentOrder,
  removeRecent,
  type RecentQuery,
} from '../../../src/core/queryFile/recentQueries';

const CAMPAIGN = '5a1f0c3e-0000-4000-8000-000000000001';
function file(last: string, title?: string): QueryFile {
  const r = parseQueryFile({ campaignId: CAMPAIGN, range: { last }, ...(title ? { title } : {}) });
  if ('error' in r) assert.fail(r.error);
  return r.value;
}

describe('recent queries', () => {
  it('keeps the last 20, newest first', () => {
    let list: RecentQuery[] = [];
    for (let i = 1; i <= 25; i++) list = addRecent(list, file(`${i}h`), i);
    assert.equal(list.length, MAX_RECENT);
    assert.deepEqual(
      list.map((r) => r.file.range),
      Array.from({ length: 20 }, (_, i) => ({ last: `${25 - i}h` })),
    );
  });

  it('the same question asked again moves up, keeping its id, pin and title', () => {
    let list = addRecent([], file('1h', 'Hourly'), 1);
    list = addRecent(list, file('2h'), 2);
    const id = list[1]?.id ?? '';
    list = pinRecent(list, id, 'np6-queries/hourly.np6query.json');
    list = addRecent(list, file('1h'), 3);
    assert.equal(list.length, 2);
    assert.equal(list[0]?.id, id);
    assert.equal(list[0]?.file.title, 'Hourly');
    assert.equal(list[0]?.pinned, 'np6-queries/hourly.np6query.json');
    assert.equal(list[0]?.at, 3);
  });

  it('pinned queries are not pushed out and come first', () => {
    let list = addRecent([], file('99h'), 0);
    list = pinRecent(list, list[0]?.id ?? '', 'p.np6query.json');
    for (let i = 1; i <= 30; i++) list = addRecent(list, file(`${i}h`), i);
    assert.equal(list.length, MAX_RECENT + 1);
    assert.deepEqual(recentOrder(list)[0]?.file.range, { last: '99h' });
    assert.equal(removeRecent(list, list.find((r) => r.pinned)?.id ?? '').length, MAX_RECENT);
  });

  it('reads back only entries that pass the file checks (no key, no URL, no bad id)', () => {
    const good = addRecent([], file('1h'), 1);
    const stored: unknown = [
      ...good,
      { id: 'bad1', at: 1, file: { campaignId: CAMPAIGN, range: { last: '1h' }, apiKey: 'k' } },
      { id: 'bad2', at: 1, file: { campaignId: '../x', range: { last: '1h' } } },
      { id: 'Bad Id!', at: 1, file: file('2h') },
      // Times no Date can hold: the tree's tooltip writes the time with toISOString, which throws.
      { id: 'bad3', at: 1e300, file: file('3h') },
      { id: 'bad4', at: -8.65e15, file: file('3h') },
      { id: 'bad5', at: Number.NaN, file: file('3h') },
      null,
      'x',
    ];
    assert.deepEqual(parseRecent(stored), good);
    assert.deepEqual(parseRecent({}), []);
    for (const r of parseRecent(stored)) assert.equal(typeof new Date(r.at).toISOString(), 'string');
  });
});
