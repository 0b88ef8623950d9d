// One benchmark variant, run in its own process so its peak RSS is its own:
//   node tools/bench/consume.mjs <client|wholeBody|streamJson> <url> <key> <campaignId>
// Reads the whole answer once and prints one JSON line: {events, bytes, ms, cpuMs, peakRssMb} or {error}.

import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const [variant, url, key, campaignId] = process.argv.slice(2);

const query = {
  campaignId,
  endpoint: 'campaign',
  itemsEvents: [{ channel: 'email', events: [{ type: 'hit' }] }],
  sort: 'asc',
};
const request = () =>
  fetch(`${url}/campaigns/${campaignId}/events?sort=asc`, {
    method: 'POST',
    headers: { 'X-Key': key, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ itemsEvents: [{ type: 'email', events: [{ type: 'hit' }] }] }),
  });

// Each variant touches every event (its id) so none can skip the work of materialising it.
const variants = {
  /** (a) This project's streaming client, from the bundle built by ingest.mjs. */
  async client() {
    const { Np6Client } = require(path.join(here, '..', '..', 'dist', 'bench', 'client.cjs'));
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
  /** (b) The naive way: the whole body, then one JSON.parse. */
  async wholeBody() {
    const res = await request();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const all = await res.json();
    let idLength = 0;
    for (const e of all) idLength += e.id.length;
    return { events: all.length, idLength };
  },
  /** (c) stream-json's array streamer over the same response. */
  async streamJson() {
    const { streamArray } = await import('stream-json/streamers/stream-array.js');
    const res = await request();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    let events = 0;
    let idLength = 0;
    const pipeline = Readable.fromWeb(res.body).pipe(streamArray.withParserAsStream());
    for await (const { value } of pipeline) {
      events++;
      idLength += value.id.length;
    }
    return { events, idLength };
  },
};

const run = variants[variant];
if (!run) {
  console.error(`Unknown variant "${variant}": use ${Object.keys(variants).join(', ')}.`);
  process.exit(2);
}
const t0 = performance.now();
const cpu0 = process.cpuUsage();
try {
  const r = await run();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ events: r.events, bytes: r.bytes, ms, cpuMs, peakRssMb }));
} catch (e) {
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ error: e instanceof Error ? e.message : String(e), peakRssMb }));
}
