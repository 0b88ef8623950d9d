// The CLI's default fetch: one request for the whole query, streamed into a result store.
// When the answer breaks after some events, those are kept and the part of the range that may
// lack events is reported as missing (so --resume can fetch it again).

import type { Np6Client, StreamProgress } from '../np6/client';
import { Np6HttpError, errorWithHint, isNp6Error, type Np6Error } from '../np6/errors';
import type { EventQuery } from '../np6/query';
import type { Completeness, MissingWindow } from '../core/result';
import type { ResultStore } from '../core/resultStore';

export function errorInfo(e: Np6Error): NonNullable<Completeness['error']> {
  return {
    kind: e.kind,
    message: errorWithHint(e),
    ...(e instanceof Np6HttpError ? { status: e.status } : {}),
    ...(e.requestId !== undefined ? { requestId: e.requestId } : {}),
  };
}

/**
 * The part of [start, end) not known to be whole after the answer broke. With a sort, the events
 * received cover everything on one side of the last timestamp seen (that timestamp itself is
 * included in the missing part, since events sharing it may not all have arrived); without a
 * sort, nothing is known and the whole range is missing.
 */
export function missingAfterBreak(
  q: EventQuery,
  lastTimestamp: number | undefined,
  fetchStartedAt: number,
  reason: string,
): MissingWindow {
  const start = q.start ?? 0;
  const end = q.end ?? fetchStartedAt;
  if (lastTimestamp === undefined || q.sort === 'none') return { start, end, reason };
  if (q.sort === 'asc') return { start: Math.max(start, lastTimestamp), end, reason };
  return { start, end: Math.min(end, lastTimestamp + 1), reason };
}

/**
 * Streams the query into `store`. Returns how it ended; throws the API error when it failed
 * before any event (nothing to keep), and any non-API error (a bug or local I/O failure).
 */
export async function singleFetch(
  client: Np6Client,
  q: EventQuery,
  store: ResultStore,
  signal: AbortSignal,
  onProgress: (p: StreamProgress & { events: number }) => void,
): Promise<Completeness> {
  const startedAt = Date.now();
  let received = 0;
  let lastTimestamp: number | undefined;
  let bytes = 0;
  try {
    for await (const r of client.streamRecords(q, {
      signal,
      onProgress: (p) => {
        bytes = p.bytes;
        onProgress({ ...p, events: store.index.length });
      },
    })) {
      received++;
      store.append(r);
      if (typeof r.event.timestamp === 'number') lastTimestamp = r.event.timestamp;
    }
    return { complete: true, missing: [] };
  } catch (e) {
    if (!isNp6Error(e)) throw e;
    if (received === 0 && e.kind !== 'cancelled') throw e;
    const info = errorInfo(e);
    const c: Completeness = {
      complete: false,
      error: info,
      missing: [missingAfterBreak(q, lastTimestamp, startedAt, info.message)],
    };
    if (e.kind === 'cancelled') c.cancelled = true;
    return c;
  } finally {
    store.addResponseBytes(bytes);
  }
}
