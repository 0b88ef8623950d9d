// Writes a JSON array as a chunked response in uneven chunks, cut at arbitrary byte positions
// (inside strings, escapes and multi-byte characters), honouring back-pressure and the stream
// faults: slow drip, connection cut, malformed JSON.

import type { ServerResponse } from 'node:http';

import type { FaultPlan } from './faults';
import type { Rng } from './random';

const FLUSH_CHARS = 64 * 1024;
const SLOW_FLUSH_CHARS = 2 * 1024;
/** Now and then a newline and indentation between elements, as pretty-ish servers do. */
const WHITESPACE_EVERY = 997;

export async function streamArray(
  res: ServerResponse,
  texts: Iterable<string>,
  rng: Rng,
  fault?: FaultPlan,
): Promise<void> {
  let closed = false;
  let wake: (() => void) | undefined;
  res.on('close', () => {
    closed = true;
    wake?.();
  });
  res.on('drain', () => wake?.());
  const waitDrainOrClose = () => new Promise<void>((r) => (wake = r));

  const slowMs = fault?.mode === 'slow' ? (fault.config.slowChunkDelayMs ?? 200) : 0;
  const breakAfter =
    fault?.mode === 'cut' || fault?.mode === 'malformed' ? Math.floor(fault.config.cutAfterEvents ?? 10) : -1;

  let pending = '[';
  const flush = async (): Promise<void> => {
    const buf = Buffer.from(pending, 'utf8');
    pending = '';
    let pos = 0;
    while (pos < buf.length && !closed) {
      // Mostly large pieces, sometimes tiny ones, cut anywhere (inside strings, escapes, UTF-8
      // sequences). Tiny pieces are kept rare: each costs a write and a chunk header.
      const size = slowMs ? rng.int(1, 512) : rng.chance(0.05) ? rng.int(1, 16) : rng.int(1024, 64 * 1024);
      const piece = buf.subarray(pos, pos + size);
      pos += piece.length;
      if (!res.write(piece) && !closed) await waitDrainOrClose();
      if (slowMs) await new Promise((r) => setTimeout(r, slowMs));
    }
  };

  let count = 0;
  let broke = false;
  for (const text of texts) {
    if (closed) return;
    if (count === breakAfter) {
      pending += (count ? ',' : '') + text.slice(0, text.length >> 1);
      broke = true;
      break;
    }
    pending += (count === 0 ? '' : count % WHITESPACE_EVERY === 0 ? ',\n  ' : ',') + text;
    count++;
    if (pending.length >= (slowMs ? SLOW_FLUSH_CHARS : FLUSH_CHARS)) await flush();
  }
  if (breakAfter >= 0 && fault?.mode === 'cut') {
    // Everything written so far reaches the client, then the connection dies without the final chunk.
    await flush();
    // Let the socket hand what it buffered to the kernel before killing it (bounded wait).
    for (let i = 0; i < 200 && !closed && (res.socket?.writableLength ?? 0) > 0; i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    res.socket?.destroy();
    return;
  }
  if (breakAfter >= 0) {
    // Malformed: a broken element (half an event, or a bracket mismatch), then a well-formed ending.
    pending += broke ? '"}]' : (count ? ',' : '') + '{"type":"hit","id":"broken","source":{"type":"email"]';
  }
  pending += ']';
  await flush();
  if (!closed) res.end();
}
