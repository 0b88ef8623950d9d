// streamRecords hands records out one per next() from per-chunk batches (RecordIterator in
// client.ts): what an async generator guaranteed must hold when it is driven by hand.

import assert from 'node:assert/strict';
import { Np6Client } from '../../../src/np6/client';
import { Np6CancelledError } from '../../../src/np6/errors';
import { allEmailEvents, type EventQuery } from '../../../src/np6/query';
import { startTinyServer, type TinyServer } from './tinyServer';

const QUERY: EventQuery = {
  campaignId: 'c-1',
  endpoint: 'campaign',
  itemsEvents: [allEmailEvents()],
  sort: 'asc',
};
const EVENTS = Array.from({ length: 50 }, (_, i) => ({ type: 'hit', id: `e${i}`, timestamp: i }));

describe('Np6Client.streamRecords driven by hand', () => {
  let server: TinyServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  /** Sends the first `first` events in one chunk, then the rest 20 ms later (or never). */
  const serve = async (first: number, rest: boolean): Promise<Np6Client> => {
    server = await startTinyServer(async (_req, res) => {
      res.writeHead(200);
      res.write(
        `[${EVENTS.slice(0, first)
          .map((e) => JSON.stringify(e))
          .join(',')}`,
      );
      if (!rest) return;
      await new Promise((r) => setTimeout(r, 20));
      res.end(
        `,${EVENTS.slice(first)
          .map((e) => JSON.stringify(e))
          .join(',')}]`,
      );
    });
    return new Np6Client({ baseUrl: server.url, apiKey: 'k' });
  };

  it('calls made without waiting are answered in order, then done', async () => {
    const client = await serve(10, true);
    const it = client.streamRecords(QUERY);
    // More calls than events, all at once: each gets the next record, the extra ones "done".
    const results = await Promise.all(Array.from({ length: EVENTS.length + 3 }, () => it.next()));
    assert.deepEqual(
      results.slice(0, EVENTS.length).map((r) => (r.done ? 'done' : r.value.event.id)),
      EVENTS.map((e) => e.id),
    );
    assert.ok(results.slice(EVENTS.length).every((r) => r.done));
  });

  it('after an abort, the next call fails with the records handed out, and the connection closes', async () => {
    const client = await serve(10, false);
    const c = new AbortController();
    const it = client.streamRecords(QUERY, { signal: c.signal });
    for (let i = 0; i < 3; i++) assert.equal((await it.next()).done, false);
    c.abort();
    await assert.rejects(it.next(), (e: unknown) => e instanceof Np6CancelledError && e.eventsReceived === 3);
    await server!.closed(0);
    assert.equal((await it.next()).done, true);
  });

  it('return() closes the connection; later calls are done', async () => {
    const client = await serve(10, false);
    const it = client.streamRecords(QUERY);
    assert.equal((await it.next()).done, false);
    assert.deepEqual(await it.return!(), { done: true, value: undefined });
    await server!.closed(0);
    assert.equal((await it.next()).done, true);
  });

  it('nothing is requested before the first next()', async () => {
    const client = await serve(10, true);
    const it = client.streamRecords(QUERY);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(server!.requests.length, 0);
    assert.equal((await it.next()).done, false);
    await it.return!();
  });
});
