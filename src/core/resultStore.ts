// One result on disk: a folder with events.ndjson (one event per line, written as events arrive)
// and summary.json. Only the compact index (eventIndex.ts) and the id table (idTable.ts) live in
// memory, so a result of millions of events stays at tens of MB in the extension host.
//
// Writes are buffered and flushed synchronously in ~1 MB blocks on one append descriptor: `append`
// stays synchronous (a boolean answer for de-duplication) and a flush costs well under a
// millisecond of page-cache copy. Reads (single events, exports) go by byte offset.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EventRecord } from '../np6/client';
import type { Np6Event } from '../np6/events';
import type { EventQuery } from '../np6/query';
import { IdTable } from './idTable';
import { IndexBuilder, type EventIndex } from './eventIndex';
import type { Completeness, ResultSummary } from './result';
import type { TimeWindow } from './windowPlan';

export interface ResultStoreInit {
  id: string;
  campaignLabel: string;
  query: EventQuery;
}

export interface Disposable {
  dispose(): void;
}

/** summary.json: the contract's ResultSummary plus what refresh needs. */
export interface StoredSummary extends ResultSummary {
  /** Events up to this instant (epoch ms) were asked for; later ones need a refresh. */
  fetchedUntil?: number;
}

export const EVENTS_FILE = 'events.ndjson';
export const SUMMARY_FILE = 'summary.json';
const FLUSH_BYTES = 1 << 20;
/** Reads for exports coalesce neighbouring lines into runs of at most this size. */
const READ_RUN_BYTES = 4 << 20;
const READ_GAP_BYTES = 64 << 10;
const READ_BATCH_EVENTS = 2048;

/** What a result says while its fetch runs: if the window dies now, the result is honest. */
function interruptedCompleteness(q: EventQuery, startedAt: number): Completeness {
  const reason =
    'The fetch did not finish (the window was closed, reloaded or crashed): resume to fetch the rest.';
  return {
    complete: false,
    error: { kind: 'interrupted', message: reason },
    missing: [{ start: q.start ?? 0, end: q.end ?? startedAt, reason }],
  };
}

/** The de-duplication key: the event id, or the whole text for an element without one. */
function dedupKey(event: Np6Event, json: string): string {
  const id = (event as { id?: unknown }).id;
  return typeof id === 'string' ? `id:${id}` : `json:${json}`;
}

function oneLine(json: string): string {
  // The client already gives one line; this guards the file's line structure against any other
  // producer. Raw newlines in JSON text can only be whitespace: a space keeps the meaning.
  return json.includes('\n') ? json.replace(/[\r\n]/g, ' ') : json;
}

async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.promises.writeFile(tmp, JSON.stringify(value, null, 2) + '\n');
  await fs.promises.rename(tmp, file);
}

function readAt(fd: number, length: number, position: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  return new Promise((resolve, reject) => {
    const step = (done: number): void => {
      if (done === length) return resolve(buf);
      fs.read(fd, buf, done, length - done, position + done, (err, n) => {
        if (err) return reject(err);
        if (n === 0) return reject(new Error(`${EVENTS_FILE} is shorter than its index: reopen the result.`));
        step(done + n);
      });
    };
    step(0);
  });
}

/** A record read back from the store, with its bytes as stored (UTF-8, one line, no newline). */
export interface StoredRecord extends EventRecord {
  readonly bytes: Uint8Array;
}

/**
 * The text and the event are decoded only when asked for: an exporter that writes `bytes`
 * skips both UTF-8 decoding and re-encoding, which is most of the cost of an export.
 */
class LazyRecord implements StoredRecord {
  private text: string | undefined;
  private parsed: Np6Event | undefined;
  /** The line is [from, to) of `run`, a buffer shared by the neighbouring records. */
  constructor(
    private readonly run: Buffer,
    private readonly from: number,
    private readonly to: number,
  ) {}
  get bytes(): Uint8Array {
    return this.run.subarray(this.from, this.to);
  }
  get json(): string {
    return (this.text ??= this.run.toString('utf8', this.from, this.to));
  }
  get event(): Np6Event {
    return (this.parsed ??= JSON.parse(this.json) as Np6Event);
  }
}

