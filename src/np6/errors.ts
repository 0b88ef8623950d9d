// The one small error hierarchy of the NP6 client. Every error says what happened and what the user
// can do about it (`hint`), and how many events had already arrived (`eventsReceived`), so a consumer
// can keep those and label its result partial. The API key never appears in any of these: messages
// are built only from the status, the path (which never holds the key) and what the server sent,
// passed through the scrub of secrets.ts after decoding and before any cut.

export type Np6ErrorKind = 'http' | 'network' | 'timeout' | 'cancelled' | 'malformed' | 'invalid';

import { decodeHtmlEntities, scrubSecret } from './secrets';

export interface Np6ErrorInit {
  eventsReceived?: number;
  requestId?: string;
  hint?: string;
  cause?: unknown;
}

export class Np6Error extends Error {
  readonly kind: Np6ErrorKind;
  /** Events yielded to the consumer before this error (0 = nothing arrived). */
  eventsReceived: number;
  /** What the user can do, one sentence. */
  hint: string;
  /** The `x-request-id` of the failing response, to quote to NP6 support. */
  requestId?: string;

  constructor(kind: Np6ErrorKind, message: string, init: Np6ErrorInit = {}) {
    // `cause` is deliberately not forwarded: a fetch/undici cause can carry request details
    // (headers) and we never want the key to leak through a nested error's serialisation.
    super(message);
    this.name = 'Np6Error';
    this.kind = kind;
    this.eventsReceived = init.eventsReceived ?? 0;
    this.hint = init.hint ?? '';
    if (init.requestId !== undefined) this.requestId = init.requestId;
  }

  /** A plain object for logs and result summaries (no stack, no cause). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      hint: this.hint,
      eventsReceived: this.eventsReceived,
      ...(this.requestId !== undefined ? { requestId: this.requestId } : {}),
    };
  }
}

/**
 * The message followed by the hint, once: what to show a user. (An HTTP error's message already
 * ends with its hint; the other kinds keep the two apart.)
 */
export function errorWithHint(e: Np6Error): string {
  return e.hint && !e.message.includes(e.hint) ? `${e.message} ${e.hint}` : e.message;
}

export interface Np6HttpErrorInit extends Np6ErrorInit {
  status: number;
  bodyExcerpt: string;
  retryAfterMs?: number;
}

/** The server answered with a non-2xx status. */
export class Np6HttpError extends Np6Error {
  readonly status: number;
  /** At most 300 characters of the response body, on one line (HTML reduced to its text). */
  readonly bodyExcerpt: string;
  /** The wait the server asked for (Retry-After / X-RateLimit-Reset), when it gave one. */
  readonly retryAfterMs?: number;

  constructor(message: string, init: Np6HttpErrorInit) {
    super('http', message, init);
    this.name = 'Np6HttpError';
    this.status = init.status;
    this.bodyExcerpt = init.bodyExcerpt;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      bodyExcerpt: this.bodyExcerpt,
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
    };
  }
}

/** The connection failed or broke (DNS, refused, reset, cut mid-stream). */
export class Np6NetworkError extends Np6Error {
  constructor(message: string, init: Np6ErrorInit = {}) {
    super('network', message, init);
    this.name = 'Np6NetworkError';
  }
}

/** No response headers, or no new bytes, within the timeout. */
export class Np6TimeoutError extends Np6Error {
  constructor(message: string, init: Np6ErrorInit = {}) {
    super('timeout', message, init);
    this.name = 'Np6TimeoutError';
  }
}

/** The caller's AbortSignal fired. */
export class Np6CancelledError extends Np6Error {
  constructor(message = 'The request was cancelled.', init: Np6ErrorInit = {}) {
    super('cancelled', message, { hint: 'Run the query again to fetch the rest.', ...init });
    this.name = 'Np6CancelledError';
  }
}

/** The body was not the JSON array of events it should be (or was truncated). */
export class Np6MalformedStreamError extends Np6Error {
  /** Byte offset in the body where the problem was found. */
  readonly byteOffset?: number;

  constructor(message: string, init: Np6ErrorInit & { byteOffset?: number } = {}) {
    super('malformed', message, init);
    this.name = 'Np6MalformedStreamError';
    if (init.byteOffset !== undefined) this.byteOffset = init.byteOffset;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      ...(this.byteOffset !== undefined ? { byteOffset: this.byteOffset } : {}),
    };
  }
}

/**
 * The query cannot be sent as it is (an id that would change the request path, ...). Raised before
 * any request: nothing was sent, retrying the same query cannot help.
 */
export class Np6InvalidQueryError extends Np6Error {
  constructor(message: string, init: Np6ErrorInit = {}) {
    super('invalid', message, { hint: 'Correct the query and run it again.', ...init });
    this.name = 'Np6InvalidQueryError';
  }
}

