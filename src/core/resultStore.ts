// One result on disk: a folder with events.ndjson (one event per line, written as events arrive)
// and summary.json. Only the compact index (eventIndex.ts) and the id table (idTable.ts) live in
// memory, so a result of millions of events stays at tens of MB in the extension host.
//
// No file I/O on the data path blocks the event loop: `append` stays synchronous (its answer is
// the de-duplication) and buffers lines in memory; ~1 MB blocks are written asynchronously, one
// after another, on one append handle; `flush()` waits for them. `finish` flushes and fsyncs the
// events before summary.json may say complete. Files are opened without following symlinks.
// On open, a file that lost or damaged lines (or holds fewer events than its summary says) makes
// the result incomplete with the reason, written back to summary.json.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EventRecord } from '../np6/client';
import type { Np6Event } from '../np6/events';
import type { EventQuery } from '../np6/query';
import { IdTable } from './idTable';
import { IndexBuilder, type EventIndex } from './eventIndex';
import type { Completeness, ResultSummary } from './result';
import type { TimeWindow } from './windowPlan';
import { newMaskSalt } from './mask';

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
  /** The salt of this result's masking pseudonyms (mask.ts), made when masking first needs it. */
  maskSalt?: string;
}

export const EVENTS_FILE = 'events.ndjson';
export const SUMMARY_FILE = 'summary.json';
/** The error kind of a result whose stored events file lost or damaged events. */
export const DAMAGED_KIND = 'damaged';
const FLUSH_BYTES = 1 << 20;
/** Reads for exports coalesce neighbouring lines into runs of at most this size. */
const READ_RUN_BYTES = 4 << 20;
const READ_GAP_BYTES = 64 << 10;
const READ_BATCH_EVENTS = 2048;
/** 0 where the platform has no O_NOFOLLOW (Windows): the lstat check below covers it there. */
const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/** Raised when the files of a result are gone (Clear Results, the budget, deleted by hand). */
export class ResultRemovedError extends Error {
  constructor(readonly resultId: string) {
    super('This result was removed from disk (cleared or deleted): run the query again to see it.');
    this.name = 'ResultRemovedError';
  }
}

function isNotFound(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

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

/** The sentence a damaged result carries in its completeness (tree, banner, export metadata). */
export function damagedMessage(unreadable: number): string {
  return `stored file damaged: ${unreadable} event${unreadable === 1 ? '' : 's'} unreadable; re-run or resume`;
}

/** The de-duplication key: the event id, or the whole text for an element without one. */
function dedupKey(event: Np6Event, json: string): string {
  const id = (event as { id?: unknown }).id;
  return typeof id === 'string' ? `id:${id}` : `json:${json}`;
}

/**
 * Blocks are packed into buffers of this size, reused once written: a fresh buffer per block, and
 * the network chunks each line's bytes pointed into kept alive until its block was written, made
 * the extension host's collector run full mark-compacts over its whole heap for external memory
 * that nothing held (20 in the pipeline benchmark's 1M fetch; one paused the host 144 ms in the
 * workbench). A line is copied into its block as it comes (its chunk then dies young). A block is
 * written once it holds FLUSH_BYTES, so its buffer is about as large as the bytes it holds.
 */
const BLOCK_BUFFER_BYTES = FLUSH_BYTES + 64 * 1024;
/** Written blocks' buffers kept for the next blocks (one being filled, one being written, a spare). */
const SPARE_BLOCK_BUFFERS = 2;
const EMPTY_BUFFER = Buffer.alloc(0);

function oneLine(json: string): string {
  // The client already gives one line; this guards the file's line structure against any other
  // producer. Raw newlines in JSON text can only be whitespace: a space keeps the meaning.
  return json.includes('\n') ? json.replace(/[\r\n]/g, ' ') : json;
}

/** Refuses a path that is a symbolic link (where O_NOFOLLOW does not exist). */
async function refuseSymlink(p: string): Promise<void> {
  const st = await fs.promises.lstat(p).catch((e: unknown) => {
    if (isNotFound(e)) return undefined;
    throw e;
  });
  if (st?.isSymbolicLink()) {
    throw new Error(`${p} is a symbolic link: a result's files must be plain files in its folder.`);
  }
}

/** Opens a store file without following a symbolic link at its name. */
async function openNoFollow(p: string, flags: number): Promise<fs.promises.FileHandle> {
  await refuseSymlink(p);
  return fs.promises.open(p, flags | NOFOLLOW, 0o600);
}

async function readJsonNoFollow(file: string): Promise<unknown> {
  const fh = await openNoFollow(file, fs.constants.O_RDONLY);
  try {
    return JSON.parse(await fh.readFile('utf8')) as unknown;
  } finally {
    await fh.close();
  }
}

/** Writes through a fresh temporary file (O_EXCL: never through a planted link), then renames. */
async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;
  const fh = await fs.promises.open(
    tmp,
    fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | NOFOLLOW,
    0o600,
  );
  try {
    await fh.writeFile(JSON.stringify(value, null, 2) + '\n');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.promises.rename(tmp, file);
}

async function readAt(fh: fs.promises.FileHandle, length: number, position: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) throw new Error(`${EVENTS_FILE} is shorter than its index: reopen the result.`);
    done += bytesRead;
  }
  return buf;
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

