// Reads back what --resume is given: an export document written by writeExport (format
// "np6-events/1"), or a partial array/ndjson run (`<out>.partial` and its sidecar
// `<out>.partial.json`, see partialFiles.ts).
//
// The writers' layout is relied on so the file never has to be held in memory: for an export,
// line 1 is the metadata up to `"events":[`, then one event a line (a comma ends every line but the
// last), then `]}`; an array is `[`, the same event lines, `]`; ndjson is one event a line. A file
// re-formatted by another tool is refused with a message saying so.
//
// The body is checked, not only the metadata: the events are counted and compared with the count
// the metadata gives, and the document must end properly. A file cut short (a full disk, a copy
// interrupted) whose metadata still says "complete" is reported as damaged, never as complete.

import { createReadStream, promises as fsp } from 'node:fs';
import { createInterface } from 'node:readline';
import type { EventRecord } from '../np6/client';
import type { Np6Event } from '../np6/events';
import { validateQuery, type EventQuery } from '../np6/query';
import { EXPORT_FORMAT_ID, type ExportFormat, type ExportHeader } from '../core/exportFormat';
import type { MissingWindow } from '../core/result';
import { PARTIAL_FORMAT_ID, type PartialSidecar } from './partialFiles';

export class ExportFileError extends Error {
  constructor(file: string, what: string) {
    super(
      `${file} cannot be resumed: ${what}. --resume needs an export written by np6-events or the NP6 extension (--format export), or the .partial file of a partial np6-events run, unchanged.`,
    );
    this.name = 'ExportFileError';
  }
}

const EVENTS_OPEN = ',"events":[';

/** What the body of the file turned out to hold, filled in while `records()` runs. */
export interface BodyCheck {
  /** Events read whole. */
  events: number;
  /** The document ends as the writer ends it (`]}`, `]`, or a last newline for ndjson). */
  ended: boolean;
  /** Lines that are not one JSON event, or come after the end (at most a few are kept). */
  problems: string[];
}

/** What the file says about the result it holds (an export's metadata, or a sidecar). */
export interface ResumeHeader {
  complete: boolean;
  count: number;
  fetchedAt: string;
  missing: MissingWindow[];
}

export interface ResumeSource {
  kind: 'export' | 'partial';
  /** The file holding the events. */
  bodyFile: string;
  /** The sidecar, for a partial run. */
  sidecarFile?: string;
  /** How the body is laid out, and the format a resumed result is written in. */
  format: ExportFormat;
  /** Where the resumed result goes unless --out says otherwise. */
  defaultOut: string;
  header: ResumeHeader;
  query: EventQuery;
  /** Streams the events that can be read; damage is recorded in `body`, never thrown. */
  records(): AsyncGenerator<EventRecord>;
  readonly body: BodyCheck;
}

