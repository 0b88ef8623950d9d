// Reads an events file back: the three formats the extension and the CLI write (exportFormat.ts):
//
//   export  the writers' layout: line 1 is the metadata up to `,"events":[`, then the events, then
//           `]}`. The metadata is read from line 1; from its `[` to the last `}` the body is a JSON
//           array, read by the same streaming splitter as NP6's answers (jsonArrayStream.ts).
//   array   a JSON array, streamed the same way (any layout: pretty-printed arrays work too).
//   ndjson  one JSON object a line.
//
// Nothing holds the file whole: it is read in 1 MiB blocks, and at most one unfinished event (or
// line) is kept between blocks. A file that stops being well formed keeps what was read before the
// fault: `problem` then says where (byte and line) and what. Everything in the file is outside
// text: callers show it only through the untrusted-text escapes.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EventRecord } from '../np6/client';
import type { Np6Event } from '../np6/events';
import { JsonArrayStreamError, JsonArrayStreamParser, type JsonArrayElement } from '../np6/jsonArrayStream';
import { validateQuery, type EventQuery } from '../np6/query';
import { EXPORT_FORMAT_ID } from './exportFormat';
import type { Completeness, ImportedFrom, MissingWindow } from './result';

/** The formats read back (CSV is written, never read: it does not hold the events' JSON). */
export type EventsFileFormat = 'export' | 'array' | 'ndjson';

const BLOCK_BYTES = 1 << 20;
/** The metadata line of an export, or the first line of an ndjson file, is never longer than this. */
const MAX_FIRST_LINE_BYTES = 16 << 20;
/** How far from the end the closing `}` of an export is looked for (only whitespace follows it). */
const TAIL_BYTES = 64 << 10;
const EVENTS_OPEN = ',"events":[';
const LF = 0x0a;
const CR = 0x0d;

/** The file is none of the three formats (said in words a user can act on). */
export class UnknownEventsFormatError extends Error {
  constructor(fileName: string, why: string) {
    super(
      `${fileName} is not an events file this extension can read: ${why}. It reads an NP6 export (the "export" format), a JSON array of events, or NDJSON (one event a line), as written by NP6 Event Explorer or np6-events.`,
    );
    this.name = 'UnknownEventsFormatError';
  }
}

/** Where reading stopped early, and why. */
export interface ReadProblem {
  /** Byte offset of the fault in the file. */
  byteOffset: number;
  /** 1-based line of the fault. */
  line: number;
  /** "byte 1234 (line 17): …", for messages and the result's completeness. */
  message: string;
}

/** What an export's metadata says, each field checked (a field that is not valid is left out). */
export interface ExportFileMeta {
  query?: EventQuery;
  /** Why the export's query is not offered for re-run, when it has one that is invalid. */
  queryProblem?: string;
  fetchedAt?: string;
  complete: boolean;
  count?: number;
  missing: MissingWindow[];
  error?: { kind: string; message: string };
  /** The export is part of a result (filters, zoom): how many events the whole result had. */
  subsetOf?: number;
  /** The subset's cut, as JSON text (outside text: shown as text only). */
  subsetFilters?: string;
}

export interface ReadProgress {
  bytes: number;
  totalBytes: number;
  events: number;
  /** Elements or lines that are JSON but not an object (not events): not stored. */
  skipped: number;
}

export interface EventsFile {
  readonly path: string;
  readonly fileName: string;
  readonly format: EventsFileFormat;
  /** The export's metadata (format `export` only). */
  readonly meta?: ExportFileMeta;
  readonly progress: ReadProgress;
  /** Set when the file stopped being well formed: what was read before it is all there is. */
  readonly problem: ReadProblem | undefined;
  /**
   * Streams the events. Never throws for a malformed file (see `problem`); stops quietly when
   * `signal` aborts (check `signal.aborted`). Can be iterated once.
   */
  records(signal?: AbortSignal): AsyncGenerator<EventRecord>;
}

