// The export writers shared by the CLI and the extension's "Export..." command.
//
//   export  one JSON document. Keys in this order: format, query, fetchedAt, complete, count,
//           missing, error (only when there is one), subset (only for a part of the result:
//           the filters and zoom range it was cut with, and `of`, the result's total), masking
//           (only when personal data was masked: how, see mask.ts MASKING_NOTE), events.
//           `complete` always means "the query's answer was complete", also in a subset. The metadata comes FIRST, so the
//           caller must know the final count and completeness before writing: both the CLI and the
//           extension write from events already stored on disk (a result store or the CLI's spool),
//           never straight from the network. That keeps the two byte-identical for the same result.
//   array   exactly the API's array (same elements, one per line).
//   ndjson  one event a line.
//   csv     one row per event with fixed columns (csvExport.ts); the only format that is not the
//           API's JSON, so the only one that reads each event (to pick its cells).
//
// Every event is written on its own line, as the exact JSON text the API sent (EventRecord.json),
// so nothing is re-serialised and unknown fields survive verbatim. Writers stream: they never hold
// more than one batch of events, and they wait for 'drain' when the destination is slower.
//
// `fetchedAt` is the ISO form of `meta.startedAt` (when the fetch began), so a caller controls it
// fully and two exports of the same stored result are byte-equal.

import { WriteStream } from 'node:fs';
import { toIsoUtc, type EventQuery } from '../np6/query';
import { hitClassName } from './classify/hitClass';
import { csvHeader, csvRow, UTF8_BOM } from './csvExport';
import { MASKING_NOTE, maskedRecords, type Masker, type MaskingNote } from './mask';
import type { Completeness, ResultSummary } from './result';
import {
  ChunkPool,
  isByteRangeStore,
  isLineChunkSource,
  storeExportRecords,
  type LineChunks,
} from './storeByteRanges';

export type ExportFormat = 'export' | 'array' | 'ndjson' | 'csv';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['export', 'array', 'ndjson', 'csv'];
/** What writeExport's error says the formats are. */
const FORMAT_LIST = 'export, array, ndjson or csv';

/** Options of writeExport beyond the format. */
export interface ExportOptions {
  /** `csv` only: start the file with a UTF-8 byte order mark (for spreadsheets that need it). */
  bom?: boolean;
  /**
   * `csv` only: the class code (hitClass.ts) of each record, in the order the records come
   * (classesInExportOrder); NOT_A_HIT or a record past its end: an empty `class` cell.
   */
  classes?: Uint8Array;
}
export const EXPORT_FORMAT_ID = 'np6-events/1';

/**
 * What a writer needs of an event: its exact JSON text on one line (a client EventRecord fits).
 * Records read back from a result store also carry the stored UTF-8 `bytes` of that text; writers
 * copy those as they are, which skips a decode and re-encode per event (exports from the store
 * run at copy speed rather than at string speed). Only one of the two is read.
 */
export interface ExportRecord {
  readonly json: string;
  readonly bytes?: Uint8Array;
}

/** Metadata of an `export` document, in the order it is written. */
export interface ExportHeader {
  format: typeof EXPORT_FORMAT_ID;
  query: ExportQuery;
  fetchedAt: string;
  complete: boolean;
  count: number;
  missing: Completeness['missing'];
  error?: NonNullable<Completeness['error']>;
  subset?: ExportSubset;
  /** Present when personal data was masked in the events (np6.maskPersonalData). */
  masking?: MaskingNote;
}

/**
 * Says that an export holds part of a result (the timeline's filtered or zoomed view): how it was
 * cut and how many events the whole result has. `count` is then the subset's count.
 */
export interface ExportSubset {
  /** The view's filters, as the timeline keeps them (kinds hidden, items, text, ...). */
  filters: Record<string, unknown>;
  /** The zoomed time window [start, end) in epoch ms (with ISO forms); absent = the whole range. */
  range?: { start: number; end: number; startIso: string; endIso: string };
  /** Events in the whole result. */
  of: number;
}

/** What an export's metadata is made from: the result's summary, and a subset when it is one. */
export type ExportMeta = ResultSummary & { subset?: ExportSubset; masking?: MaskingNote };

