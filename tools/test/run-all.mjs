#!/usr/bin/env node
// `npm test`: the whole test run, the same on a laptop and in CI.
//   1. makes sure the real-VS-Code toolchain is there (code-server, Node 24, Debian Chromium) — idempotent;
//   2. lint and type-check (one check each);
//   3. builds the bundles, the integration suites and the .vsix;
//   4. unit tests (plain Node), e2e tests (webview in Chromium), integration tests (inside code-server),
//      UI tests (Playwright driving the real workbench with the .vsix installed);
//   5. prints one closing line `N passed, N failed` for everything.
// Flags: --only lint|types|unit|e2e|integration|ui (repeatable), --no-setup.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tools = path.join(root, '.vscode-tools');
const { values: args } = parseArgs({
  options: { only: { type: 'string', multiple: true }, 'no-setup': { type: 'boolean' } },
});
const wanted = (name) => !args.only || args.only.includes(name);

const totals = { passed: 0, failed: 0 };
const lines = [];
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

function record(name, passed, failed, note = '') {
  totals.passed += passed;
  totals.failed += failed;
  lines.push(`${name.padEnd(20)} ${passed} passed, ${failed} failed${note ? `  (${note})` : ''}`);
}

/**
 * One pass/fail check for tools that are not test runners (lint, tsc, packaging); `badOutput`
 * fails it on what the tool printed even when it exits 0 (vsce's warnings).
 */
async function check(name, cmd, cmdArgs, opts = {}, badOutput) {
  console.log(`\n=== ${name}: ${cmd} ${cmdArgs.join(' ')}`);
  const { code, out } = await run(cmd, cmdArgs, opts);
  const ok = code === 0 && !(badOutput && badOutput.test(out));
  record(name, ok ? 1 : 0, ok ? 0 : 1, code === 0 && !ok ? `printed ${badOutput}` : '');
  return ok;
}

/** Mocha's spec reporter: "N passing", "N failing". A crash before the summary counts as one failure. */
async function mocha(name, mochaArgs, opts) {
  console.log(`\n=== ${name}: mocha ${mochaArgs.join(' ')}`);
  const { code, out } = await run(
    process.execPath,
    [path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'), ...mochaArgs],
    opts,
  );
  const passing = Number(/(\d+) passing/.exec(out)?.[1] ?? 0);
  const failing = Number(/(\d+) failing/.exec(out)?.[1] ?? 0);
  const crashed = code !== 0 && failing === 0;
  record(name, passing, failing + (crashed ? 1 : 0), crashed ? `exit ${code} before a summary` : '');
}

/** Suites that print their own `<name>: N passed, N failed` line (integration, ui). */
async function counted(name, cmd, cmdArgs, opts) {
  console.log(`\n=== ${name}: ${cmd} ${cmdArgs.join(' ')}`);
  const { code, out } = await run(cmd, cmdArgs, opts);
  const m = [...out.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
  const passed = Number(m?.[1] ?? 0);
  const failed = Number(m?.[2] ?? 0);
  const crashed = code !== 0 && failed === 0;
  record(name, passed, failed + (crashed ? 1 : 0), crashed ? `exit ${code}` : '');
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
    const { code } = await run('bash', [path.join(root, 'tools', 'vscode-test', 'setup.sh')], {
      env: { TOOLS: tools },
    });
    if (code !== 0) record('setup', 0, 1, 'toolchain install failed');
  }
  const env = { ...toolchainEnv(), PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };

  if (wanted('lint'))
    await check('lint', process.execPath, [
      path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'),
      '.',
    ]);
  if (wanted('types')) {
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    await check('types', 'sh', [
      '-c',
      `"${process.execPath}" "${tsc}" -p tsconfig.json && "${process.execPath}" "${tsc}" -p webview/tsconfig.json`,
    ]);
  }
  const built = await check('build', process.execPath, [path.join(root, 'esbuild.js'), '--tests']);

  if (wanted('unit')) await mocha('unit', []);
  if (wanted('e2e') && existsSync(path.join(root, 'test', 'e2e', '.mocharc.json'))) {
    await mocha('e2e', ['--config', 'test/e2e/.mocharc.json'], { env });
  }
  if (
    wanted('integration') &&
    built &&
    existsSync(path.join(root, 'out', 'test', 'integration', 'index.js'))
  ) {
    await counted(
      'integration',
      process.execPath,
      [
        path.join(root, 'tools', 'vscode-test', 'run-ext-tests.mjs'),
        '--ext',
        root,
        '--tests',
        path.join(root, 'out', 'test', 'integration', 'index.js'),
        '--folder',
        path.join(root, 'test', 'fixtures', 'workspace'),
        '--timeout',
        '600',
        '--shots',
        path.join(root, 'test-results', 'integration'),
      ],
      { env },
    );
  }
  const uiSuites = existsSync(path.join(root, 'test', 'ui'))
    ? readdirSync(path.join(root, 'test', 'ui'))
        .filter((f) => f.endsWith('.ui.mjs'))
        .sort()
    : [];
  if (wanted('ui') && uiSuites.length > 0) {
    const vsix = path.join(root, 'out', 'np6-event-explorer.vsix');
    const bundled = await check('production', process.execPath, [
      path.join(root, 'esbuild.js'),
      '--production',
    ]);
    // The .vsix must package cleanly: a vsce warning fails the check.
    const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    const packaged =
      bundled &&
      (await check(
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
    for (const suite of packaged ? uiSuites : []) {
      await counted(
        `ui ${suite.replace('.ui.mjs', '')}`,
        process.execPath,
        [path.join(root, 'test', 'ui', suite), '--vsix', vsix],
        { env },
      );
    }
  }

  console.log(`\n=== summary (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  for (const l of lines) console.log(l);
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  process.exitCode = totals.failed > 0 ? 1 : 0;
}

await main();