export class ResultStore {
  /** Creates the folder (which must not hold a result yet) and an empty events file. */
  static async create(dir: string, init: ResultStoreInit): Promise<ResultStore> {
    await fs.promises.mkdir(dir, { recursive: true });
    const eventsPath = path.join(dir, EVENTS_FILE);
    if (fs.existsSync(eventsPath)) {
      throw new Error(`A result already exists in ${dir}: open it, or remove it first.`);
    }
    const startedAt = Date.now();
    const summary: StoredSummary = {
      id: init.id,
      campaignLabel: init.campaignLabel,
      query: init.query,
      startedAt,
      count: 0,
      bytes: 0,
      ...interruptedCompleteness(init.query, startedAt),
    };
    const fd = fs.openSync(eventsPath, 'wx+');
    const store = new ResultStore(dir, summary, fd, 0);
    await writeJsonAtomic(path.join(dir, SUMMARY_FILE), summary);
    return store;
  }

  /**
   * Opens an existing result and rebuilds the index by scanning events.ndjson. A torn last line
   * (the window died mid-write) is cut off; a damaged line elsewhere is skipped and counted in
   * `damagedLines`.
   */
  static async open(dir: string): Promise<ResultStore> {
    let summary: StoredSummary;
    try {
      summary = JSON.parse(await fs.promises.readFile(path.join(dir, SUMMARY_FILE), 'utf8')) as StoredSummary;
    } catch (e) {
      throw new Error(`${dir} does not hold a readable result (${SUMMARY_FILE}: ${(e as Error).message}).`, {
        cause: e,
      });
    }
    const eventsPath = path.join(dir, EVENTS_FILE);
    const fd = fs.openSync(eventsPath, 'a+');
    const store = new ResultStore(dir, summary, fd, 0);
    try {
      await store.scan();
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
    return store;
  }

  readonly dir: string;
  readonly eventsPath: string;
  /** Lines of events.ndjson that could not be parsed when the result was opened. */
  damagedLines = 0;

  private readonly builder = new IndexBuilder();
  private readonly ids = new IdTable();
  private fd: number | undefined;
  private writable = true;
  /** Bytes in the file; `size` adds what is still pending in memory. */
  private written: number;
  private size: number;
  private pending: string[] = [];
  private pendingBytes = 0;
  private readonly listeners = new Set<(from: number, to: number) => void>();
  private notifiedUpTo = 0;
  private notifyScheduled = false;
  private readonly state: StoredSummary;

  private constructor(dir: string, summary: StoredSummary, fd: number, size: number) {
    this.dir = dir;
    this.eventsPath = path.join(dir, EVENTS_FILE);
    this.state = summary;
    this.fd = fd;
    this.written = size;
    this.size = size;
  }

  /** The result's summary, kept current while events arrive (count, bytes). */
  get summary(): StoredSummary {
    this.state.count = this.builder.length;
    return this.state;
  }

  get index(): EventIndex {
    return this.builder;
  }

  /** Bytes of events.ndjson (including what is not flushed yet). */
  get eventBytes(): number {
    return this.size;
  }

  /** Stores one record; false when an event with the same id was already stored (de-duplication). */
  append(r: EventRecord): boolean {
    if (!this.writable) throw new Error('This result is closed for writing: open it again to add events.');
    const json = oneLine(r.json);
    const i = this.builder.length;
    if (!this.ids.add(dedupKey(r.event, json), i, (j) => this.keyOf(j))) return false;
    const bytes = Buffer.byteLength(json);
    this.builder.add(r.event, this.size, bytes);
    this.pending.push(json, '\n');
    this.pendingBytes += bytes + 1;
    this.size += bytes + 1;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    this.scheduleNotify();
    return true;
  }

  /** Adds response bytes received to the summary (the fetch reports them). */
  addResponseBytes(n: number): void {
    this.state.bytes += n;
  }

  /** Notes that events up to `ms` were asked for (a later refresh starts a settle window before it). */
  noteFetchedUntil(ms: number): void {
    this.state.fetchedUntil = Math.max(this.state.fetchedUntil ?? -Infinity, ms);
  }

  /** Reads the i-th stored event (arrival order, as in `index`) back from disk by offset. */
  async readEvent(i: number): Promise<Np6Event> {
    return (await this.readRecord(i)).event;
  }

  async readRecord(i: number): Promise<EventRecord> {
    const offset = this.builder.offset(i);
    const length = this.builder.byteLength(i);
    if (offset + length > this.written) this.flush();
    const json = (await readAt(this.readFd(), length, offset)).toString('utf8');
    return { event: JSON.parse(json) as Np6Event, json };
  }

  /**
   * Streams the stored records from disk, in timestamp order (default; events without a timestamp
   * last) or arrival order. Reads neighbouring lines in large runs, so time order over a file
   * written window by window costs about one sequential pass. Events appended after the call
   * started are not included.
   */
  async *records(order: 'time' | 'arrival' = 'time'): AsyncGenerator<StoredRecord> {
    const n = this.builder.length;
    const perm = order === 'time' ? this.builder.timeOrder() : undefined;
    this.flush();
    const fd = this.readFd();
    for (let b = 0; b < n; b += READ_BATCH_EVENTS) {
      const count = Math.min(READ_BATCH_EVENTS, n - b);
      const batch = new Uint32Array(count);
      for (let k = 0; k < count; k++) batch[k] = perm ? perm[b + k]! : b + k;
      yield* await this.readBatch(fd, batch);
    }
  }

  /** Records how the fetch ended and writes summary.json. */
  async finish(c: Completeness, extra: { fetchedUntil?: number } = {}): Promise<void> {
    this.flush();
    this.emitNotify();
    const s = this.state;
    s.complete = c.complete;
    s.missing = c.missing;
    if (c.cancelled) s.cancelled = true;
    else delete s.cancelled;
    if (c.error) s.error = c.error;
    else delete s.error;
    s.finishedAt = Date.now();
    if (extra.fetchedUntil !== undefined) s.fetchedUntil = extra.fetchedUntil;
    s.count = this.builder.length;
    await writeJsonAtomic(path.join(this.dir, SUMMARY_FILE), s);
  }

  /**
   * Marks the result as being fetched again (resume, refresh) so that it stays honest if the
   * window dies meanwhile: incomplete, with its earlier holes plus the `pending` windows missing.
   */
  async markInProgress(pending: TimeWindow[] = []): Promise<void> {
    const s = this.state;
    const reason =
      'The fetch did not finish (the window was closed, reloaded or crashed): resume to fetch the rest.';
    s.complete = false;
    s.error = { kind: 'interrupted', message: reason };
    s.missing = [...s.missing, ...pending.map((w) => ({ start: w.start, end: w.end, reason }))];
    await writeJsonAtomic(path.join(this.dir, SUMMARY_FILE), s);
  }

  /** Called (batched, asynchronously) after events [fromIndex, toIndex) were appended. */
  onDidAppend(listener: (fromIndex: number, toIndex: number) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Flushes pending writes and closes the file. Reads still work afterwards (the file is reopened). */
  close(): Promise<void> {
    if (this.writable) {
      this.flush();
      this.emitNotify();
      this.writable = false;
    }
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
    return Promise.resolve();
  }

  private readFd(): number {
    if (this.fd === undefined) this.fd = fs.openSync(this.eventsPath, 'r');
    return this.fd;
  }

  private flush(): void {
    if (this.pendingBytes === 0 || this.fd === undefined) return;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingBytes = 0;
    let done = 0;
    while (done < buf.length) done += fs.writeSync(this.fd, buf, done, buf.length - done);
    this.written += buf.length;
  }

  /** The de-duplication key of stored event j, read back from disk (only on a 64-bit hash match). */
  private keyOf(j: number): string {
    const offset = this.builder.offset(j);
    const length = this.builder.byteLength(j);
    if (offset + length > this.written) this.flush();
    const buf = Buffer.allocUnsafe(length);
    fs.readSync(this.readFd(), buf, 0, length, offset);
    const json = buf.toString('utf8');
    return dedupKey(JSON.parse(json) as Np6Event, json);
  }

  /**
   * Reads the lines of the events of `batch`, in batch order, in runs of neighbouring lines
   * sorted by offset (one read for many lines; usually the whole batch, as time order is mostly
   * arrival order).
   */
  private async readBatch(fd: number, batch: Uint32Array): Promise<LazyRecord[]> {
    const b = this.builder;
    let ascending = true;
    for (let k = 1; k < batch.length && ascending; k++) {
      ascending = b.offset(batch[k]!) > b.offset(batch[k - 1]!);
    }
    const positions = ascending
      ? undefined
      : Array.from(batch.keys()).sort((x, y) => b.offset(batch[x]!) - b.offset(batch[y]!));
    const at = (k: number): number => (positions ? positions[k]! : k);
    const lines = new Array<LazyRecord>(batch.length);
    let k = 0;
    while (k < batch.length) {
      const first = batch[at(k)]!;
      const runStart = b.offset(first);
      let runEnd = runStart + b.byteLength(first);
      let m = k + 1;
      while (m < batch.length) {
        const i = batch[at(m)]!;
        const o = b.offset(i);
        const end = o + b.byteLength(i);
        if (o - runEnd > READ_GAP_BYTES || end - runStart > READ_RUN_BYTES) break;
        runEnd = Math.max(runEnd, end);
        m++;
      }
      const buf = await readAt(fd, runEnd - runStart, runStart);
      // Views into the run, not copies; decoded only if a consumer asks for the text.
      for (let x = k; x < m; x++) {
        const i = batch[at(x)]!;
        const from = b.offset(i) - runStart;
        lines[at(x)] = new LazyRecord(buf, from, from + b.byteLength(i));
      }
      k = m;
    }
    return lines;
  }

  /** Rebuilds index and id table from events.ndjson, reading it in 1 MB blocks. */
  private async scan(): Promise<void> {
    const fd = this.readFd();
    const total = fs.fstatSync(fd).size;
    const block = Buffer.allocUnsafe(FLUSH_BYTES);
    let carry: Buffer = Buffer.alloc(0);
    let carryStart = 0;
    let position = 0;
    while (position < total) {
      const n = (await readAt(fd, Math.min(block.length, total - position), position)).copy(block);
      const chunk = carry.length > 0 ? Buffer.concat([carry, block.subarray(0, n)]) : block.subarray(0, n);
      const chunkStart = carry.length > 0 ? carryStart : position;
      let lineStart = 0;
      for (;;) {
        const nl = chunk.indexOf(0x0a, lineStart);
        if (nl < 0) break;
        this.indexLine(chunk, lineStart, nl, chunkStart + lineStart);
        lineStart = nl + 1;
      }
      carry = Buffer.from(chunk.subarray(lineStart));
      carryStart = chunkStart + lineStart;
      position += n;
    }
    this.written = this.size = total;
    if (carry.length > 0) {
      // A torn last line (no newline): the write was cut. Drop it so appends start on a new line.
      fs.ftruncateSync(this.fd as number, carryStart);
      this.written = this.size = carryStart;
      this.damagedLines++;
    }
    this.notifiedUpTo = this.builder.length;
    this.state.count = this.builder.length;
  }

  private indexLine(chunk: Buffer, from: number, to: number, fileOffset: number): void {
    if (to === from) return;
    const json = chunk.toString('utf8', from, to);
    let event: Np6Event;
    try {
      event = JSON.parse(json) as Np6Event;
    } catch {
      this.damagedLines++;
      return;
    }
    const i = this.builder.length;
    if (!this.ids.add(dedupKey(event, json), i, (j) => this.keyOf(j))) return;
    this.builder.add(event, fileOffset, to - from);
  }

  private scheduleNotify(): void {
    if (this.notifyScheduled || this.listeners.size === 0) return;
    this.notifyScheduled = true;
    setImmediate(() => this.emitNotify());
  }

  private emitNotify(): void {
    this.notifyScheduled = false;
    const from = this.notifiedUpTo;
    const to = this.builder.length;
    if (to <= from) return;
    this.notifiedUpTo = to;
    for (const l of [...this.listeners]) l(from, to);
  }
}
