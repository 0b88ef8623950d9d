// The NP6 events client: one POST per query, the response array streamed element by element.
//
// NP6 answers with one JSON array, without paging, that can hold millions of events. The body is
// read chunk by chunk and cut into elements as the bytes arrive (jsonArrayStream.ts), so memory
// stays around one event whatever the size, and the consumer sees events while the rest arrives.
// The request goes through node:http(s) (nodeFetch.ts: a standard Response, a sixth less CPU than
// the global fetch on a large answer), or through the `fetch` a caller passes.
// 429/503 and connection failures before any byte are retried (retry.ts); once an event has been
// yielded nothing is retried (it would repeat events), the error carries `eventsReceived` instead.
//
// What a server cannot do through it: receive the key at another address (redirects are never
// followed, redirect.ts), get the key shown or logged (everything it sends is scrubbed of the key
// in every encoding, secrets.ts; request ids are sanitised), or hold a query or memory for ever
// (idle timeout, per-attempt deadline, minimum throughput in attemptClock.ts; element size in
// jsonArrayStream.ts; error bodies bounded in errorBody.ts).

import { AttemptClock } from './attemptClock';
import { checkBaseUrl } from './baseUrl';
import { ERROR_BODY_MAX_MS, readErrorBody } from './errorBody';
import { EventLoopSlice } from './eventLoopSlice';
import { nodeFetch, type NodeFetchInit } from './nodeFetch';
import type { Np6Event } from './events';
import {
  bodyExcerpt,
  Np6CancelledError,
  Np6Error,
  Np6HttpError,
  Np6MalformedStreamError,
  Np6NetworkError,
  Np6TimeoutError,
  httpError,
  isNp6Error,
} from './errors';
import {
  DEFAULT_MAX_ELEMENT_BYTES,
  JsonArrayStreamError,
  JsonArrayStreamParser,
  formatBytes,
  type JsonArrayElement,
} from './jsonArrayStream';
import { clampTimeoutMs, nonNegativeOr } from './limits';
import { requestBody, requestPath, type EventQuery } from './query';
import { followedRedirectError, isRedirect, redirectError } from './redirect';
import {
  abortableSleep,
  backoffDelayMs,
  isRetryableStatus,
  retryPolicy,
  serverDelayMs,
  type RetryPolicy,
} from './retry';
import { sanitizeRequestId, scrubCutTail, scrubSecret } from './secrets';
import { count } from '../shared/counts';

/** "The event received is kept" / "The 1,024 events received are kept". */
function received(events: number): string {
  return events === 1 ? 'The event received is kept' : `The ${count(events, 'event')} received are kept`;
}

export { MAX_TIMER_MS, checkTimeoutMs } from './limits';
export { Np6RedirectError } from './redirect';

/** One HTTP attempt, for the output channel / CLI verbose log. Never holds the key. */
export interface RequestLogEntry {
  method: 'POST';
  /** Path and query string, never the key. */
  path: string;
  status?: number;
  durationMs: number;
  events: number;
  bytes: number;
  /** Sanitised: 1-128 safe characters, or "(invalid request id)". */
  requestId?: string;
  attempt: number;
  /** Scrubbed of the key. */
  error?: string;
}