/** The EventQuery as JSON, with the dates also as ISO strings for people reading the file. */
export type ExportQuery = EventQuery & { startIso?: string; endIso?: string };

export function exportQuery(q: EventQuery): ExportQuery {
  const out: ExportQuery = {
    campaignId: q.campaignId,
    endpoint: q.endpoint,
    itemsEvents: q.itemsEvents,
    sort: q.sort,
  };
  if (q.start !== undefined) {
    out.start = q.start;
    out.startIso = toIsoUtc(q.start);
  }
  if (q.end !== undefined) {
    out.end = q.end;
    out.endIso = toIsoUtc(q.end);
  }
  return out;
}

export function exportHeader(meta: ExportMeta): ExportHeader {
  const h: ExportHeader = {
    format: EXPORT_FORMAT_ID,
    query: exportQuery(meta.query),
    fetchedAt: toIsoUtc(meta.startedAt),
    complete: meta.complete,
    count: meta.count,
    missing: meta.missing.map((w) => ({ start: w.start, end: w.end, reason: w.reason })),
  };
  if (meta.error) h.error = meta.error;
  if (meta.subset) h.subset = meta.subset;
  if (meta.masking) h.masking = meta.masking;
  return h;
}

/** The subset metadata of a view cut by `filters` and zoomed to `range`, out of `of` events. */
export function exportSubset(
  filters: Record<string, unknown>,
  range: { start: number; end: number } | undefined,
  of: number,
): ExportSubset {
  return {
    filters,
    ...(range
      ? {
          range: {
            start: range.start,
            end: range.end,
            startIso: toIsoUtc(range.start),
            endIso: toIsoUtc(range.end),
          },
        }
      : {}),
    of,
  };
}

/** The timeline's visible set: arrival indices (events without an id included) and the view's cut. */
export interface VisibleSelection {
  indices: readonly number[];
  filters: Record<string, unknown>;
  range?: { start: number; end: number };
}

/** What `exportedPart` needs of a result store (structural, so the CLI's spool fits too). */
export interface ExportSource {
  readonly summary: ResultSummary;
  readonly index: { readonly length: number };
  records(order?: 'time' | 'arrival', only?: Uint8Array): AsyncIterable<ExportRecord & { event: unknown }>;
  countSelected(only: Uint8Array): number;
}

/** A membership bitmap of arrival indices (1 bit per event). */
function bitmapOf(indices: readonly number[], size: number): Uint8Array {
  const bits = new Uint8Array(Math.ceil(size / 8));
  for (const i of indices) if (i >= 0 && i < size) bits[i >> 3] = (bits[i >> 3] ?? 0) | (1 << (i & 7));
  return bits;
}

/**
 * The metadata and records of an export of `source`: everything, or only part of it (event ids,
 * or the timeline's visible set by arrival index). A part carries `subset`; `complete` keeps
 * its meaning (the query's answer was complete) and `count` is the part's.
 */
export function exportedPart(
  source: ExportSource,
  visible?: readonly string[] | VisibleSelection,
  masker?: Masker,
): { meta: ExportMeta; records: AsyncIterable<ExportRecord> } {
  if (!masker) return unmaskedPart(source, visible);
  // Masked: every event is parsed and written anew (the stored bytes hold the addresses), so the
  // byte-range copy of the whole result is not used; the metadata says what was masked.
  const { meta, records } = unmaskedPart(source, visible, false);
  return { meta: { ...meta, masking: MASKING_NOTE }, records: maskedRecords(records, masker) };
}

