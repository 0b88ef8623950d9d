// Query files (`*.np6query.json`): a query kept in a workspace or shared with a colleague. Parsing
// and validation are pure; the same checks read a query link (queryLink.ts) and the recent queries
// kept in globalState (recentQueries.ts), so a hand-edited file, a link and a stored entry are all
// outside text held to the same rules. schemas/np6query.schema.json describes the same format for
// the editor (completion, hover, errors); test/unit/queryFile/querySchema.test.ts keeps both in step.
//
// A query file never holds a key or a base URL: the key stays in VS Code's secret storage and the
// address in the np6.baseUrl setting, so a file committed to a repository or pasted in a ticket
// cannot leak one nor send the key somewhere else.
import { DATE_PRESETS, parseDateInput, parseDuration, type DatePreset } from '../dates';
import { QUERY_EVENT_TYPES, type QueryAnswers, type RangeAnswer } from '../query/queryAnswers';
import { HIT_SUBTYPES } from '../../np6/events';
import { checkId, checkItemId } from '../../np6/ids';
import type { EventQuery, SortOrder } from '../../np6/query';

export const QUERY_FILE_SUFFIX = '.np6query.json';
export const MAX_TITLE_LENGTH = 200;
export const MAX_ITEMS = 500;

export type PresetId = DatePreset['id'];

/** Absolute bounds (ISO 8601 or epoch ms), relative ones ("-2h", "now"), a length, or a preset. */
export type QueryFileRange =
  { last: string } | { preset: PresetId } | { start: string | number; end: string | number };

export interface QueryFile {
  title?: string;
  campaignId: string;
  /** Item ids; empty = the whole campaign. */
  items: string[];
  types: string[];
  /** Hit subtypes; empty = all. Only used when `hit` is among the types. */
  subtypes: string[];
  range: QueryFileRange;
  sort: SortOrder;
}

export type Parsed<T> = { value: T } | { error: string };

const FIELDS = ['$schema', 'title', 'campaignId', 'items', 'types', 'subtypes', 'range', 'sort'];
const SORTS: readonly SortOrder[] = ['asc', 'desc', 'none'];

/**
 * Names that hold (or look like they hold) a secret or an address. Refused with their own message,
 * before "unknown field", so whoever wrote one learns why it cannot be there.
 */
const FORBIDDEN = /key|token|secret|password|auth|bearer|url|uri|host|endpoint|server/i;

export function forbiddenFieldMessage(name: string): string {
  return `A query never holds an API key or a base URL: remove "${shortName(name)}". The key stays in VS Code's secret storage (NP6: Set API Key) and the address in the np6.baseUrl setting.`;
}

