// A loopback server that answers NP6 campaign-events requests from a pre-rendered body: the
// sandbox's events for one campaign, generated once, one per line, sorted ascending. A request's
// [start, end) is found by binary search over the timestamps, and its slice of the file is streamed
// as the JSON array NP6 would send. So the benchmark measures the client side, not the generator.

import fs from 'node:fs';
import http from 'node:http';

/** First index whose timestamp is >= t. */
function lowerBound(ts, n, t) {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Writes `events` (sorted ascending) to `file`, each line `JSON,\n`, and returns the timestamps and
 * line offsets (one more offset than events: the end of the file).
 */
export async function renderBody(events, maxEvents, file) {
  let cap = 1 << 16;
  let ts = new Float64Array(cap);
  let offsets = new Float64Array(cap + 1);
  const out = fs.createWriteStream(file, { highWaterMark: 1 << 20 });
  let n = 0;
  let pos = 0;
  let parts = [];
  let pending = 0;
  for (const e of events) {
    if (n === maxEvents) break;
    if (n === cap) {
      cap *= 2;
      const t2 = new Float64Array(cap);
      t2.set(ts);
      ts = t2;
      const o2 = new Float64Array(cap + 1);
      o2.set(offsets);
      offsets = o2;
    }
    const line = JSON.stringify(e) + ',\n';
    ts[n] = e.timestamp;
    offsets[n] = pos;
    pos += Buffer.byteLength(line);
    n++;
    parts.push(line);
    pending += line.length;
    if (pending > 1 << 20) {
      if (!out.write(parts.join(''))) await new Promise((r) => out.once('drain', r));
      parts = [];
      pending = 0;
    }
  }
  out.end(parts.join(''));
  await new Promise((r, j) => out.on('finish', r).on('error', j));
  offsets[n] = pos;
  return { n, bytes: pos, ts, offsets };
}

export function startBodyServer(file, body) {
  const { n, ts, offsets } = body;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    req.resume();
    if (req.method !== 'POST' || !/^\/campaigns\/[^/]+\/events$/.test(url.pathname)) {
      res.writeHead(404).end();
      return;
    }
    const start = url.searchParams.has('start') ? Date.parse(url.searchParams.get('start')) : -Infinity;
    const end = url.searchParams.has('end') ? Date.parse(url.searchParams.get('end')) : Infinity;
    const i = lowerBound(ts, n, start);
    const j = lowerBound(ts, n, end);
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `bench-${i}-${j}` });
    if (i >= j) {
      res.end('[]');
      return;
    }
    res.write('[\n');
    // Lines i..j-1, without the last line's ",\n".
    const stream = fs.createReadStream(file, {
      start: offsets[i],
      end: offsets[j] - 3,
      highWaterMark: 1 << 16,
    });
    stream.on('error', () => res.destroy());
    stream.on('end', () => res.end('\n]'));
    stream.pipe(res, { end: false });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}
