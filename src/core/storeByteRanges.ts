// Exports at copy speed: when a whole result is exported and its events file already is in the
// export's order, the export's events are the file's bytes. This reads events.ndjson in large
// ranges (4 MB, the next one read while the last is written) and hands them on as they are
// (ndjson), or with the array's `,` put before each newline in the same buffer (array and export
// documents): no per-event object, no decoding, no second buffer.
//
// It applies only when it gives exactly what the per-record path (`ResultStore.records`) gives:
//   - the order asked for is arrival order, or time order and the arrival order already is time
//     order (windows are fetched ascending, so it usually is);
//   - the index covers the file without a gap: event i's line starts where event i-1's ended
//     (a damaged line skipped when the result was opened, or anything else, makes a gap);
// otherwise `lineChunks()` says undefined and the caller iterates the records. Every range read is
// checked against the index (it must be read whole and end a line; for array and export documents
// each line must end with a newline where the index says), so a file cut or changed behind the
// store's back fails loudly instead of exporting something else.

import * as fs from 'node:fs';
import type { ExportRecord } from './exportFormat';
import { ResultRemovedError } from './resultStore';

/** Ranges of at most about this size are read at once (one read, one write). */
const CHUNK_BYTES = 4 << 20;
/** A chunk is CHUNK_BYTES plus at most one event (and its commas): most fit in this. */
const POOL_BUFFER_BYTES = CHUNK_BYTES + (1 << 20);
/** 0 where the platform has no O_NOFOLLOW (Windows). */
const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/**
 * How a chunk is laid out: `lines` as stored (`event\n` each), or `comma` (`event,\n` each, except
 * the very last event of the export, `event\n`): the body of an array or export document.
 */
export type ChunkLayout = 'lines' | 'comma';

/** The events of an export as large byte ranges: `count` events, in chunks of whole events. */
export interface LineChunks {
  readonly count: number;
  /** With a pool, chunks are read into its buffers: give each back once it is written. */
  chunks(layout: ChunkLayout, pool?: ChunkPool): AsyncGenerator<Buffer>;
}

/**
 * Buffers read into again once their chunk is written. A fresh 4 MB buffer per chunk costs page
 * faults, and V8 counts it as external memory: every few dozen MB it starts a full garbage
 * collection over the whole heap (the result's index, the id table), a fifth of an export's time.
 * Only for a destination known to be done with a chunk when its write calls back (a file stream):
 * a stream that passes chunks on (a PassThrough) would see them overwritten.
 */
export class ChunkPool {
  private readonly free: Buffer[] = [];
  constructor(
    private readonly bufferBytes = POOL_BUFFER_BYTES,
    private readonly keep = 3,
  ) {}

  /** A buffer of `length` bytes: a pooled one when it fits, else a new one (never pooled). */
  take(length: number): Buffer {
    if (length > this.bufferBytes) return Buffer.allocUnsafe(length);
    return (this.free.pop() ?? Buffer.allocUnsafeSlow(this.bufferBytes)).subarray(0, length);
  }

  /** Hands back a chunk `take` gave (others are ignored). */
  give(chunk: Uint8Array): void {
    if (chunk.byteOffset !== 0 || chunk.buffer.byteLength !== this.bufferBytes) return;
    if (this.free.length < this.keep) this.free.push(Buffer.from(chunk.buffer, 0, this.bufferBytes));
  }
}

/** Records that can also be read as byte ranges (see `lineChunks`). */
export interface LineChunkSource extends AsyncIterable<ExportRecord> {
  /** The events as byte ranges, or undefined when that would not give the same bytes in the same order. */
  lineChunks(): Promise<LineChunks | undefined>;
}

export function isLineChunkSource(x: AsyncIterable<ExportRecord>): x is LineChunkSource {
  return typeof (x as Partial<LineChunkSource>).lineChunks === 'function';
}

/** Where each event's line is: the result store's index has these (not part of EventIndex). */
interface LineSpans {
  readonly length: number;
  timestamp(i: number): number;
  offset(i: number): number;
  byteLength(i: number): number;
}

/** What the reader needs of a result store (ResultStore fits). */
export interface ByteRangeStore {
  readonly eventsPath: string;
  readonly index: { readonly length: number; timestamp(i: number): number };
  readonly summary: { readonly id: string };
  flush(): Promise<void>;
  markRemoved(): void;
  records(order?: 'time' | 'arrival'): AsyncIterable<ExportRecord>;
}

function hasLineSpans(index: ByteRangeStore['index']): index is LineSpans {
  const i = index as Partial<LineSpans>;
  return typeof i.offset === 'function' && typeof i.byteLength === 'function';
}

/**
 * True when arrival order is the store's time order: the stable sort by timestamp (events
 * without one last) would leave every event where it is.
 */
export function arrivalIsTimeOrder(index: { timestamp(i: number): number }, n: number): boolean {
  let prev = n > 0 ? index.timestamp(0) : NaN;
  for (let i = 1; i < n; i++) {
    const t = index.timestamp(i);
    // A timestamp after one without: the sort would move it forward. NaN after anything stays.
    if (!Number.isNaN(t) && !(prev <= t)) return false;
    prev = t;
  }
  return true;
}

/** True when the lines of events [0, n) follow each other from the start of the file. */
function contiguous(spans: LineSpans, n: number): boolean {
  let expected = 0;
  for (let i = 0; i < n; i++) {
    if (spans.offset(i) !== expected) return false;
    expected += spans.byteLength(i) + 1;
  }
  return true;
}

