// One measured run of the pipeline (a separate process per size, so peak RSS is its own):
// loopback HTTP → Np6Client → windowedFetch → ResultStore (+ index) → writeExport to a file,
// then a plain copy of the same bytes for comparison. Prints one JSON line.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: {
    bundle: { type: 'string' },
    url: { type: 'string' },
    campaign: { type: 'string' },
    start: { type: 'string' },
    end: { type: 'string' },
    dir: { type: 'string' },
  },
});
const lib = require(values.bundle);
const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const ms = (t) => Math.round(performance.now() - t);
/** CPU time (user + system) since `c`, in ms: what the work cost, whatever else runs on the machine. */
const cpuMs = (c) => {
  const d = process.cpuUsage(c);
  return Math.round((d.user + d.system) / 1000);
};

const dir = values.dir;
const query = {
  campaignId: values.campaign,
  endpoint: 'campaign',
  itemsEvents: [lib.allEmailEvents()],
  start: Number(values.start),
  end: Number(values.end),
  sort: 'asc',
};
const client = new lib.Np6Client({ baseUrl: values.url, apiKey: 'bench-key' });
const store = await lib.ResultStore.create(path.join(dir, 'result'), {
  id: 'bench',
  campaignLabel: 'bench',
  query,
});

const rssBeforeMb = Math.round(process.memoryUsage().rss / 1048576);
let windows = 0;
let t = performance.now();
let cpu = process.cpuUsage();
const completeness = await lib.windowedFetch({
  client,
  query,
  store,
  onProgress: (p) => (windows = Math.max(windows, p.window)),
});
await store.finish(completeness);
const fetchMs = ms(t);
const fetchCpuMs = cpuMs(cpu);
const rssAfterFetchMb = peakMb();
const storeBytes = store.eventBytes;

const exportFile = path.join(dir, 'export.json');
t = performance.now();
cpu = process.cpuUsage();
const out = fs.createWriteStream(exportFile, { highWaterMark: 1 << 20 });
const written = await lib.writeExport(out, 'export', store.summary, store.records('time'));
await new Promise((resolve, reject) => out.end(resolve).on('error', reject));
const exportMs = ms(t);
const exportCpuMs = cpuMs(cpu);

// For comparison only (not the product path): the same export writing each record's stored
// bytes instead of its text, as writeExport could when a record carries `bytes`.
t = performance.now();
cpu = process.cpuUsage();
{
  const out2 = fs.createWriteStream(path.join(dir, 'export-bytes.ndjson'), { highWaterMark: 1 << 20 });
  const NL = Buffer.from('\n');
  let parts = [];
  let pending = 0;
  for await (const r of store.records('time')) {
    parts.push(r.bytes, NL);
    pending += r.bytes.length + 1;
    if (pending >= 1 << 20) {
      const chunk = Buffer.concat(parts);
      parts = [];
      pending = 0;
      if (!out2.write(chunk)) await new Promise((resolve) => out2.once('drain', resolve));
    }
  }
  await new Promise((resolve, reject) => out2.end(Buffer.concat(parts), resolve).on('error', reject));
}
const bytesPathMs = ms(t);
const bytesPathCpuMs = cpuMs(cpu);
fs.rmSync(path.join(dir, 'export-bytes.ndjson'));

t = performance.now();
cpu = process.cpuUsage();
await pipeline(
  fs.createReadStream(exportFile, { highWaterMark: 1 << 20 }),
  fs.createWriteStream(path.join(dir, 'copy-pipe.json'), { highWaterMark: 1 << 20 }),
);
const copyPipeMs = ms(t);
const copyPipeCpuMs = cpuMs(cpu);
fs.rmSync(path.join(dir, 'copy-pipe.json'));
t = performance.now();
await fs.promises.copyFile(exportFile, path.join(dir, 'copy-file.json'));
const copyFileMs = ms(t);
await store.close();

console.log(
  JSON.stringify({
    events: store.index.length,
    complete: completeness.complete,
    windows,
    responseBytes: store.summary.bytes,
    storeBytes,
    exportBytes: written.bytes,
    fetchMs,
    fetchCpuMs,
    exportMs,
    exportCpuMs,
    bytesPathMs,
    bytesPathCpuMs,
    copyPipeMs,
    copyPipeCpuMs,
    copyFileMs,
    rssBeforeMb,
    rssAfterFetchMb,
    peakRssMb: peakMb(),
  }),
);
