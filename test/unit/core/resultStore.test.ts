import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Np6Event } from '../../../src/np6/events';
import { eventItemId, eventKind, eventRecipient } from '../../../src/np6/events';
import { EVENTS_FILE, ResultStore, SUMMARY_FILE } from '../../../src/core/resultStore';
import { IdTable, hash64 } from '../../../src/core/idTable';
import { linkKey } from '../../../src/core/eventIndex';
import { allEmailEvents, type EventQuery } from '../../../src/np6/query';
import { record, removeDir, storedEvents, tempDir } from './scaleHelpers';

const QUERY: EventQuery = {
  campaignId: 'camp-1',
  endpoint: 'campaign',
  itemsEvents: [allEmailEvents()],
  start: 0,
  end: 1_000_000,
  sort: 'none',
};

/** Varied events: several kinds, items, recipients and links, non-ASCII text, shuffled times. */
function makeEvents(n: number): Np6Event[] {
  const kinds = ['execution', 'activation', 'hit', 'bounce', 'mystery'];
  const out: Np6Event[] = [];
  for (let i = 0; i < n; i++) {
    const type = kinds[i % kinds.length]!;
    const e: Np6Event = {
      type,
      id: `ev-${i}`,
      timestamp: ((i * 7919) % n) * 10,
      source: {
        type: 'email',
        detail: {
          activation: { id: `ITEM${i % 3}`, receiver: { type: 'footprint', id: `r${i % 11}` } },
          ...(type === 'hit'
            ? { link: { type: i % 2 ? 'open' : 'redirection', destination: `https://x.test/${i % 4}` } }
            : {}),
        },
      },
      note: `é ☕ "${i}"\u2028`,
    };
    out.push(e);
  }
  return out;
}

