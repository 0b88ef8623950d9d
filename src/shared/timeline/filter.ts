// Filters as the user states them (strings, so they survive a reload in setState) and their
// compiled form (one boolean per table entry), which makes testing an event O(1).

import type { EventTable } from './eventTable';
import { keptByHumansOnly } from './hitClasses';

export interface TimelineFilter {
  /** Kinds whose lane is switched off ("hit:open", "bounce", ...). */
  hiddenKinds: string[];
  /** Items to keep; empty = every item. */
  items: string[];
  /** Case-insensitive text searched in recipient (key and label), link, client and user agent. */
  text: string;
  /** Only this recipient's events ("Show this recipient's events"). */
  recipient?: string;
  /** Only events on this link ("Show hits on this link"). */
  link?: string;
  /** Only events whose arrival index is in [from, to) (the "N new since last view" chip). */
  arrival?: ArrivalRange;
  /**
   * Humans only: hits classified privacy proxy, security scanner or robot are left out (other
   * events stay). Applies only while the table holds the classes of all its rows.
   */
  humansOnly?: boolean;
}

/** A range of arrival indices [from, to): the events a refresh added to the store. */
export interface ArrivalRange {
  from: number;
  to: number;
}

export const EMPTY_FILTER: TimelineFilter = { hiddenKinds: [], items: [], text: '' };

export function isFilterActive(f: TimelineFilter): boolean {
  return (
    f.hiddenKinds.length > 0 ||
    f.items.length > 0 ||
    f.text.trim() !== '' ||
    !!f.recipient ||
    !!f.link ||
    !!f.arrival ||
    !!f.humansOnly
  );
}

/** A filter turned into per-table lookups for one table state. */
export interface CompiledFilter {
  kindVisible: Uint8Array;
  /** null = every item passes. */
  itemOk: Uint8Array | null;
  /** null = no text filter. */
  text: {
    recipients: Uint8Array;
    links: Uint8Array;
    clients: Uint8Array;
    agents: Uint8Array;
    labels: Uint8Array;
  } | null;
  /** -2 = no such filter; -1 = the value is not in the table (nothing passes). */
  recipient: number;
  link: number;
  /** null = no arrival filter. */
  arrival: ArrivalRange | null;
  /** The table's packed classes when Humans only applies (see hitClasses.ts), else null. */
  humans: Uint8Array | null;
  /** How many recipients and links the table held when compiled (extendCompiledFilter looks past them). */
  seen: { recipients: number; links: number };
}

export function compileFilter(f: TimelineFilter, t: EventTable): CompiledFilter {
  // Compiled for a table with no strings yet, then taken on to the table's strings: one path for
  // a first compile and for a table that grew (extendCompiledFilter).
  const none: CompiledFilter = {
    kindVisible: new Uint8Array(0),
    itemOk: f.items.length > 0 ? new Uint8Array(0) : null,
    text: f.text.trim()
      ? {
          recipients: new Uint8Array(0),
          links: new Uint8Array(0),
          clients: new Uint8Array(0),
          agents: new Uint8Array(0),
          labels: new Uint8Array(0),
        }
      : null,
    recipient: f.recipient === undefined ? -2 : -1,
    link: f.link === undefined ? -2 : -1,
    arrival: f.arrival ? { from: f.arrival.from, to: f.arrival.to } : null,
    humans: f.humansOnly && t.classes ? t.classes : null,
    seen: { recipients: 0, links: 0 },
  };
  return extendCompiledFilter(none, f, t);
}

/** `old` (the matches of the first old.length values) with the values added since tested too. */
function moreMatches(old: Uint8Array, values: readonly string[], needle: string): Uint8Array {
  if (old.length === values.length) return old;
  const out = new Uint8Array(values.length);
  out.set(old);
  for (let i = old.length; i < values.length; i++) {
    if ((values[i] as string).toLowerCase().includes(needle)) out[i] = 1;
  }
  return out;
}

/**
 * `c`, compiled from `f` when the table held fewer strings, for the table as it is now: only the
 * strings added since are looked at (a table only grows until it is cleared, and a string keeps its
 * code). While a million rows stream in, compiling again at every batch tested every recipient,
 * label, link and user agent against a text filter each time, on the page's thread.
 */
export function extendCompiledFilter(c: CompiledFilter, f: TimelineFilter, t: EventTable): CompiledFilter {
  const hidden = new Set(f.hiddenKinds);
  const kinds = t.tables.kinds;
  let kindVisible = c.kindVisible;
  if (kindVisible.length < kinds.length) {
    kindVisible = new Uint8Array(kinds.length);
    kindVisible.set(c.kindVisible);
    for (let k = c.kindVisible.length; k < kinds.length; k++) {
      kindVisible[k] = hidden.has(kinds[k] as string) ? 0 : 1;
    }
  }
  let itemOk = c.itemOk;
  if (itemOk && itemOk.length < t.tables.items.length) {
    const wanted = new Set(f.items);
    const grown = new Uint8Array(t.tables.items.length);
    grown.set(itemOk);
    for (let i = itemOk.length; i < grown.length; i++) {
      if (wanted.has(t.tables.items[i] as string)) grown[i] = 1;
    }
    itemOk = grown;
  }
  const needle = f.text.trim().toLowerCase();
  const text = c.text
    ? {
        recipients: moreMatches(c.text.recipients, t.tables.recipients, needle),
        links: moreMatches(c.text.links, t.tables.links, needle),
        clients: moreMatches(c.text.clients, t.tables.clients, needle),
        agents: moreMatches(c.text.agents, t.tables.agents, needle),
        labels: moreMatches(c.text.labels, t.tables.labels, needle),
      }
    : null;
  // A value not in the table then (-1) may have come since; one that was keeps its code.
  const codeOf = (old: number, values: string[], from: number, v: string | undefined): number =>
    old === -1 && v !== undefined ? values.indexOf(v, from) : old;
  return {
    ...c,
    kindVisible,
    itemOk,
    text,
    recipient: codeOf(c.recipient, t.tables.recipients, c.seen.recipients, f.recipient),
    link: codeOf(c.link, t.tables.links, c.seen.links, f.link),
    seen: { recipients: t.tables.recipients.length, links: t.tables.links.length },
  };
}

function has(a: Uint8Array, code: number): boolean {
  return code >= 0 && a[code] === 1;
}

/** Whether row i passes every filter except the kind (lanes are computed for hidden kinds too). */
export function passesExceptKind(c: CompiledFilter, t: EventTable, i: number): boolean {
  if (c.arrival && (i < c.arrival.from || i >= c.arrival.to)) return false;
  if (c.humans && !keptByHumansOnly(c.humans[i] as number)) return false;
  if (c.itemOk && !has(c.itemOk, t.item[i] as number)) return false;
  if (c.recipient !== -2 && t.recipient[i] !== c.recipient) return false;
  if (c.link !== -2 && t.link[i] !== c.link) return false;
  if (c.text) {
    const x = c.text;
    if (
      !has(x.recipients, t.recipient[i] as number) &&
      !has(x.links, t.link[i] as number) &&
      !has(x.clients, t.client[i] as number) &&
      !has(x.agents, t.agent[i] as number) &&
      !has(x.labels, t.label[i] as number)
    ) {
      return false;
    }
  }
  return true;
}

export function passes(c: CompiledFilter, t: EventTable, i: number): boolean {
  return c.kindVisible[t.kind[i] as number] === 1 && passesExceptKind(c, t, i);
}