export function isNp6Error(e: unknown): e is Np6Error {
  return e instanceof Np6Error;
}

/**
 * Replaces every form of the secret in a text (a server may echo the key back in a body, encoded).
 * Kept as an alias of scrubSecret for the modules that import it under this name.
 */
export const redactSecret: (text: string, secret: string) => string = scrubSecret;

/** A scrub of the secret(s), applied to text before it goes into a message, a log or a file. */
export type Scrub = (text: string) => string;

const noScrub: Scrub = (t) => t;

const MAX_EXCERPT = 300;

/**
 * A short, single-line excerpt of an error body for messages and logs: HTML pages (proxies,
 * gateways) reduced to their visible text, whitespace collapsed, at most 300 characters.
 * The order is what keeps the key out: decode (tags, entities) first, then `scrub`, then cut. A
 * cut made before the scrub could leave a prefix of the key that no longer matches it.
 */
export function bodyExcerpt(body: string, contentType = '', scrub: Scrub = noScrub): string {
  let text = scrub(body);
  if (isHtml(body, contentType)) {
    text = decodeHtmlEntities(
      text.replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>/g, ' '),
    );
  }
  // eslint-disable-next-line no-control-regex -- control characters would break a one-line log
  text = scrub(text.replace(/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim());
  return text.length > MAX_EXCERPT ? `${cutAt(text, MAX_EXCERPT - 1)}…` : text;
}

/** The first `n` UTF-16 units of a text, one fewer when the cut would split a surrogate pair. */
function cutAt(text: string, n: number): string {
  const last = text.charCodeAt(n - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? n - 1 : n);
}

export function isHtml(body: string, contentType = ''): boolean {
  return /html/i.test(contentType) || /^\s*<(!doctype|html|head|body|\?xml)/i.test(body);
}

/** What each status means for a user, and what they can do about it. */
function describeStatus(status: number): { what: string; hint: string } {
  switch (status) {
    case 400:
      return {
        what: 'NP6 rejected the request as invalid',
        hint: 'Check the query: event types, subtypes, item ids and dates.',
      };
    case 401:
      return {
        what: 'NP6 refused the API key',
        hint: 'Check the API key, or set it again (it is sent as X-Key).',
      };
    case 403:
      return {
        what: "The API key's user lacks the rights for this request",
        hint: "Ask NP6 to give the key's user access to this campaign, or use another key.",
      };
    case 404:
      return {
        what: 'NP6 does not know this campaign, item or value',
        hint: 'Check the campaign id and the item ids.',
      };
    case 429:
      return {
        what: 'NP6 rate limit reached',
        hint: 'Wait a minute and run the query again, or narrow the date range.',
      };
    default:
      if (status >= 500) {
        return {
          what: 'NP6 had a server problem',
          hint: 'This is on the NP6 side: retry later; if it persists, give the request id to NP6 support.',
        };
      }
      return {
        what: `NP6 answered with an unexpected status`,
        hint: 'Check the base URL and the query; if it persists, give the request id to NP6 support.',
      };
  }
}

export interface HttpFailure {
  status: number;
  statusText?: string;
  requestId?: string;
  body: string;
  contentType?: string;
  retryAfterMs?: number;
  attempts: number;
}

/**
 * The Np6HttpError for a non-2xx response, with a message that says what to do. `scrub` removes
 * the key: it is applied to the body after decoding and before cutting (see bodyExcerpt), and to
 * everything else from the server (the request id) that goes into the message.
 */
export function httpError(f: HttpFailure, scrub: Scrub = noScrub): Np6HttpError {
  const { what, hint } = describeStatus(f.status);
  const html = isHtml(f.body, f.contentType);
  const excerpt = bodyExcerpt(f.body, f.contentType, scrub);
  const tries = f.attempts > 1 ? ` after ${f.attempts} attempts` : '';
  const requestId = f.requestId !== undefined ? scrub(f.requestId) : undefined;
  const rid = requestId ? `, request id ${requestId}` : '';
  const page = html ? ' (an HTML error page, probably from a proxy or gateway)' : '';
  const wait =
    f.status === 429 && f.retryAfterMs !== undefined
      ? `Wait ${Math.ceil(f.retryAfterMs / 1000)} s and run the query again.`
      : hint;
  return new Np6HttpError(
    scrub(`${what} (HTTP ${f.status}${rid})${tries}${page}${excerpt ? `: ${excerpt}` : '.'} ${wait}`),
    {
      status: f.status,
      bodyExcerpt: excerpt,
      hint: wait,
      ...(requestId !== undefined ? { requestId } : {}),
      ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
    },
  );
}
