#!/usr/bin/env node
// `npm test`: the whole test run, the same on a laptop and in CI.
//   1. makes sure the real-VS-Code toolchain is there (code-server, Node 24, Debian Chromium) — idempotent;
//   2. gates: lint, types, build (bundles and the integration suites), production bundles and the .vsix;
//   3. tests: unit (plain Node), e2e (webview in Chromium), integration (inside code-server) and UI
//      (Playwright driving the real workbench with the .vsix installed);
//   4. a summary: one line per gate and tier, `gates P/N · tests N passed, N failed, N skipped`, and
//      last, alone, `N passed, N failed, N skipped`, where "failed" also counts every failed gate,
//      every tier that did not run and every planned test or check that never ran.
// Counts come from results files, not from the text the runners print: mocha (unit, e2e, and inside
// VS Code for integration) writes them through tools/test/countingReporter.cjs, the UI suites through
// test/ui/uiHarness.mjs; both name the file after NP6_TEST_RESULTS and rewrite it as they go, so a run
// that dies half way still says what was planned and what never ran.
// Flags: --only lint|types|unit|e2e|integration|ui (repeatable), --no-setup.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mochaTier, notRunTier, summaryLines, uiTier } from './tally.cjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tools = path.join(root, '.vscode-tools');
const TIERS = ['lint', 'types', 'unit', 'e2e', 'integration', 'ui'];
const { values: args } = parseArgs({
  options: { only: { type: 'string', multiple: true }, 'no-setup': { type: 'boolean' } },
});
const unknown = (args.only ?? []).filter((o) => !TIERS.includes(o));
if (unknown.length) {
  console.error(`run-all: --only takes ${TIERS.join(', ')}; not ${unknown.join(', ')}`);
  process.exit(2);
}
const wanted = (name) => !args.only || args.only.includes(name);
const reporterPath = path.join(root, 'tools', 'test', 'countingReporter.cjs');
const resultsDir = mkdtempSync(path.join(tmpdir(), 'np6-test-results-'));

/** Gates pass or fail as a whole (a tool, not a test runner). */
const gates = [];
/** Test tiers: counts of test cases (mocha tests, UI checks), and why anything is missing. */
const tiers = [];
const t0 = Date.now();

/** Runs a command with inherited stdio teed into a string; resolves with exit code and output. */
function run(cmd, cmdArgs, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, {
      cwd: root,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const tee = (stream) => (d) => {
      out += d;
      stream.write(d);
    };
    child.stdout.on('data', tee(process.stdout));
    child.stderr.on('data', tee(process.stderr));
    child.on('error', (e) => resolve({ code: 127, out: out + String(e) }));
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), out }));
  });
}

/**
 * One gate: a tool that is not a test runner (lint, tsc, esbuild, vsce); `badOutput` fails it on
 * what the tool printed even when it exits 0 (vsce's warnings).
 */
async function gate(name, cmd, cmdArgs, opts = {}, badOutput) {
  console.log(`\n=== ${name}: ${cmd} ${cmdArgs.join(' ')}`);
  const { code, out } = await run(cmd, cmdArgs, opts);
  const ok = code === 0 && !(badOutput && badOutput.test(out));
  gates.push({ name, ok, note: ok ? '' : code === 0 ? `printed ${badOutput}` : `exit ${code}` });
  return ok;
}

/** A tier that should have run and did not: one failure, with the reason. */
function notRun(name, why) {
  console.log(`\n=== ${name}: NOT RUN (${why})`);
  tiers.push(notRunTier(name, why));
}

