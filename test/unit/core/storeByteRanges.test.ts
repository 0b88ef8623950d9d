// Exports of a whole result copy byte ranges of events.ndjson (storeByteRanges.ts) when the file is
// in the export's order; the documents must be byte-equal to the per-record path's, and the
// writers' guarantees (count check, cancellation, atomic file, removed result) must hold.
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { writeFileAtomic } from '../../../src/core/atomicFile';
import {
  ExportCancelledError,
  exportedPart,
  writeExport,
  type ExportFormat,
  type ExportRecord,
} from '../../../src/core/exportFormat';
import { ResultRemovedError, ResultStore, EVENTS_FILE } from '../../../src/core/resultStore';
import {
  ChunkPool,
  arrivalIsTimeOrder,
  isLineChunkSource,
  storeExportRecords,
  storeLineChunks,
} from '../../../src/core/storeByteRanges';
import type { Np6Event } from '../../../src/np6/events';
import { allEmailEvents, type EventQuery } from '../../../src/np6/query';
import { record, removeDir, tempDir } from './scaleHelpers';

const QUERY: EventQuery = {
  campaignId: 'camp-1',
  endpoint: 'campaign',
  itemsEvents: [allEmailEvents()],
  start: 0,
  end: 10_000_000,
  sort: 'asc',
};
const FORMATS: readonly ExportFormat[] = ['export', 'array', 'ndjson'];

class Sink extends Writable {
  private chunks: Buffer[] = [];
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
    // Copied: the writer may hand over views of buffers it owns.
    this.chunks.push(Buffer.from(chunk));
    cb();
  }
  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Events of about 700 bytes (so a few thousand span several 4 MB chunks), some multi-byte. */
function events(n: number, ts: (i: number) => number | undefined = (i) => 1000 + i): Np6Event[] {
  return Array.from({ length: n }, (_, i) => {
    const e: Record<string, unknown> = {
      type: i % 3 ? 'hit' : 'execution',
      id: `ev-${i}`,
      note: `é "q" \\ ,\t ${'x'.repeat(600 + (i % 50))} ✓ 🎉`,
    };
    const t = ts(i);
    if (t !== undefined) e.timestamp = t;
    return e as unknown as Np6Event;
  });
}

async function storeOf(dir: string, evs: Np6Event[]): Promise<ResultStore> {
  const store = await ResultStore.create(path.join(dir, 'r'), { id: 'r1', campaignLabel: 'C', query: QUERY });
  for (const e of evs) store.append(record(e));
  await store.finish({ complete: true, missing: [] });
  return store;
}

/** The export through the product path (exportedPart: byte ranges when possible). */
async function viaProduct(store: ResultStore, format: ExportFormat): Promise<string> {
  const out = new Sink();
  const { meta, records } = exportedPart(store);
  await writeExport(out, format, meta, records);
  return out.text;
}

/** The export record by record (ResultStore.records), the path used before byte ranges. */
async function viaRecords(store: ResultStore, format: ExportFormat, order: 'time' | 'arrival' = 'time') {
  const out = new Sink();
  // A plain generator: writeExport cannot see a byte-range source behind it.
  async function* plain(): AsyncGenerator<ExportRecord> {
    yield* store.records(order);
  }
  await writeExport(out, format, store.summary, plain());
  return out.text;
}

