// Bounded resources: an element that never ends, a body that drips, a deadline, error bodies read
// within size and time bounds, timeouts too large for a timer, and what the server sends back
// (the key in several encodings, hostile request ids) kept out of messages and logs.

import assert from 'node:assert/strict';
import type http from 'node:http';
import {
  MAX_TIMER_MS,
  Np6Client,
  checkTimeoutMs,
  type EventRecord,
  type RequestLogEntry,
} from '../../../src/np6/client';
import { Np6Error, Np6HttpError, Np6MalformedStreamError, Np6TimeoutError } from '../../../src/np6/errors';
import { allEmailEvents, type EventQuery } from '../../../src/np6/query';
import { abortableSleep, retryPolicy } from '../../../src/np6/retry';
import { INVALID_REQUEST_ID } from '../../../src/np6/secrets';
import { startTinyServer, type Handler, type TinyServer } from './tinyServer';

const KEY = 'k3y/Secret+Value 42';
const QUERY: EventQuery = {
  campaignId: 'c-1',
  endpoint: 'campaign',
  itemsEvents: [allEmailEvents()],
  sort: 'asc',
};
const EVENT = '{"type":"hit","id":"e1","timestamp":1}';
const MiB = 1024 * 1024;

/** The key in every form a server may echo it. */
const KEY_FORMS = [
  KEY,
  encodeURIComponent(KEY),
  encodeURI(KEY),
  new URLSearchParams({ k: KEY }).toString().slice(2),
  JSON.stringify(KEY).slice(1, -1).replace(/\//g, '\\/'),
  [...KEY].map((c) => `&#${c.charCodeAt(0)};`).join(''),
];
/** A header dump, base64-encoded: the key sits at alignment 1 (7 bytes before it). */
const KEY_DUMP_B64 = Buffer.from(`X-Key: ${KEY}\r\n`).toString('base64');
/** Characters 10-29 of the dump hold bits of the key only. */
const KEY_B64_CORE = KEY_DUMP_B64.slice(10, 30);

async function collect(client: Np6Client): Promise<{ records: EventRecord[]; error?: Np6Error }> {
  const records: EventRecord[] = [];
  try {
    for await (const r of client.streamRecords(QUERY)) records.push(r);
    return { records };
  } catch (e) {
    assert.ok(e instanceof Np6Error, `expected an Np6Error, got ${String(e)}`);
    return { records, error: e };
  }
}

/** Writes with backpressure until the connection closes or `total` bytes are written; returns the count. */
async function writeUntilClosed(
  res: http.ServerResponse,
  chunk: Buffer,
  total: number,
  onWrite: (bytes: number) => void = () => undefined,
): Promise<number> {
  let written = 0;
  while (written < total && !res.destroyed) {
    const more = res.write(chunk);
    written += chunk.length;
    onWrite(chunk.length);
    if (!more) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  return written;
}

describe('Np6Client bounds (tiny server)', function () {
  this.timeout(30_000);
  let server: TinyServer | undefined;
  const serve = async (h: Handler): Promise<TinyServer> => (server = await startTinyServer(h));
  let drip: ReturnType<typeof setInterval> | undefined;
  afterEach(async () => {
    if (drip !== undefined) clearInterval(drip);
    drip = undefined;
    await server?.close();
    server = undefined;
  });

  it('stops an element that never ends at maxElementBytes, keeping the events before it, memory bounded', async () => {
    let written = 0;
    const s = await serve(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`[${EVENT},${EVENT},{"type":"hit","note":"`);
      // 40 MB of one string that never closes.
      await writeUntilClosed(res, Buffer.alloc(64 * 1024, 'x'), 40 * MiB, (n) => (written += n));
      res.end('"}]');
    });
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const { records, error } = await collect(
      new Np6Client({ baseUrl: s.url, apiKey: KEY, maxElementBytes: MiB }),
    );
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    await s.closed(0);
    assert.ok(error instanceof Np6MalformedStreamError, String(error));
    assert.match(error.message, /element 3 \(from byte \d+\) is larger than 1 MiB/);
    assert.equal(records.length, 2);
    assert.equal(error.eventsReceived, 2);
    assert.match(error.hint, /2 events before the problem are kept/);
    assert.ok(written < 16 * MiB, `the client read on: the server wrote ${(written / MiB).toFixed(1)} MiB`);
    const grew = (peak - rss0) / MiB;
    if (process.env.NP6_TEST_VERBOSE) {
      console.log(`written ${(written / MiB).toFixed(1)} MiB, RSS +${grew.toFixed(1)} MiB`);
    }
    assert.ok(grew < 30, `RSS grew by ${grew.toFixed(1)} MiB`);
  });

  it('ends a whitespace drip (one space per 0.5 s) on the minimum throughput, keeping the events', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'rid-drip' });
      res.write(`[${EVENT}`);
      drip = setInterval(() => res.write(' '), 500);
    });
    const t0 = Date.now();
    const { records, error } = await collect(
      new Np6Client({
        baseUrl: s.url,
        apiKey: KEY,
        timeoutMs: 2000,
        minBytesPerSecond: 1024,
        throughputGraceMs: 1000,
      }),
    );
    const took = Date.now() - t0;
    assert.ok(error instanceof Np6TimeoutError, String(error));
    assert.match(
      error.message,
      /too slowly: \d+ bytes\/s on average over \d+ s, under the minimum throughput of 1024 bytes\/s \(after 1 event\)/,
    );
    assert.match(error.message, /request id rid-drip/);
    assert.match(error.hint, /The event received is kept.*lower the minimum throughput/);
    assert.equal(records.length, 1);
    assert.equal(error.eventsReceived, 1);
    assert.ok(took < 10_000, `took ${took} ms`);
    await s.closed(0);
  });

  it('ends a drip on the deadline when no minimum throughput is set', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`[${EVENT}`);
      drip = setInterval(() => res.write(' '), 200);
    });
    const t0 = Date.now();
    const { records, error } = await collect(
      new Np6Client({ baseUrl: s.url, apiKey: KEY, timeoutMs: 1000, deadlineMs: 1500, minBytesPerSecond: 0 }),
    );
    const took = Date.now() - t0;
    assert.ok(error instanceof Np6TimeoutError, String(error));
    assert.match(
      error.message,
      /still answering after 2 s, the longest one request may take \(the request deadline\) after 1 event\b/,
    );
    assert.match(error.hint, /raise the request deadline/);
    assert.equal(records.length, 1);
    assert.ok(took >= 1400 && took < 10_000, `took ${took} ms`);
  });

  it('the deadline also bounds the wait for the headers', async () => {
    const s = await serve(() => undefined);
    const { error } = await collect(
      new Np6Client({ baseUrl: s.url, apiKey: KEY, timeoutMs: 5000, deadlineMs: 200 }),
    );
    assert.ok(error instanceof Np6TimeoutError, String(error));
    assert.match(error.message, /the request deadline/);
  });

  it('reads an error body that trickles for a bounded time, then reports the HTTP error', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.write('Invalid key ');
      drip = setInterval(() => res.write('.'), 50);
    });
    const t0 = Date.now();
    const { error } = await collect(new Np6Client({ baseUrl: s.url, apiKey: KEY, errorBodyTimeoutMs: 400 }));
    const took = Date.now() - t0;
    assert.ok(error instanceof Np6HttpError, String(error));
    assert.equal(error.status, 401);
    assert.match(error.bodyExcerpt, /^Invalid key \.+$/);
    assert.ok(took < 8000, `took ${took} ms`);
    await s.closed(0);
  });

  it('does not leave a prefix of the key where the 16 KiB error-body bound cuts it', async () => {
    // Tags vanish from the excerpt, so the cut falls inside its first 300 characters.
    const filler = '<i></i>'.repeat(Math.floor((16 * 1024 - 40) / 7));
    const s = await serve((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      const head = `<html><body>${filler}`;
      res.end(`${head}${'y'.repeat(16 * 1024 - Buffer.byteLength(head) - 6)}${KEY} and more`);
    });
    const { error } = await collect(new Np6Client({ baseUrl: s.url, apiKey: KEY, retry: { maxRetries: 0 } }));
    assert.ok(error instanceof Np6HttpError, String(error));
    assert.ok(!error.bodyExcerpt.includes(KEY.slice(0, 5)), error.bodyExcerpt.slice(-30));
    assert.match(error.bodyExcerpt, /y\*\*\*$/);
  });

  it('does not leave a prefix of the key where the quote of a 200 page that is not an array is cut', async () => {
    // The quote takes the first 2048 bytes; tags vanish, so the cut falls inside the 300-char excerpt.
    const head = `<html><body>${'<i></i>'.repeat(280)}`;
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`${head}${'z'.repeat(2048 - Buffer.byteLength(head) - 6)}${KEY}</body></html>`);
    });
    const { error } = await collect(new Np6Client({ baseUrl: s.url, apiKey: KEY }));
    assert.ok(error instanceof Np6MalformedStreamError, String(error));
    assert.match(error.message, /It says: z+\*\*\*$/);
    assert.ok(!error.message.includes(KEY.slice(0, 6)), error.message.slice(-40));
  });

  it('keeps every encoding of the key out of messages, logs and request ids', async () => {
    const ids = [
      `rid-${encodeURIComponent(KEY)}`,
      '[open](command:workbench.action.terminal.sendSequence)',
      'ok-rid.1',
    ];
    const s = await serve((_req, res, n) => {
      res.writeHead(n < 2 ? 503 : 401, { 'content-type': 'application/json', 'x-request-id': ids[n] ?? '' });
      res.end(JSON.stringify({ error: `bad key: ${KEY_FORMS.join(' | ')}`, dump: KEY_DUMP_B64 }));
    });
    const log: RequestLogEntry[] = [];
    const { error } = await collect(
      new Np6Client({ baseUrl: s.url, apiKey: KEY, log: (e) => log.push(e), sleep: () => Promise.resolve() }),
    );
    assert.ok(error instanceof Np6HttpError, String(error));
    assert.equal(error.requestId, 'ok-rid.1');
    assert.deepEqual(
      log.map((l) => l.requestId),
      [INVALID_REQUEST_ID, INVALID_REQUEST_ID, 'ok-rid.1'],
    );
    const exposed = `${error.message}\n${error.stack ?? ''}\n${JSON.stringify(error)}\n${JSON.stringify(log)}`;
    for (const form of [...KEY_FORMS, KEY_B64_CORE]) assert.ok(!exposed.includes(form), `leaked as ${form}`);
    assert.ok(!exposed.includes('command:'), 'a hostile request id was shown');
    assert.match(error.bodyExcerpt, /bad key: (\*\*\* \| ){5}\*\*\*","dump":"WC1LZXk6IG\*\*\*INCg=="/);
  });
});