function unmaskedPart(
  source: ExportSource,
  visible: readonly string[] | VisibleSelection | undefined,
  byteRanges = true,
): { meta: ExportMeta; records: AsyncIterable<ExportRecord> } {
  const all = source.summary;
  if (visible === undefined) {
    // The whole result: a result store can hand its file's bytes over as they are (storeByteRanges).
    const copy = byteRanges && isByteRangeStore(source);
    return { meta: all, records: copy ? storeExportRecords(source) : source.records() };
  }
  if (!Array.isArray(visible)) {
    const sel = visible as VisibleSelection;
    // By arrival index, not by id: events without an id are exported too, each exactly once.
    const bits = bitmapOf(sel.indices, source.index.length);
    return {
      meta: {
        ...all,
        count: source.countSelected(bits),
        subset: exportSubset(sel.filters, sel.range, all.count),
      },
      records: source.records('time', bits),
    };
  }
  const ids = new Set(visible as readonly string[]);
  async function* byId(): AsyncIterable<ExportRecord> {
    for await (const r of source.records()) {
      const id = (r.event as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && ids.has(id)) yield r;
    }
  }
  // Ids come from this result (one event per distinct id): the count is the number of ids.
  return {
    meta: { ...all, count: ids.size, subset: exportSubset({ ids: ids.size }, undefined, all.count) },
    records: byId(),
  };
}

/** Raised when the AbortSignal given to writeExport aborts. */
export class ExportCancelledError extends Error {
  constructor() {
    super('Export cancelled.');
    this.name = 'ExportCancelledError';
  }
}

// Batching a few dozen KB per write() keeps the per-call overhead low without holding much.
const BATCH_BYTES = 64 * 1024;
const MAX_BATCH_DELAY_MS = 100;
// Separators written between events, allocated once (they are copied into each batch).
const NEWLINE = Buffer.from('\n');
const COMMA_NEWLINE = Buffer.from(',\n');

/**
 * Streams `records` to `out` in `format`. Does not end `out`. Rejects with ExportCancelledError when
 * `signal` aborts, and with an Error when an `export` document's `meta.count` does not match the
 * records (the header would lie). Returns the number of events and bytes written.
 */
export async function writeExport(
  out: NodeJS.WritableStream,
  format: ExportFormat,
  meta: ExportMeta,
  records: AsyncIterable<ExportRecord>,
  signal?: AbortSignal,
  options: ExportOptions = {},
): Promise<{ count: number; bytes: number }> {
  if (!EXPORT_FORMATS.includes(format)) {
    throw new Error(`Unknown export format "${String(format)}": use ${FORMAT_LIST}.`);
  }
  const writer = new BatchWriter(out, signal);
  if (format === 'csv') return writeCsv(writer, records, options);
  const lines = isLineChunkSource(records) ? await records.lineChunks() : undefined;
  if (lines) return writeLineChunks(writer, format, meta, lines, out instanceof WriteStream);
  let count = 0;
  if (format === 'export') {
    const header = JSON.stringify(exportHeader(meta));
    // `{"format":...,"error":{...}}` → `{"format":...,"error":{...},"events":[`
    writer.push(header.slice(0, -1) + ',"events":[');
  } else if (format === 'array') {
    writer.push('[');
  }
  for await (const r of records) {
    writer.checkCancelled();
    if (format !== 'ndjson') writer.pushBytes(count === 0 ? NEWLINE : COMMA_NEWLINE);
    // `bytes` is a getter on store records: read it once, and fall back to the text.
    const bytes = r.bytes;
    if (bytes) writer.pushBytes(bytes);
    else writer.push(r.json);
    if (format === 'ndjson') writer.pushBytes(NEWLINE);
    count++;
    if (writer.pending >= BATCH_BYTES || writer.due()) await writer.flush();
  }
  writer.checkCancelled();
  if (format === 'export') {
    checkCount(meta, count);
    writer.push(count === 0 ? ']}\n' : '\n]}\n');
  } else if (format === 'array') {
    writer.push(count === 0 ? ']\n' : '\n]\n');
  }
  await writer.flush();
  return { count, bytes: writer.bytes };
}

/** CSV: a header row, then one row per event (each record's event is read for its cells). */
async function writeCsv(
  writer: BatchWriter,
  records: AsyncIterable<ExportRecord>,
  options: ExportOptions,
): Promise<{ count: number; bytes: number }> {
  writer.push((options.bom ? UTF8_BOM : '') + csvHeader());
  let count = 0;
  for await (const r of records) {
    writer.checkCancelled();
    // Store records parse their text on demand (`event`); plain records are parsed here.
    const event = (r as { event?: unknown }).event ?? (JSON.parse(r.json) as unknown);
    const cls = options.classes?.[count];
    writer.push(csvRow(event, cls === undefined ? undefined : hitClassName(cls)));
    count++;
    if (writer.pending >= BATCH_BYTES || writer.due()) await writer.flush();
  }
  writer.checkCancelled();
  await writer.flush();
  return { count, bytes: writer.bytes };
}

