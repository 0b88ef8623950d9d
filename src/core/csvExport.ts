// The `csv` export format: one row per event, for spreadsheets. The columns are fixed (a file
// from one run and another line up) and hold what people sort and filter on; the whole event
// stays available in the JSON formats.
//
// Cells follow RFC 4180: a cell holding `"`, `,`, CR or LF is quoted, `"` doubled; rows end with
// CRLF. A cell a spreadsheet would read as a formula is neutralised (OWASP "CSV injection"):
// outside text (an event's link, label, user agent) starting with `=`, `+`, `-`, `@`, a tab or a
// CR gets a leading `'`, so it shows as text and is never evaluated.

import { eventClient, eventItemId, eventRecipientLabel, hitSubtype, type Np6Event } from '../np6/events';
import { linkKey } from './eventIndex';

/**
 * `class`, last: the hit's class (human, privacy proxy, security scanner, robot) when the result was
 * classified (src/core/classify); empty for events that are not hits.
 */
export const CSV_COLUMNS = [
  'time',
  'type',
  'subtype',
  'item',
  'recipient',
  'link',
  'client',
  'device',
  'id',
  'class',
];

/** The UTF-8 byte order mark some spreadsheets need to read UTF-8 (Excel on Windows). */
export const UTF8_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: neutralised if it could start a formula, quoted if it holds a separator or a quote. */
export function csvCell(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** The event's time in ISO UTC (`2024-01-31T12:00:00.000Z`), or undefined without a valid one. */
function isoTime(ts: unknown): string | undefined {
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return undefined;
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The cells of one event, in CSV_COLUMNS order (undefined: empty cell); `hitClass` its class. */
export function csvValues(e: Np6Event, hitClass?: string): (string | undefined)[] {
  const client = eventClient(e);
  return [
    isoTime(e.timestamp),
    str(e.type),
    hitSubtype(e),
    eventItemId(e),
    eventRecipientLabel(e),
    linkKey(e),
    client?.browser ?? client?.userAgent,
    client?.device || undefined,
    str(e.id),
    hitClass,
  ];
}

/**
 * One row (with its CRLF). A value that is not an event object gives a row of empty cells.
 * `hitClass`: the event's class name when it is a classified hit.
 */
export function csvRow(event: unknown, hitClass?: string): string {
  const e =
    event !== null && typeof event === 'object' && !Array.isArray(event) ? (event as Np6Event) : undefined;
  const values = e ? csvValues(e, hitClass) : CSV_COLUMNS.map(() => undefined);
  return values.map(csvCell).join(',') + '\r\n';
}

export function csvHeader(): string {
  return CSV_COLUMNS.join(',') + '\r\n';
}
