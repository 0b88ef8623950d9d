// Np6Client against the real sandbox server on loopback: full answers compared with what the
// sandbox says it serves, and every injected fault (429 with Retry-After / X-RateLimit-Reset, 500,
// 503, an HTML page, a cut, malformed JSON, a slow drip) mapped, retried or not, as it should be.

import assert from 'node:assert/strict';
import {
  Np6Client,
  type EventRecord,
  type Np6ClientOptions,
  type RequestLogEntry,
} from '../../../src/np6/client';
import type { Np6Event } from '../../../src/np6/events';
import {
  Np6Error,
  Np6HttpError,
  Np6MalformedStreamError,
  Np6NetworkError,
  Np6TimeoutError,
} from '../../../src/np6/errors';
import { allEmailEvents, requestBody, requestPath, type EventQuery } from '../../../src/np6/query';
import { DEMO_CAMPAIGNS, startSandbox, type Sandbox } from '../../../src/demo/sandbox';

const KEY = 'SECRET-KEY-123';

interface Run {
  records: EventRecord[];
  error?: Np6Error;
  log: RequestLogEntry[];
  sleeps: number[];
}

describe('Np6Client (sandbox)', () => {
  let sandbox: Sandbox;
  let query: EventQuery;
  let expected: Np6Event[];

  before(async () => {
    sandbox = await startSandbox({ apiKey: KEY, campaigns: DEMO_CAMPAIGNS.slice(0, 1) });
    const c = sandbox.campaigns[0]!;
    query = { campaignId: c.id, endpoint: 'campaign', itemsEvents: [allEmailEvents()], sort: 'asc' };
    expected = [...sandbox.expectedEvents(c.id, query)];
    assert.ok(expected.length > 100, `the demo campaign should have events (${expected.length})`);
  });
  after(() => sandbox.close());
  afterEach(() => sandbox.setFaults({ mode: 'none' }));

  async function run(extra: Partial<Np6ClientOptions> = {}, q: EventQuery = query): Promise<Run> {
    const log: RequestLogEntry[] = [];
    const sleeps: number[] = [];
    const client = new Np6Client({
      baseUrl: sandbox.url,
      apiKey: KEY,
      log: (e) => log.push(e),
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      ...extra,
    });
    const records: EventRecord[] = [];
    try {
      for await (const r of client.streamRecords(q)) records.push(r);
    } catch (e) {
      assert.ok(e instanceof Np6Error, `expected an Np6Error, got ${String(e)}`);
      assertNoKey(e, log);
      return { records, error: e, log, sleeps };
    }
    assertNoKey(undefined, log);
    return { records, log, sleeps };
  }

  function assertNoKey(error: Error | undefined, log: RequestLogEntry[]): void {
    const text = [error?.message, error?.stack, JSON.stringify(error), JSON.stringify(log)].join('\n');
    assert.ok(!text.includes(KEY), 'the API key appears in an error or a log entry');
  }

  it('streams a whole campaign exactly as the sandbox serves it', async () => {
    const r = await run();
    assert.equal(r.error, undefined);
    assert.deepEqual(
      r.records.map((x) => x.event),
      expected,
    );
    for (const x of r.records) assert.deepEqual(JSON.parse(x.json), x.event);
    assert.equal(r.log.length, 1);
    assert.equal(r.log[0]!.status, 200);
    assert.equal(r.log[0]!.events, expected.length);
    assert.match(r.log[0]!.requestId ?? '', /^[0-9a-f-]{36}$/);
  });

  it('sends the items endpoint and a date range, and gets exactly that', async () => {
    const c = sandbox.campaigns[0]!;
    const mid = Math.floor((c.start + c.end) / 2);
    const q: EventQuery = {
      campaignId: c.id,
      endpoint: 'items',
      itemsEvents: [
        { channel: 'email', items: [c.items[0]!.id], events: [{ type: 'hit', subtypes: ['open'] }] },
      ],
      start: c.start,
      end: mid,
      sort: 'desc',
    };
    const want = [...sandbox.expectedEvents(c.id, q)];
    assert.ok(want.length > 0);
    const r = await run({}, q);
    assert.equal(r.error, undefined);
    assert.deepEqual(
      r.records.map((x) => x.event),
      want,
    );
    assert.equal(r.log[0]!.path, requestPath(q));
  });

  it('retries 429 with Retry-After, waiting what the server asks, then gets everything', async () => {
    sandbox.setFaults({ mode: '429', times: 2, retryAfterSeconds: 3 });
    const r = await run();
    assert.equal(r.error, undefined);
    assert.equal(r.records.length, expected.length);
    assert.deepEqual(r.sleeps, [3000, 3000]);
    assert.deepEqual(
      r.log.map((l) => [l.attempt, l.status]),
      [
        [1, 429],
        [2, 429],
        [3, 200],
      ],
    );
  });

  it('retries 429 with X-RateLimit-Reset (epoch seconds)', async () => {
    sandbox.setFaults({ mode: '429', times: 1, retryAfterSeconds: 4, useRateLimitReset: true });
    const r = await run();
    assert.equal(r.error, undefined);
    assert.equal(r.records.length, expected.length);
    assert.equal(r.sleeps.length, 1);
    // The header is rounded up to a whole second: 4 s from the request, give or take one.
    assert.ok(r.sleeps[0]! > 2500 && r.sleeps[0]! <= 5000, `waited ${r.sleeps[0]} ms`);
  });

  it('caps a long Retry-After with maxDelayMs', async () => {
    sandbox.setFaults({ mode: '429', times: 1, retryAfterSeconds: 600 });
    const r = await run({ retry: { maxDelayMs: 2000 } });
    assert.equal(r.error, undefined);
    assert.deepEqual(r.sleeps, [2000]);
  });

  it('gives up on 429 after maxRetries, saying how long to wait', async () => {
    sandbox.setFaults({ mode: '429', retryAfterSeconds: 7 });
    const r = await run({ retry: { maxRetries: 2 } });
    assert.ok(r.error instanceof Np6HttpError);
    assert.equal(r.error.status, 429);
    assert.equal(r.error.retryAfterMs, 7000);
    assert.equal(r.error.eventsReceived, 0);
    assert.match(r.error.message, /rate limit.*after 3 attempts/);
    assert.match(r.error.hint, /Wait 7 s/);
    assert.equal(r.log.length, 3);
    assert.equal(r.sleeps.length, 2);
  });

  it('retries 503 then succeeds', async () => {
    sandbox.setFaults({ mode: '503', times: 1, retryAfterSeconds: 1 });
    const r = await run();
    assert.equal(r.error, undefined);
    assert.equal(r.records.length, expected.length);
    assert.deepEqual(
      r.log.map((l) => l.status),
      [503, 200],
    );
  });

  it('does not retry 500, and says the problem is on the server side', async () => {
    sandbox.setFaults({ mode: '500' });
    const r = await run();
    assert.ok(r.error instanceof Np6HttpError);
    assert.equal(r.error.status, 500);
    assert.equal(r.log.length, 1);
    assert.match(r.error.message, /server problem \(HTTP 500, request id [0-9a-f-]{36}\)/);
    assert.match(r.error.bodyExcerpt, /Internal server error/);
    assert.equal(r.error.requestId, r.log[0]!.requestId);
    assert.match(r.error.hint, /retry later/);
  });

  it('recognises an HTML error page and keeps a short one-line excerpt', async () => {
    sandbox.setFaults({ mode: 'html' });
    const r = await run();
    assert.ok(r.error instanceof Np6HttpError);
    assert.equal(r.error.status, 502);
    assert.match(r.error.message, /HTML error page/);
    assert.ok(!/[<>\n]/.test(r.error.bodyExcerpt), r.error.bodyExcerpt);
    assert.match(r.error.bodyExcerpt, /502 Bad Gateway/);
    assert.ok(r.error.bodyExcerpt.length <= 300);
    assert.equal(r.log.length, 1);
  });

  it('401 (wrong key) says to check the key, without showing either key', async () => {
    const r = await run({ apiKey: 'WRONG-KEY-456' });
    assert.ok(r.error instanceof Np6HttpError);
    assert.equal(r.error.status, 401);
    assert.match(r.error.message, /refused the API key/);
    assert.match(r.error.hint, /API key/);
    assert.ok(!JSON.stringify([r.error.message, r.error.hint, r.log]).includes('WRONG-KEY-456'));
    assert.equal(r.log.length, 1);
  });

  it('404 (unknown campaign) says to check the campaign id', async () => {
    const r = await run({}, { ...query, campaignId: '00000000-0000-0000-0000-000000000000' });
    assert.ok(r.error instanceof Np6HttpError);
    assert.equal(r.error.status, 404);
    assert.match(r.error.message, /does not know this campaign/);
    assert.match(r.error.hint, /campaign id/);
  });

  it('a cut stream keeps the events received, is not retried, and says how many arrived', async () => {
    sandbox.setFaults({ mode: 'cut', cutAfterEvents: 25 });
    const r = await run();
    assert.ok(r.error instanceof Np6NetworkError, String(r.error));
    assert.equal(r.error.eventsReceived, 25);
    assert.deepEqual(
      r.records.map((x) => x.event),
      expected.slice(0, 25),
    );
    assert.equal(r.log.length, 1);
    assert.equal(r.sleeps.length, 0);
    assert.match(r.error.message, /broke after 25 events/);
  });

  it('malformed JSON mid-stream keeps the events before it, with the byte offset', async () => {
    sandbox.setFaults({ mode: 'malformed', cutAfterEvents: 10 });
    const r = await run();
    assert.ok(r.error instanceof Np6MalformedStreamError, String(r.error));
    assert.equal(r.error.eventsReceived, 10);
    assert.equal(r.records.length, 10);
    assert.ok((r.error.byteOffset ?? 0) > 0);
    assert.match(r.error.message, /malformed answer \(request id [0-9a-f-]{36}\): .*element 11/);
    assert.equal(r.log.length, 1);
  });

  it('a slow drip within the timeout arrives whole, with exact final progress', async () => {
    sandbox.setFaults({ mode: 'slow', slowChunkDelayMs: 1 });
    const c = sandbox.campaigns[0]!;
    const q: EventQuery = { ...query, end: c.start + Math.floor((c.end - c.start) / 40) };
    const want = [...sandbox.expectedEvents(c.id, q)];
    const progress: { bytes: number; events: number }[] = [];
    const client = new Np6Client({ baseUrl: sandbox.url, apiKey: KEY, timeoutMs: 2000 });
    const got: Np6Event[] = [];
    for await (const e of client.streamEvents(q, { onProgress: (p) => progress.push(p) })) got.push(e);
    assert.deepEqual(got, want);
    const last = progress.at(-1)!;
    assert.equal(last.events, want.length);
    // The same answer fetched raw (ascending order is deterministic) gives the byte count to expect.
    sandbox.setFaults({ mode: 'none' });
    const raw = await fetch(`${sandbox.url}${requestPath(q)}`, {
      method: 'POST',
      headers: { 'X-Key': KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify(requestBody(q)),
    });
    const bytes = (await raw.arrayBuffer()).byteLength;
    assert.equal(last.bytes, bytes);
  });

  it('a drip slower than the timeout gives a timeout error with the events received', async () => {
    sandbox.setFaults({ mode: 'slow', slowChunkDelayMs: 400 });
    const r = await run({ timeoutMs: 150 });
    assert.ok(r.error instanceof Np6TimeoutError, String(r.error));
    assert.equal(r.error.eventsReceived, r.records.length);
    assert.equal(r.log.length, 1);
  });

  it('faults injected over HTTP (another process) apply too', async () => {
    const res = await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'X-Key': KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify({ mode: '503', times: 1 }),
    });
    assert.equal(res.status, 204);
    const r = await run();
    assert.equal(r.error, undefined);
    assert.deepEqual(
      r.log.map((l) => l.status),
      [503, 200],
    );
  });
});
