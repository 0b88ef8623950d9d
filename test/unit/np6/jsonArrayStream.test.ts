import assert from 'node:assert/strict';
import {
  JsonArrayStreamError,
  JsonArrayStreamParser,
  type JsonArrayElement,
} from '../../../src/np6/jsonArrayStream';

// The sample is built from element texts, so the expected texts and values are known independently
// of the parser: texts are the pieces (raw newlines turned into spaces), values are JSON.parse(piece).
const PIECES = [
  '{"type":"hit","id":"é-1","timestamp":1,"s":"quote \\" backslash \\\\ end\\\\"}',
  '{ "emoji": "😀 x 🎉", "cjk": "漢字かな", "esc": "\\u00e9\\ud83d\\ude00\\n\\t\\/" }',
  '{"nested":{"a":[1,[2,{"b":"]}"}],{}],"c":"[{,"},"empty":[],"o":{}}',
  '{\n  "multi": "line",\r\n  "arr": [ 1 , 2 ]\n}',
  '[1,"two",{"three":3}]',
  '"a string element with } and ] and \\" and \\\\"',
  '-12.5e3',
  'true',
  'null',
  '{"tail":"\\\\"}',
];
const SAMPLE = ` \n[ ${PIECES.join(' ,\n\t')} ]\n `;
const BYTES = new TextEncoder().encode(SAMPLE);
const EXPECTED_TEXTS = PIECES.map((p) => p.replace(/[\r\n]/g, ' '));
const EXPECTED_VALUES = PIECES.map((p) => JSON.parse(p) as unknown);

function parseChunks(chunks: Uint8Array[]): JsonArrayElement[] {
  const p = new JsonArrayStreamParser();
  const out: JsonArrayElement[] = [];
  for (const c of chunks) out.push(...p.push(c));
  p.end();
  return out;
}

function check(elements: JsonArrayElement[], label: string): void {
  assert.deepEqual(
    elements.map((e) => e.text),
    EXPECTED_TEXTS,
    label,
  );
  assert.deepEqual(
    elements.map((e) => e.value),
    EXPECTED_VALUES,
    label,
  );
}

function parseText(text: string, chunkSize = 7): JsonArrayElement[] {
  const bytes = new TextEncoder().encode(text);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return parseChunks(chunks);
}

function parseError(text: string, chunkSize = 5): JsonArrayStreamError {
  try {
    parseText(text, chunkSize);
  } catch (e) {
    assert.ok(e instanceof JsonArrayStreamError, `expected JsonArrayStreamError, got ${String(e)}`);
    return e;
  }
  assert.fail(`no error for ${JSON.stringify(text)}`);
}

