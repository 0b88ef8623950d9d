// One benchmark variant, run in its own process so its peak RSS is its own:
//   node tools/bench/consume.mjs <variant> <url> <key> <campaignId> [bodyFile]
// Reads the whole answer once and prints one JSON line: {events, bytes, ms, cpuMs, peakRssMb, ...} or {error}.
//
// Variants: client (this project), wholeBody (`await res.json()`), streamJson (stream-json in its
// documented fast path), streamparser (@streamparser/json in its documented array path), and limit
// (no HTTP: UTF-8 decoding of each pre-split element plus its JSON.parse, read from bodyFile). Each variant touches every event (its id) so none can skip materialising it.

import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const [variant, url, key, campaignId, bodyFile] = process.argv.slice(2);

const query = {
  campaignId,
  endpoint: 'campaign',
  itemsEvents: [{ channel: 'email', events: [{ type: 'hit' }] }],
  sort: 'asc',
};
const requestPath = `/campaigns/${campaignId}/events?sort=asc`;
const requestBody = JSON.stringify({ itemsEvents: [{ type: 'email', events: [{ type: 'hit' }] }] });
const fetchAnswer = () =>
  fetch(`${url}${requestPath}`, {
    method: 'POST',
    headers: { 'X-Key': key, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: requestBody,
  });

/**
 * The answer as a Node stream (node:http's IncomingMessage): what stream-json's and
 * @streamparser/json's Node examples read, with no Web-stream conversion in between.
 */
function requestNodeStream() {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${requestPath}`, {
      method: 'POST',
      headers: { 'X-Key': key, 'Content-Type': 'application/json', Accept: 'application/json' },
    });
    req.on('response', (res) => {
      if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
      else resolve(res);
    });
    req.on('error', reject);
    req.end(requestBody);
  });
}

/** Each variant's modules, loaded before the clock starts: loading code is not ingesting. */
const modules = {
  client: async () => require(path.join(here, '..', '..', 'dist', 'bench', 'client.cjs')),
  wholeBody: async () => ({}),
  streamJson: async () => ({
    ...(await import('stream-chain')),
    chain: (await import('stream-chain')).default,
    ...(await import('stream-json')),
    ...(await import('stream-json/streamers/stream-array.js')),
  }),
  streamparser: async () => import('@streamparser/json'),
};

const variants = {
  /** This project's streaming client, from the bundle built by ingest.mjs. */
  async client({ Np6Client }) {
    const client = new Np6Client({ baseUrl: url, apiKey: key, retry: { maxRetries: 0 } });
    let events = 0;
    let idLength = 0;
    let bytes = 0;
    for await (const r of client.streamRecords(query, { onProgress: (p) => (bytes = p.bytes) })) {
      events++;
      idLength += r.event.id.length + (r.json.length > 0 ? 0 : 1);
    }
    return { events, bytes, idLength };
  },

  /** The naive way: the whole body, then one JSON.parse. */
  async wholeBody() {
    const res = await fetchAnswer();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const all = await res.json();
    let idLength = 0;
    for (const e of all) idLength += e.id.length;
    return { events: all.length, idLength };
  },

  /**
   * stream-json's fastest documented way to stream a big array (its README's "Stream a huge JSON
   * array" and "Performance" sections): a Node stream into chain([parser, streamArray, sink]),
   * packed values only (`streamValues: false`: no per-chunk string/number tokens), and the sink
   * inside the chain so no per-value Duplex boundary or `for await` is crossed.
   */
  async streamJson({ chain, none, parser, streamArray }) {
    const res = await requestNodeStream();
    let events = 0;
    let idLength = 0;
    const pipeline = chain([
      res,
      parser({ streamValues: false }),
      streamArray(),
      ({ value }) => {
        events++;
        idLength += value.id.length;
        return none;
      },
    ]);
    await new Promise((resolve, reject) => {
      pipeline.on('error', reject);
      pipeline.on('end', resolve);
      pipeline.resume();
    });
    return { events, idLength };
  },

  /**
   * @streamparser/json as its README streams the elements of a big array: `paths: ['$.*']` with
   * `keepStack: false` (emitted elements are dropped), fed the Node stream's chunks as they come.
   */
  async streamparser({ JSONParser }) {
    const res = await requestNodeStream();
    let events = 0;
    let idLength = 0;
    const parser = new JSONParser({ paths: ['$.*'], keepStack: false });
    parser.onValue = ({ value }) => {
      events++;
      idLength += value.id.length;
    };
    await new Promise((resolve, reject) => {
      parser.onError = reject;
      res.on('data', (chunk) => {
        try {
          parser.write(chunk);
        } catch (e) {
          reject(e);
        }
      });
      res.on('error', reject);
      res.on('end', resolve);
    });
    return { events, idLength };
  },
};

/**
 * The in-process limit: what decoding and parsing alone cost, with no network, no splitting and no
 * stream machinery, each at its fastest. Before the clock starts, the body is read and its element
 * boundaries are found. Timed: decoding each element's bytes from UTF-8 into one string, as a
 * streaming parser has them (one-byte strings where the element is ASCII, which JSON.parse reads
 * faster than slices of a whole two-byte text), and JSON.parse of each; piece by piece (about
 * 32 MB of elements) so memory stays bounded. (Until issue 11 the decode timed was one string per
 * 32 MB piece, which no client needs and is slower: the client then measured above 100% of the
 * "limit". Timing the per-element decode makes the limit lower in time, so stricter.)
 */
function limit() {
  const buf = fs.readFileSync(bodyFile);
  const pieces = cutPieces(buf, 32 << 20);
  const texts = (piece) => {
    const out = new Array(piece.bounds.length / 2);
    for (let i = 0; i < piece.bounds.length; i += 2)
      out[i / 2] = buf.toString('utf8', piece.bounds[i], piece.bounds[i + 1]);
    return out;
  };
  // Untimed warm-up, so V8 has compiled the loop before the clock starts (the streaming variants
  // are warmed by their first chunks in the same way).
  if (pieces[0]) parseAll(texts(pieces[0]).slice(0, 2000));
  let decodeMs = 0;
  let parseMs = 0;
  let events = 0;
  let idLength = 0;
  let cpuMs = 0;
  for (const piece of pieces) {
    let cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const elements = texts(piece);
    decodeMs += performance.now() - t0;
    cpuMs += cpuSince(cpu0);
    if (elements.length === 0) throw new Error('empty piece');
    cpu0 = process.cpuUsage();
    const t1 = performance.now();
    const r = parseAll(elements);
    parseMs += performance.now() - t1;
    cpuMs += cpuSince(cpu0);
    events += r.events;
    idLength += r.idLength;
  }
  return { events, idLength, ms: decodeMs + parseMs, cpuMs, decodeMs, parseMs };
}

function cpuSince(c) {
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
}

function parseAll(texts) {
  let events = 0;
  let idLength = 0;
  for (const t of texts) {
    idLength += JSON.parse(t).id.length;
    events++;
  }
  return { events, idLength };
}

/**
 * Scans a JSON array of objects (bytes or a string: structural characters are ASCII either way)
 * and calls `onElement(start, end)` for each top-level object; `base` is the depth of the elements'
 * container (1 inside the array, 0 in a piece holding elements only).
 */
function scan(at, length, base, onElement) {
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < length; i++) {
    const c = at(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (depth === base && start < 0) start = i;
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === base && start >= 0) {
        onElement(start, i + 1);
        start = -1;
      }
    }
  }
}

/**
 * Runs of whole elements of the body's array, about `size` bytes each: {start, end} byte range and
 * the elements' [start, end) byte positions.
 */
function cutPieces(buf, size) {
  const pieces = [];
  let bounds = [];
  scan(
    (i) => buf[i],
    buf.length,
    1,
    (start, end) => {
      bounds.push(start, end);
      if (end - bounds[0] >= size) {
        pieces.push({ start: bounds[0], end, bounds: Float64Array.from(bounds) });
        bounds = [];
      }
    },
  );
  if (bounds.length) pieces.push({ start: bounds[0], end: bounds.at(-1), bounds: Float64Array.from(bounds) });
  return pieces;
}

const measure = async () => {
  if (variant === 'limit') return limit();
  const run = variants[variant];
  const mods = await modules[variant]?.();
  if (!run)
    throw new Error(`Unknown variant "${variant}": use ${[...Object.keys(variants), 'limit'].join(', ')}.`);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await run(mods);
  const cpu = process.cpuUsage(cpu0);
  return { ...r, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
};

try {
  const r = await measure();
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  // idLength only kept the work from being skipped: not printed.
  delete r.idLength;
  console.log(JSON.stringify({ ...r, peakRssMb }));
} catch (e) {
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ error: e instanceof Error ? e.message : String(e), peakRssMb }));
}
