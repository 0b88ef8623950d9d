// Query links: the round trip file → link → file, and hostile link texts (a link arrives from
// anywhere): each is refused with a message, or read into values that are checked like a file's.
import * as assert from 'node:assert/strict';
import { parseQueryFile, type QueryFile } from '../../../src/core/queryFile/queryFile';
import { parseQueryLink, queryLink, queryLinkParams } from '../../../src/core/queryFile/queryLink';
import { forNotification, forIconLabel } from '../../../src/core/untrustedText';

const CAMPAIGN = '5a1f0c3e-0000-4000-8000-000000000001';
const EXT = 'np6-event-explorer.np6-event-explorer';

function file(v: Record<string, unknown>): QueryFile {
  const r = parseQueryFile({ campaignId: CAMPAIGN, range: { last: '7d' }, ...v });
  if ('error' in r) assert.fail(r.error);
  return r.value;
}
/** What vscode.Uri gives the handler: the path, and the query without "?". */
function read(link: string): { value: QueryFile } | { error: string } {
  const u = new URL(link);
  return parseQueryLink(u.pathname, u.search.replace(/^\?/, ''));
}
function refused(query: string, why: RegExp): void {
  const r = parseQueryLink('/query', query);
  assert.ok('error' in r, `accepted ${query}`);
  assert.match(r.error, why, query);
}

describe('query links', () => {
  it('round trip: every kind of query comes back equal', () => {
    const cases = [
      file({}),
      file({
        title: 'Clicks on 000PE4 since Monday',
        items: ['000PE4', '42'],
        types: ['hit'],
        subtypes: ['open', 'redirection'],
        sort: 'desc',
      }),
      file({ range: { start: '-2h', end: 'now' }, sort: 'none' }),
      file({ range: { start: '2024-05-01T00:00:00Z', end: 1714694400000 } }),
      file({ range: { preset: 'yesterday' } }),
      file({ title: 'Ünïcødé & = + ? # % 😀 [x](command:y) $(zap)', items: ['a&b=c', 'x+y'] }),
    ];
    for (const f of cases) {
      const link = queryLink('vscode', EXT, f);
      assert.ok(link.startsWith(`vscode://${EXT}/query?campaign=${CAMPAIGN}`), link);
      const back = read(link);
      if ('error' in back) assert.fail(back.error);
      // Epoch ms come back as the same digits, in a string: the same instant.
      const expected =
        'start' in f.range ? { ...f, range: { start: String(f.range.start), end: String(f.range.end) } } : f;
      assert.deepEqual(back.value, expected);
    }
  });

  it('uses the scheme it is given (Insiders, code-server) and holds no key and no address', () => {
    const link = queryLink('vscode-insiders', EXT, file({}));
    assert.ok(link.startsWith('vscode-insiders://'));
    assert.doesNotMatch(queryLinkParams(file({ title: 'x' })), /key|url|http/i);
  });

  it('refuses a key, a token or an address in any spelling', () => {
    for (const name of [
      'apiKey',
      'key',
      'x-api-key',
      'token',
      'access_token',
      'baseUrl',
      'url',
      'host',
      'Authorization',
    ]) {
      refused(
        `campaign=${CAMPAIGN}&last=7d&${encodeURIComponent(name)}=x`,
        /never holds an API key or a base URL/,
      );
    }
  });

  it('refuses unknown, doubled and missing parameters, and other paths', () => {
    refused(`campaign=${CAMPAIGN}&last=7d&run=1`, /unknown parameter "run"/);
    refused(`campaign=${CAMPAIGN}&last=7d&__proto__=x`, /unknown parameter/);
    refused(`campaign=${CAMPAIGN}&campaign=other&last=7d`, /twice/);
    refused(`last=7d`, /names no campaign/);
    refused(`campaign=${CAMPAIGN}`, /one range/);
    refused(`campaign=${CAMPAIGN}&last=7d&start=now`, /one range/);
    refused(`campaign=${CAMPAIGN}&start=-2h`, /both "start" and "end"/);
    refused(`campaign=${CAMPAIGN}&last=7d&sort=random`, /sort/);
    refused(`campaign=${CAMPAIGN}&last=7d&type=click`, /types/);
    refused('x'.repeat(20_000), /characters long/);
    const other = parseQueryLink('/run', `campaign=${CAMPAIGN}&last=7d`);
    assert.ok('error' in other && /not a query link/.test(other.error));
  });

  it('refuses ids that would change the request path, even percent-encoded', () => {
    for (const id of [
      '..',
      '../events',
      '%2e%2e',
      'a%2Fb',
      'a%3Fb',
      'a%23b',
      'a%25b',
      'a%20b',
      'a%E2%80%AEb',
      'a%0Ab',
      '%E2%80%8B',
    ]) {
      refused(`campaign=${id}&last=7d`, /campaignId/);
      refused(`campaign=${CAMPAIGN}&item=${id}&last=7d`, /items/);
    }
  });

  it('a hostile title is kept as text: escaped for display, never a link, an icon or a command', () => {
    const title = '[Run](command:np6.clearApiKey) $(zap) <img src=x> \u202eevil\u202c';
    const r = read(queryLink('vscode', EXT, file({ title })));
    if ('error' in r) assert.fail(r.error);
    assert.equal(r.value.title, title, 'read back exactly');
    const shown = forNotification(r.value.title ?? '');
    assert.doesNotMatch(shown, /\]\(command:/);
    assert.doesNotMatch(forIconLabel(r.value.title ?? ''), /\$\(zap\)/);
    assert.doesNotMatch(shown, /\u202e/);
    refused(`campaign=${CAMPAIGN}&last=7d&title=${'x'.repeat(201)}`, /title/);
  });

  it('an unknown parameter name is shown with its invisible characters replaced', () => {
    const r = parseQueryLink('/query', `campaign=${CAMPAIGN}&last=7d&a%E2%80%AEb%0A=1`);
    assert.ok('error' in r);
    assert.doesNotMatch(r.error, /[\u202e\n]/);
  });
});
