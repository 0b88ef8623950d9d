// Fetches a query window by window into a result store, turning failures into holes.
//
// Windows run one after another (NP6 rate limits are undisclosed), each sorted ascending so that
// the events received so far always cover [window start, last timestamp): a window that grows too
// large, times out or is cancelled can be cut exactly there, with no buffering. Events go to the
// store as they stream; the store de-duplicates by id, which absorbs the overlap at a cut (events
// sharing the last timestamp are asked for again).

import { Np6CancelledError, Np6HttpError, errorWithHint, isNp6Error, type Np6Error } from '../np6/errors';
import type { Np6Client } from '../np6/client';
import { Np6RedirectError } from '../np6/redirect';
import { validateQuery, type EventQuery } from '../np6/query';
import type { Completeness, MissingWindow } from './result';
import type { ResultStore } from './resultStore';
import {
  DEFAULT_WINDOW_POLICY,
  estimateWindowsLeft,
  GrowingTotal,
  initialWindowMs,
  nextWindowMs,
  splitWindow,
  type CoverageSoFar,
  type TimeWindow,
  type WindowPolicy,
} from './windowPlan';

export interface WindowedFetchProgress {
  /** 1-based number of the window being fetched ("window k of n"). */
  window: number;
  /**
   * About how many windows the fetch takes in all ("window 21 of about 31"): an estimate from
   * the event rate seen so far that only ever grows (it starts low and rises as needed).
   */
  windows: number;
  /** Events kept in the store so far (after de-duplication). */
  events: number;
  /** Response bytes received so far. */
  bytes: number;
  /**
   * The share of the asked time range gone through (0 to 1): the windows done (or given up: a
   * failed window is a hole, listed missing) and, in the one in flight, up to its last timestamp
   * so far (windows are sorted ascending). Undefined when the range has no start (one request:
   * nothing to measure it by).
   */
  done?: number;
}

export interface WindowedFetchOptions {
  client: Np6Client;
  query: EventQuery;
  store: ResultStore;
  /** Initial window length in ms; adapted as responses arrive. Default: one day. */
  windowMs?: number;
  /** Resume: fetch only these windows (usually the previous result's `missing`). */
  only?: MissingWindow[];
  signal?: AbortSignal;
  onProgress?: (p: WindowedFetchProgress) => void;
  /** Window sizing limits (tests and the benchmark tune them). */
  policy?: Partial<WindowPolicy>;
  /** The end used for a query with a start but no end. Default: now. */
  now?: number;
}

/** HTTP statuses that every other window would get too: stop instead of asking again. */
const FATAL_STATUSES = new Set([400, 401, 403, 404, 405, 411, 413, 415]);
/** After this many windows in a row failed, the rest are listed missing without being tried. */
const MAX_CONSECUTIVE_FAILURES = 3;
/** A window that keeps timing out is halved this many times before it becomes a hole. */
const MAX_TIMEOUT_SPLITS = 2;

/** A stretch of time to cover; `bounded: false` for a query with no start (one request, no split). */
interface Span {
  start?: number;
  end?: number;
}

function errorInfo(e: Np6Error): NonNullable<Completeness['error']> {
  return {
    kind: e.kind,
    message: errorWithHint(e),
    ...(e instanceof Np6HttpError ? { status: e.status } : {}),
    ...(e.requestId !== undefined ? { requestId: e.requestId } : {}),
  };
}

/** The spans a fetch covers: the resume list, or the query's range (now as end when it has none). */
export function fetchSpans(q: EventQuery, only: MissingWindow[] | undefined, now: number): Span[] {
  if (only) {
    // A hole of a query without start was recorded from 0: ask it again without start, in one
    // request, rather than in windows from 1970.
    return only.map((w) =>
      q.start === undefined && w.start <= 0 ? { end: w.end } : { start: w.start, end: w.end },
    );
  }
  if (q.start === undefined) return [{ end: q.end }];
  return [{ start: q.start, end: q.end ?? Math.max(now, q.start + 1) }];
}

/**
 * Fetches every window of `o.query` (or only `o.only`) serially into `o.store`.
 * Never throws for API errors: a window that still fails after the client's retries becomes a
 * hole in `Completeness.missing`; cancellation gives `cancelled: true` with the rest listed missing.
 * Throws only for programmer errors (invalid query or options) and local I/O errors of the store.
 * The caller records the outcome with `store.finish(completeness)`.
 */
