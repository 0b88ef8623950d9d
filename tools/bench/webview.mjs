// Benchmark of the timeline webview in headless Chromium: the real bundle (dist/webview.js) in the
// real page template and CSP, fed 100,000 and 1,000,000 synthetic events made by the production
// batch encoder. Measures the time from the last batch to the first complete render, and the p95
// frame time while zooming and panning. Targets at 1,000,000: < 1 s and < 16 ms.
//
//   node tools/bench/webview.mjs [--events N[,M...]] [--steps S] [--json]

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import esbuild from 'esbuild';

// The harness is TypeScript (shared with the e2e specs): run this file again under tsx once.
if (!process.env.NP6_BENCH_UNDER_TSX) {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
      env: { ...process.env, NP6_BENCH_UNDER_TSX: '1' },
    },
  );
  process.exit(r.status ?? 1);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const { values } = parseArgs({
  options: {
    events: { type: 'string' },
    steps: { type: 'string', default: '200' },
    json: { type: 'boolean', default: false },
  },
  strict: false,
});
const sizes = String(values.events ?? '100000,1000000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isSafeInteger(n) && n > 0);
const steps = Number(values.steps) || 200;
const log = (...m) => console.error('[webview bench]', ...m);

const harness = await import(path.join(root, 'test', 'e2e', 'harness.ts'));
harness.ensureWebviewBundle();
const feeder = await esbuild.build({
  entryPoints: [path.join(root, 'webview', 'bench', 'feeder.ts')],
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
  target: 'chrome114',
  tsconfig: path.join(root, 'webview', 'tsconfig.json'),
  logLevel: 'warning',
});
const feederCode = feeder.outputFiles[0].text;

const server = await harness.startHarness();
const browser = await harness.launchChromium();
const results = [];
try {
  for (const n of sizes) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.origin}/`);
    await page.evaluate(feederCode);
    log(`${n.toLocaleString('en-US')} events…`);
    const r = await page.evaluate(`window.__bench(${n}, 50000, ${steps})`);
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    r.meetsTargets = r.firstCompleteRenderMs < 1000 && r.p95FrameMs < 16;
    results.push(r);
    log(
      `${n.toLocaleString('en-US')} events: first complete render ${r.firstCompleteRenderMs} ms after the last batch; ` +
        `p95 frame ${r.p95FrameMs} ms (max ${r.maxFrameMs} ms) over ${r.frames} zoom/pan frames`,
    );
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
const out = { suite: 'webview', chromium: '/usr/bin/chromium', results };
if (values.json) console.log(JSON.stringify(out));
else console.table(results);
