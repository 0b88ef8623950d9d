// Fetches a query window by window into a result store, turning failures into holes.

import type { Np6Client } from '../np6/client';
import type { EventQuery } from '../np6/query';
import type { Completeness, MissingWindow } from './result';
import type { ResultStore } from './resultStore';

export interface WindowedFetchProgress {
  /** 1-based number of the window being fetched ("window k of n"). */
  window: number;
  /** Windows planned so far (grows when a window is split). */
  windows: number;
  /** Events kept in the store so far (after de-duplication). */
  events: number;
  /** Response bytes received so far. */
  bytes: number;
}

export interface WindowedFetchOptions {
  client: Np6Client;
  query: EventQuery;
  store: ResultStore;
  /** Initial window length in ms; adapted as responses arrive. Default: from the range size. */
  windowMs?: number;
  /** Resume: fetch only these windows (usually the previous result's `missing`). */
  only?: MissingWindow[];
  signal?: AbortSignal;
  onProgress?: (p: WindowedFetchProgress) => void;
}

/**
 * Fetches every window of `o.query` (or only `o.only`) serially into `o.store`.
 * Never throws for API errors: a window that still fails after the client's retries becomes a
 * hole in `Completeness.missing`; cancellation gives `cancelled: true` with the rest listed missing.
 * Throws only for programmer errors (invalid query, closed store).
 */
export function windowedFetch(o: WindowedFetchOptions): Promise<Completeness> {
  void o;
  return Promise.reject(new Error('windowedFetch: not implemented yet'));
}