function readResults(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Mocha from the command line (unit, e2e) with the counting reporter. */
async function mocha(name, mochaArgs, opts = {}) {
  const file = path.join(resultsDir, `${name}.json`);
  const all = [...mochaArgs, '--reporter', reporterPath];
  console.log(`\n=== ${name}: mocha ${all.join(' ')}`);
  const { code } = await run(
    process.execPath,
    [path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'), ...all],
    { env: { ...opts.env, NP6_TEST_RESULTS: file } },
  );
  tiers.push(mochaTier(name, readResults(file), code));
}

function toolchainEnv() {
  const envFile = path.join(tools, 'env.sh');
  if (!existsSync(envFile)) return undefined;
  const env = {};
  for (const m of readFileSync(envFile, 'utf8').matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]] = m[2];
  return env;
}

async function main() {
  const needsBrowser = wanted('e2e') || wanted('integration') || wanted('ui');
  if (needsBrowser && !args['no-setup'] && (!toolchainEnv() || !existsSync('/usr/bin/chromium'))) {
    console.log(
      '=== setup: installing code-server, Node 24 and Chromium into .vscode-tools (one time, ~3 min)',
    );
    await gate('setup', 'bash', [path.join(root, 'tools', 'vscode-test', 'setup.sh')], {
      env: { TOOLS: tools },
    });
  }
  const env = { ...toolchainEnv(), PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };

  if (wanted('lint'))
    await gate('lint', process.execPath, [
      path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'),
      '.',
    ]);
  if (wanted('types')) {
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    await gate('types', 'sh', [
      '-c',
      `"${process.execPath}" "${tsc}" -p tsconfig.json && "${process.execPath}" "${tsc}" -p webview/tsconfig.json`,
    ]);
  }
  const built = await gate('build', process.execPath, [path.join(root, 'esbuild.js'), '--tests']);

  if (wanted('unit')) await mocha('unit', []);
  if (wanted('e2e')) {
    if (existsSync(path.join(root, 'test', 'e2e', '.mocharc.json')))
      await mocha('e2e', ['--config', 'test/e2e/.mocharc.json'], { env });
    else notRun('e2e', 'test/e2e/.mocharc.json is missing');
  }
  if (wanted('integration')) {
    const entry = path.join(root, 'out', 'test', 'integration', 'index.js');
    if (!built) notRun('integration', 'the build failed');
    else if (!existsSync(entry)) notRun('integration', `${path.relative(root, entry)} is missing`);
    else {
      const file = path.join(resultsDir, 'integration.json');
      console.log(`\n=== integration: run-ext-tests.mjs (mocha inside code-server's extension host)`);
      // NP6_TEST_RESULTS reaches the extension host through code-server's environment.
      const { code } = await run(
        process.execPath,
        [
          path.join(root, 'tools', 'vscode-test', 'run-ext-tests.mjs'),
          '--ext',
          root,
          '--tests',
          entry,
          '--folder',
          path.join(root, 'test', 'fixtures', 'workspace'),
          '--timeout',
          '900',
          '--shots',
          path.join(root, 'test-results', 'integration'),
        ],
        { env: { ...env, NP6_TEST_RESULTS: file } },
      );
      tiers.push(mochaTier('integration', readResults(file), code));
    }
  }
  if (wanted('ui')) {
    const uiSuites = existsSync(path.join(root, 'test', 'ui'))
      ? readdirSync(path.join(root, 'test', 'ui'))
          .filter((f) => f.endsWith('.ui.mjs'))
          .sort()
      : [];
    if (uiSuites.length === 0) notRun('ui', 'no test/ui/*.ui.mjs suite found');
    else {
      const vsix = path.join(root, 'out', 'np6-event-explorer.vsix');
      const bundled = await gate('production', process.execPath, [
        path.join(root, 'esbuild.js'),
        '--production',
      ]);
      // The .vsix must package cleanly: a vsce warning fails the gate.
      const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
      const packaged =
        bundled &&
        (await gate(
          'package',
          process.execPath,
          [
            vsce,
            'package',
            '--no-dependencies',
            '--allow-missing-repository',
            '--no-rewrite-relative-links',
            '-o',
            vsix,
          ],
          {},
          /warning/i,
        ));
      for (const suite of uiSuites) {
        const name = `ui ${suite.replace('.ui.mjs', '')}`;
        if (!packaged) {
          notRun(name, 'the .vsix was not built');
          continue;
        }
        const file = path.join(resultsDir, `${name.replace(' ', '-')}.json`);
        console.log(`\n=== ${name}: ${suite} --vsix ${path.relative(root, vsix)}`);
        const { code } = await run(process.execPath, [path.join(root, 'test', 'ui', suite), '--vsix', vsix], {
          env: { ...env, NP6_TEST_RESULTS: file },
        });
        tiers.push(uiTier(name, readResults(file), code));
      }
    }
  }
  rmSync(resultsDir, { recursive: true, force: true });
  summary();
}

function summary() {
  console.log(`\n=== summary (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  // The last line, alone: a failed gate counts there too, so nothing can hide behind the test count.
  const { lines, failed } = summaryLines(gates, tiers);
  for (const l of lines) console.log(l);
  process.exitCode = failed ? 1 : 0;
}

await main();