/**
 * Lines appended but not yet in the file: events [first, first + count) of the index, packed as
 * the file holds them (each line's UTF-8 bytes, then a newline) in `buf`'s first `bytes` bytes,
 * which begin at event `first`'s file offset.
 */
interface MemoryBlock {
  first: number;
  count: number;
  buf: Buffer;
  bytes: number;
}

export class ResultStore {
  /** Creates the folder (which must not hold a result yet) and an empty events file. */
  static async create(dir: string, init: ResultStoreInit): Promise<ResultStore> {
    await fs.promises.mkdir(dir, { recursive: true });
    await refuseSymlink(dir);
    const eventsPath = path.join(dir, EVENTS_FILE);
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
    let fh: fs.promises.FileHandle;
    try {
      // O_EXCL: an existing file (or link) at the name is refused, never reused.
      fh = await fs.promises.open(
        eventsPath,
        fs.constants.O_RDWR | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_EXCL | NOFOLLOW,
        0o600,
      );
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new Error(`A result already exists in ${dir}: open it, or remove it first.`, { cause: e });
      }
      throw e;
    }
    const store = new ResultStore(dir, summary, fh, 0);
    await writeJsonAtomic(path.join(dir, SUMMARY_FILE), summary);
    return store;
  }

  /**
   * Opens an existing result and rebuilds the index by scanning events.ndjson. A torn last line
   * (the window died mid-write) is cut off; a damaged line elsewhere is skipped; both count in
   * `damagedLines`. Damaged lines, or fewer events than the summary counted (lines lost, the file
   * emptied or deleted), make the result incomplete with the reason, also written to summary.json.
   */
  static async open(dir: string): Promise<ResultStore> {
    let summary: StoredSummary;
    try {
      await refuseSymlink(dir);
      summary = (await readJsonNoFollow(path.join(dir, SUMMARY_FILE))) as StoredSummary;
    } catch (e) {
      throw new Error(`${dir} does not hold a readable result (${SUMMARY_FILE}: ${(e as Error).message}).`, {
        cause: e,
      });
    }
    const eventsPath = path.join(dir, EVENTS_FILE);
    // O_CREAT: a deleted events file is recreated empty (the summary then says what was lost).
    const fh = await openNoFollow(
      eventsPath,
      fs.constants.O_RDWR | fs.constants.O_APPEND | fs.constants.O_CREAT,
    );
    const store = new ResultStore(dir, summary, fh, 0);
    try {
      await store.scan();
      await store.recordDamage();
    } catch (e) {
      await fh.close();
      throw e;
    }
    return store;
  }

  readonly dir: string;
  readonly eventsPath: string;
  /** Lines of events.ndjson that could not be parsed when the result was opened. */
  damagedLines = 0;
  private tornLine = false;
  /** Events the summary counted that the file no longer holds (damaged or lost lines). */
  unreadableEvents = 0;

  private readonly builder = new IndexBuilder();
  private readonly ids = new IdTable();
  private fh: fs.promises.FileHandle | undefined;
  private writable = true;
  private removed = false;
  /** Bytes in the file; `size` adds what is still in memory. */
  private written: number;
  private size: number;
  private pending: MemoryBlock;
  /** Buffers of written blocks, for the next ones (see BLOCK_BUFFER_BYTES). */
  private readonly spareBuffers: Buffer[] = [];
  /** Blocks handed to the write chain and not yet written. */
  private readonly inFlight: MemoryBlock[] = [];
  private writeChain: Promise<void> = Promise.resolve();
  private writeError: Error | undefined;
  /** De-duplication answers that needed a read from disk (a 64-bit hash match). */
  private readonly checks = new Set<Promise<void>>();
  private readonly listeners = new Set<(from: number, to: number) => void>();
  private readonly removedListeners = new Set<() => void>();
  private readonly finishedListeners = new Set<() => void>();
  /** A fetch may still append: set on create and by `markInProgress`, cleared when it finishes or closes. */
  private fetching: boolean;
  private notifiedUpTo = 0;
  private notifyScheduled = false;
  private readonly state: StoredSummary;
  private holds = 0;

  private constructor(dir: string, summary: StoredSummary, fh: fs.promises.FileHandle, size: number) {
    this.dir = dir;
    this.eventsPath = path.join(dir, EVENTS_FILE);
    this.state = summary;
    this.fh = fh;
    this.written = size;
    this.size = size;
    this.fetching = summary.finishedAt === undefined;
    this.pending = this.emptyBlock();
  }

  /** The result's summary, kept current while events arrive (count, bytes). */
  get summary(): StoredSummary {
    this.state.count = this.builder.length;
    return this.state;
  }

  /**
   * The salt of this result's pseudonyms (mask.ts maskerOf), made on first use and kept in
   * summary.json so a reopened result keeps them. While a fetch runs, its end writes the summary.
   */
  maskSalt(): string {
    let salt = this.state.maskSalt;
    if (!salt) {
      salt = newMaskSalt();
      this.state.maskSalt = salt;
      if (!this.fetching && !this.isRemoved) void this.writeSummary().catch(() => undefined);
    }
    return salt;
  }

  get index(): EventIndex {
    return this.builder;
  }

  /** Bytes of events.ndjson (including what is not written yet). */
  get eventBytes(): number {
    return this.size;
  }

  /** True while something shows or exports this result (the storage budget must not evict it). */
  get held(): boolean {
    return this.holds > 0;
  }

  /** Marks the result as in use until the returned handle is disposed (counted: holds nest). */
  hold(): Disposable {
    this.holds++;
    let released = false;
    return {
      dispose: () => {
        if (!released) {
          released = true;
          this.holds--;
        }
      },
    };
  }

  /** True once the result's files were found gone or it was removed (see `markRemoved`). */
  get isRemoved(): boolean {
    return this.removed;
  }

  /**
   * Stores one record; false when an event with the same id was already stored (de-duplication).
   * In the (astronomically rare) case of a full 64-bit hash match with an event already written
   * to disk, the keys are compared asynchronously: false is answered and the event is stored
   * after all if the keys differ (before `flush()` resolves).
   */
  append(r: EventRecord): boolean {
    if (!this.writable) throw new Error('This result is closed for writing: open it again to add events.');
    const json = oneLine(r.json);
    // The producer's bytes stand for the line only when the text needed no change.
    const line = r.bytes !== undefined && json === r.json ? r.bytes : json;
    const key = dedupKey(r.event, json);
    const seen = this.ids.check(key, (j) => this.keyInMemory(j));
    if (seen === 'duplicate') return false;
    if (seen !== 'new') {
      this.track(
        this.confirmNew(key, seen).then((isNew) => {
          if (isNew && this.writable) this.commit(r.event, line, key);
        }),
      );
      return false;
    }
    this.commit(r.event, line, key);
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
    if (offset + length > this.written) await this.flush();
    const json = (await readAt(await this.readHandle(), length, offset)).toString('utf8');
    return { event: JSON.parse(json) as Np6Event, json };
  }

  /**
   * Streams the stored records from disk, in timestamp order (default; events without a timestamp
   * last) or arrival order. Reads neighbouring lines in large runs, so time order over a file
   * written window by window costs about one sequential pass. Events appended after the call
   * started are not included. With `only` (a bitmap of arrival indices, see `indexBitmap`),
   * just those events, in the same order.
   */
  async *records(order: 'time' | 'arrival' = 'time', only?: Uint8Array): AsyncGenerator<StoredRecord> {
    await this.flush();
    const n = this.builder.length;
    const perm = order === 'time' ? this.builder.timeOrder() : undefined;
    const fh = await this.readHandle();
    const kept = (i: number): boolean => !only || ((only[i >> 3] ?? 0) & (1 << (i & 7))) !== 0;
    const batch = new Uint32Array(READ_BATCH_EVENTS);
    let count = 0;
    for (let k = 0; k < n; k++) {
      const i = perm ? perm[k]! : k;
      if (!kept(i)) continue;
      batch[count++] = i;
      if (count === READ_BATCH_EVENTS) {
        yield* await this.readBatch(fh, batch.slice(0, count));
        count = 0;
      }
    }
    if (count > 0) yield* await this.readBatch(fh, batch.slice(0, count));
  }

  /** How many of the stored events `only` (a bitmap of arrival indices) selects. */
  countSelected(only: Uint8Array): number {
    let c = 0;
    for (let i = 0; i < this.builder.length; i++) if (((only[i >> 3] ?? 0) & (1 << (i & 7))) !== 0) c++;
    return c;
  }

  /**
   * Writes out every appended line (and settles pending de-duplication checks). Rejects with the
   * error of a failed write.
   */
  async flush(): Promise<void> {
    while (this.checks.size > 0) await Promise.all([...this.checks]);
    this.startWrite();
    await this.writeChain;
    if (this.writeError) throw this.writeError;
  }

  /**
   * Records how the fetch ended and writes summary.json. The events are written and fsynced
   * first, so a summary on disk never says more than the events file holds.
   */
  async finish(c: Completeness, extra: { fetchedUntil?: number } = {}): Promise<void> {
    await this.flush();
    // Nothing more to write for now: the block buffers go (a refresh takes new ones).
    this.spareBuffers.length = 0;
    if (this.fh) await this.fh.sync();
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
    try {
      await this.writeSummary();
    } finally {
      // Also when the summary could not be written: what was appended is all that will come.
      this.emitFinished();
    }
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
    this.fetching = true;
    await this.writeSummary();
  }

  /** Called (batched, asynchronously) after events [fromIndex, toIndex) were appended. */
  onDidAppend(listener: (fromIndex: number, toIndex: number) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /**
   * Called when a fetch into the result is over: by `finish` (after the summary is written, all
   * appends notified before), and by `close` when no `finish` came. A result fetched again
   * (resume, refresh) calls its listeners again at the end of that fetch.
   */
  onDidFinish(listener: () => void): Disposable {
    this.finishedListeners.add(listener);
    return { dispose: () => void this.finishedListeners.delete(listener) };
  }

  /** Called once when the result's files are found gone or it is removed (see `markRemoved`). */
  onDidRemove(listener: () => void): Disposable {
    this.removedListeners.add(listener);
    return { dispose: () => void this.removedListeners.delete(listener) };
  }

  /** Says the result was removed (by Clear Results, the budget, or found deleted on disk). */
  markRemoved(): void {
    if (this.removed) return;
    this.removed = true;
    for (const l of [...this.removedListeners]) l();
  }

  /** Checks that the result's files are still on disk; marks it removed (and says so) if not. */
  async checkStillStored(): Promise<boolean> {
    if (this.removed) return false;
    try {
      await fs.promises.lstat(path.join(this.dir, SUMMARY_FILE));
      await fs.promises.lstat(this.eventsPath);
      return true;
    } catch (e) {
      if (!isNotFound(e)) return true;
      this.markRemoved();
      return false;
    }
  }

  /** Writes pending lines and closes the file. Reads still work afterwards (the file is reopened). */
  async close(): Promise<void> {
    if (this.writable) {
      try {
        await this.flush();
      } finally {
        this.spareBuffers.length = 0;
        this.emitNotify();
        this.writable = false;
        if (this.fetching) this.emitFinished();
      }
    }
    const fh = this.fh;
    this.fh = undefined;
    if (fh) await fh.close();
  }

  private async writeSummary(): Promise<void> {
    try {
      await writeJsonAtomic(path.join(this.dir, SUMMARY_FILE), this.state);
    } catch (e) {
      if (isNotFound(e)) this.gone();
      throw e;
    }
  }

  /** The files are gone: say so to the listeners, and throw the error users see. */
  private gone(): never {
    this.markRemoved();
    throw new ResultRemovedError(this.state.id);
  }

  private commit(event: Np6Event, line: string | Uint8Array, key: string): void {
    const i = this.builder.length;
    this.ids.insert(key, i);
    const bytes = typeof line === 'string' ? Buffer.byteLength(line) : line.byteLength;
    this.builder.add(event, this.size, bytes);
    if (this.pending.bytes + bytes + 1 > this.pending.buf.length) {
      // The block is full (or new, without a buffer yet): it goes to the write chain, and the next
      // one takes a buffer large enough for this line.
      this.startWrite();
      this.pending.buf = this.blockBuffer(bytes + 1);
    }
    const b = this.pending;
    if (b.count === 0) b.first = i;
    if (typeof line === 'string') b.buf.write(line, b.bytes, 'utf8');
    else b.buf.set(line, b.bytes);
    b.buf[b.bytes + bytes] = 0x0a;
    b.bytes += bytes + 1;
    b.count++;
    this.size += bytes + 1;
    if (b.bytes >= FLUSH_BYTES) this.startWrite();
    this.scheduleNotify();
  }

  /** A block with nothing in it yet (its buffer is taken when its first line comes). */
  private emptyBlock(): MemoryBlock {
    return { first: this.builder.length, count: 0, buf: EMPTY_BUFFER, bytes: 0 };
  }

  /** Keeps a written (or unused) block buffer of the usual size for the next block. */
  private recycle(buf: Buffer): void {
    if (buf.length === BLOCK_BUFFER_BYTES && this.spareBuffers.length < SPARE_BLOCK_BUFFERS) {
      this.spareBuffers.push(buf);
    }
  }

  /** A buffer for a block of at least `bytes`: a spare one when it is large enough. */
  private blockBuffer(bytes: number): Buffer {
    if (bytes <= BLOCK_BUFFER_BYTES) return this.spareBuffers.pop() ?? Buffer.allocUnsafe(BLOCK_BUFFER_BYTES);
    return Buffer.allocUnsafe(bytes);
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch((e: unknown) => {
      this.writeError ??= e instanceof Error ? e : new Error(String(e));
    });
    this.checks.add(tracked);
    void tracked.finally(() => this.checks.delete(tracked));
  }

  /** Hands the pending lines to the write chain (writes run one after another, in order). */
  private startWrite(): void {
    if (this.pending.count === 0) return;
    const block = this.pending;
    this.pending = this.emptyBlock();
    this.inFlight.push(block);
    this.writeChain = this.writeChain.then(async () => {
      try {
        if (this.writeError) return;
        const fh = this.fh;
        if (!fh) throw new Error('This result is closed for writing: open it again to add events.');
        let done = 0;
        while (done < block.bytes) {
          // O_APPEND: each write lands at the end of the file.
          done += (await fh.write(block.buf, done, block.bytes - done, null)).bytesWritten;
        }
        this.written += block.bytes;
      } catch (e) {
        this.writeError ??= e instanceof Error ? e : new Error(String(e));
      } finally {
        this.inFlight.splice(this.inFlight.indexOf(block), 1);
        this.recycle(block.buf);
      }
    });
  }

  /** The de-duplication key of stored event j when its line is still in memory, else undefined. */
  private keyInMemory(j: number): string | undefined {
    for (const b of [this.pending, ...this.inFlight]) {
      if (j < b.first || j >= b.first + b.count) continue;
      const from = this.builder.offset(j) - this.builder.offset(b.first);
      const line = b.buf.toString('utf8', from, from + this.builder.byteLength(j));
      if (line !== '') return dedupKey(JSON.parse(line) as Np6Event, line);
    }
    return undefined;
  }

  /** True when none of the `candidates` (events with the same 64-bit hash) has the key `key`. */
  private async confirmNew(key: string, candidates: number[]): Promise<boolean> {
    // The candidates were not in memory, so their lines are in the file: read them directly
    // (not through readRecord, whose flush waits for this very check).
    const fh = await this.readHandle();
    for (const j of candidates) {
      const json = (await readAt(fh, this.builder.byteLength(j), this.builder.offset(j))).toString('utf8');
      if (dedupKey(JSON.parse(json) as Np6Event, json) === key) return false;
    }
    return true;
  }

  private async readHandle(): Promise<fs.promises.FileHandle> {
    if (this.fh) return this.fh;
    try {
      this.fh = await openNoFollow(this.eventsPath, fs.constants.O_RDONLY);
    } catch (e) {
      if (isNotFound(e)) this.gone();
      throw e;
    }
    return this.fh;
  }

  /**
   * Reads the lines of the events of `batch`, in batch order, in runs of neighbouring lines
   * sorted by offset (one read for many lines; usually the whole batch, as time order is mostly
   * arrival order).
   */
  private async readBatch(fh: fs.promises.FileHandle, batch: Uint32Array): Promise<LazyRecord[]> {
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
      const buf = await readAt(fh, runEnd - runStart, runStart);
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
    const fh = await this.readHandle();
    const total = (await fh.stat()).size;
    let carry: Buffer = Buffer.alloc(0);
    let carryStart = 0;
    let position = 0;
    while (position < total) {
      const block = await readAt(fh, Math.min(FLUSH_BYTES, total - position), position);
      const n = block.length;
      const chunk = carry.length > 0 ? Buffer.concat([carry, block]) : block;
      const chunkStart = carry.length > 0 ? carryStart : position;
      let lineStart = 0;
      for (;;) {
        const nl = chunk.indexOf(0x0a, lineStart);
        if (nl < 0) break;
        const unsure = this.indexLine(chunk, lineStart, nl, chunkStart + lineStart);
        if (unsure) await unsure;
        lineStart = nl + 1;
      }
      carry = Buffer.from(chunk.subarray(lineStart));
      carryStart = chunkStart + lineStart;
      position += n;
    }
    this.written = this.size = total;
    if (carry.length > 0) {
      // A torn last line (no newline): the write was cut. Drop it so appends start on a new line.
      await fh.truncate(carryStart);
      this.written = this.size = carryStart;
      this.damagedLines++;
      this.tornLine = true;
    }
    this.pending = this.emptyBlock();
    this.notifiedUpTo = this.builder.length;
  }

  /**
   * Makes the summary say what the scan found missing: damaged lines, or fewer events than it
   * counted (lines lost, the file emptied or deleted). Resume then fetches the whole range again
   * (the lost events cannot be placed in time; de-duplication keeps what is there once).
   */
  private async recordDamage(): Promise<void> {
    const s = this.state;
    const counted = typeof s.count === 'number' && Number.isFinite(s.count) ? s.count : 0;
    // A torn last line is the normal trace of a fetch cut mid-write (its summary says so
    // already); it is damage only when the summary counted it, which the count check sees.
    const corrupt = this.damagedLines - (this.tornLine ? 1 : 0);
    const unreadable = Math.max(corrupt, counted - this.builder.length);
    this.unreadableEvents = unreadable;
    s.count = this.builder.length;
    if (unreadable <= 0) return;
    const message = damagedMessage(unreadable);
    const q = s.query;
    s.complete = false;
    s.error = { kind: DAMAGED_KIND, message };
    s.missing = [
      { start: q.start ?? 0, end: q.end ?? s.fetchedUntil ?? s.finishedAt ?? s.startedAt, reason: message },
    ];
    // Written back, so the tree and the next open say it too (the count now matches the file).
    // A folder that cannot be written still opens: the summary in memory says it all the same.
    await this.writeSummary().catch(() => undefined);
  }

  /** Indexes one line; returns a promise only when its de-duplication needs a read from disk. */
  private indexLine(chunk: Buffer, from: number, to: number, fileOffset: number): Promise<void> | undefined {
    if (to === from) return undefined;
    const json = chunk.toString('utf8', from, to);
    let event: Np6Event;
    try {
      event = JSON.parse(json) as Np6Event;
    } catch {
      this.damagedLines++;
      return undefined;
    }
    const key = dedupKey(event, json);
    const add = (): void => {
      this.ids.insert(key, this.builder.length);
      this.builder.add(event, fileOffset, to - from);
    };
    const seen = this.ids.check(key, () => undefined);
    if (seen === 'duplicate') return undefined;
    if (seen === 'new') {
      add();
      return undefined;
    }
    return this.confirmNew(key, seen).then((isNew) => {
      if (isNew) add();
    });
  }

  private scheduleNotify(): void {
    if (this.notifyScheduled || this.listeners.size === 0) return;
    this.notifyScheduled = true;
    setImmediate(() => this.emitNotify());
  }

  private emitFinished(): void {
    this.fetching = false;
    for (const l of [...this.finishedListeners]) l();
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
