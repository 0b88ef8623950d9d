// Np6Client against a tiny loopback server, for what needs exact control of the bytes and timing.
// The fault-injection behaviour (429/503/500/html/cut/malformed/slow) is tested against the real
// sandbox in clientSandbox.test.ts.

import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import {
  Np6Client,
  type EventRecord,
  type RequestLogEntry,
  type StreamProgress,
} from '../../../src/np6/client';
import {
  Np6CancelledError,
  Np6Error,
  Np6HttpError,
  Np6MalformedStreamError,
  Np6NetworkError,
  Np6TimeoutError,
} from '../../../src/np6/errors';
import { allEmailEvents, requestBody, requestPath, type EventQuery } from '../../../src/np6/query';
import { startTinyServer, writeChunks, type Handler, type TinyServer } from './tinyServer';

const KEY = 'SECRET-KEY-123';
const QUERY: EventQuery = {
  campaignId: 'c-1',
  endpoint: 'items',
  itemsEvents: [allEmailEvents(['000PE4', 42])],
  start: Date.UTC(2024, 4, 1),
  end: Date.UTC(2024, 4, 2),
  sort: 'asc',
};

const EVENTS = [
  { type: 'hit', id: 'e1', timestamp: 1, source: { type: 'email', detail: { link: { label: 'Café ☕' } } } },
  { type: 'activation', id: 'e2', timestamp: 2, note: '😀 漢字 "quoted" \\ back' },
  { type: 'mystery', id: 'e3', timestamp: 3, data: [[1, 2], { deep: { er: [] } }] },
];
const BODY = new TextEncoder().encode(
  `[\n  ${EVENTS.map((e) => JSON.stringify(e, null, 1)).join(',\n  ')}\n]\n`,
);

async function collect(
  client: Np6Client,
  opts: Parameters<Np6Client['streamRecords']>[1] = {},
): Promise<{ records: EventRecord[]; error?: Np6Error }> {
  const records: EventRecord[] = [];
  try {
    for await (const r of client.streamRecords(QUERY, opts)) records.push(r);
    return { records };
  } catch (e) {
    assert.ok(e instanceof Np6Error, `expected an Np6Error, got ${String(e)}`);
    return { records, error: e };
  }
}

/** Everything an error or a log could expose, as text, to check the key is not in it. */
function exposed(error: unknown, log: RequestLogEntry[]): string {
  const e = error as Error;
  return [e.message, e.stack ?? '', JSON.stringify(e), String(e), JSON.stringify(log)].join('\n');
}

