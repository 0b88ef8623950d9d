import assert from 'node:assert/strict';
import {
  parseInstant,
  requestBody,
  requestPath,
  validateQuery,
  type EventQuery,
} from '../../../src/np6/query';

const base: EventQuery = {
  campaignId: 'c1',
  endpoint: 'campaign',
  itemsEvents: [{ channel: 'email', events: [{ type: 'hit', subtypes: ['open'] }] }],
  sort: 'asc',
};

describe('query', () => {
  it('parses ISO with and without offset, date only, epoch ms and Date', () => {
    assert.deepEqual(parseInstant('2024-05-01'), { ms: Date.UTC(2024, 4, 1) });
    assert.deepEqual(parseInstant('2024-05-01T09:00:00Z'), { ms: Date.UTC(2024, 4, 1, 9) });
    assert.deepEqual(parseInstant('2024-05-01T09:00'), { ms: Date.UTC(2024, 4, 1, 9) });
    assert.deepEqual(parseInstant('2024-05-01T09:00:00+02:00'), { ms: Date.UTC(2024, 4, 1, 7) });
    assert.deepEqual(parseInstant('2024-05-01T09:00:00+0200'), { ms: Date.UTC(2024, 4, 1, 7) });
    assert.deepEqual(parseInstant('1714554000000'), { ms: 1714554000000 });
    assert.deepEqual(parseInstant(1714554000000), { ms: 1714554000000 });
    assert.deepEqual(parseInstant(new Date(5)), { ms: 5 });
  });

  it('refuses what is not a date, saying what to use', () => {
    const r = parseInstant('yesterday-ish');
    assert.ok('error' in r && r.error.includes('ISO 8601'));
    assert.ok('error' in parseInstant('2024-13-45'));
    assert.ok('error' in parseInstant(-1));
    assert.ok('error' in parseInstant(new Date(NaN)));
  });

  it('builds path and body, sending ISO UTC and echoing item ids unchanged', () => {
    const q: EventQuery = {
      ...base,
      endpoint: 'items',
      itemsEvents: [{ ...base.itemsEvents[0]!, items: ['000PE4', 12] }],
      start: Date.UTC(2024, 0, 1),
      end: Date.UTC(2024, 0, 2),
    };
    assert.equal(
      requestPath(q),
      '/campaigns/c1/items/events?start=2024-01-01T00%3A00%3A00.000Z&end=2024-01-02T00%3A00%3A00.000Z&sort=asc',
    );
    assert.deepEqual(requestBody(q), {
      itemsEvents: [{ type: 'email', events: [{ type: 'hit', subtypes: ['open'] }], items: ['000PE4', 12] }],
    });
    assert.equal(requestPath({ ...base, sort: 'none' }), '/campaigns/c1/events');
  });

  it('validates with actionable messages', () => {
    assert.deepEqual(validateQuery(base), []);
    const msgs = validateQuery({
      ...base,
      campaignId: 'a b',
      itemsEvents: [{ channel: 'email', events: [] }],
      start: 10,
      end: 5,
    }).map((p) => p.message);
    assert.equal(msgs.length, 3);
    assert.match(msgs[0]!, /spaces/);
    assert.match(msgs[1]!, /No event type chosen/);
    assert.match(msgs[2]!, /not after the start/);
    assert.match(validateQuery({ ...base, endpoint: 'items' })[0]!.message, /needs item ids/);
  });
});
