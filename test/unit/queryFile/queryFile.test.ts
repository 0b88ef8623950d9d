// Query files: the parser's checks, relative ranges resolved when run, and the round trip from the
// query flow's answers to a file and back.
import * as assert from 'node:assert/strict';
import { resolveRange, defaultAnswers, type QueryAnswers } from '../../../src/core/query/queryAnswers';
import {
  answersOf,
  parseQueryFile,
  parseQueryFileText,
  queryFileName,
  queryFileOf,
  queryFileOfEventQuery,
  queryFileText,
  type QueryFile,
} from '../../../src/core/queryFile/queryFile';
import { describeQuery } from '../../../src/core/queryFile/describeQuery';
import { HIT_SUBTYPES } from '../../../src/np6/events';

const CAMPAIGN = '5a1f0c3e-0000-4000-8000-000000000001';
const H = 3_600_000;
const D = 24 * H;
const NOW = Date.UTC(2024, 4, 15, 10, 30); // 12:30 in Paris (CEST)

function ok(r: { value: QueryFile } | { error: string }): QueryFile {
  if ('error' in r) assert.fail(r.error);
  return r.value;
}
function err(r: { value: QueryFile } | { error: string }): string {
  if ('value' in r) assert.fail(`accepted: ${JSON.stringify(r.value)}`);
  return r.error;
}
function range(f: QueryFile, now = NOW, zone = 'UTC'): { start: number; end: number } {
  const r = resolveRange(answersOf(f).range, now, zone);
  if ('error' in r) assert.fail(r.error);
  return r;
}

describe('query files: parsing', () => {
  it('fills the defaults: whole campaign, every type, all subtypes, ascending', () => {
    const f = ok(parseQueryFile({ campaignId: CAMPAIGN, range: { last: '7d' } }));
    assert.deepEqual(f.items, []);
    assert.deepEqual(f.types, defaultAnswers().types);
    assert.deepEqual(f.subtypes, []);
    assert.equal(f.sort, 'asc');
    assert.deepEqual(answersOf(f).subtypes, [...HIT_SUBTYPES]);
  });

  it('refuses a key or an address, whatever its name, with a message that says why', () => {
    for (const name of [
      'apiKey',
      'api_key',
      'key',
      'KEY',
      'token',
      'Authorization',
      'baseUrl',
      'base_url',
      'url',
      'host',
      'password',
    ]) {
      const e = err(parseQueryFile({ campaignId: CAMPAIGN, range: { last: '7d' }, [name]: 'x' }));
      assert.match(e, /never holds an API key or a base URL/, name);
    }
    // Inside the range too.
    assert.match(
      err(parseQueryFile({ campaignId: CAMPAIGN, range: { last: '7d', url: 'x' } })),
      /never holds/,
    );
  });

  it('reads item ids given as numbers, and refuses ids that would change the request path', () => {
    assert.deepEqual(
      ok(parseQueryFile({ campaignId: CAMPAIGN, items: [42, '000PE4', 42], range: { last: '1h' } })).items,
      ['42', '000PE4'],
    );
    for (const bad of ['../x', 'a/b', 'a?b', 'a#b', '%2e', '', 'a\u202eb', 1.5, -1]) {
      assert.match(
        err(parseQueryFile({ campaignId: CAMPAIGN, items: [bad], range: { last: '1h' } })),
        /items/,
      );
    }
    for (const bad of ['..', 'x/../y', 'a b', '\u200b', 'a'.repeat(257)]) {
      assert.match(err(parseQueryFile({ campaignId: bad, range: { last: '1h' } })), /campaignId/);
    }
  });

  it('says what is wrong with a range', () => {
    const e = (range: unknown): string => err(parseQueryFile({ campaignId: CAMPAIGN, range }));
    assert.match(e({ last: 'a week' }), /range.last/);
    assert.match(e({ last: '0s' }), /range.last/);
    assert.match(e({ start: '-2h' }), /both "start" and "end"/);
    assert.match(e({ start: 'soon', end: 'now' }), /range.start/);
    assert.match(e({ start: '2024-02-30', end: 'now' }), /not a real date/);
    assert.match(e({ start: -5, end: 'now' }), /range.start/);
    assert.match(e({ preset: 'lastYear' }), /range.preset/);
    assert.match(e({ last: '7d', preset: 'today' }), /takes nothing else/);
    assert.match(e('7d'), /must be an object/);
  });

  it('reports a file that is not JSON', () => {
    assert.match(err(parseQueryFileText('{ "campaignId": ')), /not valid JSON/);
    assert.ok('value' in parseQueryFileText(`\uFEFF{"campaignId":"${CAMPAIGN}","range":{"last":"1d"}}`));
  });
});

