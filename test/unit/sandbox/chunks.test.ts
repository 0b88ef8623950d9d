// The chunked framing itself, read from a raw socket (fetch hides it): uneven chunk sizes, and
// chunks cut inside multi-byte UTF-8 characters, so client parsers meet every kind of split.

import assert from 'node:assert/strict';
import { connect } from 'node:net';

import { startSandbox, type RunningSandbox } from '../../../src/demo/sandbox/server';
import { DEMO_CAMPAIGNS } from '../../../src/demo/sandbox/demo';
import { everything, queryFor } from './helpers';

/** Sends one HTTP/1.1 request on a raw socket and returns the chunks of the chunked body. */
async function rawChunks(sb: RunningSandbox, path: string, body: unknown): Promise<Buffer[]> {
  const { port } = new URL(sb.url);
  const payload = Buffer.from(JSON.stringify(body));
  const socket = connect(Number(port), '127.0.0.1');
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Key: ${sb.apiKey}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${payload.length}\r\nConnection: close\r\n\r\n`,
  );
  socket.write(payload);
  const parts: Buffer[] = [];
  for await (const part of socket as AsyncIterable<Buffer>) parts.push(part);
  const raw = Buffer.concat(parts);
  const headEnd = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, headEnd).toString('latin1');
  assert.match(head, /^HTTP\/1\.1 200/);
  assert.match(head, /\r\ntransfer-encoding: chunked/i);
  const chunks: Buffer[] = [];
  let pos = headEnd + 4;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', pos);
    const size = parseInt(raw.subarray(pos, lineEnd).toString('latin1'), 16);
    assert.ok(Number.isInteger(size), 'a chunk-size line');
    if (size === 0) break;
    chunks.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    pos = lineEnd + 2 + size + 2;
  }
  return chunks;
}

const isContinuationByte = (b: number | undefined) => b !== undefined && (b & 0xc0) === 0x80;

describe('sandbox chunking', () => {
  let sb: RunningSandbox;
  before(async () => {
    sb = await startSandbox();
  });
  afterEach(() => sb.setFaults({ mode: 'none' }));
  after(() => sb.close());

  it('frames a body in uneven chunks, tiny ones included, that join into the whole array', async () => {
    const c = sb.campaigns[1]!;
    const chunks = await rawChunks(sb, `/campaigns/${c.id}/events?sort=asc`, everything());
    const sizes = chunks.map((x) => x.length);
    assert.ok(Math.min(...sizes) <= 16, `smallest chunk ${Math.min(...sizes)}`);
    assert.ok(Math.max(...sizes) >= 1024, `largest chunk ${Math.max(...sizes)}`);
    assert.ok(new Set(sizes).size > sizes.length / 2, 'sizes vary');
    const text = Buffer.concat(chunks).toString('utf8');
    assert.deepEqual(JSON.parse(text), [...sb.expectedEvents(c.id, queryFor(c.id))]);
  });

  it('cuts chunks inside multi-byte UTF-8 characters', async () => {
    // Small pieces (slow mode, 1 ms apart) over executions, whose data holds accents and emoji.
    sb.setFaults({ mode: 'slow', slowChunkDelayMs: 1 });
    const c = sb.campaigns[2]!;
    const body = { itemsEvents: [{ type: 'email', events: [{ type: 'execution' }] }] };
    const chunks = await rawChunks(sb, `/campaigns/${c.id}/events?sort=asc`, body);
    const splits = chunks.filter((x) => isContinuationByte(x[0])).length;
    assert.ok(splits > 0, `${splits} chunks start inside a character (of ${chunks.length})`);
    const text = Buffer.concat(chunks).toString('utf8');
    assert.ok(text.includes('🌸'));
    // One execution per send: recipients x items of the spec.
    const spec = DEMO_CAMPAIGNS[2]!;
    assert.equal((JSON.parse(text) as unknown[]).length, spec.recipients * spec.items);
  });
});
