// Writes a JSON array as a chunked response in uneven chunks, cut at arbitrary byte positions
// (inside strings, escapes and multi-byte characters), honouring back-pressure and the stream
// faults: slow drip, connection cut, malformed JSON.

import type { ServerResponse } from 'node:http';

import type { FaultPlan } from './faults';
import { JsonArrayText } from './jsonArrayText';
import type { Rng } from './random';

/** In slow mode, bytes are released this many at most per delayed chunk. */
const SLOW_FLUSH_BYTES = 2 * 1024;

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

  const body = new JsonArrayText();
  const flush = async (): Promise<void> => {
    const buf = body.take();
    let pos = 0;
    while (pos < buf.length && !closed) {
      // Mostly large pieces, sometimes tiny ones, cut anywhere (inside strings, escapes, UTF-8
      // sequences). Tiny pieces are kept rare: each costs a write and a chunk header.
      const size = slowMs ? rng.int(1, 512) : rng.chance(0.05) ? rng.int(1, 16) : rng.int(1024, 64 * 1024);
      const piece = buf.subarray(pos, pos + size);
      pos += piece.length;
      const last = pos >= buf.length;
      if (!res.write(piece, last ? () => body.recycle(buf) : undefined) && !closed) await waitDrainOrClose();
      if (slowMs) await new Promise((r) => setTimeout(r, slowMs));
    }
  };
  const append = async (text: string, element: boolean) => {
    while (!(element ? body.add(text) : body.raw(text))) await flush();
    if (slowMs && body.length >= SLOW_FLUSH_BYTES) await flush();
  };

  let broke = false;
  for (const text of texts) {
    if (closed) return;
    if (body.count === breakAfter) {
      await append((body.count ? ',' : '') + text.slice(0, text.length >> 1), false);
      broke = true;
      break;
    }
    await append(text, true);
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
    await append(
      broke ? '"}]' : (body.count ? ',' : '') + '{"type":"hit","id":"broken","source":{"type":"email"]',
      false,
    );
  }
  await append(']', false);
  await flush();
  if (!closed) res.end();
}
