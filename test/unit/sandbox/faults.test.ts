// Fault injection: each mode as a client meets it over HTTP, `times`, `pathIncludes`, and the
// out-of-process control endpoint.

import assert from 'node:assert/strict';

import type { Np6Event } from '../../../src/np6/events';
import { startSandbox, type RunningSandbox } from '../../../src/demo/sandbox/server';
import type { FaultConfig } from '../../../src/demo/sandbox/types';
import { everything, post, queryFor, readUntilBroken } from './helpers';

describe('sandbox faults', () => {
  let sb: RunningSandbox;
  let id: string;
  let expected: Np6Event[];
  before(async () => {
    sb = await startSandbox();
    id = sb.campaigns[2]!.id; // Welcome Journey: the smallest
    expected = [...sb.expectedEvents(id, queryFor(id))];
  });
  afterEach(() => sb.setFaults({ mode: 'none' }));
  after(() => sb.close());

  const request = () => post(sb, `/campaigns/${id}/events?sort=asc`, everything());
  const control = (config: unknown, key: string | null = sb.apiKey) =>
    post(sb, '/_sandbox/faults', config, { key });

  it('429 with Retry-After and rate-limit headers, empty body', async () => {
    sb.setFaults({ mode: '429', retryAfterSeconds: 7 });
    const res = await request();
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.equal(res.headers.get('x-ratelimit-remaining'), '0');
    assert.ok(Number(res.headers.get('x-ratelimit-limit')) > 0);
    assert.equal(await res.text(), '');
  });

  it('429 with X-RateLimit-Reset (epoch seconds) instead of Retry-After', async () => {
    sb.setFaults({ mode: '429', retryAfterSeconds: 30, useRateLimitReset: true });
    const before = Date.now() / 1000;
    const res = await request();
    await res.text();
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), null);
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    assert.ok(reset >= before + 29 && reset <= Date.now() / 1000 + 31, String(reset));
  });

  it('500 and 503 (with Retry-After), with a request id', async () => {
    for (const [mode, status] of [
      ['500', 500],
      ['503', 503],
    ] as const) {
      sb.setFaults({ mode });
      const res = await request();
      await res.text();
      assert.equal(res.status, status);
      assert.ok(res.headers.get('x-request-id'));
    }
    sb.setFaults({ mode: '503', retryAfterSeconds: 3 });
    const res = await request();
    await res.text();
    assert.equal(res.headers.get('retry-after'), '3');
  });

  it('an HTML error page with a text/html content type', async () => {
    sb.setFaults({ mode: 'html' });
    const res = await request();
    assert.equal(res.status, 502);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await res.text(), /<html>/);
  });

  it('fails `times` requests, then recovers', async () => {
    sb.setFaults({ mode: '503', times: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await request();
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [503, 503, 200, 200]);
  });

  it('only affects requests whose path contains pathIncludes', async () => {
    sb.setFaults({ mode: '500', pathIncludes: 'sort=desc' });
    const asc = await request();
    await asc.arrayBuffer();
    assert.equal(asc.status, 200);
    const desc = await post(sb, `/campaigns/${id}/events?sort=desc`, everything());
    await desc.arrayBuffer();
    assert.equal(desc.status, 500);
  });

  it('cuts the connection after cutAfterEvents whole events, without the final chunk', async () => {
    sb.setFaults({ mode: 'cut', cutAfterEvents: 25 });
    const res = await request();
    assert.equal(res.status, 200);
    const { text, error } = await readUntilBroken(res);
    assert.ok(error, 'the body must end in an error, not cleanly');
    const prefix =
      '[' +
      expected
        .slice(0, 25)
        .map((e) => JSON.stringify(e))
        .join(',');
    assert.ok(text.startsWith(prefix), 'the 25 first events arrive intact');
    assert.ok(text.length > prefix.length, 'then part of the next one');
    assert.throws(() => JSON.parse(text) as unknown);
  });

  it('sends malformed JSON after cutAfterEvents events, then ends the response', async () => {
    sb.setFaults({ mode: 'malformed', cutAfterEvents: 3 });
    const res = await request();
    const { text, error } = await readUntilBroken(res);
    assert.equal(error, undefined, 'the HTTP response itself completes');
    assert.ok(
      text.startsWith(
        '[' +
          expected
            .slice(0, 3)
            .map((e) => JSON.stringify(e))
            .join(','),
      ),
    );
    assert.throws(() => JSON.parse(text) as unknown, SyntaxError);
  });

  it('drips slowly, in small delayed chunks, and still sends everything', async () => {
    sb.setFaults({ mode: 'slow', slowChunkDelayMs: 20 });
    const small = { itemsEvents: [{ type: 'email', events: [{ type: 'bounce' }] }] };
    const started = Date.now();
    const res = await post(sb, `/campaigns/${id}/events?sort=asc`, small);
    const reads: number[] = [];
    const chunks: Buffer[] = [];
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      reads.push(chunk.length);
      chunks.push(Buffer.from(chunk));
    }
    const got = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Np6Event[];
    assert.deepEqual(
      got,
      expected.filter((e) => e.type === 'bounce'),
    );
    assert.ok(reads.length >= 5, `${reads.length} reads`);
    assert.ok(Date.now() - started >= 20 * (reads.length - 1) * 0.5);
  });

  it('is switched from another process with POST /_sandbox/faults (X-Key required)', async () => {
    assert.equal((await control({ mode: '429' }, 'wrong')).status, 401);
    assert.equal((await request()).status, 200);
    const bad = await control({ mode: 'explode' });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /mode/);
    const set = await control({ mode: '429', times: 1, retryAfterSeconds: 2 } satisfies FaultConfig);
    assert.equal(set.status, 204);
    const state = await fetch(`${sb.url}/_sandbox/faults`, { headers: { 'X-Key': sb.apiKey } });
    assert.equal(((await state.json()) as FaultConfig).mode, '429');
    const first = await request();
    await first.text();
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '2');
    const second = await request();
    await second.arrayBuffer();
    assert.equal(second.status, 200);
  });

  it('keeps serving other requests while a slow response drips', async () => {
    sb.setFaults({ mode: 'slow', slowChunkDelayMs: 50, pathIncludes: 'sort=desc' });
    const slow = post(sb, `/campaigns/${id}/events?sort=desc`, everything());
    const fast = await request();
    assert.equal(fast.status, 200);
    assert.equal((JSON.parse(await fast.text()) as unknown[]).length, expected.length);
    // The slow one is still dripping: abandon it (the server stops when the client goes away).
    const res = await slow;
    assert.equal(res.status, 200);
    await res.body?.cancel();
  });
});