describe('export by byte ranges of the stored file', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('np6-byteranges-')));
  afterEach(() => removeDir(dir));

  it('gives byte-equal export, array and ndjson documents, over several chunks', async () => {
    const store = await storeOf(dir, events(12000));
    try {
      assert.ok(store.eventBytes > 4 << 20, `several chunks (${store.eventBytes} bytes)`);
      const lines = await storeLineChunks(store, 'time');
      assert.ok(lines, 'an ascending store is read as byte ranges');
      assert.equal(lines.count, 12000);
      for (const f of FORMATS) {
        const fast = await viaProduct(store, f);
        assert.equal(fast, await viaRecords(store, f), f);
      }
      const doc = JSON.parse(await viaProduct(store, 'export')) as { count: number; events: Np6Event[] };
      assert.equal(doc.count, 12000);
      assert.deepEqual(doc.events[11999], events(12000)[11999]);
    } finally {
      await store.close();
    }
  });

  it('to a file, buffers written are read into again, and the files are still byte-equal', async () => {
    // ~20 MB: several times the pool's three buffers.
    const store = await storeOf(dir, events(28000));
    try {
      for (const f of FORMATS) {
        const target = path.join(dir, `out.${f}`);
        await writeFileAtomic(target, async (out) => {
          const { meta, records } = exportedPart(store);
          await writeExport(out, f, meta, records);
        });
        assert.equal(await fsp.readFile(target, 'utf8'), await viaRecords(store, f), f);
      }
    } finally {
      await store.close();
    }
  });

  it('a chunk pool reuses the buffers given back and never pools one of another size', () => {
    const pool = new ChunkPool(1024, 2);
    const a = pool.take(100);
    assert.equal(a.length, 100);
    pool.give(a);
    const b = pool.take(1000);
    assert.equal(b.buffer, a.buffer, 'the same memory again');
    const big = pool.take(2000);
    assert.equal(big.length, 2000);
    pool.give(big);
    pool.give(b);
    assert.equal(pool.take(10).buffer, b.buffer);
    assert.notEqual(pool.take(10).buffer, big.buffer);
  });

  it('one event, and no event at all, give the same documents as the record path', async () => {
    for (const n of [0, 1, 2]) {
      const sub = path.join(dir, `n${n}`);
      const store = await storeOf(sub, events(n));
      try {
        assert.ok(await storeLineChunks(store, 'time'));
        for (const f of FORMATS) {
          assert.equal(await viaProduct(store, f), await viaRecords(store, f), `${f} ${n}`);
        }
      } finally {
        await store.close();
      }
    }
  });

  it('falls back to the records when arrival order is not time order, and stays correct', async () => {
    // Windows fetched out of order: the second half of time arrived first.
    const store = await storeOf(
      dir,
      events(3000, (i) => (i < 1500 ? 5000 + i : i)),
    );
    try {
      assert.equal(await storeLineChunks(store, 'time'), undefined);
      assert.ok(await storeLineChunks(store, 'arrival'), 'arrival order is the file order');
      for (const f of FORMATS) assert.equal(await viaProduct(store, f), await viaRecords(store, f), f);
      const out = new Sink();
      await writeExport(out, 'ndjson', store.summary, storeExportRecords(store, 'arrival'));
      assert.equal(out.text, await viaRecords(store, 'ndjson', 'arrival'));
    } finally {
      await store.close();
    }
  });

  it('events without a timestamp at the end keep the byte path; before one with a timestamp they do not', () => {
    const idx = (ts: number[]) => ({ timestamp: (i: number) => ts[i]! });
    assert.equal(arrivalIsTimeOrder(idx([1, 2, 2, 3, NaN, NaN]), 6), true);
    assert.equal(arrivalIsTimeOrder(idx([1, NaN, 2]), 3), false);
    assert.equal(arrivalIsTimeOrder(idx([2, 1]), 2), false);
    assert.equal(arrivalIsTimeOrder(idx([]), 0), true);
  });

  it('a result reopened with a damaged line has a gap: the records are exported instead', async () => {
    const first = await storeOf(dir, events(50));
    await first.close();
    const file = path.join(dir, 'r', EVENTS_FILE);
    const text = await fsp.readFile(file, 'utf8');
    const lines = text.split('\n');
    lines[10] = '{not json';
    await fsp.writeFile(file, lines.join('\n'));
    const store = await ResultStore.open(path.join(dir, 'r'));
    try {
      assert.equal(store.index.length, 49);
      assert.equal(await storeLineChunks(store, 'time'), undefined);
      const nd = await viaProduct(store, 'ndjson');
      assert.equal(nd, await viaRecords(store, 'ndjson'));
      assert.ok(!nd.includes('{not json'));
    } finally {
      await store.close();
    }
  });

  it('a file changed or cut behind the store fails loudly instead of exporting other bytes', async () => {
    const store = await storeOf(dir, events(100));
    try {
      const file = path.join(dir, 'r', EVENTS_FILE);
      const fh = await fsp.open(file, 'r+');
      // The first line's newline overwritten: its line end is no longer where the index says.
      await fh.write(Buffer.from(' '), 0, 1, (await fsp.readFile(file)).indexOf(0x0a));
      await fh.close();
      // Array and export documents place each comma by the index, checking each line end there.
      for (const f of ['export', 'array'] as const) {
        await assert.rejects(viaProduct(store, f), /changed on disk/, f);
      }
      await fsp.truncate(file, store.eventBytes - 10);
      for (const f of FORMATS) await assert.rejects(viaProduct(store, f), /changed on disk/, f);
    } finally {
      await store.close();
    }
  });

  it('export: refuses metadata whose count differs from the stored events', async () => {
    const store = await storeOf(dir, events(10));
    try {
      const { meta, records } = exportedPart(store);
      assert.ok(isLineChunkSource(records));
      await assert.rejects(
        writeExport(new Sink(), 'export', { ...meta, count: 9 }, records),
        /9 events but 10/,
      );
    } finally {
      await store.close();
    }
  });

  it('cancel: rejects, leaves no temp file and keeps the existing target', async () => {
    const store = await storeOf(dir, events(12000));
    try {
      const target = path.join(dir, 'events.json');
      await fsp.writeFile(target, 'previous export');
      const ac = new AbortController();
      await assert.rejects(
        writeFileAtomic(target, async (out) => {
          // Aborted while the first chunks are read and written.
          const { meta, records } = exportedPart(store);
          const w = writeExport(out, 'array', meta, records, ac.signal);
          setImmediate(() => ac.abort());
          await w;
        }),
        ExportCancelledError,
      );
      assert.deepEqual((await fsp.readdir(dir)).sort(), ['events.json', 'r']);
      assert.equal(await fsp.readFile(target, 'utf8'), 'previous export');
    } finally {
      await store.close();
    }
  });

  it('a result whose events file was deleted says it was removed', async () => {
    const store = await storeOf(dir, events(10));
    try {
      await fsp.rm(path.join(dir, 'r', EVENTS_FILE));
      await assert.rejects(viaProduct(store, 'ndjson'), ResultRemovedError);
      assert.equal(store.isRemoved, true);
    } finally {
      await store.close();
    }
  });

  it('waits for drain: never more than about one chunk buffered in a slow destination', async () => {
    const store = await storeOf(dir, events(12000));
    try {
      let maxBuffered = 0;
      let received = 0;
      const slow = new Writable({
        highWaterMark: 64 * 1024,
        write(chunk: Buffer, _enc, cb) {
          received += chunk.length;
          maxBuffered = Math.max(maxBuffered, slow.writableLength);
          setTimeout(cb, 2);
        },
      });
      const { meta, records } = exportedPart(store);
      const res = await writeExport(slow, 'ndjson', meta, records);
      await new Promise<void>((r) => slow.end(r));
      assert.equal(received, res.bytes);
      assert.equal(res.bytes, store.eventBytes);
      assert.ok(maxBuffered <= 5 << 20, `buffered ${maxBuffered} bytes`);
    } finally {
      await store.close();
    }
  });
});