describe('JsonArrayStreamParser', () => {
  it('the sample holds multi-byte characters (so splits fall inside them)', () => {
    assert.ok(BYTES.length > SAMPLE.length + 10);
  });

  it('splits the sample in one chunk', () => {
    check(parseChunks([BYTES]), 'one chunk');
  });

  it('splits correctly at every 2-way split point', () => {
    for (let i = 0; i <= BYTES.length; i++) {
      check(parseChunks([BYTES.subarray(0, i), BYTES.subarray(i)]), `split at ${i}`);
    }
  });

  it('splits correctly at every 3-way split point', function () {
    this.timeout(120000);
    for (let i = 0; i <= BYTES.length; i++) {
      for (let j = i; j <= BYTES.length; j++) {
        check(
          parseChunks([BYTES.subarray(0, i), BYTES.subarray(i, j), BYTES.subarray(j)]),
          `split at ${i}, ${j}`,
        );
      }
    }
  });

  it('splits correctly when fed one byte at a time', () => {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < BYTES.length; i++) chunks.push(BYTES.subarray(i, i + 1));
    check(parseChunks(chunks), 'byte by byte');
  });

  it('does not depend on the caller keeping its chunks intact', () => {
    // A feeder that reuses one buffer: the parser must have copied what it keeps.
    const p = new JsonArrayStreamParser();
    const out: JsonArrayElement[] = [];
    const shared = new Uint8Array(5);
    for (let i = 0; i < BYTES.length; i += 5) {
      const n = Math.min(5, BYTES.length - i);
      shared.set(BYTES.subarray(i, i + n));
      out.push(...p.push(shared.subarray(0, n)));
      shared.fill(0x78);
    }
    p.end();
    check(out, 'reused buffer');
  });

  it('reports byte offsets of elements and counts bytes', () => {
    const p = new JsonArrayStreamParser();
    const els = p.push(new TextEncoder().encode('[ {"a":1},\n"é",3]'));
    p.end();
    assert.deepEqual(
      els.map((e) => e.offset),
      [2, 11, 16],
    );
    assert.equal(p.elements, 3);
    assert.equal(p.bytes, 18);
  });

  it('accepts an empty array, with whitespace and a byte order mark', () => {
    assert.deepEqual(parseText('[]'), []);
    assert.deepEqual(parseText(' \r\n\t[ \n ] \n'), []);
    assert.deepEqual(
      parseText('\ufeff[{"a":1}]', 1).map((e) => e.value),
      [{ a: 1 }],
    );
  });

  describe('malformed input', () => {
    it('says when the body is not an array', () => {
      const e = parseError('{"error":"nope"}');
      assert.match(e.message, /not a JSON array: it is a JSON object/);
      assert.equal(e.byteOffset, 0);
      assert.equal(e.elementsComplete, 0);
      assert.match(parseError('  <html><body>Bad gateway</body></html>').message, /HTML/);
      assert.equal(parseError('  <html>').byteOffset, 2);
    });

    it('says when the body is empty', () => {
      assert.match(parseError('').message, /empty/);
      assert.match(parseError('   ').message, /only whitespace/);
    });

    it('reports garbage between elements with its offset and the complete count', () => {
      const e = parseError('[{"a":1},{"b":2} x {"c":3}]');
      assert.equal(e.byteOffset, 17);
      assert.equal(e.elementsComplete, 2);
      assert.match(e.message, /byte 17/);
      assert.match(e.message, /"x"/);
      assert.match(e.message, /2 elements complete/);
    });

    it('reports a truncated body at the end', () => {
      const e = parseError('[{"a":1},{"b":"unfinished');
      assert.equal(e.elementsComplete, 1);
      assert.equal(e.byteOffset, 25);
      assert.match(e.message, /cut off inside element 2/);
      assert.match(parseError('[{"a":1},').message, /cut off before the closing/);
      assert.match(parseError('[{"a":1}').message, /cut off before the closing/);
      assert.match(parseError('[12').message, /cut off inside element 1/);
    });

    it('reports an element that is not valid JSON, with its offset', () => {
      const e = parseError('[{"a":1},{"b":2,}]');
      assert.equal(e.byteOffset, 9);
      assert.equal(e.elementsComplete, 1);
      assert.match(e.message, /element 2 \(at byte 9\) is not valid JSON/);
      assert.match(parseError('[{"a":1},tru]').message, /element 2/);
      assert.match(parseError('[{"a":"x\ny"}]').message, /not valid JSON/);
    });

    it('refuses trailing commas, leading commas and text after the array', () => {
      assert.match(parseError('[{"a":1},]').message, /trailing comma/);
      assert.match(parseError('[,{"a":1}]').message, /expected an element but found ","/);
      const after = parseError('[{"a":1}] [');
      assert.match(after.message, /after the closing "\]"/);
      assert.equal(after.elementsComplete, 1);
    });

    it('hands over the elements of the failing chunk that were complete before the error', () => {
      const p = new JsonArrayStreamParser();
      const out: JsonArrayElement[] = [];
      assert.throws(
        () => p.push(new TextEncoder().encode('[{"a":1},{"b":2},{"c":}]'), out),
        JsonArrayStreamError,
      );
      assert.deepEqual(
        out.map((e) => e.value),
        [{ a: 1 }, { b: 2 }],
      );
      assert.equal(p.elements, 2);
    });

    it('keeps the elements completed before an error', () => {
      const p = new JsonArrayStreamParser();
      const first = p.push(new TextEncoder().encode('[{"a":1},{"b":2}'));
      assert.equal(first.length, 2);
      assert.throws(() => p.push(new TextEncoder().encode(' oops')), JsonArrayStreamError);
      assert.equal(p.elements, 2);
    });
  });
  // Elements are usually found by looking for "},{" (the fast path) and only scanned byte by byte
  // when that fails: the results must be the same either way.
  describe('"},{" inside elements (the fast path must not be fooled)', () => {
    const TRICKY = [
      '{"s":"a},{b","t":"},{"}',
      '{"arr":[{"x":1},{"y":2}],"o":{"p":{}},"q":[{},{}]}',
      '{"esc":"\\"},{\\"","after":1}',
      '{"nl":\n1,\r\n"m":"x"}',
      '{}',
      '{"last":"},{"}',
    ];
    const text = `[${TRICKY.join(',')}]`;
    const bytes = new TextEncoder().encode(text);
    const expected = TRICKY.map((t) => ({
      text: t.replace(/[\r\n]/g, ' '),
      value: JSON.parse(t) as unknown,
    }));

    it('splits them exactly, in one chunk and at every 2-way split', () => {
      for (let i = 0; i <= bytes.length; i++) {
        const got = parseChunks(i === 0 ? [bytes] : [bytes.subarray(0, i), bytes.subarray(i)]);
        assert.deepEqual(
          got.map((e) => ({ text: e.text, value: e.value })),
          expected,
          `split at ${i}`,
        );
      }
    });

    it('reports offsets as the scan does', () => {
      const got = parseChunks([bytes]);
      assert.deepEqual(
        got.map((e) => e.offset),
        // After "[" and each element with its ",".
        TRICKY.map((_, k) =>
          TRICKY.slice(0, k).reduce((at, t) => at + new TextEncoder().encode(t).length + 1, 1),
        ),
      );
    });

    it('stays exact after giving the fast path up (every element fools it)', () => {
      const many = Array.from({ length: 200 }, (_, k) => `{"k":${k},"a":[{"x":1},{"y":"},{"}]}`);
      const got = parseChunks([new TextEncoder().encode(`[${many.join(',')}]`)]);
      assert.deepEqual(
        got.map((e) => e.value),
        many.map((m) => JSON.parse(m) as unknown),
      );
    });

    it('an invalid element followed by "},{" is reported where the scan reports it', () => {
      const e = parseError('[{"a":1},{"b":2 x},{"c":3}]', 1000);
      assert.equal(e.byteOffset, 9);
      assert.equal(e.elementsComplete, 1);
      assert.match(e.message, /element 2 \(at byte 9\) is not valid JSON/);
    });

    it('an element over the size limit is refused even when it ends in the same chunk', () => {
      const p = new JsonArrayStreamParser({ maxElementBytes: 100 });
      const big = `[{"a":1},{"b":"${'x'.repeat(200)}"},{"c":3}]`;
      const out: JsonArrayElement[] = [];
      assert.throws(
        () => p.push(new TextEncoder().encode(big), out),
        (e: unknown) => e instanceof JsonArrayStreamError && /larger than 100 bytes/.test(e.message),
      );
      assert.equal(out.length, 1);
    });
  });

  // NP6's own bodies separate events with "},{"; other servers put a newline or a space between
  // them. Every separator must give the same elements, and none may make the parser search the
  // rest of a chunk once per element (a body written "},\n{" did: 2.1 s of 14 s at 300,000 events).
  describe('other separators, searched once per chunk', () => {
    const events = Array.from(
      { length: 2000 },
      (_, k) => `{"id":"e${k}","type":"hit","timestamp":${k},"detail":{"client":{"ua":"Mozilla ${k}"}}}`,
    );
    for (const sep of [',', ',\n', ', ', ',\r\n  ', ' ,\n\t']) {
      it(`${JSON.stringify(sep)}: the same elements, each with its exact bytes`, () => {
        const text = `[\n${events.join(sep)}\n]`;
        const bytes = new TextEncoder().encode(text);
        const p = new JsonArrayStreamParser({ keepBytes: true });
        const out: JsonArrayElement[] = [];
        for (let i = 0; i < bytes.length; i += 65536) p.push(bytes.subarray(i, i + 65536), out);
        p.end();
        assert.deepEqual(
          out.map((e) => e.value),
          events.map((e) => JSON.parse(e) as unknown),
        );
        for (const e of out) {
          assert.ok(e.bytes, 'an element without a newline inside has its bytes');
          assert.equal(Buffer.from(e.bytes).toString('utf8'), e.text);
        }
      });
    }

    it('searches each chunk about once, whatever the separator', () => {
      const text = `[${events.join(',\n')}]`;
      const chunk = Buffer.from(text);
      type IndexOf = (this: Buffer, value: Uint8Array | string | number, from?: number) => number;
      const proto = Buffer.prototype as unknown as { indexOf: IndexOf };
      const original = proto.indexOf;
      let scanned = 0;
      // Counts the bytes each search walks: up to what it found, or to the chunk's end.
      proto.indexOf = function (this: Buffer, value, from = 0): number {
        const r = original.call(this, value, from);
        scanned += (r < 0 ? this.length : r) - from;
        return r;
      };
      try {
        const out = new JsonArrayStreamParser().push(chunk);
        assert.equal(out.length, events.length);
      } finally {
        proto.indexOf = original;
      }
      // One pass for the separator, one for LF, one for CR.
      assert.ok(scanned <= 4 * chunk.length, `${scanned} bytes searched in a chunk of ${chunk.length}`);
    });

    it('without keepBytes, no element holds bytes; an element with a newline inside never does', () => {
      const plain = new JsonArrayStreamParser().push(Buffer.from(`[${events.slice(0, 3).join(',')}]`));
      assert.ok(plain.every((e) => e.bytes === undefined));
      const kept = new JsonArrayStreamParser({ keepBytes: true }).push(
        Buffer.from('[{"a":\n1},{"b":2},{"c":\r3}]'),
      );
      assert.deepEqual(
        kept.map((e) => [e.text, e.bytes !== undefined]),
        [
          ['{"a": 1}', false],
          ['{"b":2}', true],
          ['{"c": 3}', false],
        ],
      );
    });
  });
});