describe('np6 timers never overflow', () => {
  it('a timeout of 3,000,000 s does not become 1 ms', async () => {
    const s = await startTinyServer(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 100));
      res.writeHead(200);
      res.end(`[${EVENT}]`);
    });
    try {
      const client = new Np6Client({
        baseUrl: s.url,
        apiKey: KEY,
        timeoutMs: 3_000_000 * 1000,
        deadlineMs: 1e15,
      });
      const { records, error } = await collect(client);
      assert.equal(error, undefined, String(error));
      assert.equal(records.length, 1);
    } finally {
      await s.close();
    }
  });

  it('checkTimeoutMs refuses what a timer cannot wait, with a message', () => {
    assert.equal(MAX_TIMER_MS, 2_147_483_647);
    assert.equal(checkTimeoutMs(60_000), undefined);
    assert.equal(checkTimeoutMs(MAX_TIMER_MS), undefined);
    assert.match(
      checkTimeoutMs(3_000_000 * 1000, 'The request timeout') ?? '',
      /^The request timeout of 3000000000 ms is longer than/,
    );
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.ok(checkTimeoutMs(bad) !== undefined, String(bad));
    }
  });

  it('retry waits are clamped: a huge Retry-After cap still waits instead of firing at once', async () => {
    assert.equal(retryPolicy({ maxDelayMs: 1e12 }).maxDelayMs, MAX_TIMER_MS);
    assert.equal(retryPolicy({ maxRetries: 1e9 }).maxRetries, 100);
    const ac = new AbortController();
    const outcome = await Promise.race([
      abortableSleep(3e9, ac.signal).then(
        () => 'slept',
        () => 'aborted',
      ),
      new Promise((r) => setTimeout(() => r('still waiting'), 100)),
    ]);
    ac.abort();
    assert.equal(outcome, 'still waiting');
  });
});
