// What the panel's header and tab say about a result: the query in data the webview formats itself,
// the counts, and whether it is still loading, complete or partial (and why).

import { describeCompleteness, whyIncomplete, type ResultSummary } from '../result';
import { importedSource } from './importedSource';
import type { ResultInfo } from '../../shared/protocol';

/** The part of a ResultStore this needs (kept structural so it is testable with any store). */
export interface StoreView {
  readonly summary: ResultSummary;
  readonly index: { readonly length: number };
  /** True once the result's files are gone (ResultStore.isRemoved). */
  readonly isRemoved?: boolean;
}

/**
 * `live`: the fetch is still running (the host clears it once the store's summary is finished).
 * `itemNames`: names of the campaign's items from the settings, by id (outside text: the webview
 * shows it as text only).
 */
export function resultInfo(store: StoreView, live: boolean, itemNames?: Record<string, string>): ResultInfo {
  const s = store.summary;
  const q = s.query;
  const done = !live;
  return {
    resultId: s.id,
    campaignLabel: s.campaignLabel,
    campaignId: q.campaignId,
    endpoint: q.endpoint,
    items: q.itemsEvents.flatMap((c) => (c.items ?? []).map(String)),
    types: q.itemsEvents
      .flatMap((c) =>
        c.events.map((e) => (e.subtypes?.length ? `${e.type} (${e.subtypes.join('/')})` : e.type)),
      )
      .join(', '),
    start: q.start,
    end: q.end,
    count: store.index.length,
    bytes: s.bytes,
    live: !done,
    complete: done && s.complete,
    completeness: done ? describeCompleteness(s) : 'loading',
    missingWindows: s.missing.length,
    whyPartial: done && !s.complete ? whyIncomplete(s) : undefined,
    errorMessage: done ? s.error?.message : undefined,
    removed: store.isRemoved === true,
    ...(itemNames && Object.keys(itemNames).length ? { itemNames } : {}),
    ...(s.imported ? { source: importedSource(s), refetchable: s.imported.hasQuery } : {}),
  };
}

/** "2026-02-03 08:00" in `zone`: minutes are enough for a tab title (the header shows the exact range). */
function shortTime(ms: number | undefined, zone: string): string {
  if (ms === undefined) return '…';
  const p: Record<string, string> = {};
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  for (const x of f.formatToParts(ms)) p[x.type] = x.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The tab title, with the range in the display zone (`zone`: an IANA name, see resolveDisplayZone). */
export function panelTitle(store: StoreView, zone = 'UTC'): string {
  const q = store.summary.query;
  const range =
    q.start === undefined && q.end === undefined
      ? 'all events'
      : `${shortTime(q.start, zone)} → ${shortTime(q.end, zone)} ${zone}`;
  return `NP6: ${store.summary.campaignLabel} · ${range}`;
}
