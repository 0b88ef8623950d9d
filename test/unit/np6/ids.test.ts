// Campaign and item ids are checked before they go into a request: `..` in the path would reach
// another endpoint, and invisible characters would make an id show as something else.

import assert from 'node:assert/strict';
import { Np6Client } from '../../../src/np6/client';
import { Np6Error } from '../../../src/np6/errors';
import { MAX_ID_LENGTH, checkId, checkItemId } from '../../../src/np6/ids';
import {
  allEmailEvents,
  requestBody,
  requestPath,
  validateQuery,
  type EventQuery,
} from '../../../src/np6/query';

const base: EventQuery = {
  campaignId: 'c1',
  endpoint: 'campaign',
  itemsEvents: [allEmailEvents()],
  sort: 'asc',
};

/** Ids that must be refused, with what the message must say. */
const REFUSED: [string, string, RegExp][] = [
  ['empty', '', /is empty/],
  ['dot', '.', /not an id/],
  ['dot-dot', '..', /not an id/],
  ['slash', 'a/b', /contains "\/"/],
  ['path traversal', '../events', /contains "\/"/],
  ['backslash', 'a\\..\\b', /contains "\\"/],
  ['question mark', 'a?x=1', /contains "\?"/],
  ['hash', 'a#b', /contains "#"/],
  ['percent', '%2e%2e', /contains "%"/],
  ['space', 'a b', /spaces or line breaks \(U\+0020\)/],
  ['tab', 'a\tb', /U\+0009/],
  ['newline', 'a\nb', /U\+000A/],
  ['NUL', 'a\u0000b', /control character \(U\+0000\)/],
  ['DEL', 'a\u007fb', /control character \(U\+007F\)/],
  ['C1 control', 'a\u0085b', /U\+0085/],
  ['C1 CSI', 'a\u009bb', /control character \(U\+009B\)/],
  ['line separator', 'a\u2028b', /U\+2028/],
  ['paragraph separator', 'a\u2029b', /U\+2029/],
  ['right-to-left override', 'abc\u202Egpj.exe', /bidirectional text control \(U\+202E\)/],
  ['left-to-right embedding', '\u202Aabc', /bidirectional text control \(U\+202A\)/],
  ['first strong isolate', 'a\u2068b', /bidirectional text control \(U\+2068\)/],
  ['pop directional isolate', 'a\u2069b', /bidirectional text control \(U\+2069\)/],
  ['right-to-left mark', 'a\u200Fb', /bidirectional text control \(U\+200F\)/],
  ['zero-width space', 'a\u200Bb', /invisible character \(U\+200B\)/],
  ['BOM', '\uFEFFabc', /U\+FEFF/],
  ['lone surrogate', 'a\uD800b', /lone UTF-16 surrogate/],
  ['too long', 'x'.repeat(MAX_ID_LENGTH + 1), /257 characters long/],
];

describe('np6 ids: checkId', () => {
  for (const [name, id, message] of REFUSED) {
    it(`refuses a campaign id with ${name}`, () => {
      const problem = checkId(id, 'campaign');
      assert.ok(problem !== undefined, 'accepted');
      assert.match(problem, message);
      assert.match(problem, /campaign id/i);
      assert.match(problem, /give the campaign id exactly as NP6 shows it/, 'says what to do');
      // The message never carries the invisible characters of the id.
      assert.ok(
        // eslint-disable-next-line no-control-regex -- looking for control characters
        !/[\u0000-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069\u200b-\u200f\ufeff]/.test(problem),
        problem,
      );
    });
  }

  it('refuses the same for item ids, with an item message', () => {
    for (const [, id] of REFUSED) {
      const problem = checkId(id, 'item');
      assert.ok(problem !== undefined && /item id/i.test(problem), `${JSON.stringify(id)}: ${problem}`);
    }
  });

  it('accepts real ids: uuids, item codes, 256 characters, non-Latin letters', () => {
    for (const id of [
      '3fa85f64-5717-4562-b3fc-2c963f66afa6',
      '000PE4',
      'a.b',
      '...x',
      'x'.repeat(MAX_ID_LENGTH),
      'été',
      'キャンペーン',
      '😀',
    ]) {
      assert.equal(checkId(id, 'campaign'), undefined, id);
      assert.equal(checkId(id, 'item'), undefined, id);
    }
  });

  it('accepts item ids given as whole numbers, refuses other numbers', () => {
    assert.equal(checkItemId(42), undefined);
    assert.equal(checkItemId(0), undefined);
    for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.ok(checkItemId(n) !== undefined, String(n));
    }
  });
});

describe('np6 ids: queries with bad ids are refused before any request', () => {
  it('validateQuery reports the campaign id and each bad item id', () => {
    const problems = validateQuery({
      ...base,
      campaignId: '..',
      endpoint: 'items',
      itemsEvents: [allEmailEvents(['ok1', 'a/b', 7, 'x\u202Ey'])],
    });
    assert.deepEqual(
      problems.map((p) => p.field),
      ['campaignId', 'itemsEvents', 'itemsEvents'],
    );
    assert.deepEqual(
      validateQuery({ ...base, endpoint: 'items', itemsEvents: [allEmailEvents(['000PE4', 12])] }),
      [],
    );
  });

  it('requestPath and requestBody throw an Np6Error of kind "invalid" instead of building the request', () => {
    for (const campaignId of ['..', '.', 'a/../../x', '%2e%2e', 'a\u0000']) {
      assert.throws(
        () => requestPath({ ...base, campaignId }),
        (e: unknown) => e instanceof Np6Error && e.kind === 'invalid' && /campaign id/.test(e.message),
      );
    }
    assert.throws(
      () => requestBody({ ...base, itemsEvents: [allEmailEvents(['..'])] }),
      (e: unknown) => e instanceof Np6Error && e.kind === 'invalid' && /item id/i.test(e.message),
    );
    assert.equal(requestPath({ ...base, sort: 'none' }), '/campaigns/c1/events');
  });

  it('the client fails the query without calling fetch', async () => {
    let calls = 0;
    const client = new Np6Client({
      baseUrl: 'https://api-cm.np6.com',
      apiKey: 'k-0000',
      fetch: () => {
        calls++;
        return Promise.resolve(new Response('[]'));
      },
    });
    for (const q of [
      { ...base, campaignId: '..' },
      { ...base, endpoint: 'items' as const, itemsEvents: [allEmailEvents(['../../admin'])] },
    ]) {
      let error: unknown;
      try {
        for await (const _ of client.streamRecords(q)) break;
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof Np6Error && error.kind === 'invalid', String(error));
      assert.ok(error.hint.length > 0);
    }
    assert.equal(calls, 0);
  });
});
