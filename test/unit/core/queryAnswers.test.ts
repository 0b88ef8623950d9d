import * as assert from 'node:assert/strict';
import {
  answersFromArgs,
  buildQuery,
  defaultAnswers,
  itemsAnswer,
  resolveRange,
  selectedItemIds,
  type QueryAnswers,
  type QueryCampaign,
} from '../../../src/core/query/queryAnswers';
import { HIT_SUBTYPES } from '../../../src/np6/events';
import type { EventQuery } from '../../../src/np6/query';

const H = 3_600_000;
const NOW = Date.UTC(2024, 4, 15, 10, 30); // 12:30 in Paris (CEST)
const CAMPAIGN: QueryCampaign = {
  id: '5a1f0c3e-0000-4000-8000-000000000001',
  label: 'Spring Sale',
  items: [{ id: '000PE4' }, { id: '000PE5' }, { id: '42' }],
};

function answers(over: Partial<QueryAnswers> = {}): QueryAnswers {
  return { ...defaultAnswers(), ...over };
}
function query(r: { query: EventQuery } | { error: string }): EventQuery {
  if ('error' in r) assert.fail(r.error);
  return r.query;
}
function error(r: { query: EventQuery } | { error: string }): string {
  if (!('error' in r)) assert.fail(`expected an error, got ${JSON.stringify(r.query)}`);
  return r.error;
}

describe('resolveRange', () => {
  it('resolves a rolling preset against now', () => {
    assert.deepEqual(resolveRange({ preset: 'last24Hours' }, NOW, 'UTC'), { start: NOW - 24 * H, end: NOW });
  });

  it('resolves a calendar preset in the display zone', () => {
    // "today" in Paris began at 00:00 CEST = 22:00 UTC the day before.
    assert.deepEqual(resolveRange({ preset: 'today' }, NOW, 'Europe/Paris'), {
      start: Date.UTC(2024, 4, 14, 22),
      end: Date.UTC(2024, 4, 15, 22),
    });
  });

  it('names the presets when one is unknown', () => {
    const r = resolveRange({ preset: 'lastCentury' }, NOW, 'UTC');
    assert.ok('error' in r);
    assert.match(r.error, /Unknown date preset "lastCentury"/);
    assert.match(r.error, /last24Hours/);
  });

  it('reads custom bounds in the display zone', () => {
    assert.deepEqual(resolveRange({ start: '2024-05-01T09:00', end: '-2h' }, NOW, 'Europe/Paris'), {
      start: Date.UTC(2024, 4, 1, 7),
      end: NOW - 2 * H,
    });
  });

  it('says which bound is refused, and refuses an end that is not after the start', () => {
    const s = resolveRange({ start: 'soon', end: 'now' }, NOW, 'UTC');
    assert.ok('error' in s && s.error.startsWith('Start: '), JSON.stringify(s));
    const e = resolveRange({ start: '-1d', end: 'later' }, NOW, 'UTC');
    assert.ok('error' in e && e.error.startsWith('End: '), JSON.stringify(e));
    const order = resolveRange({ start: 'now', end: '-1h' }, NOW, 'UTC');
    assert.ok('error' in order && /end is not after the start/.test(order.error), JSON.stringify(order));
  });
});

