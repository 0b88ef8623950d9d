// Ingest benchmark: how fast, and in how much memory, one NP6 answer of N events is consumed by
//   (a) this project's streaming client, (b) whole-body `await res.json()`, (c) stream-json.
//
//   node tools/bench/ingest.mjs [--events 200000] [--runs 2 (1 above 300k events)] [--json]
//
// The sandbox generates the N events once into a temp file (so its generator is not what is
// measured), then a loopback HTTP server streams that file, chunked, to each variant in turn.
// Every variant runs in a separate child process, so its peak RSS (process.resourceUsage().maxRSS)
// is its own. Throughput is the best of --runs runs; peak RSS the highest.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..', '..');
const require = createRequire(import.meta.url);

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    runs: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  strict: false,
});
const N = Number(values.events);
// Best of two by default; one at large sizes, where stream-json alone takes minutes.
const RUNS = values.runs === undefined ? (N > 300_000 ? 1 : 2) : Number(values.runs);
if (!Number.isSafeInteger(N) || N <= 0 || !Number.isSafeInteger(RUNS) || RUNS <= 0) {
  console.error('Usage: node tools/bench/ingest.mjs [--events N] [--runs R] [--json]');
  process.exit(2);
}
const say = (text) => {
  if (!values.json) console.log(text);
  else console.error(text);
};

/** Bundles the client and the sandbox (TypeScript) for plain node children. */
async function buildBundles() {
  const esbuild = require('esbuild');
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' };
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: [path.join(root, 'src/np6/client.ts')],
      outfile: path.join(root, 'dist/bench/client.cjs'),
    }),
    esbuild.build({
      ...common,
      entryPoints: [path.join(root, 'tools/sandbox/index.ts')],
      outfile: path.join(root, 'dist/bench/sandbox.cjs'),
    }),
  ]);
}

/** Writes exactly N sandbox events, as the JSON array NP6 would send, to `file`. */
async function renderBody(file) {
  const { startSandbox, LARGE_CAMPAIGN } = require(path.join(root, 'dist/bench/sandbox.cjs'));
  // The generator's size is approximate: ask for a little more, and cut at N.
  for (let factor = 1.1; ; factor *= 1.5) {
    const sandbox = await startSandbox({ campaigns: [LARGE_CAMPAIGN(Math.ceil(N * factor))] });
    const c = sandbox.campaigns[0];
    const query = {
      campaignId: c.id,
      endpoint: 'campaign',
      itemsEvents: [
        {
          channel: 'email',
          events: ['execution', 'activation', 'hit', 'bounce', 'cancellation', 'complaint'].map((type) => ({
            type,
          })),
        },
      ],
      sort: 'asc',
    };
    const out = fs.createWriteStream(file);
    let count = 0;
    let pending = '[';
    for (const e of sandbox.expectedEvents(c.id, query)) {
      pending += (count === 0 ? '' : ',') + JSON.stringify(e);
      if (++count === N) break;
      if (pending.length > 1 << 16) {
        if (!out.write(pending)) await once(out, 'drain');
        pending = '';
      }
    }
    out.end(`${pending}]`);
    await once(out, 'close');
    await sandbox.close();
    if (count === N) return { campaignId: c.id, bytes: fs.statSync(file).size };
  }
}

/** A loopback server that streams the pre-rendered file as the answer to any POST. */
async function serveFile(file, key) {
  const server = http.createServer((req, res) => {
    req.resume();
    if (req.headers['x-key'] !== key) {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'x-request-id': 'bench' });
    fs.createReadStream(file, { highWaterMark: 64 * 1024 }).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

function runChild(variant, url, key, campaignId) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(here, 'consume.mjs'), variant, url, key, campaignId], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: root,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code, signal) => {
      const line = stdout.trim().split('\n').pop();
      try {
        resolve(JSON.parse(line));
      } catch {
        const why = signal ? `killed by ${signal}` : `exited with code ${code}`;
        const detail = stderr.trim().split('\n').filter(Boolean).slice(-1)[0] ?? '';
        resolve({ error: `${why}${detail ? `: ${detail.slice(0, 200)}` : ''}` });
      }
    });
  });
}

