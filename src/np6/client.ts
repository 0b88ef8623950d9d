// The NP6 events client: one POST per query, the response array streamed element by element.
// (Interface first so other parts can code against it; the implementation follows.)

import type { Np6Event } from './events';
import type { EventQuery } from './query';
import type { RetryPolicy } from './retry';

/** One HTTP attempt, for the output channel / CLI verbose log. Never holds the key. */
export interface RequestLogEntry {
  method: 'POST';
  /** Path and query string, never the key. */
  path: string;
  status?: number;
  durationMs: number;
  events: number;
  bytes: number;
  requestId?: string;
  attempt: number;
  error?: string;
}

export interface Np6ClientOptions {
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
  /** Time to the response headers, and the longest silence between body chunks. Default 60000. */
  timeoutMs?: number;
  /** Default {maxRetries: 4, baseDelayMs: 500, maxDelayMs: 30000}. */
  retry?: Partial<RetryPolicy>;
  log?: (e: RequestLogEntry) => void;
  /** Injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface StreamProgress {
  bytes: number;
  events: number;
  attempt: number;
}

export interface StreamOptions {
  signal?: AbortSignal;
  onProgress?: (p: StreamProgress) => void;
}

export interface EventRecord {
  event: Np6Event;
  /** The element's exact JSON text, on ONE line (raw newlines, which can only be whitespace, replaced by spaces). */
  json: string;
}

export class Np6Client {
  constructor(private readonly o: Np6ClientOptions) {}

  // eslint-disable-next-line require-yield
  async *streamRecords(q: EventQuery, o: StreamOptions = {}): AsyncGenerator<EventRecord> {
    void q;
    void o;
    void this.o;
    throw new Error('Np6Client.streamRecords: not implemented yet');
  }

  async *streamEvents(q: EventQuery, o: StreamOptions = {}): AsyncGenerator<Np6Event> {
    for await (const r of this.streamRecords(q, o)) yield r.event;
  }
}
