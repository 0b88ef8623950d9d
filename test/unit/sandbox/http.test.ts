// HTTP behaviour of the sandbox: auth, routes, content types, bad input, headers, chunking.

import assert from 'node:assert/strict';

import { startSandbox, type RunningSandbox } from '../../../src/demo/sandbox/server';
import { everything, post } from './helpers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('sandbox HTTP', () => {
  let sb: RunningSandbox;
  let campaign: string;
  before(async () => {
    sb = await startSandbox({ apiKey: 'test-key' });
    campaign = sb.campaigns[0]!.id;
  });
  after(() => sb.close());

  it('listens on loopback and reports its campaigns', () => {
    assert.match(sb.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(sb.campaigns.length, 3);
    for (const c of sb.campaigns) {
      assert.match(c.id, UUID);
      assert.ok(c.items.length > 0 && c.start < c.end && c.approxEvents > 0);
    }
  });

  it('answers 401 with an empty body to a wrong or missing X-Key', async () => {
    for (const key of ['wrong', null]) {
      const res = await post(sb, `/campaigns/${campaign}/events`, everything(), { key });
      assert.equal(res.status, 401);
      assert.equal(await res.text(), '');
      assert.match(res.headers.get('x-request-id') ?? '', UUID);
    }
  });

  it('answers 404 with an empty body to an unknown campaign and an unknown route', async () => {
    const unknown = await post(sb, '/campaigns/00000000-0000-4000-8000-000000000000/events', everything());
    assert.equal(unknown.status, 404);
    assert.equal(await unknown.text(), '');
    const route = await post(sb, '/nothing/here', everything());
    assert.equal(route.status, 404);
    assert.equal(await route.text(), '');
  });

  it('answers 415 when the Content-Type is missing or not JSON', async () => {
    for (const contentType of [null, 'text/plain']) {
      const res = await post(sb, `/campaigns/${campaign}/events`, everything(), { contentType });
      assert.equal(res.status, 415, String(contentType));
      await res.text();
    }
    const ok = await post(sb, `/campaigns/${campaign}/events`, everything(), {
      contentType: 'application/json; charset=utf-8',
    });
    assert.equal(ok.status, 200);
    await ok.text();
  });

  it('answers 400 with a short JSON message to bad bodies and bad parameters', async () => {
    const cases: [string, unknown, string?][] = [
      [`/campaigns/${campaign}/events`, undefined, '{"itemsEvents": ['],
      [`/campaigns/${campaign}/events`, { nothing: 1 }],
      [`/campaigns/${campaign}/events`, { itemsEvents: [{ type: 'email' }] }],
      [
        `/campaigns/${campaign}/events`,
        { itemsEvents: [{ type: 'email', events: [{ type: 'hit', subtypes: 'open' }] }] },
      ],
      [`/campaigns/${campaign}/events?start=yesterday`, everything()],
      [`/campaigns/${campaign}/events?end=2024-13-45`, everything()],
      [`/campaigns/${campaign}/events?sort=random`, everything()],
      [`/campaigns/${campaign}/items/events`, everything()],
    ];
    for (const [path, body, rawBody] of cases) {
      const res = await post(sb, path, body, rawBody === undefined ? {} : { rawBody });
      assert.equal(res.status, 400, path);
      const json = (await res.json()) as { message?: unknown };
      assert.equal(typeof json.message, 'string', path);
      assert.ok((json.message as string).length < 200);
    }
  });

  it('accepts start and end as ISO 8601 or epoch milliseconds, with the same result', async () => {
    const c = sb.campaigns[0]!;
    const mid = Math.floor((c.start + c.end) / 2);
    const iso = new Date(mid).toISOString();
    const a = await post(
      sb,
      `/campaigns/${campaign}/events?end=${encodeURIComponent(iso)}&sort=asc`,
      everything(),
    );
    const b = await post(sb, `/campaigns/${campaign}/events?end=${mid}&sort=asc`, everything());
    const [ta, tb] = [await a.text(), await b.text()];
    assert.equal(ta, tb);
    assert.ok((JSON.parse(ta) as unknown[]).length > 0);
  });

  it('streams 200 answers with chunked encoding and JSON content type', async () => {
    const res = await post(sb, `/campaigns/${campaign}/events`, everything());
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('transfer-encoding'), 'chunked');
    assert.equal(res.headers.get('content-length'), null);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.ok(Array.isArray(JSON.parse(await res.text())));
  });

  it('puts a distinct x-request-id on every response, errors included', async () => {
    const responses = [
      await post(sb, `/campaigns/${campaign}/events`, everything()),
      await post(sb, `/campaigns/${campaign}/events`, everything(), { key: 'bad' }),
      await post(sb, '/unknown', {}),
      await post(sb, `/campaigns/${campaign}/events`, {}, { rawBody: 'not json' }),
      await post(sb, `/campaigns/${campaign}/events`, everything(), { contentType: 'text/plain' }),
      await fetch(`${sb.url}/campaigns/${campaign}/events`, { headers: { 'X-Key': sb.apiKey } }),
    ];
    const seen = new Set<string>();
    for (const res of responses) {
      await res.arrayBuffer();
      const id = res.headers.get('x-request-id') ?? '';
      assert.match(id, UUID, `status ${res.status}`);
      seen.add(id);
    }
    assert.equal(seen.size, responses.length);
  });

  it('answers 405 to a GET on an events endpoint', async () => {
    const res = await fetch(`${sb.url}/campaigns/${campaign}/events`, { headers: { 'X-Key': sb.apiKey } });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'POST');
  });

  it('lists its campaigns on GET /campaigns in the documented campaign shape', async () => {
    const res = await fetch(`${sb.url}/campaigns`, { headers: { 'X-Key': sb.apiKey } });
    const list = (await res.json()) as { id: string; name: string; items: { type: string; id: string }[] }[];
    assert.deepEqual(
      list.map((c) => c.id),
      sb.campaigns.map((c) => c.id),
    );
    assert.deepEqual(
      list[0]!.items.map((i) => i.id),
      sb.campaigns[0]!.items.map((i) => i.id),
    );
    const one = await fetch(`${sb.url}/campaigns/${campaign}`, { headers: { 'X-Key': sb.apiKey } });
    assert.equal(((await one.json()) as { name: string }).name, sb.campaigns[0]!.name);
    const none = await fetch(`${sb.url}/campaigns`, { headers: { 'X-Key': 'nope' } });
    assert.equal(none.status, 401);
  });
});
