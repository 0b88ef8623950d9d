// The NP6 events client: one POST per query, the response array streamed element by element.
//
// NP6 answers with one JSON array, without paging, that can hold millions of events. The body is
// read chunk by chunk and cut into elements as the bytes arrive (jsonArrayStream.ts), so memory
// stays around one event whatever the size, and the consumer sees events while the rest arrives.
// 429/503 and connection failures before any byte are retried (retry.ts); once an event has been
// yielded nothing is retried (it would repeat events), the error carries `eventsReceived` instead.

import type { Np6Event } from './events';
import {
  bodyExcerpt,
  Np6CancelledError,
  Np6Error,
  Np6MalformedStreamError,
  Np6NetworkError,
  Np6TimeoutError,
  httpError,
  isNp6Error,
  redactSecret,
} from './errors';
import { JsonArrayStreamError, JsonArrayStreamParser, type JsonArrayElement } from './jsonArrayStream';
import { requestBody, requestPath, type EventQuery } from './query';
import {
  abortableSleep,
  backoffDelayMs,
  isRetryableStatus,
  retryPolicy,
  serverDelayMs,
  type RetryPolicy,
} from './retry';

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

const DEFAULT_TIMEOUT_MS = 60000;
/** Error bodies are read only this far: enough for a message, bounded for huge HTML pages. */
const ERROR_BODY_LIMIT = 16 * 1024;
/** Progress is reported at most this often (plus once, exact, at the end). */
const PROGRESS_INTERVAL_MS = 100;
/**
 * Longest run of body reads without returning to the event loop. Reading a body that arrives faster
 * than it is parsed is a chain of promise continuations (reader.read(), async generators) that never
 * reaches timers or I/O, so a host sharing the thread stops answering: the VS Code extension host
 * stalled 200-350 ms at a time on a million-event answer. After each slice the loop waits for
 * setImmediate, which caps a stall at about the slice and costs nothing measurable in throughput.
 */
const READ_SLICE_MS = 8;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** How an attempt ended when it did not throw: `retry` set for a retryable failure. */
interface AttemptOutcome {
  retry?: { error: Np6Error; askedMs?: number };
}

/** A body read (fetch types body chunks loosely; they are Uint8Array). */
type ReadResult = { done: true; value?: undefined } | { done: false; value: Uint8Array };

/** Why the per-attempt AbortController fired. */
type AbortCause = 'user' | 'timeout' | undefined;

/** One HTTP attempt's plumbing: its abort controller, the user's signal and the idle timer. */
class Attempt {
  readonly controller = new AbortController();
  cause: AbortCause;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onUserAbort = (): void => this.abort('user');

  constructor(
    private readonly userSignal: AbortSignal | undefined,
    private readonly timeoutMs: number,
  ) {
    userSignal?.addEventListener('abort', this.onUserAbort, { once: true });
  }

  /** Starts (or restarts) the silence timer: headers, or the next chunk, must come before it fires. */
  arm(): void {
    this.disarm();
    this.timer = setTimeout(() => this.abort('timeout'), this.timeoutMs);
  }

  disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  abort(cause: Exclude<AbortCause, undefined>): void {
    if (this.cause) return;
    this.cause = cause;
    this.controller.abort();
  }

  dispose(): void {
    this.disarm();
    this.userSignal?.removeEventListener('abort', this.onUserAbort);
  }
}

function describeNetworkError(e: unknown): string {
  // fetch wraps the socket error: "TypeError: fetch failed" with cause {code: 'ECONNREFUSED'}.
  const parts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 4; depth++) {
    if (cur instanceof Error) {
      const code = (cur as { code?: unknown }).code;
      parts.push(typeof code === 'string' ? `${cur.message} (${code})` : cur.message);
      cur = (cur as { cause?: unknown }).cause;
    } else {
      parts.push(typeof cur === 'string' ? cur : 'unknown error');
      break;
    }
  }
  return parts.filter((p) => p && p !== 'fetch failed').join(': ') || 'connection failed';
}