/** The records of the whole `store` in `order`, readable as byte ranges when that is exact. */
export function storeExportRecords(
  store: ByteRangeStore,
  order: 'time' | 'arrival' = 'time',
): LineChunkSource {
  return {
    [Symbol.asyncIterator]: () => store.records(order)[Symbol.asyncIterator](),
    lineChunks: () => storeLineChunks(store, order),
  };
}

/**
 * The events stored so far (written out first) as byte ranges, or undefined when the file's
 * order or layout is not the export's (then iterate `store.records(order)`).
 */
export async function storeLineChunks(
  store: ByteRangeStore,
  order: 'time' | 'arrival',
): Promise<LineChunks | undefined> {
  await store.flush();
  const spans = store.index;
  if (!hasLineSpans(spans)) return undefined;
  // Events appended from now on are not included (as with `records`).
  const n = spans.length;
  if (order === 'time' && !arrivalIsTimeOrder(spans, n)) return undefined;
  if (!contiguous(spans, n)) return undefined;
  return { count: n, chunks: (layout, pool) => readChunks(store, spans, n, layout, pool) };
}

/** Thrown when the file's bytes do not have the lines the index says. */
function changedOnDisk(): Error {
  return new Error('events.ndjson changed on disk since the result was opened: open the result again.');
}

async function openForReading(store: ByteRangeStore): Promise<fs.promises.FileHandle> {
  try {
    const st = await fs.promises.lstat(store.eventsPath);
    if (st.isSymbolicLink()) throw new Error(`${store.eventsPath} is a symbolic link: it is not read.`);
    return await fs.promises.open(store.eventsPath, fs.constants.O_RDONLY | NOFOLLOW);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      store.markRemoved();
      throw new ResultRemovedError(store.summary.id);
    }
    throw e;
  }
}

/** Fills `buf[at, at + length)` from the file at `position`. */
async function readFully(
  fh: fs.promises.FileHandle,
  buf: Buffer,
  at: number,
  length: number,
  position: number,
): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, at + done, length - done, position + done);
    if (bytesRead === 0) throw changedOnDisk();
    done += bytesRead;
  }
}

/** A chunk: events [from, to), stored at [start, start + length) of the file. */
interface ChunkPlan {
  from: number;
  to: number;
  start: number;
  length: number;
}

/** Splits events [0, n) into runs of about CHUNK_BYTES (at least one event each). */
function* plan(spans: LineSpans, n: number): Generator<ChunkPlan> {
  let from = 0;
  while (from < n) {
    const start = spans.offset(from);
    let to = from + 1;
    while (to < n && spans.offset(to) - start < CHUNK_BYTES) to++;
    const end = spans.offset(to - 1) + spans.byteLength(to - 1) + 1;
    yield { from, to, start, length: end - start };
    from = to;
  }
}

/**
 * Reads one chunk. `comma`: the range is read `extra` bytes into the buffer, then each line is
 * moved down to its place with `,` before its newline (memmove within one buffer: no second
 * buffer, no per-event object).
 */
async function readChunk(
  fh: fs.promises.FileHandle,
  spans: LineSpans,
  c: ChunkPlan,
  layout: ChunkLayout,
  last: boolean,
  pool: ChunkPool | undefined,
): Promise<Buffer> {
  const events = c.to - c.from;
  // One byte more per line for its comma, except the export's last line.
  const extra = layout === 'comma' ? (last ? events - 1 : events) : 0;
  const buf = pool ? pool.take(c.length + extra) : Buffer.allocUnsafe(c.length + extra);
  await readFully(fh, buf, extra, c.length, c.start);
  if (extra === 0) {
    // As stored: the range must end a line where the index says (no per-line work at all).
    if (buf[buf.length - 1] !== 0x0a) throw changedOnDisk();
    return buf;
  }
  // Line ends come from the index (no search), and each must be a newline in the bytes read.
  let src = extra;
  let dst = 0;
  for (let i = c.from; i < c.to; i++) {
    const nl = src + spans.byteLength(i);
    if (buf[nl] !== 0x0a) throw changedOnDisk();
    if (dst !== src) buf.copyWithin(dst, src, nl);
    dst += nl - src;
    if (!(last && i === c.to - 1)) buf[dst++] = 0x2c;
    buf[dst++] = 0x0a;
    src = nl + 1;
  }
  return buf;
}

/** Reads the chunks one ahead of the consumer, so reading overlaps writing. */
async function* readChunks(
  store: ByteRangeStore,
  spans: LineSpans,
  n: number,
  layout: ChunkLayout,
  pool: ChunkPool | undefined,
): AsyncGenerator<Buffer> {
  if (n === 0) return;
  const fh = await openForReading(store);
  const plans = plan(spans, n);
  const start = (p: IteratorResult<ChunkPlan>): Promise<Buffer> | undefined => {
    if (p.done) return undefined;
    const read = readChunk(fh, spans, p.value, layout, p.value.to === n, pool);
    // Handled now (awaited below): a read ahead failing while the consumer waits is not "unhandled".
    read.catch(() => undefined);
    return read;
  };
  let next = start(plans.next());
  try {
    while (next) {
      const buf = await next;
      next = start(plans.next());
      yield buf;
    }
  } finally {
    // A consumer that stops early (cancelled, failed): let the read ahead settle before closing.
    await next?.catch(() => undefined);
    await fh.close();
  }
}

/** True when `x` is a store the byte ranges can be read from (a ResultStore is). */
export function isByteRangeStore(x: object): x is ByteRangeStore {
  const s = x as Partial<ByteRangeStore>;
  return (
    typeof s.eventsPath === 'string' && typeof s.flush === 'function' && typeof s.markRemoved === 'function'
  );
}
