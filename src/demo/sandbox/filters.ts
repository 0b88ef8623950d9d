// Request semantics: the `itemsEvents` body and the start/end/sort query string, validated the way
// a strict server would, and compiled into a lookup table so that filtering an event is one read.

import { parseInstant } from '../../np6/query';
import { K_ACTIVATION, K_DELIVERY, KIND_TYPES, SUBTYPES, type CampaignModel } from './generator';

export type Sort = 'asc' | 'desc' | 'none';

export interface RangeAndSort {
  start?: number;
  end?: number;
  sort: Sort;
}

/** One `itemsEvents` entry as received. */
export interface ChannelSelection {
  channel: string;
  /** undefined = every item. */
  items?: string[];
  /** Event type -> subtypes (undefined or empty = all subtypes). */
  events: { type: string; subtypes?: string[] }[];
}

export type Parsed<T> = { ok: T } | { error: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Validates the JSON body. On the items endpoint every entry must list its items. */
export function parseItemsEvents(body: unknown, itemsEndpoint: boolean): Parsed<ChannelSelection[]> {
  if (!isObject(body)) return { error: 'The body must be a JSON object with an "itemsEvents" array.' };
  const list = body.itemsEvents;
  if (!Array.isArray(list)) return { error: '"itemsEvents" is required and must be an array.' };
  const out: ChannelSelection[] = [];
  for (const [i, entry] of list.entries()) {
    if (!isObject(entry)) return { error: `itemsEvents[${i}] must be an object.` };
    if (typeof entry.type !== 'string' || !entry.type) {
      return { error: `itemsEvents[${i}].type must be a channel name such as "email".` };
    }
    if (!Array.isArray(entry.events)) return { error: `itemsEvents[${i}].events must be an array.` };
    const events: ChannelSelection['events'] = [];
    for (const [j, e] of entry.events.entries()) {
      if (!isObject(e) || typeof e.type !== 'string' || !e.type) {
        return { error: `itemsEvents[${i}].events[${j}] must be an object with a string "type".` };
      }
      if (
        e.subtypes !== undefined &&
        (!Array.isArray(e.subtypes) || !e.subtypes.every((s) => typeof s === 'string'))
      ) {
        return { error: `itemsEvents[${i}].events[${j}].subtypes must be an array of strings.` };
      }
      events.push({ type: e.type, subtypes: e.subtypes });
    }
    let items: string[] | undefined;
    if (entry.items !== undefined && entry.items !== null) {
      if (
        !Array.isArray(entry.items) ||
        !entry.items.every((x) => typeof x === 'string' || typeof x === 'number')
      ) {
        return { error: `itemsEvents[${i}].items must be an array of item ids.` };
      }
      items = entry.items.map((x) => String(x));
    }
    if (itemsEndpoint && (!items || items.length === 0)) {
      return { error: `itemsEvents[${i}].items is required on /items/events: list the item ids.` };
    }
    out.push({ channel: entry.type, items, events });
  }
  return { ok: out };
}

/** Reads start, end (ISO 8601 or epoch ms) and sort (asc|desc) from the query string. */
export function parseRangeAndSort(params: URLSearchParams): Parsed<RangeAndSort> {
  const r: RangeAndSort = { sort: 'none' };
  for (const name of ['start', 'end'] as const) {
    const raw = params.get(name);
    if (raw === null) continue;
    const v = raw.trim() === '' ? { error: 'empty' } : parseInstant(raw);
    if ('error' in v) return { error: `"${name}" is not an ISO 8601 date or a timestamp in ms: ${raw}` };
    r[name] = v.ms;
  }
  const sort = params.get('sort');
  if (sort !== null) {
    if (sort !== 'asc' && sort !== 'desc') return { error: `"sort" must be "asc" or "desc", not "${sort}".` };
    r.sort = sort;
  }
  return { ok: r };
}

const KINDS = KIND_TYPES.length;
const SUBS = SUBTYPES.length;

/**
 * allowed[item * KINDS * SUBS + kind * SUBS + sub] = 1 when the selection wants that event.
 * Every generated event is on the email channel; non-hit kinds use sub 0.
 */
export function compileSelection(m: CampaignModel, selection: ChannelSelection[]): Uint8Array {
  const table = new Uint8Array(m.items.length * KINDS * SUBS);
  for (const entry of selection) {
    if (entry.channel !== 'email') continue;
    for (const [k, item] of m.items.entries()) {
      if (entry.items && !entry.items.includes(item.id)) continue;
      for (const e of entry.events) {
        const kind = (KIND_TYPES as readonly string[]).indexOf(e.type);
        if (kind < 0) continue;
        const base = k * KINDS * SUBS + kind * SUBS;
        if (e.type !== 'hit') {
          table[base] = 1;
          // A client cannot ask for a type it does not know: the undocumented 'delivery' rides along
          // with activations, so that clients meet it (and must tolerate it) in ordinary queries.
          if (kind === K_ACTIVATION) table[k * KINDS * SUBS + K_DELIVERY * SUBS] = 1;
          continue;
        }
        for (let s = 0; s < SUBS; s++) {
          if (!e.subtypes || e.subtypes.length === 0 || e.subtypes.includes(SUBTYPES[s]!)) {
            table[base + s] = 1;
          }
        }
      }
    }
  }
  return table;
}

export function isAllowed(table: Uint8Array, item: number, kind: number, sub: number): boolean {
  return table[item * KINDS * SUBS + kind * SUBS + (kind === 4 ? sub : 0)] === 1;
}

/** True when the table selects at least one event of item k (whole units can be skipped otherwise). */
export function itemSelected(table: Uint8Array, item: number): boolean {
  const base = item * KINDS * SUBS;
  for (let i = 0; i < KINDS * SUBS; i++) if (table[base + i] === 1) return true;
  return false;
}