/** Field names are outside text: quoted short, on one line. */
function shortName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  const one = name.replace(/[\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069]+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 39)}…` : one;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown, field: string, allowed?: readonly string[]): Parsed<string[]> {
  if (!Array.isArray(v)) return { error: `"${field}" must be a list of strings.` };
  const out: string[] = [];
  for (const x of v) {
    if (typeof x !== 'string') return { error: `"${field}" must be a list of strings.` };
    if (allowed && !allowed.includes(x)) {
      return { error: `"${field}" holds "${shortName(x)}", which is not one of ${allowed.join(', ')}.` };
    }
    if (!out.includes(x)) out.push(x);
  }
  return { value: out };
}

function parseItems(v: unknown): Parsed<string[]> {
  if (v === undefined) return { value: [] };
  if (!Array.isArray(v)) return { error: '"items" must be a list of item ids (strings or whole numbers).' };
  if (v.length > MAX_ITEMS) return { error: `"items" lists ${v.length} items, more than ${MAX_ITEMS}.` };
  const out: string[] = [];
  for (const x of v) {
    if (typeof x !== 'string' && typeof x !== 'number') {
      return { error: '"items" must be a list of item ids (strings or whole numbers).' };
    }
    const bad = checkItemId(x);
    if (bad !== undefined) return { error: `"items": ${bad}` };
    if (!out.includes(String(x))) out.push(String(x));
  }
  return { value: out };
}

/** A bound is checked as it will be read (any now and zone: only its form matters here). */
function checkBound(v: unknown, field: 'start' | 'end'): Parsed<string | number> {
  if (typeof v === 'number') {
    return Number.isSafeInteger(v) && v >= 0
      ? { value: v }
      : { error: `"range.${field}" as a number must be whole epoch milliseconds, 0 or more.` };
  }
  if (typeof v !== 'string') {
    return {
      error: `"range.${field}" must be an ISO 8601 date, epoch milliseconds, "now" or an offset like "-2h".`,
    };
  }
  if (v.length > 64) return { error: `"range.${field}" is too long to be a date.` };
  const r = parseDateInput(v, Date.UTC(2024, 0, 1), 'UTC');
  return 'error' in r ? { error: `"range.${field}": ${r.error}` } : { value: v };
}

export function parseRange(v: unknown): Parsed<QueryFileRange> {
  if (!isObject(v)) {
    return {
      error:
        '"range" must be an object: {"last": "7d"}, {"start": "-2h", "end": "now"} or {"preset": "today"}.',
    };
  }
  const keys = Object.keys(v);
  for (const k of keys) {
    if (FORBIDDEN.test(k)) return { error: forbiddenFieldMessage(k) };
    if (!['last', 'preset', 'start', 'end'].includes(k)) {
      return { error: `"range" has an unknown field "${shortName(k)}": use last, preset, or start and end.` };
    }
  }
  if ('last' in v) {
    if (keys.length !== 1) return { error: '"range" with "last" takes nothing else.' };
    if (typeof v.last !== 'string') {
      return { error: '"range.last" must be a length like "7d", "2h" or "30m".' };
    }
    const d = parseDuration(v.last);
    if ('error' in d) return { error: `"range.last": ${d.error}` };
    return { value: { last: v.last.trim() } };
  }
  if ('preset' in v) {
    if (keys.length !== 1) return { error: '"range" with "preset" takes nothing else.' };
    const p = DATE_PRESETS.find((d) => d.id === v.preset);
    if (!p) {
      return { error: `"range.preset" must be one of ${DATE_PRESETS.map((d) => d.id).join(', ')}.` };
    }
    return { value: { preset: p.id } };
  }
  if (!('start' in v) || !('end' in v)) return { error: '"range" needs both "start" and "end" (or "last").' };
  const start = checkBound(v.start, 'start');
  if ('error' in start) return start;
  const end = checkBound(v.end, 'end');
  if ('error' in end) return end;
  return { value: { start: start.value, end: end.value } };
}

/** Reads a query file's JSON value; every field is checked, unknown ones are refused. */
export function parseQueryFile(v: unknown): Parsed<QueryFile> {
  if (!isObject(v)) return { error: 'A query file holds one JSON object.' };
  for (const k of Object.keys(v)) {
    if (FORBIDDEN.test(k)) return { error: forbiddenFieldMessage(k) };
    if (!FIELDS.includes(k)) {
      return { error: `Unknown field "${shortName(k)}": a query file has ${FIELDS.slice(1).join(', ')}.` };
    }
  }
  if (typeof v.campaignId !== 'string') {
    return { error: '"campaignId" is required: the campaign\'s id (a uuid).' };
  }
  const badCampaign = checkId(v.campaignId, 'campaign');
  if (badCampaign !== undefined) return { error: `"campaignId": ${badCampaign}` };
  let title: string | undefined;
  if (v.title !== undefined) {
    if (typeof v.title !== 'string') return { error: '"title" must be a string.' };
    if (v.title.length > MAX_TITLE_LENGTH) {
      return { error: `"title" is longer than ${MAX_TITLE_LENGTH} characters.` };
    }
    title = v.title;
  }
  const items = parseItems(v.items);
  if ('error' in items) return items;
  const types =
    v.types === undefined
      ? { value: [...QUERY_EVENT_TYPES] }
      : stringList(v.types, 'types', QUERY_EVENT_TYPES);
  if ('error' in types) return types;
  if (types.value.length === 0) return { error: '"types" is empty: name at least one event type.' };
  const subtypes =
    v.subtypes === undefined ? { value: [] } : stringList(v.subtypes, 'subtypes', HIT_SUBTYPES);
  if ('error' in subtypes) return subtypes;
  if (v.range === undefined) return { error: '"range" is required, e.g. {"last": "7d"}.' };
  const range = parseRange(v.range);
  if ('error' in range) return range;
  const sort = v.sort === undefined ? 'asc' : v.sort;
  if (typeof sort !== 'string' || !SORTS.includes(sort as SortOrder)) {
    return { error: '"sort" must be "asc", "desc" or "none".' };
  }
  return {
    value: {
      ...(title !== undefined && title.trim() !== '' ? { title } : {}),
      campaignId: v.campaignId,
      items: items.value,
      types: types.value,
      subtypes: subtypes.value,
      range: range.value,
      sort: sort as SortOrder,
    },
  };
}

/** Reads a query file's text. */
export function parseQueryFileText(text: string): Parsed<QueryFile> {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { error: `The file is not valid JSON (${e instanceof Error ? e.message : String(e)}).` };
  }
  return parseQueryFile(json);
}

/** The range as the query flow holds it; relative bounds stay relative until the query runs. */
export function rangeAnswer(r: QueryFileRange): RangeAnswer {
  if ('last' in r) return { start: `-${r.last}`, end: 'now' };
  if ('preset' in r) return { preset: r.preset };
  return { start: String(r.start), end: String(r.end) };
}

/** The query flow's answers for a query file (the prefilled prompt, or a run). */
export function answersOf(f: QueryFile): QueryAnswers {
  return {
    items: [...f.items],
    types: [...f.types],
    subtypes: f.subtypes.length > 0 ? [...f.subtypes] : [...HIT_SUBTYPES],
    range: rangeAnswer(f.range),
    sort: f.sort,
  };
}

const PRESET_LENGTHS: Partial<Record<PresetId, string>> = {
  lastHour: '1h',
  last24Hours: '24h',
  last7Days: '7d',
  last30Days: '30d',
};

/** A typed bound that means "relative to when it runs": kept as typed. */
const RELATIVE_BOUND = /^(now|[+-]\s*\d+(\.\d+)?\s*[smhdw])$/i;

/**
 * A query file for the flow's answers. Rolling presets become {"last": …}; absolute dates typed in
 * the display zone become ISO 8601 UTC, so a colleague in another zone asks the same question.
 */
export function queryFileOf(
  campaignId: string,
  a: QueryAnswers,
  now: number,
  timeZone: string,
  title?: string,
): Parsed<QueryFile> {
  let range: QueryFileRange;
  if ('preset' in a.range) {
    const last = PRESET_LENGTHS[a.range.preset as PresetId];
    range = last ? { last } : { preset: a.range.preset as PresetId };
  } else {
    const bound = (text: string): Parsed<string> => {
      if (RELATIVE_BOUND.test(text.trim())) return { value: text.trim() };
      const r = parseDateInput(text, now, timeZone);
      return 'error' in r ? r : { value: new Date(r.ms).toISOString() };
    };
    const s = bound(a.range.start);
    if ('error' in s) return s;
    const e = bound(a.range.end);
    if ('error' in e) return e;
    range = { start: s.value, end: e.value };
  }
  const all = a.subtypes.length === HIT_SUBTYPES.length;
  return parseQueryFile({
    ...(title ? { title } : {}),
    campaignId,
    items: a.items,
    types: a.types,
    subtypes: a.types.includes('hit') && !all ? a.subtypes : [],
    range,
    sort: a.sort,
  });
}

/** The file's text: fields in a fixed order, two-space indent, a final newline. */
export function queryFileText(f: QueryFile): string {
  const ordered = {
    ...(f.title !== undefined ? { title: f.title } : {}),
    campaignId: f.campaignId,
    items: f.items,
    types: f.types,
    ...(f.subtypes.length > 0 ? { subtypes: f.subtypes } : {}),
    range: f.range,
    sort: f.sort,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** A file name from a title: letters, digits and dashes only (never a path). */
export function queryFileName(title: string | undefined, fallback: string): string {
  const base = (title ?? '')
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .toLowerCase();
  return `${base || fallback}${QUERY_FILE_SUFFIX}`;
}

/** Two files ask the same question (the title aside). */
export function sameQuery(a: QueryFile, b: QueryFile): boolean {
  const key = (f: QueryFile): string => queryFileText({ ...f, title: undefined });
  return key(a) === key(b);
}

/**
 * The query file of a query that ran (a result's summary: the timeline's Save Query…): its dates
 * are the resolved ones, written as ISO 8601 UTC.
 */
export function queryFileOfEventQuery(q: EventQuery, title?: string): Parsed<QueryFile> {
  const channel = q.itemsEvents[0];
  const hit = channel?.events.find((e) => e.type === 'hit');
  const subtypes = hit?.subtypes ?? [];
  if (q.start === undefined || q.end === undefined) {
    return { error: 'This result has no start or end date to keep in a query file.' };
  }
  return parseQueryFile({
    ...(title ? { title } : {}),
    campaignId: q.campaignId,
    items: q.endpoint === 'items' ? (channel?.items ?? []).map(String) : [],
    types: channel?.events.map((e) => e.type) ?? [],
    subtypes: subtypes.length === HIT_SUBTYPES.length ? [] : subtypes,
    range: { start: new Date(q.start).toISOString(), end: new Date(q.end).toISOString() },
    sort: q.sort,
  });
}
