// What the panel's header and tab say about a result: the query in data the webview formats itself,
// the counts, and whether it is still loading, complete or partial (and why).

import { describeCompleteness, type ResultSummary } from '../result';
import type { ResultInfo } from '../../shared/protocol';

/** The part of a ResultStore this needs (kept structural so it is testable with any store). */
export interface StoreView {
  readonly summary: ResultSummary;
  readonly index: { readonly length: number };
}

/** `live`: the fetch is still running (the host clears it once the store's summary is finished). */
export function resultInfo(store: StoreView, live: boolean): ResultInfo {
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
    errorMessage: done ? s.error?.message : undefined,
  };
}

/** "2026-02-03 08:00": minutes are enough for a tab title (the header shows the exact range). */
function shortUtc(ms: number | undefined): string {
  return ms === undefined ? '…' : new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

export function panelTitle(store: StoreView): string {
  const q = store.summary.query;
  const range =
    q.start === undefined && q.end === undefined
      ? 'all events'
      : `${shortUtc(q.start)} → ${shortUtc(q.end)} UTC`;
  return `NP6: ${store.summary.campaignLabel} · ${range}`;
}
