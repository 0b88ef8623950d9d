// Retry policy of the NP6 client: which failures are retried, and how long to wait before the next
// try. NP6 documents 429 with "exponential backoff" and *may* send X-RateLimit-* headers; proxies in
// front of it send 503 with Retry-After. Everything else (4xx, 500, malformed bodies, streams cut
// after events arrived) is not retried: repeating it would not help or would duplicate events.

import { Np6CancelledError } from './errors';

export interface RetryPolicy {
  /** Retries after the first attempt (so at most maxRetries + 1 requests). */
  maxRetries: number;
  /** First backoff ceiling; doubles with every retry. */
  baseDelayMs: number;
  /** No wait is ever longer than this, even if the server asks for more. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 30000 };

export function retryPolicy(p: Partial<RetryPolicy> = {}): RetryPolicy {
  const nonNegative = (v: number | undefined, d: number): number =>
    v !== undefined && Number.isFinite(v) && v >= 0 ? v : d;
  return {
    maxRetries: Math.floor(nonNegative(p.maxRetries, DEFAULT_RETRY_POLICY.maxRetries)),
    baseDelayMs: nonNegative(p.baseDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs),
    maxDelayMs: nonNegative(p.maxDelayMs, DEFAULT_RETRY_POLICY.maxDelayMs),
  };
}

/** 429 (rate limited) and 503 (unavailable, usually temporary) are worth another try. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 503;
}

/**
 * The wait the server asked for, in ms, from `Retry-After` (seconds or an HTTP date) or
 * `X-RateLimit-Reset` (epoch seconds, epoch ms, or seconds to wait: APIs differ, NP6 does not say),
 * or undefined when neither header is usable.
 */
export function serverDelayMs(headers: Headers, now: number = Date.now()): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) {
    const v = Number(reset);
    // Epoch ms (13 digits), epoch seconds (10 digits), or a relative number of seconds.
    if (v >= 1e12) return Math.max(0, Math.round(v - now));
    if (v >= 1e9) return Math.max(0, Math.round(v * 1000 - now));
    return Math.round(v * 1000);
  }
  if (reset) {
    const date = Date.parse(reset);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  return undefined;
}

/**
 * How long to wait before retry number `retry` (1-based): what the server asked for when it said,
 * otherwise exponential backoff with full jitter (uniform in [0, base * 2^(retry-1)]), always
 * capped by maxDelayMs.
 */
export function backoffDelayMs(
  retry: number,
  policy: RetryPolicy,
  askedMs?: number,
  random: () => number = Math.random,
): number {
  if (askedMs !== undefined) return Math.min(Math.max(0, askedMs), policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** A setTimeout that an AbortSignal interrupts (rejecting with Np6CancelledError). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Np6CancelledError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Np6CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