/** Why the body does not match what the file says, or undefined when it does. */
export function bodyDamage(s: ResumeSource): string | undefined {
  const b = s.body;
  const parts: string[] = [];
  if (b.problems.length > 0) parts.push(b.problems.join('; '));
  if (!b.ended) parts.push('it ends before the end of the document (was it cut?)');
  if (b.events !== s.header.count) {
    parts.push(`it says ${s.header.count} events but holds ${b.events}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

function lines(file: string): AsyncIterableIterator<string> {
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  return rl[Symbol.asyncIterator]();
}

async function firstLine(file: string): Promise<string | undefined> {
  const it = lines(file);
  try {
    const r = await it.next();
    return r.done ? undefined : r.value;
  } catch (e) {
    throw new ExportFileError(file, (e as Error).message);
  } finally {
    await it.return?.();
  }
}

/** True when the file is empty or its last byte is a newline (an ndjson writer always ends so). */
async function endsWithNewline(file: string): Promise<boolean> {
  const h = await fsp.open(file, 'r');
  try {
    const { size } = await h.stat();
    if (size === 0) return true;
    const b = Buffer.alloc(1);
    await h.read(b, 0, 1, size - 1);
    return b[0] === 0x0a;
  } finally {
    await h.close();
  }
}

/** The query as a file gives it, checked like one typed on the command line. */
function checkedQuery(file: string, q: Partial<EventQuery> | undefined): EventQuery {
  const query = {
    campaignId: q?.campaignId,
    endpoint: q?.endpoint,
    itemsEvents: q?.itemsEvents,
    sort: q?.sort,
  } as EventQuery;
  if (typeof q?.start === 'number') query.start = q.start;
  if (typeof q?.end === 'number') query.end = q.end;
  const problems = validateQuery(query);
  if (problems.length > 0) {
    throw new ExportFileError(file, `its query is invalid (${problems.map((p) => p.message).join(' ')})`);
  }
  return query;
}

function checkedMissing(file: string, missing: unknown): MissingWindow[] {
  if (!Array.isArray(missing)) throw new ExportFileError(file, 'it has no "missing" list');
  for (const w of missing as Partial<MissingWindow>[]) {
    if (
      !Number.isFinite(w?.start) ||
      !Number.isFinite(w?.end) ||
      !((w.end as number) > (w.start as number))
    ) {
      throw new ExportFileError(file, 'a "missing" window is not a valid {start, end} range');
    }
  }
  return (missing as MissingWindow[]).map((w) => ({
    start: w.start,
    end: w.end,
    reason: typeof w.reason === 'string' ? w.reason : 'missing',
  }));
}

const MAX_PROBLEMS = 3;

/**
 * Streams the events of a body laid out by the writers, from line `skip + 1`. `isEnd` recognises
 * the closing line; with `ndjson` there is none and the last newline decides.
 */
async function* bodyRecords(
  file: string,
  layout: ExportFormat,
  body: BodyCheck,
  alreadyEnded: boolean,
): AsyncGenerator<EventRecord> {
  const closing = layout === 'export' ? ']}' : layout === 'array' ? ']' : undefined;
  const skip = layout === 'ndjson' ? 0 : 1;
  const note = (text: string): void => {
    if (body.problems.length < MAX_PROBLEMS) body.problems.push(text);
    else if (body.problems.length === MAX_PROBLEMS) body.problems.push('…');
  };
  let lineNo = 0;
  let ended = alreadyEnded;
  // One line of look-behind: a line that does not parse is a cut when it is the last one.
  let broken: number | undefined;
  for await (const line of lines(file)) {
    lineNo++;
    if (lineNo <= skip) continue;
    if (broken !== undefined) {
      note(`line ${broken} is not one JSON event`);
      broken = undefined;
    }
    if (ended) {
      if (line.trim() !== '') note(`line ${lineNo} comes after the end of the events`);
      continue;
    }
    if (closing !== undefined && line === closing) {
      ended = true;
      continue;
    }
    if (layout === 'ndjson' && line === '') continue;
    const json = layout !== 'ndjson' && line.endsWith(',') ? line.slice(0, -1) : line;
    let event: unknown;
    try {
      event = JSON.parse(json);
    } catch {
      broken = lineNo;
      continue;
    }
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      note(`line ${lineNo} is not a JSON object`);
      continue;
    }
    body.events++;
    yield { event: event as Np6Event, json };
  }
  if (broken !== undefined) note(`it is cut inside an event at line ${broken}`);
  if (layout === 'ndjson') ended = broken === undefined && (await endsWithNewline(file));
  body.ended = ended;
}

/** Reads an export's metadata (first line) and checks it; `records()` then streams the events. */
export async function openExportFile(file: string): Promise<ResumeSource> {
  const first = await firstLine(file);
  if (first === undefined || first === '') throw new ExportFileError(file, 'it is empty');
  let headerText: string;
  if (first.endsWith(EVENTS_OPEN)) headerText = first.slice(0, -EVENTS_OPEN.length) + '}';
  else if (first.endsWith(`${EVENTS_OPEN}]}`)) headerText = first.slice(0, -EVENTS_OPEN.length - 2) + '}';
  else throw new ExportFileError(file, 'its first line is not the metadata of an np6-events export');
  // Typed loosely: it comes from a file, every field is checked below.
  let header: Partial<Omit<ExportHeader, 'format'>> & { format?: unknown };
  try {
    header = JSON.parse(headerText) as typeof header;
  } catch {
    throw new ExportFileError(file, 'its metadata is not valid JSON');
  }
  if (header.format !== EXPORT_FORMAT_ID) {
    throw new ExportFileError(file, `its format is not "${EXPORT_FORMAT_ID}"`);
  }
  const query = checkedQuery(file, header.query);
  const missing = checkedMissing(file, header.missing);
  const count = header.count;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw new ExportFileError(file, 'its "count" is not a number of events');
  }
  const body: BodyCheck = { events: 0, ended: false, problems: [] };
  return {
    kind: 'export',
    bodyFile: file,
    format: 'export',
    defaultOut: file,
    header: {
      complete: header.complete === true,
      count,
      fetchedAt: typeof header.fetchedAt === 'string' ? header.fetchedAt : '',
      missing,
    },
    query,
    body,
    records: () => bodyRecords(file, 'export', body, first.endsWith(']}')),
  };
}

const MAX_SIDECAR_BYTES = 16 * 1024 * 1024;
/** The formats a partial run can be continued in (they hold the events as the API sent them). */
const RESUMABLE_LAYOUTS: readonly ExportFormat[] = ['array', 'ndjson'];

/** Reads a partial run: its sidecar (what is missing) and its body (`<out>.partial`). */
export async function openPartialRun(bodyFile: string, sidecarFile: string): Promise<ResumeSource> {
  let text: string;
  try {
    const st = await fsp.stat(sidecarFile);
    if (st.size > MAX_SIDECAR_BYTES) throw new ExportFileError(sidecarFile, 'it is too large for a sidecar');
    text = await fsp.readFile(sidecarFile, 'utf8');
    await fsp.access(bodyFile);
  } catch (e) {
    if (e instanceof ExportFileError) throw e;
    throw new ExportFileError(bodyFile, (e as Error).message);
  }
  let side: Partial<PartialSidecar>;
  try {
    side = JSON.parse(text) as Partial<PartialSidecar>;
  } catch {
    throw new ExportFileError(sidecarFile, 'it is not valid JSON');
  }
  if (side === null || typeof side !== 'object' || side.format !== PARTIAL_FORMAT_ID) {
    throw new ExportFileError(sidecarFile, `its format is not "${PARTIAL_FORMAT_ID}"`);
  }
  const layout = side.outputFormat;
  if (layout === 'csv') {
    // A CSV row keeps some columns of an event, not the event: there is nothing to continue from.
    throw new ExportFileError(
      sidecarFile,
      'it is a partial CSV run, and CSV does not keep the events whole: run the query again with --format csv',
    );
  }
  if (layout === undefined || !RESUMABLE_LAYOUTS.includes(layout)) {
    throw new ExportFileError(sidecarFile, 'its "outputFormat" is not array or ndjson');
  }
  const query = checkedQuery(sidecarFile, side.query);
  const missing = checkedMissing(sidecarFile, side.missing);
  const count = side.count;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw new ExportFileError(sidecarFile, 'its "count" is not a number of events');
  }
  const body: BodyCheck = { events: 0, ended: false, problems: [] };
  return {
    kind: 'partial',
    bodyFile,
    sidecarFile,
    format: layout,
    defaultOut: bodyFile.replace(/\.partial$/, ''),
    header: {
      complete: false,
      count,
      fetchedAt: typeof side.fetchedAt === 'string' ? side.fetchedAt : '',
      missing,
    },
    query,
    body,
    records: async function* () {
      if (layout === 'array') {
        const first = await firstLine(bodyFile);
        if (first !== '[' && first !== '[]') {
          throw new ExportFileError(bodyFile, 'its first line is not the start of an np6-events array');
        }
        yield* bodyRecords(bodyFile, 'array', body, first === '[]');
      } else yield* bodyRecords(bodyFile, 'ndjson', body, false);
    },
  };
}

const exists = (f: string): Promise<boolean> =>
  fsp.access(f).then(
    () => true,
    () => false,
  );

/**
 * Opens what --resume names: `X.partial.json` or `X.partial` (a partial run, with its sidecar),
 * or an export document.
 */
export async function openResumeSource(file: string): Promise<ResumeSource> {
  // A FIFO or a device would block or never end: only regular files are read.
  const st = await fsp.stat(file).catch((e: NodeJS.ErrnoException) => {
    throw new ExportFileError(file, e.code === 'ENOENT' ? 'it does not exist' : (e.code ?? e.message));
  });
  if (!st.isFile()) throw new ExportFileError(file, 'it is not a regular file');
  if (file.endsWith('.partial.json')) return openPartialRun(file.slice(0, -'.json'.length), file);
  if (file.endsWith('.partial') && (await exists(`${file}.json`))) {
    return openPartialRun(file, `${file}.json`);
  }
  try {
    return await openExportFile(file);
  } catch (e) {
    if (e instanceof ExportFileError && (await exists(`${file}.partial.json`))) {
      throw new ExportFileError(
        file,
        `it is not an export, and a partial run of it exists: resume that with --resume ${file}.partial`,
      );
    }
    throw e;
  }
}
