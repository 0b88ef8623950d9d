import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { writeFileAtomic } from '../../../src/core/atomicFile';
import { ExportCancelledError, writeExport, type ExportRecord } from '../../../src/core/exportFormat';
import type { ResultSummary } from '../../../src/core/result';
import { allEmailEvents } from '../../../src/np6/query';

function makeEvents(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    type: i % 2 ? 'hit' : 'activation',
    id: `ev-${i}`,
    timestamp: 1_700_000_000_000 + i * 1000,
    source: { type: 'email', detail: { note: `é "quoted" \\ ${i}`, nested: [1, { a: [] }] } },
    unknownField: i,
  }));
}

async function* recordsOf(events: Record<string, unknown>[]): AsyncGenerator<ExportRecord> {
  for (const e of events) {
    await Promise.resolve();
    yield { json: JSON.stringify(e) };
  }
}

function summary(count: number, over: Partial<ResultSummary> = {}): ResultSummary {
  return {
    id: 'r1',
    campaignLabel: 'Spring sale',
    query: {
      campaignId: 'c-1',
      endpoint: 'campaign',
      itemsEvents: [allEmailEvents()],
      start: Date.UTC(2024, 0, 1),
      end: Date.UTC(2024, 0, 2),
      sort: 'asc',
    },
    startedAt: Date.UTC(2024, 5, 1, 12, 0, 0),
    complete: true,
    missing: [],
    count,
    bytes: 0,
    ...over,
  };
}

async function collect(
  format: 'export' | 'array' | 'ndjson',
  events: Record<string, unknown>[],
  meta = summary(events.length),
) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const res = await writeExport(out, format, meta, recordsOf(events));
  const text = Buffer.concat(chunks).toString('utf8');
  return { res, text };
}

describe('writeExport', () => {
  const events = makeEvents(1000);

  it('writes stored bytes when a record has them, byte-equal to writing its text', async () => {
    for (const format of ['export', 'array', 'ndjson'] as const) {
      const viaText = (await collect(format, events)).text;
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      async function* withBytes(): AsyncGenerator<ExportRecord> {
        for (const e of events) {
          await Promise.resolve();
          // json deliberately wrong: the writer must use the bytes when they are there.
          yield { json: 'not used', bytes: Buffer.from(JSON.stringify(e), 'utf8') };
        }
      }
      await writeExport(out, format, summary(events.length), withBytes());
      assert.equal(Buffer.concat(chunks).toString('utf8'), viaText, format);
    }
  });

  it('ndjson: one event a line, parseable back to the same events', async () => {
    const { res, text } = await collect('ndjson', events);
    const lines = text.split('\n');
    assert.equal(lines.pop(), '');
    assert.deepEqual(
      lines.map((l) => JSON.parse(l) as unknown),
      events,
    );
    assert.equal(res.count, events.length);
    assert.equal(res.bytes, Buffer.byteLength(text));
  });

  it('array: a JSON array of exactly the events, also when empty', async () => {
    const { text } = await collect('array', events);
    assert.deepEqual(JSON.parse(text), events);
    const empty = await collect('array', []);
    assert.deepEqual(JSON.parse(empty.text), []);
  });

  it('export: metadata keys in order, then the events', async () => {
    const meta = summary(events.length);
    const { text } = await collect('export', events, meta);
    const doc = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(doc), [
      'format',
      'query',
      'fetchedAt',
      'complete',
      'count',
      'missing',
      'events',
    ]);
    assert.equal(doc.format, 'np6-events/1');
    assert.equal(doc.fetchedAt, new Date(meta.startedAt).toISOString());
    assert.equal(doc.complete, true);
    assert.equal(doc.count, events.length);
    assert.deepEqual(doc.events, events);
    const q = doc.query as Record<string, unknown>;
    assert.equal(q.campaignId, 'c-1');
    assert.equal(q.start, meta.query.start);
    assert.equal(q.startIso, '2024-01-01T00:00:00.000Z');
    assert.equal(q.endIso, '2024-01-02T00:00:00.000Z');
    assert.deepEqual(q.itemsEvents, meta.query.itemsEvents);
  });

  it('export: a partial result says complete:false, lists missing windows and the error', async () => {
    const meta = summary(3, {
      complete: false,
      missing: [{ start: 1, end: 2, reason: 'HTTP 503' }],
      error: { kind: 'http', message: 'HTTP 503', status: 503 },
    });
    const { text } = await collect('export', events.slice(0, 3), meta);
    const doc = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(doc), [
      'format',
      'query',
      'fetchedAt',
      'complete',
      'count',
      'missing',
      'error',
      'events',
    ]);
    assert.equal(doc.complete, false);
    assert.deepEqual(doc.missing, [{ start: 1, end: 2, reason: 'HTTP 503' }]);
    assert.deepEqual(doc.error, { kind: 'http', message: 'HTTP 503', status: 503 });
  });

  it('export: refuses a summary whose count differs from the records', async () => {
    await assert.rejects(collect('export', events.slice(0, 5), summary(4)), /4 events but 5/);
  });

  it('two exports of the same result are byte-equal', async () => {
    const a = await collect('export', events);
    const b = await collect('export', events);
    assert.equal(a.text, b.text);
  });

  it('waits for drain on a slow destination and never lets the buffer grow unbounded', async () => {
    let maxBuffered = 0;
    let received = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, cb) {
        received += chunk.length;
        setTimeout(cb, 1);
      },
    });
    const big = makeEvents(5000);
    const watcher = setInterval(() => (maxBuffered = Math.max(maxBuffered, slow.writableLength)), 0);
    const res = await writeExport(slow, 'ndjson', summary(big.length), recordsOf(big));
    clearInterval(watcher);
    await new Promise<void>((r) => slow.end(r));
    assert.equal(received, res.bytes);
    // One batch (64 KiB of text) may sit in the buffer, never the whole export.
    assert.ok(res.bytes > 5 * 70 * 1024, `export large enough to need backpressure (${res.bytes})`);
    assert.ok(maxBuffered <= 70 * 1024 * 2, `buffered ${maxBuffered} bytes`);
  });

  it('cancel: rejects, leaves no temp file, keeps the existing target', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'np6-export-'));
    try {
      const target = path.join(dir, 'events.json');
      await fsp.writeFile(target, 'previous export');
      const ac = new AbortController();
      const big = makeEvents(20_000);
      async function* abortingSource(): AsyncGenerator<ExportRecord> {
        let i = 0;
        for await (const r of recordsOf(big)) {
          if (++i === 10_000) ac.abort();
          yield r;
        }
      }
      await assert.rejects(
        writeFileAtomic(target, async (out) => {
          await writeExport(out, 'export', summary(big.length), abortingSource(), ac.signal);
        }),
        ExportCancelledError,
      );
      assert.deepEqual(await fsp.readdir(dir), ['events.json']);
      assert.equal(await fsp.readFile(target, 'utf8'), 'previous export');
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown format', async () => {
    await assert.rejects(
      writeExport(new PassThrough(), 'xml' as 'ndjson', summary(0), recordsOf([])),
      /Unknown export format "xml": use export, array, ndjson or csv/,
    );
  });
});