export class Np6Client {
  private readonly url: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  // An ES private field: not enumerable, so JSON.stringify / util.inspect of a client (in a log, a
  // state snapshot, an error report) can never carry the key.
  readonly #apiKey: string;
  private readonly log: ((e: RequestLogEntry) => void) | undefined;

  constructor(o: Np6ClientOptions) {
    this.#apiKey = o.apiKey;
    this.log = o.log;
    this.url = o.baseUrl.trim().replace(/\/+$/, '');
    this.fetchImpl = o.fetch ?? globalThis.fetch;
    this.timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.policy = retryPolicy(o.retry);
    this.sleep = o.sleep ?? abortableSleep;
  }

  /** Events with their exact JSON text, yielded as the bytes arrive. */
  async *streamRecords(q: EventQuery, so: StreamOptions = {}): AsyncGenerator<EventRecord> {
    const path = requestPath(q);
    const body = JSON.stringify(requestBody(q));
    const { signal } = so;
    this.checkBaseUrl();
    let yielded = 0;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw this.cancelled(0);
      const outcome: AttemptOutcome = {};
      // The attempt hands over one batch per body chunk: one async step per chunk instead of two
      // per event (delegating with yield* costs a measurable share of the throughput).
      for await (const batch of this.attempt(path, body, attempt, so, outcome)) {
        for (const record of batch) {
          yield record;
          yielded++;
          if (signal?.aborted) throw this.cancelled(yielded);
        }
      }
      if (outcome.retry === undefined) return;
      // Only failures with nothing yielded come back here (see attempt()).
      const retries = attempt; // retries done after this one = attempt
      if (retries > this.policy.maxRetries) throw outcome.retry.error;
      const wait = backoffDelayMs(retries, this.policy, outcome.retry.askedMs);
      try {
        await this.sleep(wait, signal);
      } catch (e) {
        if (signal?.aborted) throw this.cancelled(0);
        throw e;
      }
      if (signal?.aborted) throw this.cancelled(0);
    }
  }

  /** The events alone. */
  async *streamEvents(q: EventQuery, o: StreamOptions = {}): AsyncGenerator<Np6Event> {
    for await (const r of this.streamRecords(q, o)) yield r.event;
  }

  /**
   * One HTTP attempt, yielding the events of each body chunk as a batch. Ends normally when the
   * array was read to its end, or with `outcome.retry` set for a retryable failure before any byte
   * of the body; throws every other failure.
   */
  private async *attempt(
    path: string,
    body: string,
    attempt: number,
    so: StreamOptions,
    outcome: AttemptOutcome,
  ): AsyncGenerator<EventRecord[]> {
    const t0 = performance.now();
    const a = new Attempt(so.signal, this.timeoutMs);
    let status: number | undefined;
    let requestId: string | undefined;
    let events = 0;
    let bytes = 0;
    let lastProgress = 0;
    let logged = false;
    let completed = false;
    const progress = (force: boolean): void => {
      if (!so.onProgress) return;
      const now = performance.now();
      if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      so.onProgress({ bytes, events, attempt });
    };
    const log = (error?: Np6Error | string): void => {
      if (logged) return;
      logged = true;
      this.log?.({
        method: 'POST',
        path,
        ...(status !== undefined ? { status } : {}),
        durationMs: Math.round(performance.now() - t0),
        events,
        bytes,
        ...(requestId !== undefined ? { requestId } : {}),
        attempt,
        ...(error !== undefined
          ? { error: this.redact(typeof error === 'string' ? error : error.message) }
          : {}),
      });
    };
    // Maps a failure of fetch() or of a body read to the right error kind.
    const failure = (e: unknown, during: string): Np6Error => {
      if (a.cause === 'user' || so.signal?.aborted) return this.cancelled(events, requestId);
      if (a.cause === 'timeout') {
        return new Np6TimeoutError(
          `NP6 sent nothing for ${Math.round(this.timeoutMs / 1000)} s ${during}` +
            `${events > 0 ? ` after ${events} events` : ''}${requestId ? ` (request id ${requestId})` : ''}.`,
          {
            eventsReceived: events,
            hint: 'Retry later, or narrow the date range so the answer starts sooner.',
            ...(requestId !== undefined ? { requestId } : {}),
          },
        );
      }
      if (isNp6Error(e)) return e;
      const cut = bytes > 0;
      return new Np6NetworkError(
        this.redact(
          `${cut ? `The connection broke after ${events} events (${bytes} bytes)` : `Could not reach NP6 at ${this.url}`}: ` +
            `${describeNetworkError(e)}${requestId ? ` (request id ${requestId})` : ''}.`,
        ),
        {
          eventsReceived: events,
          hint: cut
            ? 'The events received are kept; run the query again for the rest.'
            : 'Check the base URL and the network connection, then retry.',
          ...(requestId !== undefined ? { requestId } : {}),
        },
      );
    };

    try {
      let res: Response;
      try {
        a.arm();
        res = await this.fetchImpl(`${this.url}${path}`, {
          method: 'POST',
          headers: {
            'X-Key': this.#apiKey,
            'Content-Type': 'application/json',
            Accept: 'application/json',
          },
          body,
          signal: a.controller.signal,
        });
      } catch (e) {
        const err = failure(e, 'before answering');
        log(err);
        if (err instanceof Np6NetworkError) {
          outcome.retry = { error: err };
          return;
        }
        throw err;
      } finally {
        a.disarm();
      }
      status = res.status;
      requestId = res.headers.get('x-request-id') ?? undefined;

      if (!res.ok) {
        const text = await this.readErrorBody(res, a).catch(() => '');
        if (so.signal?.aborted) throw this.cancelled(0, requestId);
        const askedMs = serverDelayMs(res.headers);
        const err = httpError({
          status: res.status,
          statusText: res.statusText,
          body: this.redact(text),
          contentType: res.headers.get('content-type') ?? '',
          attempts: attempt,
          ...(requestId !== undefined ? { requestId } : {}),
          ...(askedMs !== undefined ? { retryAfterMs: askedMs } : {}),
        });
        log(err);
        if (isRetryableStatus(res.status)) {
          outcome.retry = { error: err, ...(askedMs !== undefined ? { askedMs } : {}) };
          return;
        }
        throw err;
      }

      const parser = new JsonArrayStreamParser();
      const reader = res.body?.getReader();
      let sliceStart = performance.now();
      while (reader) {
        if (performance.now() - sliceStart > READ_SLICE_MS) {
          await yieldToEventLoop();
          sliceStart = performance.now();
        }
        let chunk: ReadResult;
        try {
          a.arm();
          chunk = (await reader.read()) as ReadResult;
        } catch (e) {
          const err = failure(e, bytes > 0 ? 'between two parts of the answer' : 'after the headers');
          log(err);
          if (err instanceof Np6NetworkError && bytes === 0) {
            outcome.retry = { error: err };
            return;
          }
          throw err;
        } finally {
          a.disarm();
        }
        if (chunk.done) break;
        bytes += chunk.value.byteLength;
        // On malformed input the elements completed before the problem are still handed over.
        const elements: JsonArrayElement[] = [];
        let broken: unknown;
        try {
          parser.push(chunk.value, elements);
        } catch (e) {
          broken = e;
        }
        const batch: EventRecord[] = [];
        for (const el of elements) {
          const v = el.value;
          // Only objects are events; anything else in the array is not something we can show.
          if (v === null || typeof v !== 'object' || Array.isArray(v)) continue;
          batch.push({ event: v as Np6Event, json: el.text });
        }
        if (batch.length > 0) {
          // Counted before the hand-over: the attempt only resumes once the whole batch was taken.
          events += batch.length;
          yield batch;
          if (so.signal?.aborted) throw this.cancelled(events, requestId);
        }
        if (broken !== undefined) {
          const head = bytes === chunk.value.byteLength ? chunk.value : undefined;
          throw this.malformed(broken, events, requestId, head, res.headers.get('content-type') ?? '');
        }
        progress(false);
      }
      try {
        parser.end();
      } catch (e) {
        throw this.malformed(e, events, requestId);
      }
      completed = true;
      progress(true);
      log();
    } catch (e) {
      const err = e instanceof Np6Error ? e : failure(e, 'while reading the answer');
      progress(true);
      log(err);
      throw err;
    } finally {
      // A consumer that stopped early (return() on the generator) lands here without an error.
      if (!logged) log(so.signal?.aborted ? 'cancelled' : 'stopped by the consumer before the end');
      // Anything but a complete read: stop the download and free the connection.
      if (!completed) a.controller.abort();
      a.dispose();
    }
  }

  /** A base URL fetch cannot use fails at once, without retries, saying what to fix. */
  private checkBaseUrl(): void {
    const protocol = URL.canParse(this.url) ? new URL(this.url).protocol : '';
    if (protocol !== 'https:' && protocol !== 'http:') {
      throw new Np6NetworkError(this.redact(`The NP6 base URL "${this.url}" is not an http(s) URL.`), {
        hint: 'Set the base URL to the NP6 API address, e.g. https://api-cm.np6.com.',
      });
    }
  }

  /** Reads at most ERROR_BODY_LIMIT bytes of an error body, under the same silence timeout. */
  private async readErrorBody(res: Response, a: Attempt): Promise<string> {
    const reader = res.body?.getReader();
    if (!reader) return '';
    const parts: Uint8Array[] = [];
    let size = 0;
    try {
      while (size < ERROR_BODY_LIMIT) {
        a.arm();
        const r = (await reader.read()) as ReadResult;
        a.disarm();
        if (r.done) break;
        parts.push(r.value);
        size += r.value.byteLength;
      }
    } finally {
      a.disarm();
      await reader.cancel().catch(() => undefined);
    }
    const all = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.byteLength;
    }
    return new TextDecoder().decode(all.subarray(0, Math.min(size, ERROR_BODY_LIMIT)));
  }

  /**
   * The error for a body that is not the expected array. `head` (the first chunk) is quoted when
   * the body was not an array at all: a proxy's page or an error object says more than an offset.
   */
  private malformed(
    e: unknown,
    events: number,
    requestId?: string,
    head?: Uint8Array,
    contentType = '',
  ): Np6Error {
    if (!(e instanceof JsonArrayStreamError)) {
      return e instanceof Np6Error ? e : new Np6NetworkError(String(e));
    }
    const rid = requestId ? ` (request id ${requestId})` : '';
    const excerpt =
      head && e.elementsComplete === 0 && e.byteOffset < head.byteLength
        ? bodyExcerpt(new TextDecoder().decode(head.subarray(0, 2048)), contentType)
        : '';
    const said = excerpt ? ` It says: ${excerpt}` : '';
    return new Np6MalformedStreamError(
      this.redact(`NP6 sent a malformed answer${rid}: ${e.message}${said}`),
      {
        eventsReceived: events,
        byteOffset: e.byteOffset,
        hint:
          events > 0
            ? `The ${events} events before the problem are kept; run the query again, and if it persists give the request id to NP6 support.`
            : 'Run the query again; if it persists, check the base URL (it must be the NP6 API) or give the request id to NP6 support.',
        ...(requestId !== undefined ? { requestId } : {}),
      },
    );
  }

  private cancelled(events: number, requestId?: string): Np6CancelledError {
    return new Np6CancelledError(
      events > 0 ? `The query was cancelled after ${events} events.` : 'The query was cancelled.',
      { eventsReceived: events, ...(requestId !== undefined ? { requestId } : {}) },
    );
  }

  private redact(text: string): string {
    return redactSecret(text, this.#apiKey);
  }
}