export async function windowedFetch(o: WindowedFetchOptions): Promise<Completeness> {
  const problems = validateQuery(o.query);
  if (problems.length > 0) {
    throw new Error(`windowedFetch: invalid query: ${problems.map((p) => p.message).join(' ')}`);
  }
  const policy: WindowPolicy = { ...DEFAULT_WINDOW_POLICY, ...o.policy };
  const now = o.now ?? Date.now();
  const spans = fetchSpans(o.query, o.only, now);
  for (const s of spans) {
    if (s.start !== undefined && s.end !== undefined && !(s.end > s.start)) {
      throw new Error(`windowedFetch: window ${s.start}..${s.end} is empty or reversed.`);
    }
  }

  if (!o.only) o.store.noteFetchedUntil(Math.min(o.query.end ?? now, now));
  const missing: MissingWindow[] = [];
  let lastError: Completeness['error'];
  let cancelled = false;
  let stopReason: string | undefined;
  let consecutiveFailures = 0;
  let windowNo = 0;
  let bytesDone = 0;
  const firstBounded = spans.find((s) => s.start !== undefined) as Required<Span> | undefined;
  let size = firstBounded ? initialWindowMs(firstBounded, o.windowMs, policy) : 0;

  // The progress total: windows done plus an estimate of those left, which only grows.
  const seen: CoverageSoFar = { coveredMs: 0, events: 0 };
  const total = new GrowingTotal();
  /** `inFlight`: window `windowNo` is still being fetched (its span from `cursor` is not done). */
  const estimateTotal = (spanIndex: number, cursor: number, inFlight: boolean): number => {
    let left = 0;
    for (let k = spanIndex; k < spans.length; k++) {
      const s = spans[k]!;
      if (s.start === undefined) left += k === spanIndex ? (inFlight ? 1 : 0) : 1;
      else left += estimateWindowsLeft(s.end! - (k === spanIndex ? cursor : s.start), seen, policy);
    }
    return total.update((inFlight ? windowNo - 1 : windowNo) + left, windowNo);
  };
  // The share of the range done: every span bounded, else unknown.
  const totalMs = spans.every((s) => s.start !== undefined && s.end !== undefined)
    ? spans.reduce((sum, s) => sum + (s.end! - s.start!), 0)
    : 0;
  /** `reached`: where the events in the store reach in span `spanIndex` (at least its cursor). */
  const doneShare = (spanIndex: number, reached: number): number | undefined => {
    if (!(totalMs > 0)) return undefined;
    let ms = 0;
    for (let k = 0; k < spanIndex; k++) ms += spans[k]!.end! - spans[k]!.start!;
    const s = spans[spanIndex];
    if (s) ms += Math.min(Math.max(reached, s.start!), s.end!) - s.start!;
    return Math.min(1, Math.max(0, ms / totalMs));
  };
  const report = (
    bytesNow: number,
    spanIndex: number,
    cursor: number,
    inFlight: boolean,
    reached = cursor,
  ): void => {
    if (!o.onProgress) return;
    const done = doneShare(spanIndex, Math.max(cursor, reached));
    o.onProgress({
      window: windowNo,
      windows: estimateTotal(spanIndex, cursor, inFlight),
      events: o.store.index.length,
      bytes: bytesDone + bytesNow,
      ...(done !== undefined ? { done } : {}),
    });
  };

  for (let si = 0; si < spans.length; si++) {
    const span = spans[si]!;
    const bounded = span.start !== undefined && span.end !== undefined;
    let cursor = span.start ?? 0;
    let timeoutSplits = 0;
    let attempted = false;
    while (bounded ? cursor < span.end! : cursor === (span.start ?? 0)) {
      if (stopReason !== undefined || o.signal?.aborted) {
        if (o.signal?.aborted) cancelled = true;
        break;
      }
      const win: TimeWindow | undefined = bounded
        ? { start: cursor, end: Math.min(span.end!, cursor + size) }
        : undefined;
      windowNo++;
      attempted = true;
      const out = await fetchWindow(
        o,
        win
          ? { ...o.query, start: win.start, end: win.end }
          : { ...o.query, start: undefined, end: span.end },
        policy,
        bounded,
        (b, lastTs) => report(b, si, cursor, true, lastTs),
      );
      bytesDone += out.bytes;
      o.store.addResponseBytes(out.bytes);
      const winStart = win?.start ?? span.start ?? 0;
      const winEnd = win?.end ?? span.end ?? now;
      // Where the events received so far reach: everything before it is in the store.
      const reached = out.cutAt ?? (out.error ? winStart : winEnd);

      if (bounded && reached > winStart) {
        seen.coveredMs += reached - winStart;
        seen.events += out.events;
      }
      if (!out.error) {
        consecutiveFailures = 0;
        timeoutSplits = 0;
        if (!bounded) break;
        if (reached > winStart) size = nextWindowMs(reached - winStart, out.events, policy);
        cursor = reached;
        report(0, si, cursor, false);
        continue;
      }

      const e = out.error;
      if (e instanceof Np6CancelledError || o.signal?.aborted) {
        cancelled = true;
        lastError = { kind: 'cancelled', message: 'Cancelled by the user.' };
        cursor = reached > winStart ? reached : winStart;
        missing.push({
          start: cursor,
          end: bounded ? span.end! : winEnd,
          reason: 'Cancelled before this window was fetched.',
        });
        cursor = bounded ? span.end! : cursor;
        break;
      }
      lastError = errorInfo(e);
      const halves =
        bounded && e.kind === 'timeout' && timeoutSplits < MAX_TIMEOUT_SPLITS
          ? splitWindow({ start: reached, end: winEnd }, policy)
          : undefined;
      if (halves) {
        // Slow, not broken: ask for the rest in halves.
        timeoutSplits++;
        cursor = reached;
        size = halves[0].end - halves[0].start;
        continue;
      }
      consecutiveFailures++;
      missing.push({ start: reached, end: winEnd, reason: errorWithHint(e) });
      if (e instanceof Np6RedirectError || e.kind === 'invalid') {
        // A redirect (the key is never followed there) or a refused query: every window gets it.
        stopReason = `Not fetched: an earlier window failed (${e.message}), which every window would get.`;
      } else if (e instanceof Np6HttpError && FATAL_STATUSES.has(e.status)) {
        stopReason = `Not fetched: an earlier window failed with HTTP ${e.status}, which every window would get.`;
      } else if (consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
        stopReason = `Not fetched: the ${MAX_CONSECUTIVE_FAILURES} windows before failed in a row (${e.message}).`;
      }
      timeoutSplits = 0;
      if (!bounded) break;
      cursor = winEnd;
    }
    if (bounded && cursor < span.end! && (cancelled || stopReason !== undefined)) {
      missing.push({
        start: cursor,
        end: span.end!,
        reason: cancelled ? 'Cancelled before this window was fetched.' : stopReason!,
      });
    } else if (!bounded && !attempted && (cancelled || stopReason !== undefined)) {
      missing.push({
        start: 0,
        end: span.end ?? now,
        reason: cancelled ? 'Cancelled before this window was fetched.' : stopReason!,
      });
    }
    if (cancelled || stopReason !== undefined) {
      for (const rest of spans.slice(si + 1)) {
        missing.push({
          start: rest.start ?? 0,
          end: rest.end ?? now,
          reason: cancelled ? 'Cancelled before this window was fetched.' : stopReason!,
        });
      }
      break;
    }
  }

  if (cancelled) lastError = { kind: 'cancelled', message: 'Cancelled by the user.' };
  const result: Completeness = { complete: missing.length === 0 && !cancelled, missing };
  if (cancelled) result.cancelled = true;
  if (lastError && !result.complete) result.error = lastError;
  return result;
}

