// One measured run of the pipeline (a separate process per size, so peak RSS is its own):
// loopback HTTP → Np6Client → windowedFetch → ResultStore (+ index) → export to a file in each
// format, each beside plain copies of the same bytes. Prints one JSON line.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
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
    repeat: { type: 'string' },
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
// The event loop's worst wait during fetch + store + index: what a host running this would feel.
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
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
loop.disable();
const loopMaxMs = Math.max(0, Math.round(loop.max / 1e6 - 10));
const rssAfterFetchMb = peakMb();
const storeBytes = store.eventBytes;

// Each format through the product path (exportedPart + writeExport: byte ranges of the stored
// file when it is in time order), then the same bytes copied: piped through streams with several
// buffer sizes (the fastest is the baseline) and with fs.copyFile (the kernel's copy, no JS: the
// machine's limit). Best of `repeat` runs on both sides. Both write to a plain WriteStream
// (the product's atomic file adds one fsync, the same for any writer).
const repeat = Math.max(1, Number(values.repeat ?? 1));
// 64 KB (the streams' default) was the slowest in every run measured: not worth its writes.
const PIPE_BUFFERS = [1 << 20, 4 << 20];
async function timed(fn) {
  // Every measurement starts from a collected heap (the child runs with --expose-gc): otherwise
  // whichever runs first after the fetch pays for collecting the fetch's garbage.
  globalThis.gc?.();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await fn();
  return { ms: performance.now() - t0, cpuMs: cpuMs(c0), r };
}
const best = (runs) => runs.reduce((a, b) => (b.ms < a.ms ? b : a));
async function writeTo(file, fn) {
  const out = fs.createWriteStream(file, { highWaterMark: 1 << 20 });
  const r = await fn(out);
  await new Promise((resolve, reject) => out.end(resolve).on('error', reject));
  return r;
}
const formats = [];
for (const format of ['ndjson', 'array', 'export']) {
  const file = path.join(dir, `export.${format}`);
  const exportRuns = [];
  const pipeRuns = Object.fromEntries(PIPE_BUFFERS.map((b) => [b, []]));
  const copyFileRuns = [];
  let written;
  for (let k = 0; k < repeat; k++) {
    const e = await timed(() =>
      writeTo(file, (out) => {
        const { meta, records } = lib.exportedPart(store);
        return lib.writeExport(out, format, meta, records);
      }),
    );
    written = e.r;
    exportRuns.push(e);
    for (const hwm of PIPE_BUFFERS) {
      const copy = path.join(dir, 'copy-pipe');
      pipeRuns[hwm].push(
        await timed(() =>
          pipeline(
            fs.createReadStream(file, { highWaterMark: hwm }),
            fs.createWriteStream(copy, { highWaterMark: hwm }),
          ),
        ),
      );
      fs.rmSync(copy);
    }
    const copy = path.join(dir, 'copy-file');
    copyFileRuns.push(await timed(() => fs.promises.copyFile(file, copy)));
    fs.rmSync(copy);
  }
  fs.rmSync(file);
  const pipes = PIPE_BUFFERS.map((hwm) => ({ bufferKB: hwm >> 10, ...pick(best(pipeRuns[hwm])) }));
  const fastestPipe = pipes.reduce((a, b) => (b.ms < a.ms ? b : a));
  formats.push({
    format,
    bytes: written.bytes,
    count: written.count,
    export: pick(best(exportRuns)),
    pipes,
    fastestPipe,
    copyFile: pick(best(copyFileRuns)),
  });
}
function pick(run) {
  return { ms: Math.round(run.ms), cpuMs: run.cpuMs };
}

// For comparison (not a target): the per-record path, used for a subset or a result out of time
// order, on the same result.
const recordsRun = await timed(() =>
  writeTo(path.join(dir, 'export-records.ndjson'), async (out) => {
    async function* plain() {
      yield* store.records('time');
    }
    return lib.writeExport(out, 'ndjson', store.summary, plain());
  }),
);
fs.rmSync(path.join(dir, 'export-records.ndjson'));
await store.close();

console.log(
  JSON.stringify({
    events: store.index.length,
    complete: completeness.complete,
    windows,
    responseBytes: store.summary.bytes,
    storeBytes,
    fetchMs,
    fetchCpuMs,
    loopMaxMs,
    formats,
    recordsPath: { format: 'ndjson', ...pick(recordsRun) },
    rssBeforeMb,
    rssAfterFetchMb,
    peakRssMb: peakMb(),
  }),
);