export interface Np6ClientOptions {
  /** Checked by checkBaseUrl (baseUrl.ts): a refused one fails each query at once, without a request. */
  baseUrl: string;
  apiKey: string;
  /** Default: node:http(s) through nodeFetch.ts (the global fetch is slower on large answers). */
  fetch?: typeof fetch;
  /** Time to the response headers, and the longest silence between body chunks. Default 60000. */
  timeoutMs?: number;
  /** The longest time one attempt may spend waiting for NP6, headers and body. Default 30 min. */
  deadlineMs?: number;
  /** The slowest average body throughput accepted after `throughputGraceMs`. Default 1024 B/s; 0 = none. */
  minBytesPerSecond?: number;
  /** How long the body may flow before the throughput is checked. Default 30000. */
  throughputGraceMs?: number;
  /** The largest array element (event) accepted. Default 16 MiB. */
  maxElementBytes?: number;
  /** The longest time spent reading an error body (capped by timeoutMs). Default 5000. */
  errorBodyTimeoutMs?: number;
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
  /**
   * The UTF-8 bytes of `json` exactly, when the producer has them at hand (the client's parser
   * does): a store writes these instead of encoding `json` again.
   */
  bytes?: Uint8Array;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_DEADLINE_MS = 30 * 60_000;
export const DEFAULT_MIN_BYTES_PER_SECOND = 1024;
export const DEFAULT_THROUGHPUT_GRACE_MS = 30_000;
export { DEFAULT_MAX_ELEMENT_BYTES };
/** How much of a first chunk that is not an array is quoted in the error (before the 300-char excerpt). */
const HEAD_QUOTE_BYTES = 2048;
/** Progress is reported at most this often (plus once, exact, at the end). */
const PROGRESS_INTERVAL_MS = 100;
// Body reads hand the event loop back every slice (EventLoopSlice, SLICE_MS = 8 ms). Reading a body
// that arrives faster than it is parsed is a chain of promise continuations (reader.read(), async
// generators) that never reaches timers or I/O, so a host sharing the thread stops answering: the
// VS Code extension host stalled 200-350 ms at a time on a million-event answer.

/** How an attempt ended when it did not throw: `retry` set for a retryable failure. */
interface AttemptOutcome {
  retry?: { error: Np6Error; askedMs?: number };
}

/** What one attempt learnt so far, for its messages and log entry. */
interface AttemptState {
  events: number;
  bytes: number;
  status?: number;
  /** Sanitised (sanitizeRequestId) after the key was scrubbed from it. */
  requestId?: string;
  fetchError?: unknown;
}

/** A body read (fetch types body chunks loosely; they are Uint8Array). */
type ReadResult = { done: true; value?: undefined } | { done: false; value: Uint8Array };

/** "90 s", "30 min": a duration for messages. */
function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 120 ? `${Math.round(s / 60)} min` : `${s} s`;
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

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * The records of a stream of batches, one per next(), as an async generator would yield them: the
 * stream is lazy (nothing runs before the first next()), a consumer that stops (return(), `break`)
 * closes the batches (the attempt's clean-up runs: connection closed, log written), and once the
 * signal is aborted the next call after a record was handed over fails with the cancel error that
 * counts the records handed over, after closing the batches.
 */
class RecordIterator implements AsyncIterableIterator<EventRecord> {
  private batch: EventRecord[] = [];
  private at = 0;
  private handed = 0;
  private finished = false;
  /** A batch being fetched: calls made meanwhile wait for it, in order. */
  private waiting: Promise<unknown> | undefined;

  constructor(
    private readonly batches: AsyncGenerator<EventRecord[]>,
    private readonly aborted: () => boolean,
    private readonly cancelled: (handed: number) => Error,
  ) {}

  [Symbol.asyncIterator](): AsyncIterableIterator<EventRecord> {
    return this;
  }

  next(): Promise<IteratorResult<EventRecord>> {
    if (this.waiting) {
      return this.waiting.then(
        () => this.next(),
        () => this.next(),
      );
    }
    if (this.finished) return Promise.resolve(DONE);
    if (this.handed > 0 && this.aborted()) {
      return this.close().then(() => Promise.reject(this.cancelled(this.handed)));
    }
    const record = this.batch[this.at];
    if (record !== undefined) {
      this.at++;
      this.handed++;
      return Promise.resolve({ done: false, value: record });
    }
    const fetched = this.batches.next().then(
      (r): Promise<IteratorResult<EventRecord>> | IteratorResult<EventRecord> => {
        this.waiting = undefined;
        if (r.done === true) {
          this.finished = true;
          return DONE;
        }
        this.batch = r.value;
        this.at = 0;
        return this.next();
      },
      (e: unknown) => {
        this.waiting = undefined;
        this.finished = true;
        throw e;
      },
    );
    this.waiting = fetched;
    return fetched;
  }

  async return(value?: unknown): Promise<IteratorResult<EventRecord>> {
    await this.close();
    return { done: true, value };
  }

  async throw(e?: unknown): Promise<IteratorResult<EventRecord>> {
    await this.close();
    throw e;
  }

  private async close(): Promise<void> {
    this.finished = true;
    this.batch = [];
    await this.batches.return(undefined);
  }
}

export class Np6Client {
  /** The checked base URL, or why it was refused (reported by each query, before any request). */
  private readonly base: { url: string } | { error: string };
  private readonly fetchImpl: (
    url: string,
    init: NodeFetchInit & { redirect: 'manual' },
  ) => Promise<Response>;
  private readonly timeoutMs: number;
  private readonly deadlineMs: number;
  private readonly minBytesPerSecond: number;
  private readonly throughputGraceMs: number;
  private readonly maxElementBytes: number;
  private readonly errorBodyTimeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  // An ES private field: not enumerable, so JSON.stringify / util.inspect of a client (in a log, a
  // state snapshot, an error report) can never carry the key.
  readonly #apiKey: string;
  private readonly log: ((e: RequestLogEntry) => void) | undefined;

  constructor(o: Np6ClientOptions) {
    this.#apiKey = o.apiKey;
    this.log = o.log;
    this.base = checkBaseUrl(typeof o.baseUrl === 'string' ? o.baseUrl : '');
    this.fetchImpl = o.fetch ?? nodeFetch;
    // Every bound is range-checked: a timer above MAX_TIMER_MS would fire after 1 ms.
    this.timeoutMs = clampTimeoutMs(o.timeoutMs, DEFAULT_TIMEOUT_MS);
    this.deadlineMs = clampTimeoutMs(o.deadlineMs, DEFAULT_DEADLINE_MS);
    this.minBytesPerSecond = nonNegativeOr(o.minBytesPerSecond, DEFAULT_MIN_BYTES_PER_SECOND);
    this.throughputGraceMs = nonNegativeOr(o.throughputGraceMs, DEFAULT_THROUGHPUT_GRACE_MS);
    this.maxElementBytes = Math.max(1, nonNegativeOr(o.maxElementBytes, DEFAULT_MAX_ELEMENT_BYTES));
    this.errorBodyTimeoutMs = clampTimeoutMs(o.errorBodyTimeoutMs, ERROR_BODY_MAX_MS);
    this.policy = retryPolicy(o.retry);
    this.sleep = o.sleep ?? abortableSleep;
  }

  /** The base URL in use ('' when it was refused). */
  private get url(): string {
    return 'url' in this.base ? this.base.url : '';
  }

  /**
   * Events with their exact JSON text, yielded as the bytes arrive. Served one by one from the
   * batches of streamBatches by RecordIterator: an async generator yielding each record cost about
   * 0.45 µs per event (three promise turns), the iterator 0.17 µs (measured with 200,000 records).
   */
  streamRecords(q: EventQuery, so: StreamOptions = {}): AsyncIterableIterator<EventRecord> {
    const { signal } = so;
    return new RecordIterator(
      this.streamBatches(q, so),
      () => signal?.aborted === true,
      (handed) => this.cancelled(handed),
    );
  }

  /** The records of each body chunk, retries included (see streamRecords). */
  private async *streamBatches(q: EventQuery, so: StreamOptions): AsyncGenerator<EventRecord[]> {
    // Both refuse ids that cannot be sent (Np6InvalidQueryError), before any request.
    const path = requestPath(q);
    const body = JSON.stringify(requestBody(q));
    const { signal } = so;
    this.assertBaseUrl();
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw this.cancelled(0);
      const outcome: AttemptOutcome = {};
      // The attempt hands over one batch per body chunk: one async step per chunk instead of two
      // per event (delegating with yield* costs a measurable share of the throughput).
      yield* this.attempt(path, body, attempt, so, outcome);
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
    const a = new AttemptClock(so.signal, {
      idleMs: this.timeoutMs,
      deadlineMs: this.deadlineMs,
      minBytesPerSecond: this.minBytesPerSecond,
      graceMs: this.throughputGraceMs,
    });
    const st: AttemptState = { events: 0, bytes: 0 };
    let lastProgress = 0;
    let logged = false;
    let completed = false;
    const progress = (force: boolean): void => {
      if (!so.onProgress) return;
      const now = performance.now();
      if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      so.onProgress({ bytes: st.bytes, events: st.events, attempt });
    };
    const log = (error?: Np6Error | string): void => {
      if (logged) return;
      logged = true;
      this.log?.({
        method: 'POST',
        path: this.scrub(path),
        ...(st.status !== undefined ? { status: st.status } : {}),
        durationMs: Math.round(performance.now() - t0),
        events: st.events,
        bytes: st.bytes,
        ...(st.requestId !== undefined ? { requestId: st.requestId } : {}),
        attempt,
        ...(error !== undefined
          ? { error: this.scrub(typeof error === 'string' ? error : error.message) }
          : {}),
      });
    };

    try {
      const res = await this.request(path, body, a, st, so);
      if (res === undefined) {
        // fetch() failed: a network error is retried, anything else (timeout, cancel) is not.
        const err = this.failure(st.fetchError, 'before answering', a, st, so);
        log(err);
        if (err instanceof Np6NetworkError) {
          outcome.retry = { error: err };
          return;
        }
        throw err;
      }
      st.status = res.status;
      st.requestId = sanitizeRequestId(this.scrub(res.headers.get('x-request-id') ?? ''));

      if (isRedirect(res)) {
        // Never followed (the key would go along): the body is not wanted either.
        await res.body?.cancel().catch(() => undefined);
        throw redirectError(res, `${this.url}${path}`, (t) => this.scrub(t), st.requestId);
      }
      if (res.redirected) {
        // An injected fetch that ignored `redirect: 'manual'`: the answer is not NP6's, refuse it.
        await res.body?.cancel().catch(() => undefined);
        throw followedRedirectError(res, (t) => this.scrub(t), st.requestId);
      }
      if (!res.ok) {
        const err = await this.httpFailure(res, a, attempt, st.requestId);
        if (so.signal?.aborted) throw this.cancelled(0, st.requestId);
        log(err);
        if (isRetryableStatus(res.status)) {
          outcome.retry = {
            error: err,
            ...(err.retryAfterMs !== undefined ? { askedMs: err.retryAfterMs } : {}),
          };
          return;
        }
        throw err;
      }

      const parser = new JsonArrayStreamParser({
        maxElementBytes: this.maxElementBytes,
        // Body chunks are fresh buffers (never reused once read): their bytes can be handed on.
        keepBytes: true,
      });
      const reader = res.body?.getReader();
      const slice = new EventLoopSlice();
      while (reader) {
        await slice.maybeYield();
        let chunk: ReadResult;
        try {
          a.startWait();
          chunk = (await reader.read()) as ReadResult;
        } catch (e) {
          const err = this.failure(
            e,
            st.bytes > 0 ? 'between two parts of the answer' : 'after the headers',
            a,
            st,
            so,
          );
          log(err);
          if (err instanceof Np6NetworkError && st.bytes === 0) {
            outcome.retry = { error: err };
            return;
          }
          throw err;
        } finally {
          a.endWait();
        }
        if (chunk.done) break;
        a.bodyStarted();
        st.bytes += chunk.value.byteLength;
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
          batch.push(
            el.bytes
              ? { event: v as Np6Event, json: el.text, bytes: el.bytes }
              : { event: v as Np6Event, json: el.text },
          );
        }
        if (batch.length > 0) {
          // Counted before the hand-over: the attempt only resumes once the whole batch was taken.
          st.events += batch.length;
          yield batch;
          if (so.signal?.aborted) throw this.cancelled(st.events, st.requestId);
        }
        if (broken !== undefined) {
          const head = st.bytes === chunk.value.byteLength ? chunk.value : undefined;
          throw this.malformed(broken, st.events, st.requestId, head, res.headers.get('content-type') ?? '');
        }
        const slow = a.tooSlow(st.bytes);
        if (slow !== undefined) throw this.tooSlow(slow, st);
        progress(false);
      }
      try {
        parser.end();
      } catch (e) {
        throw this.malformed(e, st.events, st.requestId);
      }
      completed = true;
      progress(true);
      log();
    } catch (e) {
      const err = e instanceof Np6Error ? e : this.failure(e, 'while reading the answer', a, st, so);
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

  /**
   * Sends the request, redirects not followed. Returns the response, or undefined when fetch()
   * failed (the failure in `st.fetchError`).
   */
  private async request(
    path: string,
    body: string,
    a: AttemptClock,
    st: AttemptState,
    so: StreamOptions,
  ): Promise<Response | undefined> {
    try {
      a.startWait();
      return await this.fetchImpl(`${this.url}${path}`, {
        method: 'POST',
        headers: {
          'X-Key': this.#apiKey,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body,
        // The key goes to the base URL only: a 3xx comes back as an answer (see redirect.ts).
        redirect: 'manual',
        signal: a.controller.signal,
      });
    } catch (e) {
      if (so.signal?.aborted) a.abort('user');
      st.fetchError = e;
      return undefined;
    } finally {
      a.endWait();
    }
  }

  /** The Np6HttpError for a non-2xx answer, its body read within bounds and scrubbed. */
  private async httpFailure(
    res: Response,
    a: AttemptClock,
    attempt: number,
    requestId: string | undefined,
  ): Promise<Np6HttpError> {
    const { text, cut } = await readErrorBody(res, a, this.errorBodyTimeoutMs);
    const askedMs = serverDelayMs(res.headers);
    return httpError(
      {
        status: res.status,
        statusText: this.scrub(res.statusText),
        // A body cut by a bound may end with the first characters of the key.
        body: cut ? scrubCutTail(text, this.#apiKey) : text,
        contentType: res.headers.get('content-type') ?? '',
        attempts: attempt,
        ...(requestId !== undefined ? { requestId } : {}),
        ...(askedMs !== undefined ? { retryAfterMs: askedMs } : {}),
      },
      (t) => this.scrub(t),
    );
  }

  /** Maps a failure of fetch() or of a body read to the right error kind. */
  private failure(
    e: unknown,
    during: string,
    a: AttemptClock,
    st: AttemptState,
    so: StreamOptions,
  ): Np6Error {
    const { events, bytes, requestId } = st;
    if (a.cause === 'user' || so.signal?.aborted) return this.cancelled(events, requestId);
    const rid = requestId ? ` (request id ${requestId})` : '';
    const after = events > 0 ? ` after ${count(events, 'event')}` : '';
    const init = { eventsReceived: events, ...(requestId !== undefined ? { requestId } : {}) };
    if (a.cause === 'idle') {
      return new Np6TimeoutError(
        this.scrub(`NP6 sent nothing for ${Math.round(this.timeoutMs / 1000)} s ${during}${after}${rid}.`),
        { ...init, hint: 'Retry later, or narrow the date range so the answer starts sooner.' },
      );
    }
    if (a.cause === 'deadline') {
      return new Np6TimeoutError(
        this.scrub(
          `NP6 was still answering after ${formatDuration(this.deadlineMs)}, the longest one request may take (the request deadline)${after}${rid}.`,
        ),
        {
          ...init,
          hint:
            events > 0
              ? `${received(events)}; narrow the date range (or split it into smaller windows), or raise the request deadline.`
              : 'Narrow the date range (or split it into smaller windows), or raise the request deadline.',
        },
      );
    }
    if (isNp6Error(e)) return e;
    const cut = bytes > 0;
    return new Np6NetworkError(
      this.scrub(
        `${cut ? `The connection broke after ${count(events, 'event')} (${count(bytes, 'byte')})` : `Could not reach NP6 at ${this.url}`}: ` +
          `${describeNetworkError(e)}${rid}.`,
      ),
      {
        ...init,
        hint: cut
          ? 'The events received are kept; run the query again for the rest.'
          : 'Check the base URL and the network connection, then retry.',
      },
    );
  }

  /** The answer flows, but slower than the minimum throughput (a server dripping bytes). */
  private tooSlow(slow: { bytesPerSecond: number; overMs: number }, st: AttemptState): Np6TimeoutError {
    const { events, requestId } = st;
    return new Np6TimeoutError(
      this.scrub(
        `NP6 sent the answer too slowly: ${Math.round(slow.bytesPerSecond)} bytes/s on average over ${formatDuration(slow.overMs)}, ` +
          `under the minimum throughput of ${this.minBytesPerSecond} bytes/s${events > 0 ? ` (after ${count(events, 'event')})` : ''}` +
          `${requestId ? ` (request id ${requestId})` : ''}.`,
      ),
      {
        eventsReceived: events,
        hint:
          (events > 0 ? `${received(events)}; ` : '') +
          'retry later; if NP6 is always this slow, narrow the date range or lower the minimum throughput.',
        ...(requestId !== undefined ? { requestId } : {}),
      },
    );
  }

  /** A base URL the policy refuses (baseUrl.ts) fails at once, without a request, saying what to fix. */
  private assertBaseUrl(): void {
    if ('error' in this.base) {
      throw new Np6NetworkError(this.scrub(this.base.error), {
        hint: 'Set the base URL to the NP6 API address, e.g. https://api-cm.np6.com.',
      });
    }
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
      return e instanceof Np6Error ? e : new Np6NetworkError(this.scrub(String(e)));
    }
    const rid = requestId ? ` (request id ${requestId})` : '';
    let excerpt = '';
    if (head && e.elementsComplete === 0 && e.byteOffset < head.byteLength) {
      const text = new TextDecoder().decode(head.subarray(0, HEAD_QUOTE_BYTES));
      // A cut at HEAD_QUOTE_BYTES may fall inside the key: its prefix would match nothing.
      const whole = head.byteLength <= HEAD_QUOTE_BYTES ? text : scrubCutTail(text, this.#apiKey);
      excerpt = bodyExcerpt(whole, contentType, (t) => this.scrub(t));
    }
    const said = excerpt ? ` It says: ${excerpt}` : '';
    const tooLarge = /larger than/.test(e.message)
      ? ` An event that large is not something NP6 sends: the answer was stopped at ${formatBytes(this.maxElementBytes)}.`
      : '';
    return new Np6MalformedStreamError(
      this.scrub(`NP6 sent a malformed answer${rid}: ${e.message}${tooLarge}${said}`),
      {
        eventsReceived: events,
        byteOffset: e.byteOffset,
        hint:
          events > 0
            ? `${events === 1 ? 'The event before the problem is kept' : `The ${count(events, 'event')} before the problem are kept`}; run the query again, and if it persists give the request id to NP6 support.`
            : 'Run the query again; if it persists, check the base URL (it must be the NP6 API) or give the request id to NP6 support.',
        ...(requestId !== undefined ? { requestId } : {}),
      },
    );
  }

  private cancelled(events: number, requestId?: string): Np6CancelledError {
    return new Np6CancelledError(
      events > 0 ? `The query was cancelled after ${count(events, 'event')}.` : 'The query was cancelled.',
      { eventsReceived: events, ...(requestId !== undefined ? { requestId } : {}) },
    );
  }

  /** Every form of the key out of a text that may hold what a server sent. */
  private scrub(text: string): string {
    return scrubSecret(text, this.#apiKey);
  }
}
