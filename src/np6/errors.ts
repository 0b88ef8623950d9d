// The one small error hierarchy of the NP6 client. Every error says what happened and what the user
// can do about it (`hint`), and how many events had already arrived (`eventsReceived`), so a consumer
// can keep those and label its result partial. The API key never appears in any of these: messages
// are built only from the status, the path (which never holds the key) and a short body excerpt.

export type Np6ErrorKind = 'http' | 'network' | 'timeout' | 'cancelled' | 'malformed';

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

export function isNp6Error(e: unknown): e is Np6Error {
  return e instanceof Np6Error;
}