async function readAt(fh: fs.promises.FileHandle, buf: Buffer, position: number): Promise<number> {
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await fh.read(buf, done, buf.length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

function countLines(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (buf[i] === LF) n++;
  return n;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The first line (without its newline and CR), its start (after a BOM) and where the next starts. */
async function firstLine(
  fh: fs.promises.FileHandle,
  size: number,
): Promise<{ text: string; start: number; next: number } | undefined> {
  const buf = Buffer.allocUnsafe(Math.min(size, BLOCK_BYTES));
  const parts: Buffer[] = [];
  let position = 0;
  let start = 0;
  while (position < size && position < MAX_FIRST_LINE_BYTES) {
    const n = await readAt(fh, buf, position);
    if (n === 0) break;
    const chunk = buf.subarray(0, n);
    if (position === 0 && n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) start = 3;
    const nl = chunk.indexOf(LF);
    if (nl >= 0) {
      parts.push(Buffer.from(chunk.subarray(0, nl)));
      const line = Buffer.concat(parts).subarray(start);
      const trimmed = line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, -1) : line;
      return { text: trimmed.toString('utf8'), start, next: position + nl + 1 };
    }
    parts.push(Buffer.from(chunk));
    position += n;
  }
  if (position >= MAX_FIRST_LINE_BYTES) return undefined;
  const line = Buffer.concat(parts).subarray(start);
  return { text: line.toString('utf8'), start, next: position };
}

/** Offset just past the last non-whitespace byte of the file, and that byte. */
async function lastByte(
  fh: fs.promises.FileHandle,
  size: number,
): Promise<{ at: number; byte: number } | undefined> {
  const len = Math.min(size, TAIL_BYTES);
  const buf = Buffer.allocUnsafe(len);
  const n = await readAt(fh, buf, size - len);
  for (let i = n - 1; i >= 0; i--) {
    const b = buf[i]!;
    if (b !== 0x20 && b !== LF && b !== CR && b !== 0x09) return { at: size - len + i, byte: b };
  }
  return undefined;
}

const ISO_OK = (s: unknown): s is string =>
  typeof s === 'string' && s.length <= 64 && !Number.isNaN(Date.parse(s));

/** Checks each field of an export's metadata; what is not valid is left out, never trusted. */
export function readExportMeta(h: Record<string, unknown>): ExportFileMeta {
  const meta: ExportFileMeta = { complete: h['complete'] === true, missing: [] };
  const q = h['query'];
  if (isObject(q)) {
    const query = {
      campaignId: q['campaignId'],
      endpoint: q['endpoint'],
      itemsEvents: q['itemsEvents'],
      sort: q['sort'],
    } as EventQuery;
    if (typeof q['start'] === 'number') query.start = q['start'];
    if (typeof q['end'] === 'number') query.end = q['end'];
    let problems: string[];
    try {
      problems = validateQuery(query).map((p) => p.message);
    } catch (e) {
      problems = [e instanceof Error ? e.message : String(e)];
    }
    if (problems.length === 0) meta.query = query;
    else meta.queryProblem = `its query is not valid (${problems.join(' ')})`;
  }
  if (ISO_OK(h['fetchedAt'])) meta.fetchedAt = new Date(Date.parse(h['fetchedAt'])).toISOString();
  const count = h['count'];
  if (typeof count === 'number' && Number.isSafeInteger(count) && count >= 0) meta.count = count;
  const missing = h['missing'];
  if (Array.isArray(missing)) {
    for (const w of missing as unknown[]) {
      if (!isObject(w)) continue;
      const start = w['start'];
      const end = w['end'];
      if (typeof start !== 'number' || typeof end !== 'number' || !(end > start)) continue;
      meta.missing.push({ start, end, reason: typeof w['reason'] === 'string' ? w['reason'] : 'missing' });
    }
  }
  // An export that says complete yet lists missing windows is not believed complete.
  if (meta.missing.length > 0) meta.complete = false;
  const error = h['error'];
  if (isObject(error) && typeof error['message'] === 'string') {
    meta.error = {
      kind: typeof error['kind'] === 'string' ? error['kind'] : 'error',
      message: error['message'],
    };
  }
  const subset = h['subset'];
  if (isObject(subset)) {
    if (typeof subset['of'] === 'number') meta.subsetOf = subset['of'];
    const parts: Record<string, unknown> = {};
    if (isObject(subset['filters'])) parts['filters'] = subset['filters'];
    if (isObject(subset['range'])) {
      const r = subset['range'];
      parts['range'] = { start: r['startIso'] ?? r['start'], end: r['endIso'] ?? r['end'] };
    }
    meta.subsetFilters = JSON.stringify(parts).slice(0, 2000);
  }
  return meta;
}

/**
 * Opens `file` and finds its format (reading only its first line and its last bytes). Throws
 * UnknownEventsFormatError when it is none of the three, and the file system's error when it
 * cannot be read.
 */
export async function openEventsFile(file: string): Promise<EventsFile> {
  const fileName = path.basename(file);
  const st = await fs.promises.stat(file);
  if (!st.isFile()) throw new UnknownEventsFormatError(fileName, 'it is not a regular file');
  const fh = await fs.promises.open(file, 'r');
  try {
    const size = st.size;
    const first = await firstLine(fh, size);
    if (!first) throw new UnknownEventsFormatError(fileName, 'its first line is longer than 16 MiB');
    const head = first.text.trimStart();
    if (head === '' && first.next >= size) throw new UnknownEventsFormatError(fileName, 'it is empty');
    if (head.startsWith('[') || (head === '' && (await startsWithArray(fh, size)))) {
      return new FileReader(file, fileName, 'array', undefined, 0, size, size);
    }
    if (!head.startsWith('{')) {
      throw new UnknownEventsFormatError(fileName, 'it does not start with "[" or "{"');
    }
    const line = first.text.trimEnd();
    const opensEvents = line.endsWith(EVENTS_OPEN)
      ? EVENTS_OPEN.length
      : line.endsWith(`${EVENTS_OPEN}]}`)
        ? EVENTS_OPEN.length + 2
        : 0;
    if (opensEvents > 0) {
      let header: unknown;
      try {
        header = JSON.parse(line.slice(0, -opensEvents) + '}');
      } catch {
        throw new UnknownEventsFormatError(
          fileName,
          'its first line looks like export metadata but is not valid JSON',
        );
      }
      if (!isObject(header) || header['format'] !== EXPORT_FORMAT_ID) {
        throw new UnknownEventsFormatError(
          fileName,
          `its metadata does not say "format": "${EXPORT_FORMAT_ID}"`,
        );
      }
      // The body is the array from the `[` that ends the metadata to the last `}` of the file.
      const bracket =
        first.start + Buffer.byteLength(line.slice(0, line.length - opensEvents + EVENTS_OPEN.length - 1));
      const tail = await lastByte(fh, size);
      const closed = tail?.byte === 0x7d;
      const bodyEnd = closed && tail ? tail.at : size;
      return new FileReader(
        file,
        fileName,
        'export',
        readExportMeta(header),
        bracket,
        bodyEnd,
        size,
        closed ? undefined : size,
      );
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UnknownEventsFormatError(
        fileName,
        'its first line is neither the metadata of an export nor one JSON event (a document re-formatted by another tool is not read)',
      );
    }
    if (!isObject(value)) throw new UnknownEventsFormatError(fileName, 'its first line is not a JSON object');
    if (value['format'] === EXPORT_FORMAT_ID) {
      throw new UnknownEventsFormatError(
        fileName,
        'it is an export whose layout was changed (its events are not where the writers put them)',
      );
    }
    return new FileReader(file, fileName, 'ndjson', undefined, 0, size, size);
  } finally {
    await fh.close();
  }
}

/** A first line of only whitespace: the file is an array when its first non-blank byte is `[`. */
async function startsWithArray(fh: fs.promises.FileHandle, size: number): Promise<boolean> {
  const buf = Buffer.allocUnsafe(Math.min(size, BLOCK_BYTES));
  const n = await readAt(fh, buf, 0);
  for (let i = 0; i < n; i++) {
    const b = buf[i]!;
    if (b === 0x20 || b === LF || b === CR || b === 0x09) continue;
    return b === 0x5b;
  }
  return false;
}

class FileReader implements EventsFile {
  readonly progress: ReadProgress;
  problem: ReadProblem | undefined;
  private used = false;

  constructor(
    readonly path: string,
    readonly fileName: string,
    readonly format: EventsFileFormat,
    readonly meta: ExportFileMeta | undefined,
    /** The body: [bodyStart, bodyEnd) of the file. */
    private readonly bodyStart: number,
    private readonly bodyEnd: number,
    totalBytes: number,
    /** An export whose closing `}` is not there: cut at this offset. */
    private readonly cutAt?: number,
  ) {
    this.progress = { bytes: 0, totalBytes, events: 0, skipped: 0 };
  }

  async *records(signal?: AbortSignal): AsyncGenerator<EventRecord> {
    if (this.used) throw new Error('An events file can be read once: open it again.');
    this.used = true;
    const fh = await fs.promises.open(this.path, 'r');
    try {
      if (this.format === 'ndjson') yield* this.ndjson(fh, signal);
      else yield* this.array(fh, signal);
    } finally {
      await fh.close();
    }
  }

  private fail(byteOffset: number, line: number, what: string): void {
    this.problem = { byteOffset, line, message: `byte ${byteOffset} (line ${line}): ${what}` };
  }

  private *accept(value: unknown, json: string): Generator<EventRecord> {
    if (!isObject(value)) {
      this.progress.skipped++;
      return;
    }
    this.progress.events++;
    yield { event: value as Np6Event, json };
  }

  private async *array(fh: fs.promises.FileHandle, signal?: AbortSignal): AsyncGenerator<EventRecord> {
    const parser = new JsonArrayStreamParser();
    const buf = Buffer.allocUnsafe(BLOCK_BYTES);
    let position = this.bodyStart;
    // 1 + the newlines of the blocks fed so far (an export's body starts on its metadata line).
    let lines = 1;
    const out: JsonArrayElement[] = [];
    while (position < this.bodyEnd) {
      if (signal?.aborted) return;
      const n = await readAt(fh, buf.subarray(0, Math.min(BLOCK_BYTES, this.bodyEnd - position)), position);
      if (n === 0) break;
      const chunk = buf.subarray(0, n);
      out.length = 0;
      try {
        parser.push(chunk, out);
      } catch (e) {
        for (const el of out) yield* this.accept(el.value, el.text);
        if (!(e instanceof JsonArrayStreamError)) throw e;
        const at = this.bodyStart + e.byteOffset;
        const inChunk = Math.max(0, Math.min(n, at - position));
        this.fail(at, lines + countLines(chunk, 0, inChunk), describeArrayError(e));
        this.progress.bytes = at - this.bodyStart;
        return;
      }
      for (const el of out) yield* this.accept(el.value, el.text);
      lines += countLines(chunk, 0, n);
      position += n;
      this.progress.bytes = position;
    }
    if (signal?.aborted) return;
    try {
      parser.end();
    } catch (e) {
      if (!(e instanceof JsonArrayStreamError)) throw e;
      this.fail(position, lines, describeArrayError(e));
      return;
    }
    if (this.cutAt !== undefined) {
      this.fail(this.cutAt, lines, 'the export ends without its closing "}" (was the file cut?)');
    }
    this.progress.bytes = this.progress.totalBytes;
  }

  private async *ndjson(fh: fs.promises.FileHandle, signal?: AbortSignal): AsyncGenerator<EventRecord> {
    const buf = Buffer.allocUnsafe(BLOCK_BYTES);
    let carry: Buffer | undefined;
    let carryStart = 0;
    let position = 0;
    let line = 0;
    const parse = (bytes: Buffer, at: number): { ok: true; value: unknown; json: string } | { ok: false } => {
      let json = bytes.toString('utf8');
      if (json.endsWith('\r')) json = json.slice(0, -1);
      if (at === 0 && json.charCodeAt(0) === 0xfeff) json = json.slice(1);
      if (json.trim() === '') return { ok: true, value: undefined, json: '' };
      try {
        return { ok: true, value: JSON.parse(json) as unknown, json };
      } catch {
        return { ok: false };
      }
    };
    while (position < this.bodyEnd) {
      if (signal?.aborted) return;
      const n = await readAt(fh, buf, position);
      if (n === 0) break;
      const chunk = buf.subarray(0, n);
      let from = 0;
      for (;;) {
        const nl = chunk.indexOf(LF, from);
        if (nl < 0) break;
        line++;
        const bytes = carry ? Buffer.concat([carry, chunk.subarray(from, nl)]) : chunk.subarray(from, nl);
        const at = carry ? carryStart : position + from;
        carry = undefined;
        const r = parse(bytes, at);
        if (!r.ok) {
          this.fail(at, line, `line ${line} is not one JSON event`);
          return;
        }
        if (r.json !== '') yield* this.accept(r.value, r.json);
        from = nl + 1;
      }
      if (from < n) {
        const rest = chunk.subarray(from);
        if (!carry) carryStart = position + from;
        carry = carry ? Buffer.concat([carry, rest]) : Buffer.from(rest);
        if (carry.length > MAX_FIRST_LINE_BYTES) {
          this.fail(carryStart, line + 1, `line ${line + 1} is longer than 16 MiB`);
          return;
        }
      }
      position += n;
      this.progress.bytes = position;
    }
    if (signal?.aborted) return;
    if (carry && carry.length > 0) {
      // The last line has no newline: kept when it is a whole event, else the file was cut in it.
      line++;
      const r = parse(carry, carryStart);
      if (!r.ok) {
        this.fail(carryStart, line, `the file is cut inside line ${line}`);
        return;
      }
      if (r.json !== '') yield* this.accept(r.value, r.json);
    }
  }
}

/** The splitter's message, about "the file" rather than "the response", without its own offset. */
function describeArrayError(e: JsonArrayStreamError): string {
  return e.message
    .replace(/^Malformed response at byte \d+: /, '')
    .replace(/^Malformed response: /, '')
    .replace(/\(at byte \d+\) /, '')
    .replace(/\(from byte \d+\) /, '')
    .replace(/the response body is empty/, 'the array is empty of content')
    .replace(/the response/g, 'the file')
    .replace(/\.$/, '');
}

/**
 * How the result read from `file` is to be labelled: complete only when the file was read whole
 * and (for an export) its metadata said complete; otherwise partial, with the export's missing
 * windows and error, the place the file stopped being readable, or the cancellation.
 */
export function importedCompleteness(file: EventsFile, cancelled: boolean): Completeness {
  const meta = file.meta;
  const missing = meta ? meta.missing.map((w) => ({ ...w })) : [];
  const problem = file.problem;
  if (cancelled) {
    return {
      complete: false,
      cancelled: true,
      error: {
        kind: 'cancelled',
        message: `opening ${file.fileName} was cancelled: only the events read before are shown`,
      },
      missing,
    };
  }
  if (problem) {
    return {
      complete: false,
      error: {
        kind: 'malformedFile',
        message: `${file.fileName} is malformed at ${problem.message}; the ${file.progress.events} events before it are shown`,
      },
      missing,
    };
  }
  if (meta?.count !== undefined && meta.count !== file.progress.events) {
    // Well formed, yet not what its metadata says: events were removed or added by hand.
    return {
      complete: false,
      error: {
        kind: 'countMismatch',
        message: `${file.fileName} says it holds ${meta.count} events but holds ${file.progress.events}`,
      },
      missing,
    };
  }
  if (meta && !meta.complete) {
    return {
      complete: false,
      error: meta.error ?? { kind: 'exportPartial', message: 'the export says its result was partial' },
      missing,
    };
  }
  return { complete: true, missing: [] };
}

/** What the result's summary keeps of the file it came from (the timeline's header shows it). */
export function importedFrom(file: EventsFile): ImportedFrom {
  const meta = file.meta;
  return {
    fileName: file.fileName,
    format: file.format,
    ...(meta?.fetchedAt !== undefined ? { fetchedAt: meta.fetchedAt } : {}),
    ...(meta?.count !== undefined ? { count: meta.count } : {}),
    ...(meta?.subsetOf !== undefined ? { subsetOf: meta.subsetOf } : {}),
    ...(meta?.subsetFilters !== undefined ? { subsetFilters: meta.subsetFilters } : {}),
    hasQuery: meta?.query !== undefined,
    ...(file.problem ? { problem: file.problem.message } : {}),
  };
}

/** The query the result is filed under: the export's, or an empty one (a file without metadata). */
export function importedQuery(file: EventsFile): EventQuery {
  return file.meta?.query ?? { campaignId: '', endpoint: 'campaign', itemsEvents: [], sort: 'none' };
}