describe('ResultStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeDir(dir));

  it('writes NDJSON as events arrive and reads any event back by offset', async () => {
    const events = makeEvents(3000);
    const store = await ResultStore.create(path.join(dir, 'r1'), {
      id: 'r1',
      campaignLabel: 'C',
      query: QUERY,
    });
    for (const e of events) assert.equal(store.append(record(e)), true);
    assert.equal(store.index.length, events.length);
    for (const i of [0, 1, 1234, 2999]) assert.deepEqual(await store.readEvent(i), events[i]);
    await store.finish({ complete: true, missing: [] });
    await store.close();
    const lines = fs
      .readFileSync(path.join(dir, 'r1', EVENTS_FILE), 'utf8')
      .trimEnd()
      .split('\n');
    assert.equal(lines.length, events.length);
    assert.deepEqual(JSON.parse(lines[42]!), events[42]);
    // Reads still work after close (the file is reopened read-only); writes do not.
    assert.deepEqual(await store.readEvent(7), events[7]);
    assert.throws(() => store.append(record(events[0]!)), /closed/);
  });

  it("writes a record's bytes when it has them, byte for byte the file a text-only record gives", async () => {
    const events = makeEvents(2500);
    const files: string[] = [];
    for (const withBytes of [false, true]) {
      const id = withBytes ? 'bytes' : 'text';
      const store = await ResultStore.create(path.join(dir, id), { id, campaignLabel: 'C', query: QUERY });
      events.forEach((e, k) => {
        const r = record(e);
        // Every other record carries its bytes (a producer may have them for some events only).
        store.append(withBytes && k % 2 === 0 ? { ...r, bytes: Buffer.from(r.json, 'utf8') } : r);
      });
      assert.deepEqual(await store.readEvent(1001), events[1001]);
      await store.finish({ complete: true, missing: [] });
      await store.close();
      files.push(fs.readFileSync(path.join(dir, id, EVENTS_FILE), 'utf8'));
    }
    assert.equal(files[1], files[0]);
    assert.equal(files[0]!.split('\n').length, events.length + 1);
  });

  it("copies a record's bytes as it is appended: the producer may reuse its buffer at once", async () => {
    // Events of 600-900 bytes, more than a block (1 MB) in all, each handed over in one reused buffer.
    const events = makeEvents(4000).map((e, k) => ({ ...e, pad: 'x'.repeat(600 + (k % 300)) }));
    // One event larger than a block's buffer (it gets a buffer of its own).
    events[2000] = { ...events[2000]!, pad: 'y'.repeat(3 * 1024 * 1024) };
    const store = await ResultStore.create(path.join(dir, 'reuse'), {
      id: 'reuse',
      campaignLabel: 'C',
      query: QUERY,
    });
    const shared = Buffer.alloc(4 * 1024 * 1024);
    for (const e of events) {
      const r = record(e);
      const n = shared.write(r.json, 0, 'utf8');
      assert.equal(store.append({ ...r, bytes: shared.subarray(0, n) }), true);
      shared.fill(0x78, 0, n); // the producer's next chunk overwrites the memory
    }
    // Duplicates of events still in memory (this block), and of events already written out.
    for (const e of [events[3999]!, events[3998]!, events[10]!, events[0]!]) {
      assert.equal(store.append(record(e)), false, `${String(e.id)} is a duplicate`);
    }
    assert.equal(store.index.length, events.length);
    assert.deepEqual(await store.readEvent(3999), events[3999]);
    await store.finish({ complete: true, missing: [] });
    await store.close();
    const lines = fs.readFileSync(path.join(dir, 'reuse', EVENTS_FILE), 'utf8').split('\n');
    assert.equal(lines.length, events.length + 1);
    assert.deepEqual(
      lines.slice(0, -1).map((l) => JSON.parse(l) as Np6Event),
      events,
    );
  });

  it('ignores bytes that do not match the one-line text (a text with a raw newline)', async () => {
    const store = await ResultStore.create(path.join(dir, 'nl'), {
      id: 'nl',
      campaignLabel: 'C',
      query: QUERY,
    });
    const json = '{"id":"a",\n"type":"hit"}';
    store.append({ event: JSON.parse(json) as Np6Event, json, bytes: Buffer.from(json) });
    await store.finish({ complete: true, missing: [] });
    await store.close();
    assert.equal(fs.readFileSync(path.join(dir, 'nl', EVENTS_FILE), 'utf8'), '{"id":"a", "type":"hit"}\n');
  });

  it('indexes time, kind, item, recipient and link of every event', async () => {
    const events = makeEvents(500);
    const store = await ResultStore.create(dir, { id: 'r', campaignLabel: 'C', query: QUERY });
    for (const e of events) store.append(record(e));
    const ix = store.index;
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      assert.equal(ix.timestamp(i), e.timestamp);
      assert.equal(ix.kinds[ix.kindCode(i)], eventKind(e));
      assert.equal(ix.items[ix.itemCode(i)], eventItemId(e));
      assert.equal(ix.recipients[ix.recipientCode(i)], eventRecipient(e));
      const link = linkKey(e);
      if (link === undefined) assert.equal(ix.linkCode(i), -1);
      else assert.equal(ix.links[ix.linkCode(i)], link);
    }
    assert.equal(new Set(ix.recipients).size, ix.recipients.length, 'strings are interned once');
    assert.throws(() => ix.timestamp(events.length), RangeError);
    await store.close();
  });

  it('drops events whose id was stored already, even across a reopen', async () => {
    const events = makeEvents(200);
    const store = await ResultStore.create(dir, { id: 'r', campaignLabel: 'C', query: QUERY });
    for (const e of events.slice(0, 150)) store.append(record(e));
    // Overlap: 100..149 again (as a neighbouring window would send them), then new ones.
    let added = 0;
    for (const e of events.slice(100)) if (store.append(record(e))) added++;
    assert.equal(added, 50);
    assert.equal(store.index.length, 200);
    await store.finish({ complete: true, missing: [] });
    await store.close();

    const again = await ResultStore.open(dir);
    assert.equal(again.index.length, 200);
    assert.equal(again.append(record(events[10]!)), false);
    assert.equal(again.append(record({ ...events[10]!, id: 'brand-new' })), true);
    // Elements without an id are de-duplicated by their whole text.
    const noId = { type: 'odd', timestamp: 5 } as unknown as Np6Event;
    assert.equal(again.append(record(noId)), true);
    assert.equal(again.append(record(noId)), false);
    await again.close();
  });

  it('streams records in time order (ties and missing timestamps last, stable) and arrival order', async () => {
    const events = makeEvents(20_000);
    const noTime = { type: 'odd', id: 'no-time', source: {} } as unknown as Np6Event;
    const store = await ResultStore.create(dir, { id: 'r', campaignLabel: 'C', query: QUERY });
    store.append(record(noTime));
    for (const e of events) store.append(record(e));
    const byTime = await storedEvents(store, 'time');
    assert.equal(byTime.length, events.length + 1);
    assert.equal(byTime[byTime.length - 1]!.id, 'no-time', 'an event without timestamp is kept, last');
    const expected = events
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.timestamp - b.e.timestamp || a.i - b.i)
      .map((x) => x.e);
    assert.deepEqual(byTime.slice(0, -1), expected);
    assert.ok(Number.isNaN(store.index.timestamp(0)));
    const byArrival = await storedEvents(store, 'arrival');
    assert.deepEqual(byArrival, [noTime, ...events]);
    await store.close();
  });

  it('gives each record its stored bytes, its text and its event, all the same event', async () => {
    const events = makeEvents(300);
    const store = await ResultStore.create(dir, { id: 'r', campaignLabel: 'C', query: QUERY });
    for (const e of events) store.append(record(e));
    let i = 0;
    for await (const r of store.records('arrival')) {
      const e = events[i++]!;
      assert.equal(r.json, JSON.stringify(e));
      assert.deepEqual(Buffer.from(r.bytes), Buffer.from(JSON.stringify(e), 'utf8'));
      assert.deepEqual(r.event, e);
    }
    assert.equal(i, events.length);
    await store.close();
  });

  it('rebuilds the same index on open, and cuts a torn last line', async () => {
    const events = makeEvents(1000);
    const store = await ResultStore.create(dir, { id: 'r', campaignLabel: 'Label', query: QUERY });
    for (const e of events) store.append(record(e));
    store.addResponseBytes(12345);
    await store.finish({ complete: false, missing: [{ start: 5, end: 9, reason: 'HTTP 500' }] });
    await store.close();
    // The window died in the middle of a write.
    fs.appendFileSync(path.join(dir, EVENTS_FILE), '{"type":"hit","id":"torn","timest');

    const opened = await ResultStore.open(dir);
    assert.equal(opened.damagedLines, 1);
    assert.equal(opened.index.length, events.length);
    assert.equal(opened.summary.count, events.length);
    assert.equal(opened.summary.bytes, 12345);
    assert.equal(opened.summary.campaignLabel, 'Label');
    assert.deepEqual(opened.summary.missing, [{ start: 5, end: 9, reason: 'HTTP 500' }]);
    for (let i = 0; i < events.length; i += 97) {
      assert.equal(opened.index.timestamp(i), store.index.timestamp(i));
      assert.equal(opened.index.kinds[opened.index.kindCode(i)], store.index.kinds[store.index.kindCode(i)]);
      assert.deepEqual(await opened.readEvent(i), events[i]);
    }
    // Appending after the cut starts on a fresh line.
    assert.equal(opened.append(record({ ...events[0]!, id: 'after-cut' })), true);
    await opened.close();
    const reopened = await ResultStore.open(dir);
    assert.equal(reopened.damagedLines, 0);
    assert.equal(reopened.index.length, events.length + 1);
    assert.equal((await reopened.readEvent(events.length)).id, 'after-cut');
    await reopened.close();
  });

  it('is honest while fetching: an unfinished result says it is incomplete', async () => {
    const store = await ResultStore.create(dir, { id: 'r', campaignLabel: 'C', query: QUERY });
    store.append(record(makeEvents(1)[0]!));
    const onDisk = JSON.parse(fs.readFileSync(path.join(dir, SUMMARY_FILE), 'utf8')) as {
      complete: boolean;
      missing: { start: number; end: number }[];
    };
    assert.equal(onDisk.complete, false);
    assert.deepEqual(
      onDisk.missing.map((m) => [m.start, m.end]),
      [[QUERY.start, QUERY.end]],
    );
    await store.close();
    const opened = await ResultStore.open(dir);
    assert.equal(opened.summary.complete, false);
    assert.equal(opened.index.length, 1, 'the events that arrived are kept');
    await opened.close();
  });

  it('tells listeners which events were appended, in batches', async () => {
    const store = await ResultStore.create(dir, { id: 'r', campaignLabel: 'C', query: QUERY });
    const calls: [number, number][] = [];
    const sub = store.onDidAppend((from, to) => calls.push([from, to]));
    for (const e of makeEvents(100)) store.append(record(e));
    await new Promise((r) => setImmediate(r));
    for (const e of makeEvents(130).slice(100)) store.append(record(e));
    await store.finish({ complete: true, missing: [] });
    assert.deepEqual(calls, [
      [0, 100],
      [100, 130],
    ]);
    sub.dispose();
    store.append(record({ ...makeEvents(1)[0]!, id: 'late' }));
    await new Promise((r) => setImmediate(r));
    assert.equal(calls.length, 2, 'a disposed listener hears nothing');
    await store.close();
  });

  it('tells listeners when a fetch finishes, after its last appends and its summary', async () => {
    const store = await ResultStore.create(dir, { id: 'r', campaignLabel: 'C', query: QUERY });
    const heard: string[] = [];
    store.onDidAppend((from, to) => heard.push(`append ${from}-${to}`));
    const sub = store.onDidFinish(() =>
      heard.push(`finish ${store.summary.count} ${store.summary.finishedAt !== undefined}`),
    );
    for (const e of makeEvents(40)) store.append(record(e));
    assert.deepEqual(heard, [], 'nothing before the end of the tick');
    await store.finish({ complete: true, missing: [] });
    assert.deepEqual(heard, ['append 0-40', 'finish 40 true'], 'appends first, then the end');
    // Fetched again (resume, refresh): finishes again.
    await store.markInProgress();
    store.append(record({ ...makeEvents(1)[0]!, id: 'more' }));
    await store.finish({ complete: true, missing: [] });
    assert.deepEqual(heard.slice(2), ['append 40-41', 'finish 41 true']);
    // Closing a finished store says nothing more; a disposed listener hears nothing.
    await store.close();
    assert.equal(heard.length, 4);
    sub.dispose();
  });

  it('tells finish listeners when a store being fetched is closed without finish', async () => {
    const store = await ResultStore.create(dir, { id: 'r', campaignLabel: 'C', query: QUERY });
    let finished = 0;
    store.onDidFinish(() => finished++);
    store.append(record(makeEvents(1)[0]!));
    await store.close();
    assert.equal(finished, 1, 'a panel following it stops saying "so far"');
    await store.close();
    assert.equal(finished, 1, 'once');
  });

  it('tells finish listeners even when the summary cannot be written', async () => {
    const store = await ResultStore.create(dir, { id: 'r', campaignLabel: 'C', query: QUERY });
    let finished = 0;
    store.onDidFinish(() => finished++);
    store.append(record(makeEvents(1)[0]!));
    await store.flush();
    fs.rmSync(dir, { recursive: true, force: true });
    await assert.rejects(store.finish({ complete: true, missing: [] }));
    assert.equal(finished, 1);
    await store.close().catch(() => undefined);
  });

  it('refuses to create over an existing result', async () => {
    const store = await ResultStore.create(dir, { id: 'r', campaignLabel: 'C', query: QUERY });
    await store.close();
    await assert.rejects(
      ResultStore.create(dir, { id: 'r', campaignLabel: 'C', query: QUERY }),
      /already exists/,
    );
    await assert.rejects(ResultStore.open(path.join(dir, 'nothing')), /does not hold a readable result/);
  });
});

describe('IdTable', () => {
  it('detects duplicates among many ids and grows', () => {
    const keys = Array.from({ length: 50_000 }, (_, i) => `id-${i}-${(i * 2654435761) >>> 0}`);
    const t = new IdTable(16);
    keys.forEach((k, i) =>
      assert.equal(
        t.add(k, i, (j) => keys[j]!),
        true,
      ),
    );
    assert.equal(t.count, keys.length);
    for (let i = 0; i < keys.length; i += 1013) {
      assert.equal(
        t.add(keys[i]!, keys.length, (j) => keys[j]!),
        false,
      );
    }
  });

  it('keeps an event whose hash matches a different stored key (collision fallback)', () => {
    const t = new IdTable();
    assert.equal(
      t.add('a', 0, () => 'a'),
      true,
    );
    // Same key text hashes the same; pretend the stored event's real key differs (a collision).
    assert.equal(
      t.add('a', 1, () => 'something-else'),
      true,
    );
    assert.equal(t.count, 2);
  });

  it('hashes with two independent halves', () => {
    const [a1, a2] = hash64('abc');
    const [b1, b2] = hash64('abd');
    assert.notEqual(a1, b1);
    assert.notEqual(a2, b2);
    assert.notEqual(a1, a2);
  });
});