const fmt = (n, digits = 1) =>
  n === undefined ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: digits });

async function main() {
  say(
    `Ingest benchmark: ${fmt(N, 0)} events, ${RUNS} run(s) per variant, ${os.cpus().length} cores, node ${process.version}`,
  );
  await buildBundles();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'np6-bench-'));
  const file = path.join(dir, 'answer.json');
  const key = 'bench-key';
  let server;
  try {
    const t0 = performance.now();
    const { campaignId, bytes } = await renderBody(file);
    say(
      `Rendered ${fmt(bytes / 1e6)} MB in ${fmt((performance.now() - t0) / 1000)} s (sandbox generator, once).`,
    );
    const served = await serveFile(file, key);
    server = served.server;

    // Runs are interleaved (a, b, c, a, b, c, ...) so that load from elsewhere on the machine
    // falls on every variant alike.
    const names = ['client', 'wholeBody', 'streamJson'];
    const state = Object.fromEntries(names.map((n) => [n, { best: undefined, peak: 0, error: undefined }]));
    for (let run = 0; run < RUNS; run++) {
      for (const name of names) {
        const s = state[name];
        if (s.error) continue;
        const r = await runChild(name, served.url, key, campaignId);
        s.peak = Math.max(s.peak, r.peakRssMb ?? 0);
        if (r.error) s.error = r.error;
        else if (r.events !== N) s.error = `got ${r.events} events, expected ${N}`;
        else if (!s.best || r.ms < s.best.ms) s.best = r;
      }
    }
    const variants = {};
    for (const name of names) {
      const { best, peak, error } = state[name];
      const v = error
        ? { error, peakRssMb: round(peak) }
        : {
            eventsPerSec: Math.round(N / (best.ms / 1000)),
            mbPerSec: round(bytes / 1e6 / (best.ms / 1000)),
            seconds: round(best.ms / 1000, 3),
            cpuSeconds: round(best.cpuMs / 1000, 3),
            peakRssMb: round(peak),
          };
      variants[name] = v;
      say(
        `  ${name.padEnd(11)} ${v.error ? `ERROR ${v.error} (peak RSS ${fmt(v.peakRssMb)} MB)` : `${fmt(v.eventsPerSec, 0).padStart(10)} events/s ${fmt(v.mbPerSec).padStart(7)} MB/s  (${fmt(v.seconds, 2)} s, cpu ${fmt(v.cpuSeconds, 2)} s)  peak RSS ${fmt(v.peakRssMb).padStart(7)} MB`}`,
      );
    }
    const a = variants.client;
    const ratio = (x, y) => (x?.mbPerSec && y?.mbPerSec ? round(x.mbPerSec / y.mbPerSec, 2) : undefined);
    const ratios = {
      clientVsWholeBody: ratio(a, variants.wholeBody),
      clientVsStreamJson: ratio(a, variants.streamJson),
      rssClientOverWholeBody:
        a?.peakRssMb && variants.wholeBody?.peakRssMb && !variants.wholeBody.error
          ? round(a.peakRssMb / variants.wholeBody.peakRssMb, 3)
          : undefined,
    };
    say(
      `  throughput a/b ${fmt(ratios.clientVsWholeBody, 2)}x (target ≥ 1.0), a/c ${fmt(ratios.clientVsStreamJson, 2)}x (target ≥ 3); ` +
        `RSS a/b ${fmt(ratios.rssClientOverWholeBody, 3)} (target ≤ 0.25)` +
        (N >= 1_000_000 ? `; client peak RSS ${fmt(a?.peakRssMb)} MB (target < 400)` : ''),
    );
    if (values.json) console.log(JSON.stringify({ events: N, bytes, variants, ratios }));
  } finally {
    server?.closeAllConnections();
    server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function round(n, digits = 1) {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