describe('Np6Client (tiny server)', () => {
  let server: TinyServer | undefined;
  const serve = async (h: Handler): Promise<TinyServer> => (server = await startTinyServer(h));
  const client = (s: TinyServer, extra: Partial<ConstructorParameters<typeof Np6Client>[0]> = {}) =>
    new Np6Client({ baseUrl: `${s.url}/`, apiKey: KEY, sleep: () => Promise.resolve(), ...extra });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('POSTs the query with the key and JSON headers, and streams the array', async () => {
    // Split in 3-byte chunks: cuts fall inside multi-byte characters, escapes and nesting.
    const s = await serve(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'rid-ok' });
      const parts: Uint8Array[] = [];
      for (let i = 0; i < BODY.length; i += 3) parts.push(BODY.subarray(i, i + 3));
      await writeChunks(res, parts, 0);
      res.end();
    });
    const log: RequestLogEntry[] = [];
    const progress: StreamProgress[] = [];
    const { records, error } = await collect(client(s, { log: (e) => log.push(e) }), {
      onProgress: (p) => progress.push(p),
    });
    assert.equal(error, undefined);
    assert.deepEqual(
      records.map((r) => r.event),
      EVENTS,
    );
    for (const r of records) {
      assert.ok(!/[\r\n]/.test(r.json), 'json is on one line');
      assert.deepEqual(JSON.parse(r.json), r.event);
    }
    const req = s.requests[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.url, requestPath(QUERY));
    assert.equal(req.headers['x-key'], KEY);
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers['accept'], 'application/json');
    assert.deepEqual(JSON.parse(req.body), requestBody(QUERY));
    assert.equal(log.length, 1);
    assert.deepEqual(
      { ...log[0], durationMs: 0 },
      {
        method: 'POST',
        path: requestPath(QUERY),
        status: 200,
        durationMs: 0,
        events: 3,
        bytes: BODY.length,
        requestId: 'rid-ok',
        attempt: 1,
      },
    );
    assert.deepEqual(progress.at(-1), { bytes: BODY.length, events: 3, attempt: 1 });
  });

  it('yields each event as soon as its bytes arrive', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const s = await serve(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`[${JSON.stringify(EVENTS[0])},`);
      await released; // the rest only comes once the client has shown the first event
      res.end(`${JSON.stringify(EVENTS[1])}]`);
    });
    const ids: string[] = [];
    for await (const e of client(s).streamEvents(QUERY)) {
      ids.push(e.id);
      if (ids.length === 1) release();
    }
    assert.deepEqual(ids, ['e1', 'e2']);
  });

  it('skips array elements that are not objects, keeps objects with unknown shapes', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.end('[1, "x", null, [2], {"no":"envelope"}, {"type":"t","id":"i","timestamp":5}]');
    });
    const { records, error } = await collect(client(s));
    assert.equal(error, undefined);
    assert.deepEqual(
      records.map((r) => r.json),
      ['{"no":"envelope"}', '{"type":"t","id":"i","timestamp":5}'],
    );
  });

  it('never shows the key, even when the server echoes it back', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(401, { 'content-type': 'text/plain', 'x-request-id': 'rid-401' });
      res.end(`Invalid key ${KEY} for this account`);
    });
    const log: RequestLogEntry[] = [];
    const { error } = await collect(client(s, { log: (e) => log.push(e) }));
    assert.ok(error instanceof Np6HttpError);
    assert.equal(error.status, 401);
    assert.equal(error.requestId, 'rid-401');
    assert.match(error.message, /API key/);
    assert.match(error.bodyExcerpt, /Invalid key \*\*\* for this account/);
    assert.ok(!exposed(error, log).includes(KEY), 'the key leaked');
    assert.equal(log.length, 1, '401 is not retried');
  });

  it('does not expose the key through the client object itself', () => {
    const c = new Np6Client({ baseUrl: 'http://127.0.0.1:1', apiKey: KEY });
    assert.ok(!JSON.stringify(c).includes(KEY));
    assert.ok(!inspect(c, { depth: 5, showHidden: true }).includes(KEY));
    assert.ok(!Object.values(c).some((v) => String(v).includes(KEY)));
  });

  it('never shows the key in network errors', async () => {
    const s = await serve((_req, res) => {
      res.destroy();
    });
    const log: RequestLogEntry[] = [];
    const { error } = await collect(client(s, { log: (e) => log.push(e), retry: { maxRetries: 1 } }));
    assert.ok(error instanceof Np6NetworkError);
    assert.equal(log.length, 2, 'a connection failure before any byte is retried');
    assert.ok(!exposed(error, log).includes(KEY), 'the key leaked');
  });

  it('reports a cut inside an element as a broken connection with the events received', async () => {
    const s = await serve(async (_req, res) => {
      res.writeHead(200);
      await writeChunks(res, [new TextEncoder().encode(`[${JSON.stringify(EVENTS[0])},{"type":"hi`)]);
      res.destroy();
    });
    const log: RequestLogEntry[] = [];
    const { records, error } = await collect(client(s, { log: (e) => log.push(e) }));
    assert.ok(error instanceof Np6NetworkError, String(error));
    assert.equal(records.length, 1);
    assert.equal(error.eventsReceived, 1);
    assert.match(error.message, /broke after 1 event \(/);
    assert.equal(s.requests.length, 1, 'never retried after events were yielded');
    assert.equal(log.length, 1);
  });

  it('reports a body that ends before the closing bracket as malformed, keeping the events', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'x-request-id': 'rid-trunc' });
      res.end(`[${JSON.stringify(EVENTS[0])},${JSON.stringify(EVENTS[1])}`);
    });
    const { records, error } = await collect(client(s));
    assert.ok(error instanceof Np6MalformedStreamError);
    assert.equal(records.length, 2);
    assert.equal(error.eventsReceived, 2);
    assert.equal(error.requestId, 'rid-trunc');
    assert.match(error.message, /cut off before the closing/);
    assert.match(error.hint, /2 events .* are kept/);
  });

  it('hands over the events before a malformed element that arrived in the same chunk', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.end(`[${JSON.stringify(EVENTS[0])},${JSON.stringify(EVENTS[1])},{"type":"hit",]`);
    });
    const { records, error } = await collect(client(s));
    assert.ok(error instanceof Np6MalformedStreamError, String(error));
    assert.deepEqual(
      records.map((r) => r.event),
      EVENTS.slice(0, 2),
    );
    assert.equal(error.eventsReceived, 2);
    assert.match(error.message, /element 3 \(at byte \d+\) is not valid JSON/);
  });

  it('refuses a base URL that is not http(s) at once, without a request', async () => {
    for (const baseUrl of ['api-cm.np6.com', 'ftp://example.org', '']) {
      const c = new Np6Client({ baseUrl, apiKey: KEY });
      const { error } = await collect(c);
      assert.ok(error instanceof Np6NetworkError, String(error));
      assert.match(error.message, /The base URL (is empty|is not a valid URL|uses "ftp:")/);
      assert.match(error.hint, /base URL/);
    }
  });

  it('reports a 200 HTML page as not a JSON array', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><html><body>Login required</body></html>');
    });
    const { error } = await collect(client(s));
    assert.ok(error instanceof Np6MalformedStreamError);
    assert.match(error.message, /not a JSON array: it is an HTML/);
    assert.match(error.message, /It says: Login required/);
    assert.match(error.hint, /base URL/);
  });

  it('quotes a 200 answer that is a JSON object instead of the array, without the key', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"message":"quota exceeded for key ${KEY}"}`);
    });
    const log: RequestLogEntry[] = [];
    const { error } = await collect(client(s, { log: (e) => log.push(e) }));
    assert.ok(error instanceof Np6MalformedStreamError);
    assert.match(
      error.message,
      /it is a JSON object.*It says: \{"message":"quota exceeded for key \*\*\*"\}/,
    );
    assert.ok(!exposed(error, log).includes(KEY), 'the key leaked');
  });

  it('times out when the headers do not come', async () => {
    const s = await serve(() => undefined); // never answers
    const t0 = Date.now();
    const { error } = await collect(client(s, { timeoutMs: 150 }));
    assert.ok(error instanceof Np6TimeoutError, String(error));
    assert.ok(Date.now() - t0 < 5000);
    assert.match(error.message, /nothing for/);
    assert.equal(s.requests.length, 1, 'a timeout is not retried');
  });

  it('times out when the body goes silent, keeping the events received', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.write(`[${JSON.stringify(EVENTS[0])},`);
    });
    const { records, error } = await collect(client(s, { timeoutMs: 200 }));
    assert.ok(error instanceof Np6TimeoutError, String(error));
    assert.equal(records.length, 1);
    assert.equal(error.eventsReceived, 1);
    await s.closed(0); // the connection was released
  });

  it('does not count the time the consumer spends on an event as silence', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.end(`[${EVENTS.map((e) => JSON.stringify(e)).join(',')}]`);
    });
    const ids: string[] = [];
    for await (const e of client(s, { timeoutMs: 100 }).streamEvents(QUERY)) {
      ids.push(e.id);
      await new Promise((r) => setTimeout(r, 150));
    }
    assert.equal(ids.length, 3);
  });

  it('cancels mid-stream with the events received, and closes the connection', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.write(`[${JSON.stringify(EVENTS[0])},`); // then stays open
    });
    const ac = new AbortController();
    const records: EventRecord[] = [];
    let error: unknown;
    try {
      for await (const r of client(s).streamRecords(QUERY, { signal: ac.signal })) {
        records.push(r);
        setTimeout(() => ac.abort(), 20);
      }
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof Np6CancelledError, String(error));
    assert.equal(error.eventsReceived, 1);
    assert.equal(records.length, 1);
    await s.closed(0);
  });

  it('cancels before the request, and during the backoff wait', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(503, { 'retry-after': '3600' });
      res.end('busy');
    });
    const before = await collect(client(s), { signal: AbortSignal.abort() });
    assert.ok(before.error instanceof Np6CancelledError);
    assert.equal(s.requests.length, 0);

    // The real (abortable) sleep: the 30 s cap would hang the test if the abort did not stop it.
    const ac = new AbortController();
    const c = new Np6Client({ baseUrl: s.url, apiKey: KEY });
    setTimeout(() => ac.abort(), 100);
    const t0 = Date.now();
    const during = await collect(c, { signal: ac.signal });
    assert.ok(during.error instanceof Np6CancelledError, String(during.error));
    assert.ok(Date.now() - t0 < 3000);
    assert.equal(s.requests.length, 1);
  });

  it('closes the connection when the consumer stops early', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.write(`[${JSON.stringify(EVENTS[0])},${JSON.stringify(EVENTS[1])},`);
    });
    const log: RequestLogEntry[] = [];
    for await (const e of client(s, { log: (l) => log.push(l) }).streamEvents(QUERY)) {
      assert.equal(e.id, 'e1');
      break;
    }
    await s.closed(0);
    assert.equal(log.length, 1);
    assert.match(log[0]!.error ?? '', /stopped by the consumer/);
  });

  it('cannot reach a closed port: retried, then a network error that says what to check', async () => {
    const s = await serve(() => undefined);
    const url = s.url;
    await s.close();
    server = undefined;
    const sleeps: number[] = [];
    const log: RequestLogEntry[] = [];
    const c = new Np6Client({
      baseUrl: url,
      apiKey: KEY,
      retry: { maxRetries: 2, baseDelayMs: 100 },
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      log: (e) => log.push(e),
    });
    const { error } = await collect(c);
    assert.ok(error instanceof Np6NetworkError, String(error));
    assert.match(error.message, /Could not reach NP6 at http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    assert.match(error.hint, /base URL/);
    assert.equal(log.length, 3);
    assert.deepEqual(
      log.map((l) => l.attempt),
      [1, 2, 3],
    );
    assert.equal(sleeps.length, 2);
    assert.ok(sleeps[0]! < 100 && sleeps[1]! < 200, `jittered backoff ${sleeps.join(',')}`);
  });

  it('hands the event loop back while a body that is already buffered is read', async () => {
    // A body whose every chunk is queued before reading starts: without a yield, reading it is pure
    // promise continuations and a timer set at the start only runs after the last event.
    const event = JSON.stringify(EVENTS[1]);
    const chunks = Array.from({ length: 2000 }, (_, i) =>
      new TextEncoder().encode((i === 0 ? '[' : ',') + Array.from({ length: 25 }, () => event).join(',')),
    );
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const c of chunks) controller.enqueue(c);
        controller.enqueue(new TextEncoder().encode(']'));
        controller.close();
      },
    });
    const c = new Np6Client({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: KEY,
      fetch: () => Promise.resolve(new Response(body, { status: 200 })),
    });
    let received = 0;
    let receivedWhenTimerRan: number | undefined;
    setImmediate(() => (receivedWhenTimerRan = received));
    for await (const _ of c.streamRecords(QUERY)) received++;
    assert.equal(received, 50_000);
    assert.ok(
      receivedWhenTimerRan !== undefined && receivedWhenTimerRan < received,
      `the timer ran after ${receivedWhenTimerRan} of ${received} events`,
    );
  });
});
