import assert from 'node:assert/strict';
import {
  Np6CancelledError,
  Np6Error,
  Np6HttpError,
  Np6MalformedStreamError,
  Np6NetworkError,
  Np6TimeoutError,
  bodyExcerpt,
  errorWithHint,
  httpError,
  isNp6Error,
  redactSecret,
} from '../../../src/np6/errors';

describe('np6 errors', () => {
  it('every kind is an Np6Error with its kind, and nothing else is', () => {
    const all: Np6Error[] = [
      new Np6HttpError('m', { status: 500, bodyExcerpt: '' }),
      new Np6NetworkError('m'),
      new Np6TimeoutError('m'),
      new Np6CancelledError(),
      new Np6MalformedStreamError('m', { byteOffset: 3 }),
    ];
    assert.deepEqual(
      all.map((e) => e.kind),
      ['http', 'network', 'timeout', 'cancelled', 'malformed'],
    );
    for (const e of all) {
      assert.ok(isNp6Error(e) && e instanceof Error);
      assert.equal(e.eventsReceived, 0);
    }
    assert.equal(isNp6Error(new Error('x')), false);
    assert.equal(isNp6Error({ kind: 'http' }), false);
  });

  it('says the hint once, whether or not the message already ends with it', () => {
    const http = httpError({ status: 401, body: '', attempts: 1 });
    const shown = errorWithHint(http);
    assert.ok(http.hint.length > 0);
    assert.equal(shown.split(http.hint).length - 1, 1, shown);
    const net = new Np6NetworkError('NP6 could not be reached.', { hint: 'Check the base URL.' });
    assert.equal(errorWithHint(net), 'NP6 could not be reached. Check the base URL.');
    assert.equal(errorWithHint(new Np6TimeoutError('Too slow.')), 'Too slow.');
  });

  it('serialises to a plain object without a stack', () => {
    const e = new Np6MalformedStreamError('broken', {
      eventsReceived: 4,
      byteOffset: 99,
      requestId: 'r',
      hint: 'h',
    });
    const json = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
    assert.deepEqual(json, {
      name: 'Np6MalformedStreamError',
      kind: 'malformed',
      message: 'broken',
      hint: 'h',
      eventsReceived: 4,
      requestId: 'r',
      byteOffset: 99,
    });
  });

  it('redacts every occurrence of the secret', () => {
    assert.equal(redactSecret('a KEY b KEY', 'KEY'), 'a *** b ***');
    assert.equal(redactSecret('nothing', ''), 'nothing');
  });

  it('reduces HTML pages to their text, on one line, at most 300 characters', () => {
    const page =
      '<!DOCTYPE html><html><head><title>T</title><style>body{}</style></head><body>\n<h1>503 &amp; down</h1>\n<script>x()</script><p>Try   later</p></body></html>';
    assert.equal(bodyExcerpt(page, 'text/html'), '503 & down Try later');
    const long = bodyExcerpt(`{"message":"${'x'.repeat(1000)}"}\n`);
    assert.equal(long.length, 300);
    assert.ok(long.endsWith('…'));
    assert.equal(bodyExcerpt('line1\r\nline2\ttab\u0000nul'), 'line1 line2 tab nul');
  });

  it('maps statuses to messages that say what to do', () => {
    const cases: [number, RegExp, RegExp][] = [
      [400, /rejected the request as invalid/, /Check the query/],
      [401, /refused the API key/, /API key/],
      [403, /lacks the rights/, /access to this campaign/],
      [404, /does not know this campaign/, /campaign id/],
      [429, /rate limit/, /Wait/],
      [502, /server problem/, /retry later/],
      [418, /unexpected status/, /base URL/],
    ];
    for (const [status, message, hint] of cases) {
      const e = httpError({ status, body: '', attempts: 1, requestId: 'rid-1' });
      assert.ok(e instanceof Np6HttpError);
      assert.equal(e.status, status);
      assert.match(e.message, message);
      assert.match(e.message, new RegExp(`HTTP ${status}, request id rid-1`));
      assert.match(e.hint, hint);
      assert.equal(e.requestId, 'rid-1');
    }
  });

  it('says how long to wait on 429 when the server said, and how many attempts were made', () => {
    const e = httpError({ status: 429, body: '', attempts: 5, retryAfterMs: 12500 });
    assert.match(e.message, /after 5 attempts/);
    assert.equal(e.hint, 'Wait 13 s and run the query again.');
    assert.equal(e.retryAfterMs, 12500);
  });

  it('recognises an HTML error page even without an HTML content type', () => {
    const e = httpError({ status: 502, body: '<html><body><h1>Bad Gateway</h1></body></html>', attempts: 1 });
    assert.match(e.message, /HTML error page/);
    assert.equal(e.bodyExcerpt, 'Bad Gateway');
  });
});
