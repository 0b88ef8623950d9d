// The element size bound of the array parser: an element that never ends must not grow memory
// without limit; what completed before it is kept.

import assert from 'node:assert/strict';
import {
  DEFAULT_MAX_ELEMENT_BYTES,
  JsonArrayStreamError,
  JsonArrayStreamParser,
  formatBytes,
  type JsonArrayElement,
} from '../../../src/np6/jsonArrayStream';

const MiB = 1024 * 1024;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Feeds `total` bytes of `fill` after `head`, in 64 KiB chunks; returns the error and bytes fed. */
function feedEndless(
  p: JsonArrayStreamParser,
  head: string,
  fill: number,
  total: number,
  out: JsonArrayElement[],
) {
  p.push(enc(head), out);
  const chunk = new Uint8Array(64 * 1024).fill(fill);
  let fed = 0;
  try {
    while (fed < total) {
      p.push(chunk, out);
      fed += chunk.length;
    }
  } catch (e) {
    return { error: e, fed };
  }
  return { error: undefined, fed };
}

describe('jsonArrayStream: maxElementBytes', () => {
  it('refuses a string element growing past the limit, after at most the limit, memory bounded', () => {
    const p = new JsonArrayStreamParser({ maxElementBytes: MiB });
    const out: JsonArrayElement[] = [];
    const rss0 = process.memoryUsage().rss;
    const { error, fed } = feedEndless(p, '[{"a":1},{"b":2},{"note":"', 0x78, 40 * MiB, out);
    const grew = (process.memoryUsage().rss - rss0) / MiB;
    assert.ok(error instanceof JsonArrayStreamError, String(error));
    assert.match(error.message, /element 3 \(from byte 17\) is larger than 1 MiB/);
    assert.equal(error.elementsComplete, 2);
    assert.equal(error.byteOffset, 17);
    assert.equal(out.length, 2);
    assert.ok(fed <= MiB, `fed ${fed} bytes before the error`);
    assert.ok(grew < 20, `RSS grew by ${grew.toFixed(1)} MiB`);
  });

  it('refuses a scalar or a nested element that never ends, and one that ends within a single chunk', () => {
    for (const [head, fill] of [
      ['[', 0x31], // 111111... a number that never ends
      ['[[', 0x5b], // [[[[... nesting that never ends
      ['[{"a":', 0x20], // whitespace inside an object
    ] as const) {
      const { error } = feedEndless(
        new JsonArrayStreamParser({ maxElementBytes: 100_000 }),
        head,
        fill,
        4 * MiB,
        [],
      );
      assert.ok(error instanceof JsonArrayStreamError, `${head}: ${String(error)}`);
      assert.match(error.message, /larger than 97.66 KiB/);
    }
    const big = enc(`[${JSON.stringify({ s: 'x'.repeat(2000) })}]`);
    assert.throws(
      () => new JsonArrayStreamParser({ maxElementBytes: 1000 }).push(big),
      /larger than 1000 bytes/,
    );
    assert.equal(new JsonArrayStreamParser({ maxElementBytes: 5000 }).push(big).length, 1);
  });

  it('accepts elements up to the limit exactly, across chunks', () => {
    const el = JSON.stringify({ s: 'y'.repeat(1000) });
    const body = enc(`[${el},${el}]`);
    const p = new JsonArrayStreamParser({ maxElementBytes: el.length });
    const out: JsonArrayElement[] = [];
    for (let i = 0; i < body.length; i += 7) p.push(body.subarray(i, i + 7), out);
    p.end();
    assert.equal(out.length, 2);
    assert.throws(() => {
      const q = new JsonArrayStreamParser({ maxElementBytes: el.length - 1 });
      for (let i = 0; i < body.length; i += 7) q.push(body.subarray(i, i + 7));
    }, JsonArrayStreamError);
  });

  it('defaults to 16 MiB, and ignores unusable limits', () => {
    assert.equal(DEFAULT_MAX_ELEMENT_BYTES, 16 * MiB);
    assert.equal(formatBytes(DEFAULT_MAX_ELEMENT_BYTES), '16 MiB');
    for (const bad of [0, -1, Number.NaN]) {
      const { error, fed } = feedEndless(
        new JsonArrayStreamParser({ maxElementBytes: bad }),
        '["',
        0x7a,
        17 * MiB,
        [],
      );
      assert.ok(error instanceof JsonArrayStreamError && fed <= 16 * MiB, `${bad}: ${String(error)}`);
    }
  });
});
