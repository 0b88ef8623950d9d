// Reads back an export document written by writeExport (format "np6-events/1"), for --resume.
//
// The writer's layout is relied on so the file never has to be held in memory: line 1 is the
// metadata up to `"events":[`, then one event a line (a comma ends every line but the last), then
// `]}`. A file re-formatted by another tool is refused with a message saying so.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { EventRecord } from '../np6/client';
import type { Np6Event } from '../np6/events';
import { validateQuery, type EventQuery } from '../np6/query';
import { EXPORT_FORMAT_ID, type ExportHeader } from '../core/exportFormat';

export class ExportFileError extends Error {
  constructor(file: string, what: string) {
    super(
      `${file} cannot be resumed: ${what}. --resume needs an export written by np6-events or the NP6 extension (--format export), unchanged.`,
    );
    this.name = 'ExportFileError';
  }
}

const EVENTS_OPEN = ',"events":[';

export interface ExportFile {
  header: ExportHeader;
  query: EventQuery;
  records(): AsyncGenerator<EventRecord>;
}

function lines(file: string): AsyncIterableIterator<string> {
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  return rl[Symbol.asyncIterator]();
}

/** Reads the metadata (first line) and checks it; `records()` then streams the events. */
export async function openExportFile(file: string): Promise<ExportFile> {
  const it = lines(file);
  let first: string | undefined;
  try {
    const r = await it.next();
    first = r.done ? undefined : r.value;
  } catch (e) {
    throw new ExportFileError(file, (e as Error).message);
  } finally {
    await it.return?.();
  }
  if (first === undefined) throw new ExportFileError(file, 'it is empty');
  let headerText: string;
  if (first.endsWith(EVENTS_OPEN)) headerText = first.slice(0, -EVENTS_OPEN.length) + '}';
  else if (first.endsWith(`${EVENTS_OPEN}]}`)) headerText = first.slice(0, -EVENTS_OPEN.length - 2) + '}';
  else throw new ExportFileError(file, 'its first line is not the metadata of an np6-events export');
  // Typed loosely: it comes from a file, every field is checked below.
  let header: Omit<ExportHeader, 'format'> & { format?: unknown };
  try {
    header = JSON.parse(headerText) as typeof header;
  } catch {
    throw new ExportFileError(file, 'its metadata is not valid JSON');
  }
  if (header.format !== EXPORT_FORMAT_ID) {
    throw new ExportFileError(file, `its format is not "${EXPORT_FORMAT_ID}"`);
  }
  const q = header.query;
  const query: EventQuery = {
    campaignId: q?.campaignId,
    endpoint: q?.endpoint,
    itemsEvents: q?.itemsEvents,
    sort: q?.sort,
  };
  if (typeof q?.start === 'number') query.start = q.start;
  if (typeof q?.end === 'number') query.end = q.end;
  const problems = validateQuery(query);
  if (problems.length > 0) {
    throw new ExportFileError(file, `its query is invalid (${problems.map((p) => p.message).join(' ')})`);
  }
  if (!Array.isArray(header.missing)) throw new ExportFileError(file, 'it has no "missing" list');
  for (const w of header.missing) {
    if (!Number.isFinite(w?.start) || !Number.isFinite(w?.end) || !(w.end > w.start)) {
      throw new ExportFileError(file, 'a "missing" window is not a valid {start, end} range');
    }
  }

  async function* records(): AsyncGenerator<EventRecord> {
    let lineNo = 0;
    let ended = first!.endsWith(']}');
    for await (const line of lines(file)) {
      lineNo++;
      if (lineNo === 1) continue;
      if (ended) {
        if (line.trim() === '') continue;
        throw new ExportFileError(file, `line ${lineNo} comes after the end of the events`);
      }
      if (line === ']}') {
        ended = true;
        continue;
      }
      const json = line.endsWith(',') ? line.slice(0, -1) : line;
      let event: unknown;
      try {
        event = JSON.parse(json);
      } catch {
        throw new ExportFileError(file, `line ${lineNo} is not one JSON event`);
      }
      if (event === null || typeof event !== 'object' || Array.isArray(event)) {
        throw new ExportFileError(file, `line ${lineNo} is not a JSON object`);
      }
      yield { event: event as Np6Event, json };
    }
    if (!ended) throw new ExportFileError(file, 'it ends before the closing "]}" (was it cut?)');
  }

  return { header: header as ExportHeader, query, records };
}