function checkCount(meta: ExportMeta, count: number): void {
  if (count !== meta.count) {
    throw new Error(
      `The result says ${meta.count} events but ${count} were read back: the stored result is inconsistent, fetch it again.`,
    );
  }
}

/**
 * The same documents as the per-record loop of writeExport, from byte ranges of the stored file:
 * an array's or export's events come as `event,\n` lines (the last `event\n`), so the opening
 * `[\n` and the closing `]` complete them.
 */
async function writeLineChunks(
  writer: BatchWriter,
  format: ExportFormat,
  meta: ExportMeta,
  lines: LineChunks,
  toFile: boolean,
): Promise<{ count: number; bytes: number }> {
  const count = lines.count;
  if (format === 'export') checkCount(meta, count);
  const empty = count === 0;
  if (format === 'export') {
    writer.push(
      JSON.stringify(exportHeader(meta)).slice(0, -1) + (empty ? ',"events":[]}\n' : ',"events":[\n'),
    );
  } else if (format === 'array') {
    writer.push(empty ? '[]\n' : '[\n');
  }
  // Written on its own: the chunks that follow then go out as they are, never copied.
  await writer.flush();
  // A file stream is done with a chunk when its write calls back: its buffer can be read into again.
  const pool = toFile ? new ChunkPool() : undefined;
  for await (const chunk of lines.chunks(format === 'ndjson' ? 'lines' : 'comma', pool)) {
    writer.checkCancelled();
    await writer.writeChunk(chunk, pool ? () => pool.give(chunk) : undefined);
  }
  writer.checkCancelled();
  if (!empty && format !== 'ndjson') writer.push(format === 'export' ? ']}\n' : ']\n');
  await writer.flush();
  return { count, bytes: writer.bytes };
}

/** Accumulates text and bytes and writes them in batches, honouring backpressure and cancellation. */
class BatchWriter {
  private parts: Uint8Array[] = [];
  pending = 0;
  bytes = 0;
  private lastFlush = performance.now();

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /**
   * True when the batch has waited long enough: events trickling from a slow network still reach
   * a pipe (`| jq`, `| tail -f`) promptly instead of waiting for a full batch.
   */
  due(): boolean {
    return this.pending > 0 && performance.now() - this.lastFlush >= MAX_BATCH_DELAY_MS;
  }

  push(text: string): void {
    this.pushBytes(Buffer.from(text, 'utf8'));
  }

  pushBytes(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.pending += bytes.byteLength;
  }

  checkCancelled(): void {
    if (this.signal?.aborted) throw new ExportCancelledError();
  }

  /** Writes `chunk` as it is (after anything pending); `written` is called once the stream is done with it. */
  async writeChunk(chunk: Uint8Array, written?: () => void): Promise<void> {
    await this.flush();
    this.lastFlush = performance.now();
    this.bytes += chunk.byteLength;
    if (!this.out.write(chunk, written && (() => written()))) await waitForDrain(this.out, this.signal);
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    this.lastFlush = performance.now();
    // One part (a large chunk of stored bytes) is written as it is, not copied.
    const chunk = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.pending);
    this.parts = [];
    this.pending = 0;
    this.bytes += chunk.byteLength;
    if (!this.out.write(chunk)) await waitForDrain(this.out, this.signal);
  }
}

function waitForDrain(out: NodeJS.WritableStream, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (err?: Error): void => {
      out.removeListener('drain', onDrain);
      out.removeListener('error', onError);
      out.removeListener('close', onClose);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = (): void => done();
    const onError = (e: Error): void => done(e);
    const onClose = (): void => done(new Error('The destination was closed before the export finished.'));
    const onAbort = (): void => done(new ExportCancelledError());
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
    signal?.addEventListener('abort', onAbort);
  });
}
