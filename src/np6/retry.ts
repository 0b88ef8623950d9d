// Retry policy of the NP6 client: which failures are retried, and how long to wait before the next
// try. NP6 documents 429 with "exponential backoff" and *may* send X-RateLimit-* headers; proxies in
// front of it send 503 with Retry-After. Everything else (4xx, 500, malformed bodies, streams cut
// after events arrived) is not retried: repeating it would not help or would duplicate events.

import { Np6CancelledError } from './errors';
import { MAX_TIMER_MS } from './limits';

export interface RetryPolicy {
  /** Retries after the first attempt (so at most maxRetries + 1 requests). */
  maxRetries: number;
  /** First backoff ceiling; doubles with every retry. */
  baseDelayMs: number;
  /** No wait is ever longer than this, even if the server asks for more. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 30000 };

/** More retries than this only hammer a server that keeps failing. */
export const MAX_RETRIES = 100;

/** The policy with defaults for missing or unusable values, every number within its range. */
export function retryPolicy(p: Partial<RetryPolicy> = {}): RetryPolicy {
  const inRange = (v: number | undefined, d: number, max: number): number =>
    v !== undefined && Number.isFinite(v) && v >= 0 ? Math.min(v, max) : d;
  return {
    maxRetries: Math.floor(inRange(p.maxRetries, DEFAULT_RETRY_POLICY.maxRetries, MAX_RETRIES)),
    // Waits become timers: beyond MAX_TIMER_MS setTimeout would fire after 1 ms.
    baseDelayMs: inRange(p.baseDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs, MAX_TIMER_MS),
    maxDelayMs: inRange(p.maxDelayMs, DEFAULT_RETRY_POLICY.maxDelayMs, MAX_TIMER_MS),
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
    // Clamped: a delay above MAX_TIMER_MS would make setTimeout fire at once.
    const delay = Number.isFinite(ms) ? Math.min(Math.max(0, ms), MAX_TIMER_MS) : MAX_TIMER_MS;
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delay);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
