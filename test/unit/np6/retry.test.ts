import assert from 'node:assert/strict';
import { Np6CancelledError } from '../../../src/np6/errors';
import {
  abortableSleep,
  backoffDelayMs,
  isRetryableStatus,
  retryPolicy,
  serverDelayMs,
} from '../../../src/np6/retry';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('retry policy', () => {
  it('retries only 429 and 503', () => {
    const retried = [200, 400, 401, 403, 404, 429, 500, 502, 503, 504].filter(isRetryableStatus);
    assert.deepEqual(retried, [429, 503]);
  });

  it('reads Retry-After in seconds and as an HTTP date', () => {
    assert.equal(serverDelayMs(new Headers({ 'Retry-After': '7' }), NOW), 7000);
    assert.equal(serverDelayMs(new Headers({ 'Retry-After': '1.5' }), NOW), 1500);
    const in30s = new Date(NOW + 30000).toUTCString();
    assert.equal(serverDelayMs(new Headers({ 'Retry-After': in30s }), NOW), 30000);
    const past = new Date(NOW - 5000).toUTCString();
    assert.equal(serverDelayMs(new Headers({ 'Retry-After': past }), NOW), 0);
  });

  it('reads X-RateLimit-Reset as epoch seconds, epoch ms or seconds to wait', () => {
    assert.equal(serverDelayMs(new Headers({ 'X-RateLimit-Reset': String(NOW / 1000 + 12) }), NOW), 12000);
    assert.equal(serverDelayMs(new Headers({ 'X-RateLimit-Reset': String(NOW + 4000) }), NOW), 4000);
    assert.equal(serverDelayMs(new Headers({ 'X-RateLimit-Reset': '3' }), NOW), 3000);
    assert.equal(serverDelayMs(new Headers({ 'X-RateLimit-Reset': String(NOW / 1000 - 60) }), NOW), 0);
  });

  it('prefers Retry-After, and ignores what it cannot read', () => {
    const both = new Headers({ 'Retry-After': '2', 'X-RateLimit-Reset': '9' });
    assert.equal(serverDelayMs(both, NOW), 2000);
    assert.equal(serverDelayMs(new Headers({ 'Retry-After': 'soon' }), NOW), undefined);
    assert.equal(serverDelayMs(new Headers({ 'X-RateLimit-Reset': 'later' }), NOW), undefined);
    assert.equal(serverDelayMs(new Headers(), NOW), undefined);
  });

  it('backs off exponentially with full jitter, capped', () => {
    const p = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1000 });
    assert.equal(p.maxRetries, 4);
    // random() = 1 gives the ceiling of each step, 0 gives no wait at all.
    const ceilings = [1, 2, 3, 4, 5, 6].map((r) => backoffDelayMs(r, p, undefined, () => 0.999999));
    assert.deepEqual(ceilings, [99, 199, 399, 799, 999, 999]);
    assert.equal(
      backoffDelayMs(3, p, undefined, () => 0),
      0,
    );
    for (let i = 0; i < 200; i++) {
      const d = backoffDelayMs(3, p);
      assert.ok(d >= 0 && d < 400, `jittered delay ${d} out of [0, 400)`);
    }
  });

  it('honours the server-asked wait, capped by maxDelayMs', () => {
    const p = retryPolicy({ baseDelayMs: 100, maxDelayMs: 5000 });
    assert.equal(backoffDelayMs(1, p, 3000), 3000);
    assert.equal(backoffDelayMs(1, p, 60000), 5000);
  });

  it('ignores nonsensical policy values', () => {
    assert.deepEqual(retryPolicy({ maxRetries: -1, baseDelayMs: Number.NaN, maxDelayMs: 10 }), {
      maxRetries: 4,
      baseDelayMs: 500,
      maxDelayMs: 10,
    });
  });

  it('abortable sleep waits, and stops at once when aborted', async () => {
    const t0 = Date.now();
    await abortableSleep(30);
    assert.ok(Date.now() - t0 >= 25);
    const ac = new AbortController();
    const pending = abortableSleep(60000, ac.signal);
    setTimeout(() => ac.abort(), 10);
    await assert.rejects(pending, Np6CancelledError);
    await assert.rejects(abortableSleep(10, AbortSignal.abort()), Np6CancelledError);
  });
});
