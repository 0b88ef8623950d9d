// Refresh and resume of a stored result, both through windowedFetch so they share its handling
// of holes, cancellation and de-duplication.
//
// Refresh: NP6 publishes some events late (integrations leave ~30 s before reading), so a result
// whose range reaches "now" re-reads only a trailing settle window before the instant it was last
// fetched up to, plus what came after it. The store de-duplicates by id; the events it accepted
// are appended after the old ones, so "new since the previous view" is the index range returned.

import type { Np6Client } from '../np6/client';
import type { Completeness, MissingWindow } from './result';
import type { ResultStore } from './resultStore';
import { windowedFetch, type WindowedFetchProgress } from './windowedFetch';
import { MINUTE_MS, type TimeWindow } from './windowPlan';

/** Default settle window: generous against NP6's ~30 s of late publication. */
export const DEFAULT_SETTLE_MS = 30 * MINUTE_MS;

export interface RefreshOptions {
  client: Np6Client;
  /** A store open for writing (created, or opened again; not closed). */
  store: ResultStore;
  settleMs?: number;
  now?: number;
  signal?: AbortSignal;
  onProgress?: (p: WindowedFetchProgress) => void;
}

export interface RefreshResult {
  completeness: Completeness;
  /** The window re-read; undefined when there was nothing to re-read. */
  window?: TimeWindow;
  /** Events [newFrom, newTo) of the index arrived with this refresh (mark them as new). */
  newFrom: number;
  newTo: number;
}

/**
 * Whether a refresh can bring anything: the range reaches "now", i.e. has no end or ends within the
 * settle window before `now` (late events may still land there). A range that ended longer ago has
 * settled, and re-reading its tail brings nothing: asking the question again (Re-run) is what helps.
 */
export function reachesNow(store: ResultStore, now: number, settleMs = DEFAULT_SETTLE_MS): boolean {
  const end = store.summary.query.end;
  return end === undefined || end > now - settleMs;
}

/** `holes` with the parts covered by `w` removed. */
export function subtractWindow(holes: readonly MissingWindow[], w: TimeWindow): MissingWindow[] {
  const out: MissingWindow[] = [];
  for (const h of holes) {
    if (h.end <= w.start || h.start >= w.end) out.push(h);
    else {
      if (h.start < w.start) out.push({ ...h, end: w.start });
      if (h.end > w.end) out.push({ ...h, start: w.end });
    }
  }
  return out;
}

function combine(previous: readonly MissingWindow[], fetched: TimeWindow, c: Completeness): Completeness {
  const missing = [...subtractWindow(previous, fetched), ...c.missing].sort((a, b) => a.start - b.start);
  const out: Completeness = { complete: missing.length === 0 && !c.cancelled, missing };
  if (c.cancelled) out.cancelled = true;
  if (c.error && !out.complete) out.error = c.error;
  return out;
}

/**
 * Re-reads [fetchedUntil - settle, end-or-now) into the store, records the outcome in
 * summary.json and returns the index range of the events that were new.
 */
export async function refreshResult(o: RefreshOptions): Promise<RefreshResult> {
  const now = o.now ?? Date.now();
  const s = o.store.summary;
  const settle = o.settleMs ?? DEFAULT_SETTLE_MS;
  const before = o.store.index.length;
  const previous: Completeness = {
    complete: s.complete,
    missing: s.missing,
    ...(s.cancelled ? { cancelled: true } : {}),
    ...(s.error ? { error: s.error } : {}),
  };
  const until = s.fetchedUntil ?? s.startedAt;
  const start = Math.max(s.query.start ?? 0, until - settle);
  const end = Math.min(s.query.end ?? now, Math.max(now, start + 1));
  if (!(end > start)) return { completeness: previous, newFrom: before, newTo: before };
  const window = { start, end };
  await o.store.markInProgress([window]);
  const c = await windowedFetch({
    client: o.client,
    query: s.query,
    store: o.store,
    only: [{ ...window, reason: 'refresh' }],
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  const completeness = combine(previous.missing, window, c);
  await o.store.finish(completeness, { fetchedUntil: Math.min(end, now) });
  return { completeness, window, newFrom: before, newTo: o.store.index.length };
}

export interface ResumeOptions {
  client: Np6Client;
  store: ResultStore;
  signal?: AbortSignal;
  onProgress?: (p: WindowedFetchProgress) => void;
}

/** Fetches only the windows a result lists as missing, then records the new completeness. */
export async function resumeResult(o: ResumeOptions): Promise<Completeness> {
  const holes = o.store.summary.missing;
  if (holes.length === 0 && o.store.summary.complete) return { complete: true, missing: [] };
  await o.store.markInProgress();
  const c = await windowedFetch({
    client: o.client,
    query: o.store.summary.query,
    store: o.store,
    only: holes,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  await o.store.finish(c);
  return c;
}