describe('buildQuery', () => {
  it('queries the whole campaign when no item (or every item) is chosen', () => {
    for (const items of [[], ['000PE4', '000PE5', '42']]) {
      const q = query(buildQuery(CAMPAIGN, answers({ items }), NOW, 'UTC'));
      assert.equal(q.endpoint, 'campaign');
      assert.equal(q.itemsEvents[0]?.items, undefined);
    }
  });

  it('queries the items endpoint for a subset, with those items', () => {
    const q = query(buildQuery(CAMPAIGN, answers({ items: ['42'] }), NOW, 'UTC'));
    assert.equal(q.endpoint, 'items');
    assert.deepEqual(q.itemsEvents[0]?.items, ['42']);
    assert.equal(q.campaignId, CAMPAIGN.id);
  });

  it('refuses an item the campaign does not list, naming it and the fix', () => {
    const e = error(buildQuery(CAMPAIGN, answers({ items: ['42', 'ZZZ'] }), NOW, 'UTC'));
    assert.match(e, /Item ZZZ is not an item of campaign "Spring Sale"/);
    assert.match(e, /NP6: Add Item/);
  });

  it('gives subtypes to hits only, and every subtype when none is chosen', () => {
    const q = query(buildQuery(CAMPAIGN, answers({ types: ['hit', 'bounce'], subtypes: [] }), NOW, 'UTC'));
    assert.deepEqual(q.itemsEvents[0]?.events, [
      { type: 'hit', subtypes: [...HIT_SUBTYPES] },
      { type: 'bounce' },
    ]);
    const some = query(buildQuery(CAMPAIGN, answers({ types: ['hit'], subtypes: ['open'] }), NOW, 'UTC'));
    assert.deepEqual(some.itemsEvents[0]?.events, [{ type: 'hit', subtypes: ['open'] }]);
  });

  it('carries the resolved range and the sort', () => {
    const q = query(
      buildQuery(CAMPAIGN, answers({ range: { preset: 'lastHour' }, sort: 'desc' }), NOW, 'UTC'),
    );
    assert.deepEqual([q.start, q.end, q.sort], [NOW - H, NOW, 'desc']);
  });

  it('passes on the range error and the query checks', () => {
    assert.match(
      error(buildQuery(CAMPAIGN, answers({ range: { start: 'x', end: 'now' } }), NOW, 'UTC')),
      /^Start: /,
    );
    assert.match(error(buildQuery(CAMPAIGN, answers({ types: [] }), NOW, 'UTC')), /No event type chosen/);
    assert.match(
      error(buildQuery({ ...CAMPAIGN, id: '' }, answers(), NOW, 'UTC')),
      /The campaign id is empty/,
    );
  });
});

describe('item selection', () => {
  const all = ['000PE4', '000PE5', '42'];
  it('shows every item selected when the answer is "all" (empty)', () => {
    assert.deepEqual(selectedItemIds([], all), all);
  });
  it('shows the remembered items, in the campaign order, dropping unknown ones', () => {
    assert.deepEqual(selectedItemIds(['42', 'gone', '000PE4'], all), ['000PE4', '42']);
  });
  it('answers "all" (empty) when every item is chosen, else the chosen ones', () => {
    assert.deepEqual(itemsAnswer(all, all), []);
    assert.deepEqual(itemsAnswer(['000PE5'], all), ['000PE5']);
  });
});

describe('answersFromArgs', () => {
  const base = answers({ items: ['42'], sort: 'desc' });
  it('keeps the base for what the arguments leave out', () => {
    assert.deepEqual(answersFromArgs({ campaignId: 'c' }, base), base);
  });
  it('takes a preset, or both bounds as text (numbers become strings)', () => {
    const p = answersFromArgs({ campaignId: 'c', preset: 'today' }, base);
    assert.ok(!('error' in p));
    assert.deepEqual(p.range, { preset: 'today' });
    const r = answersFromArgs({ campaignId: 'c', start: 1714550400000, end: 'now', items: [7] }, base);
    assert.ok(!('error' in r));
    assert.deepEqual(r.range, { start: '1714550400000', end: 'now' });
    assert.deepEqual(r.items, ['7']);
  });
  it('refuses half a range and an unknown sort', () => {
    const half = answersFromArgs({ campaignId: 'c', start: '-1d' }, base);
    assert.ok('error' in half && /both "start" and "end"/.test(half.error));
    const sort = answersFromArgs({ campaignId: 'c', sort: 'random' as 'asc' }, base);
    assert.ok('error' in sort && /Unknown sort "random"/.test(sort.error));
  });
});
