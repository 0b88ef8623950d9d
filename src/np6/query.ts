// A campaign-events query, its validation and the HTTP request it becomes.
//
// POST /campaigns/{id}/events        events of the whole campaign (itemsEvents narrows channel/types)
// POST /campaigns/{id}/items/events  events of the items listed in itemsEvents[].items
// Query string: start (inclusive), end (exclusive), sort (asc|desc; without it the order is
// unspecified and may change between identical requests). Dates are sent as ISO 8601 UTC.

import { Np6InvalidQueryError } from './errors';
import { EMAIL_CAMPAIGN_EVENT_TYPES, HIT_SUBTYPES } from './events';
import { checkId, checkItemId } from './ids';

export type Endpoint = 'campaign' | 'items';
export type SortOrder = 'asc' | 'desc' | 'none';

/** One event type wanted, with its subtypes (only hits have documented subtypes). */
export interface EventTypeFilter {
  type: string;
  subtypes?: string[];
}

/** One `itemsEvents` entry: a channel, the event types wanted on it, and optionally item ids. */
export interface ChannelFilter {
  channel: string;
  events: EventTypeFilter[];
  /** Item ids exactly as the user or NP6 gave them (strings like "000PE4" or integers). */
  items?: (string | number)[];
}

/** Anything a user may give as a date: ISO 8601 (with or without offset), epoch ms, or a Date. */
export type InstantInput = string | number | Date;

export interface EventQuery {
  campaignId: string;
  endpoint: Endpoint;
  itemsEvents: ChannelFilter[];
  /** Epoch ms, inclusive. */
  start?: number;
  /** Epoch ms, exclusive. */
  end?: number;
  sort: SortOrder;
}

export interface QueryProblem {
  field: 'campaignId' | 'endpoint' | 'itemsEvents' | 'start' | 'end' | 'sort';
  message: string;
}

const ISO_DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses a date given as ISO 8601 (date only = midnight UTC; a date-time without an offset is read
 * as UTC, the API's own zone), epoch milliseconds (number or all-digit string) or a Date.
 * Returns epoch ms, or an error message a user can act on.
 */
export function parseInstant(input: InstantInput): { ms: number } | { error: string } {
  if (input instanceof Date) {
    const ms = input.getTime();
    return Number.isFinite(ms) ? { ms } : { error: 'is an invalid Date' };
  }
  if (typeof input === 'number') {
    return Number.isSafeInteger(input) && input >= 0
      ? { ms: input }
      : { error: `"${input}" is not a whole, non-negative number of milliseconds` };
  }
  const s = input.trim();
  if (/^\d{1,16}$/.test(s)) return { ms: Number(s) };
  if (ISO_DATE_ONLY.test(s) || ISO_DATETIME.test(s)) {
    let iso = s.replace(' ', 'T');
    if (ISO_DATE_ONLY.test(s)) iso += 'T00:00:00Z';
    else if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(iso)) iso += 'Z';
    // Date.parse accepts "+0200" only in some engines: normalise to "+02:00".
    iso = iso.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
    const ms = Date.parse(iso);
    if (Number.isFinite(ms)) return { ms };
  }
  return {
    error: `"${s}" is not a date: use ISO 8601 (2024-05-01, 2024-05-01T09:00:00Z, 2024-05-01T09:00+02:00) or epoch milliseconds`,
  };
}

/** ISO 8601 UTC with milliseconds, the form sent to NP6. */
export function toIsoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

