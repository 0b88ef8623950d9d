// Reading the body of an error answer, bounded in size and in time: enough of it for a message,
// never a huge HTML page or a body that trickles for ever.

import type { AttemptClock } from './attemptClock';

/** Error bodies are read only this far. */
export const ERROR_BODY_MAX_BYTES = 16 * 1024;
/** And only this long (or the idle timeout, when it is shorter). */
export const ERROR_BODY_MAX_MS = 5000;

type ReadResult = { done: true; value?: undefined } | { done: false; value: Uint8Array };

export interface ErrorBody {
  text: string;
  /** The body went on past what was read (size or time bound, or a broken connection). */
  cut: boolean;
}

/**
 * Reads at most ERROR_BODY_MAX_BYTES of an error body, for at most `maxMs` in total, then cancels
 * the rest. What arrived before a bound fired (or the connection broke) is returned; a bound that
 * fires aborts the attempt's controller, which only ends this response.
 */
export async function readErrorBody(res: Response, clock: AttemptClock, maxMs: number): Promise<ErrorBody> {
  const reader = res.body?.getReader();
  if (!reader) return { text: '', cut: false };
  const parts: Uint8Array[] = [];
  let size = 0;
  let cut = true;
  const until = performance.now() + Math.min(maxMs, clock.bounds.idleMs);
  try {
    while (size < ERROR_BODY_MAX_BYTES) {
      const left = until - performance.now();
      if (left <= 0) break;
      clock.startWait(left);
      const r = (await reader.read()) as ReadResult;
      clock.endWait();
      if (r.done) {
        cut = false;
        break;
      }
      parts.push(r.value);
      size += r.value.byteLength;
    }
  } catch {
    // A bound fired or the connection broke: keep what arrived.
  } finally {
    clock.endWait();
    await reader.cancel().catch(() => undefined);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.byteLength;
  }
  if (size > ERROR_BODY_MAX_BYTES) cut = true;
  return { text: new TextDecoder().decode(all.subarray(0, Math.min(size, ERROR_BODY_MAX_BYTES))), cut };
}
