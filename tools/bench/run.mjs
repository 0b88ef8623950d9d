// `npm run bench`: runs the benchmark suites that exist, one after the other, each in its own process.
//
//   node tools/bench/run.mjs [--only ingest|pipeline|webview] [--events N] [--json] [...suite args]
//
// Suites: ingest.mjs (the NP6 client against whole-body JSON and stream-json), pipeline.mjs and
// webview.mjs (added by other parts; skipped while absent). Every argument except --only is passed on.
// With --json each suite prints one JSON object as its last stdout line; this prints one object:
// the ingest suite's fields at the top level ({events, bytes, variants, ...}) and the other suites
// under "suites".

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SUITES = ['ingest', 'pipeline', 'webview'];

const args = process.argv.slice(2);
let only;
const passOn = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--only') only = args[++i];
  else if (args[i].startsWith('--only=')) only = args[i].slice('--only='.length);
  else passOn.push(args[i]);
}
if (only !== undefined && !SUITES.includes(only)) {
  console.error(`Unknown suite "${only}": use --only ${SUITES.join('|')}.`);
  process.exit(2);
}
const json = passOn.includes('--json');

const wanted = SUITES.filter((s) => !only || s === only);
const present = wanted.filter((s) => fs.existsSync(path.join(here, `${s}.mjs`)));
for (const s of wanted.filter((x) => !present.includes(x))) {
  console.error(`(suite "${s}" not present yet: tools/bench/${s}.mjs, skipped)`);
}
if (present.length === 0) {
  console.error('No benchmark suite to run.');
  process.exit(1);
}

function runSuite(name) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(here, `${name}.mjs`), ...passOn], {
      // With --json, stdout is collected (the suite's last line is its JSON); progress stays on stderr.
      stdio: ['ignore', json ? 'pipe' : 'inherit', 'inherit'],
    });
    let stdout = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout }));
  });
}

let failed = 0;
const merged = {};
for (const name of present) {
  if (!json) console.log(`\n=== ${name} ===`);
  const { code, stdout } = await runSuite(name);
  if (code !== 0) failed++;
  if (!json) continue;
  let result;
  try {
    result = JSON.parse(stdout.trim().split('\n').pop() ?? '');
  } catch {
    result = { error: `suite exited with code ${code} without a JSON result` };
  }
  if (name === 'ingest') Object.assign(merged, result);
  else (merged.suites ??= {})[name] = result;
}
if (json) console.log(JSON.stringify(merged));
process.exit(failed ? 1 : 0);