/** Checks a query and returns every problem found, each with a message that says what to do. */
export function validateQuery(q: EventQuery): QueryProblem[] {
  const problems: QueryProblem[] = [];
  const campaignProblem = checkId(q.campaignId, 'campaign');
  if (campaignProblem !== undefined) problems.push({ field: 'campaignId', message: campaignProblem });
  if (q.endpoint !== 'campaign' && q.endpoint !== 'items') {
    problems.push({
      field: 'endpoint',
      message: `Unknown endpoint "${String(q.endpoint)}": use "campaign" or "items".`,
    });
  }
  if (!Array.isArray(q.itemsEvents) || q.itemsEvents.length === 0) {
    problems.push({
      field: 'itemsEvents',
      message: 'No channel chosen: choose at least one channel (email).',
    });
  } else {
    for (const c of q.itemsEvents) {
      if (!c.channel || /\s/.test(c.channel)) {
        problems.push({ field: 'itemsEvents', message: `Channel "${c.channel}" is empty or has spaces.` });
      }
      if (!c.events || c.events.length === 0) {
        problems.push({
          field: 'itemsEvents',
          message: `No event type chosen for channel "${c.channel}": choose at least one (hit, activation, ...).`,
        });
      }
      for (const ev of c.events ?? []) {
        if (!ev.type || /\s/.test(ev.type)) {
          problems.push({ field: 'itemsEvents', message: `Event type "${ev.type}" is empty or has spaces.` });
        }
        if (ev.subtypes && ev.subtypes.length > 0 && ev.type !== 'hit') {
          problems.push({
            field: 'itemsEvents',
            message: `Subtypes (${ev.subtypes.join(', ')}) only apply to "hit" events, not "${ev.type}".`,
          });
        }
        for (const s of ev.subtypes ?? []) {
          if (!s || /\s/.test(s)) {
            problems.push({ field: 'itemsEvents', message: `Subtype "${s}" is empty or has spaces.` });
          }
        }
      }
      for (const item of c.items ?? []) {
        const itemProblem = checkItemId(item);
        if (itemProblem !== undefined) problems.push({ field: 'itemsEvents', message: itemProblem });
      }
      if (q.endpoint === 'items' && (!c.items || c.items.length === 0)) {
        problems.push({
          field: 'itemsEvents',
          message: `The items endpoint needs item ids for channel "${c.channel}": choose items, or query the whole campaign.`,
        });
      }
    }
  }
  for (const f of ['start', 'end'] as const) {
    const v = q[f];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) {
      problems.push({ field: f, message: `The ${f} date is not a valid time.` });
    }
  }
  if (q.start !== undefined && q.end !== undefined && q.end <= q.start) {
    problems.push({
      field: 'end',
      message: `The end (${toIsoUtc(q.end)}) is not after the start (${toIsoUtc(q.start)}): the end is exclusive, choose a later end.`,
    });
  }
  if (q.sort !== 'asc' && q.sort !== 'desc' && q.sort !== 'none') {
    problems.push({ field: 'sort', message: `Unknown sort "${String(q.sort)}": use asc, desc or none.` });
  }
  return problems;
}

/**
 * Throws Np6InvalidQueryError when an id of the query cannot be sent (see ids.ts): the last check
 * before the request is built, whatever the caller validated before.
 */
export function assertSendableIds(q: EventQuery): void {
  const problem =
    checkId(q.campaignId, 'campaign') ??
    q.itemsEvents
      .flatMap((c) => c.items ?? [])
      .map(checkItemId)
      .find((p) => p !== undefined);
  if (problem !== undefined) throw new Np6InvalidQueryError(problem);
}

/**
 * The JSON body NP6 expects. Item ids are echoed unchanged (NP6 documents int32, shows strings).
 * Throws Np6InvalidQueryError for an id that cannot be sent.
 */
export function requestBody(q: EventQuery): { itemsEvents: unknown[] } {
  assertSendableIds(q);
  return {
    itemsEvents: q.itemsEvents.map((c) => {
      const entry: Record<string, unknown> = {
        type: c.channel,
        events: c.events.map((e) =>
          e.subtypes && e.subtypes.length > 0 ? { type: e.type, subtypes: e.subtypes } : { type: e.type },
        ),
      };
      if (c.items && c.items.length > 0) entry.items = c.items;
      return entry;
    }),
  };
}

/**
 * Path and query string (without the base URL), e.g. `/campaigns/abc/events?start=...&sort=asc`.
 * Throws Np6InvalidQueryError for an id that cannot be sent (`..` would change the path).
 */
export function requestPath(q: EventQuery): string {
  assertSendableIds(q);
  const path = `/campaigns/${encodeURIComponent(q.campaignId)}/${q.endpoint === 'items' ? 'items/events' : 'events'}`;
  const params = new URLSearchParams();
  if (q.start !== undefined) params.set('start', toIsoUtc(q.start));
  if (q.end !== undefined) params.set('end', toIsoUtc(q.end));
  if (q.sort !== 'none') params.set('sort', q.sort);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** The default event selection: every documented type on email, hits with all subtypes. */
export function allEmailEvents(items?: (string | number)[]): ChannelFilter {
  return {
    channel: 'email',
    events: EMAIL_CAMPAIGN_EVENT_TYPES.map((type) =>
      type === 'hit' ? { type, subtypes: [...HIT_SUBTYPES] } : { type },
    ),
    ...(items && items.length > 0 ? { items } : {}),
  };
}

/** A short sentence for logs, titles and export metadata. Never contains the key. */
export function describeQuery(q: EventQuery): string {
  const types = q.itemsEvents
    .flatMap((c) => c.events.map((e) => (e.subtypes?.length ? `${e.type}(${e.subtypes.join('/')})` : e.type)))
    .join(', ');
  const items = q.itemsEvents.flatMap((c) => c.items ?? []);
  const range = `${q.start !== undefined ? toIsoUtc(q.start) : '…'} → ${q.end !== undefined ? toIsoUtc(q.end) : '…'}`;
  return `campaign ${q.campaignId}${items.length ? ` items ${items.join(',')}` : ''}: ${types}; ${range}; sort ${q.sort}`;
}