describe('query files: relative ranges are resolved when run', () => {
  it('{"last": "7d"} ends now and starts seven days before', () => {
    const f = ok(parseQueryFile({ campaignId: CAMPAIGN, range: { last: '7d' } }));
    assert.deepEqual(range(f), { start: NOW - 7 * D, end: NOW });
    // Run a day later: a day later.
    assert.deepEqual(range(f, NOW + D), { start: NOW - 6 * D, end: NOW + D });
  });

  it('{"start": "-2h", "end": "now"} and other offsets', () => {
    const f = ok(parseQueryFile({ campaignId: CAMPAIGN, range: { start: '-2h', end: 'now' } }));
    assert.deepEqual(range(f), { start: NOW - 2 * H, end: NOW });
    const g = ok(parseQueryFile({ campaignId: CAMPAIGN, range: { start: '-1w', end: '-30m' } }));
    assert.deepEqual(range(g), { start: NOW - 7 * D, end: NOW - 30 * 60_000 });
  });

  it('absolute bounds: ISO with an offset, epoch ms, and a date-time without offset in the display zone', () => {
    const f = ok(
      parseQueryFile({ campaignId: CAMPAIGN, range: { start: '2024-05-01T00:00:00Z', end: 1714694400000 } }),
    );
    assert.deepEqual(range(f), { start: Date.UTC(2024, 4, 1), end: 1714694400000 });
    const g = ok(
      parseQueryFile({
        campaignId: CAMPAIGN,
        range: { start: '2024-05-01 09:00', end: '2024-05-01T12:00+02:00' },
      }),
    );
    assert.deepEqual(range(g, NOW, 'Europe/Paris'), {
      start: Date.UTC(2024, 4, 1, 7),
      end: Date.UTC(2024, 4, 1, 10),
    });
  });

  it('a preset follows the display zone (today in Paris)', () => {
    const f = ok(parseQueryFile({ campaignId: CAMPAIGN, range: { preset: 'today' } }));
    assert.deepEqual(range(f, NOW, 'Europe/Paris'), {
      start: Date.UTC(2024, 4, 14, 22),
      end: Date.UTC(2024, 4, 15, 22),
    });
  });

  it('an end before the start is refused when run', () => {
    const f = ok(parseQueryFile({ campaignId: CAMPAIGN, range: { start: 'now', end: '-1h' } }));
    assert.ok('error' in resolveRange(answersOf(f).range, NOW, 'UTC'));
  });
});

describe('query files: from the flow and back', () => {
  const answers = (over: Partial<QueryAnswers>): QueryAnswers => ({ ...defaultAnswers(), ...over });

  it('a rolling preset becomes {"last": …}; today stays a preset', () => {
    assert.deepEqual(
      ok(queryFileOf(CAMPAIGN, answers({ range: { preset: 'last7Days' } }), NOW, 'UTC')).range,
      { last: '7d' },
    );
    assert.deepEqual(
      ok(queryFileOf(CAMPAIGN, answers({ range: { preset: 'lastHour' } }), NOW, 'UTC')).range,
      { last: '1h' },
    );
    assert.deepEqual(ok(queryFileOf(CAMPAIGN, answers({ range: { preset: 'today' } }), NOW, 'UTC')).range, {
      preset: 'today',
    });
  });

  it('typed dates in the display zone are written in UTC; relative ones stay relative', () => {
    const f = ok(
      queryFileOf(
        CAMPAIGN,
        answers({ range: { start: '2024-05-01 09:00', end: 'now' } }),
        NOW,
        'Europe/Paris',
      ),
    );
    assert.deepEqual(f.range, { start: '2024-05-01T07:00:00.000Z', end: 'now' });
    // Read back in another zone: the same instants.
    assert.equal(range(f, NOW, 'America/New_York').start, Date.UTC(2024, 4, 1, 7));
  });

  it('round trip: answers → file text → answers', () => {
    const a = answers({
      items: ['000PE4', '42'],
      types: ['hit', 'bounce'],
      subtypes: ['open'],
      range: { start: '-2h', end: 'now' },
      sort: 'desc',
    });
    const f = ok(queryFileOf(CAMPAIGN, a, NOW, 'UTC', 'My query'));
    const back = ok(parseQueryFileText(queryFileText(f)));
    assert.deepEqual(back, f);
    assert.deepEqual(answersOf(back), a);
    assert.equal(back.title, 'My query');
  });

  it('all hit subtypes are written as none (= all)', () => {
    const f = ok(queryFileOf(CAMPAIGN, answers({ types: ['hit'], subtypes: [...HIT_SUBTYPES] }), NOW, 'UTC'));
    assert.deepEqual(f.subtypes, []);
  });

  it("a result's query is kept with its resolved dates", () => {
    const f = ok(
      queryFileOfEventQuery({
        campaignId: CAMPAIGN,
        endpoint: 'items',
        itemsEvents: [
          { channel: 'email', events: [{ type: 'hit', subtypes: ['open'] }], items: ['000PE4', 7] },
        ],
        start: Date.UTC(2024, 4, 1),
        end: Date.UTC(2024, 4, 2),
        sort: 'asc',
      }),
    );
    assert.deepEqual(f.items, ['000PE4', '7']);
    assert.deepEqual(f.subtypes, ['open']);
    assert.deepEqual(f.range, { start: '2024-05-01T00:00:00.000Z', end: '2024-05-02T00:00:00.000Z' });
  });

  it('file names are made of letters, digits and dashes only', () => {
    assert.equal(
      queryFileName('Clicks on 000PE4 / since Monday!', 'q'),
      'clicks-on-000pe4-since-monday.np6query.json',
    );
    assert.equal(queryFileName('../../etc/passwd', 'q'), 'etc-passwd.np6query.json');
    assert.equal(queryFileName('$(zap)', 'q'), 'zap.np6query.json');
    assert.equal(queryFileName(undefined, 'query-1'), 'query-1.np6query.json');
  });

  it('describes a query in one line', () => {
    const f = ok(
      parseQueryFile({
        campaignId: CAMPAIGN,
        items: ['000PE4'],
        types: ['hit'],
        subtypes: ['open'],
        range: { last: '7d' },
        sort: 'desc',
      }),
    );
    assert.equal(describeQuery(f), 'item 000PE4 · hit (open) · last 7d · newest first');
  });
});