interface WindowOutcome {
  events: number;
  bytes: number;
  /** Set when the window stopped early: events before this instant are all stored. */
  cutAt?: number;
  error?: Np6Error;
}

/**
 * Streams one window into the store. Cuts it at the last timestamp when it passes
 * `policy.maxEvents` (and timestamps are ascending, so the cut is exact); reports an API error in
 * the outcome (with where the events reached) instead of throwing.
 */
async function fetchWindow(
  o: WindowedFetchOptions,
  q: EventQuery,
  policy: WindowPolicy,
  splittable: boolean,
  /** Bytes so far, and the last timestamp of an ascending answer so far (else undefined). */
  progress: (bytes: number, lastTs: number | undefined) => void,
): Promise<WindowOutcome> {
  const sub: EventQuery = { ...q, sort: 'asc' };
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  o.signal?.addEventListener('abort', onAbort);
  let events = 0;
  let bytes = 0;
  let lastTs = q.start ?? -Infinity;
  let ascending = true;
  let firstTs: number | undefined;
  try {
    for await (const r of o.client.streamRecords(sub, {
      signal: controller.signal,
      onProgress: (p) => {
        bytes = p.bytes;
        progress(bytes, ascending && Number.isFinite(lastTs) ? lastTs : undefined);
      },
    })) {
      o.store.append(r);
      events++;
      const ts = r.event.timestamp;
      if (typeof ts === 'number' && Number.isFinite(ts)) {
        if (ts < lastTs) ascending = false;
        else lastTs = ts;
        firstTs ??= ts;
      }
      if (
        splittable &&
        ascending &&
        events >= policy.maxEvents &&
        firstTs !== undefined &&
        lastTs > (q.start ?? -Infinity)
      ) {
        // Too large for one window: stop here; the rest (from the last timestamp, which may hold
        // more events) is fetched as the next window.
        return { events, bytes, cutAt: lastTs };
      }
    }
    return { events, bytes };
  } catch (e) {
    if (!isNp6Error(e)) throw e;
    const reached =
      splittable && ascending && events > 0 && lastTs > (q.start ?? -Infinity) ? lastTs : undefined;
    return { events, bytes, error: e, ...(reached !== undefined ? { cutAt: reached } : {}) };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    controller.abort();
  }
}
