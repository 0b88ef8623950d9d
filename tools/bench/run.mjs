// `npm run bench`: runs the benchmark suites that exist, one after the other, each in its own process.
//
//   node tools/bench/run.mjs [--only ingest|pipeline|webview|vscode] [--events N] [--json] [--check]
//                            [...suite args]
//
// Suites: ingest.mjs (the NP6 client against whole-body JSON, stream-json, @streamparser/json and
// the in-process limit), pipeline.mjs, webview.mjs; vscode.mjs (the real workbench: code-server
// with the packaged .vsix and the demo's 1M-event query, minutes of both cores) only with
// --only vscode. Every argument except --only is passed on.
// The machine (cores, CPU, memory, load average before and after) is printed first. Each suite prints
// its targets as met / not met / n/a; a summary of all of them closes the run. With --check the run
// exits non-zero when a target is not met; without it, it exits 0 unless a suite failed.
// With --json this prints one object: the ingest suite's fields at the top level
// ({events, bytes, variants, ...}), the other suites under "suites", and "machine" and "targets".

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeLoad, describeMachine, machine } from './lib/machine.mjs';
import { formatTarget, missed } from './lib/targets.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SUITES = ['ingest', 'pipeline', 'webview'];
/** Run only when asked for by name: they need the packaged extension and take minutes. */
const OPT_IN = ['vscode'];

const args = process.argv.slice(2);
let only;
const passOn = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--only') only = args[++i];
  else if (args[i].startsWith('--only=')) only = args[i].slice('--only='.length);
  else passOn.push(args[i]);
}
if (only !== undefined && ![...SUITES, ...OPT_IN].includes(only)) {
  console.error(`Unknown suite "${only}": use --only ${[...SUITES, ...OPT_IN].join('|')}.`);
  process.exit(2);
}
const json = passOn.includes('--json');
// With --json, stdout carries only the final object: everything else goes to stderr.
const say = (text) => (json ? console.error(text) : console.log(text));

const wanted = only ? [only] : SUITES;
const present = wanted.filter((s) => fs.existsSync(path.join(here, `${s}.mjs`)));
for (const s of wanted.filter((x) => !present.includes(x))) {
  console.error(`(suite "${s}" not present yet: tools/bench/${s}.mjs, skipped)`);
}
if (present.length === 0) {
  console.error('No benchmark suite to run.');
  process.exit(1);
}

const before = machine();
say(describeMachine(before));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'np6-bench-run-'));

function runSuite(name) {
  const resultFile = path.join(work, `${name}.json`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(here, `${name}.mjs`), ...passOn], {
      // Suites print their human lines to stdout, or to stderr with --json (stdout: their JSON).
      stdio: ['ignore', json ? 'ignore' : 'inherit', 'inherit'],
      env: { ...process.env, NP6_BENCH_RUNNER: '1', NP6_BENCH_RESULT: resultFile },
    });
    child.on('close', (code) => {
      let result;
      try {
        result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
      } catch {
        result = { error: `suite exited with code ${code} without a result` };
      }
      resolve({ code: code ?? 1, result });
    });
  });
}

let failed = 0;
const merged = {};
const targets = [];
try {
  for (const name of present) {
    say(`\n=== ${name} ===`);
    const { code, result } = await runSuite(name);
    if (code !== 0) failed++;
    if (result.error) say(`  suite ${name} failed: ${result.error}`);
    for (const t of result.targets ?? []) targets.push({ suite: name, ...t });
    // The machine is printed once, for the whole run.
    const fields = { ...result };
    delete fields.machine;
    if (name === 'ingest') Object.assign(merged, fields);
    else (merged.suites ??= {})[name] = fields;
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

const after = machine();
const misses = missed(targets);
say(`\n=== targets ===`);
for (const t of targets) say(`${t.suite.padEnd(8)}${formatTarget(t)}`);
say(
  `${targets.length - misses.length - targets.filter((t) => t.status === 'n/a').length} met, ` +
    `${misses.length} not met, ${targets.filter((t) => t.status === 'n/a').length} n/a` +
    (misses.length ? ` — not met: ${misses.map((t) => `${t.suite}: ${t.name}`).join('; ')}` : ''),
);
say(`Load average after: ${describeLoad(after.loadAverage)}`);
if (json) {
  console.log(
    JSON.stringify({ machine: { ...before, loadAverageAfter: after.loadAverage }, ...merged, targets }),
  );
}
process.exit(failed ? 1 : 0);
