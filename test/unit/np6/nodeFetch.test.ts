// The client's default transport (node:http, nodeFetch.ts) against a loopback server: it must give
// the client what fetch gave it. Redirects, timeouts, cancel, cut streams and error bodies go
// through it in every other client test that does not pass its own `fetch`.

import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { Np6Client, type EventRecord } from '../../../src/np6/client';
import { Np6Error } from '../../../src/np6/errors';
import { nodeFetch } from '../../../src/np6/nodeFetch';
import { allEmailEvents, type EventQuery } from '../../../src/np6/query';
import { startTinyServer, type Handler, type TinyServer } from './tinyServer';

const KEY = 'SECRET-KEY-123';
const QUERY: EventQuery = {
  campaignId: 'c-1',
  endpoint: 'campaign',
  itemsEvents: [allEmailEvents()],
  sort: 'asc',
};
const EVENTS = Array.from({ length: 500 }, (_, i) => ({
  type: 'hit',
  id: `e${i}`,
  timestamp: i,
  note: 'Café ☕ 😀 "quoted"',
}));
const BODY = Buffer.from(JSON.stringify(EVENTS));

async function collect(client: Np6Client): Promise<EventRecord[]> {
  const out: EventRecord[] = [];
  for await (const r of client.streamRecords(QUERY)) out.push(r);
  return out;
}

describe('nodeFetch (the client default transport)', () => {
  let server: TinyServer | undefined;
  const serve = async (h: Handler): Promise<TinyServer> => (server = await startTinyServer(h));
  const client = (s: TinyServer) =>
    new Np6Client({ baseUrl: s.url, apiKey: KEY, sleep: () => Promise.resolve() });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('is what the client uses when no fetch is given: the global fetch is never called', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200).end(BODY);
    });
    const saved = globalThis.fetch;
    let calls = 0;
    globalThis.fetch = () => {
      calls++;
      return Promise.reject(new Error('the global fetch was called'));
    };
    try {
      const got = await collect(client(s));
      assert.equal(got.length, EVENTS.length);
    } finally {
      globalThis.fetch = saved;
    }
    assert.equal(calls, 0);
  });

  it('sends what fetch sent (user agent, accepted encodings, body length) besides the key and JSON headers', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200).end('[]');
    });
    await collect(client(s));
    const h = s.requests[0]!.headers;
    assert.equal(h['x-key'], KEY);
    assert.equal(h['user-agent'], 'node');
    assert.equal(h['accept-encoding'], 'gzip, deflate');
    assert.equal(Number(h['content-length']), Buffer.byteLength(s.requests[0]!.body));
  });

  for (const [coding, compress] of [
    ['gzip', zlib.gzipSync],
    ['x-gzip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
    ['br', zlib.brotliCompressSync],
  ] as const) {
    it(`decompresses a ${coding} answer, as fetch did`, async () => {
      const packed = compress(BODY);
      const s = await serve(async (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding });
        // In pieces, so the decompressor sees a stream, not one buffer.
        for (let i = 0; i < packed.length; i += 97) {
          res.write(packed.subarray(i, i + 97));
          await new Promise((r) => setImmediate(r));
        }
        res.end();
      });
      const got = await collect(client(s));
      assert.deepEqual(
        got.map((r) => r.event),
        EVENTS,
      );
    });
  }

  it('a corrupt compressed answer ends in an error, the events before it kept', async () => {
    const packed = Buffer.from(zlib.gzipSync(BODY));
    // Bytes flipped in the middle: the data (or its checksum at the end) no longer holds.
    for (let i = packed.length >> 1; i < (packed.length >> 1) + 64; i++) packed[i] = packed[i]! ^ 0xff;
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' }).end(packed);
    });
    const got: EventRecord[] = [];
    await assert.rejects(async () => {
      for await (const r of client(s).streamRecords(QUERY)) got.push(r);
    }, Np6Error);
    assert.ok(got.length < EVENTS.length);
    assert.deepEqual(
      got.map((r) => r.event),
      EVENTS.slice(0, got.length),
    );
  });

  it('answers with a standard Response: status, reason, headers; a redirect is returned, not followed', async () => {
    const s = await serve((req, res) => {
      if (req.url === '/moved') {
        res.writeHead(302, 'Found It', { location: '/elsewhere', 'x-a': '1' }).end('gone');
      } else res.writeHead(200).end('{}');
    });
    const res = await nodeFetch(`${s.url}/moved`, { method: 'POST', body: 'x' });
    assert.equal(res.status, 302);
    assert.equal(res.statusText, 'Found It');
    assert.equal(res.headers.get('location'), '/elsewhere');
    assert.equal(res.headers.get('x-a'), '1');
    assert.equal(await res.text(), 'gone');
    assert.equal(s.requests.length, 1, 'the redirect was not followed');
  });

  it('gives a 204 answer no body, and fails before the request on an aborted signal', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(204).end();
    });
    const res = await nodeFetch(s.url, { method: 'POST', body: '' });
    assert.equal(res.status, 204);
    assert.equal(res.body, null);
    const c = new AbortController();
    c.abort();
    await assert.rejects(nodeFetch(s.url, { signal: c.signal }));
    assert.equal(s.requests.length, 1);
  });

  it('an abort after the headers fails the body read', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.write('[{"a":1}');
      // Never ends: only the abort can finish the read.
    });
    const c = new AbortController();
    const res = await nodeFetch(s.url, { method: 'POST', body: '', signal: c.signal });
    const reader = res.body!.getReader();
    const first = await reader.read();
    assert.equal(first.done, false);
    c.abort();
    await assert.rejects(reader.read());
    await s.closed(0);
  });
});
