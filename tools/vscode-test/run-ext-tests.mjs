// Runs an extension's mocha suite INSIDE code-server's (real VS Code) Node extension host,
// driven by headless Debian Chromium via playwright-core. Exit code = test result.
// Usage: node run-ext-tests.mjs --ext <extDir> --tests <abs path to compiled test entry .js>
//          [--folder <workspace dir>] [--port 0 (=free port)] [--timeout 180] [--shots <dir>]
// Env: CODE_SERVER_NODE (Node 24 binary), CODE_SERVER_BIN (code-server entry.js), CHROMIUM_BIN,
//      VSCT_VERBOSE=1 (all server/browser logs), VSCT_KEEP=1 (keep the temp profile + logs).
// The tests see VSCT_LOGS_DIR: VS Code's logs folder of this run (<profile>/logs), which holds
// code-server's own (<date>/remoteagent.log, <date>/exthost1/remoteexthost.log, ...) and window.log,
// every line the workbench (the browser side) logged, as it arrived here — where VS Code writes
// "Extension host (Remote) is unresponsive." when the extension host stops answering.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: a } = parseArgs({
  options: {
    ext: { type: 'string' },
    tests: { type: 'string' },
    folder: { type: 'string' },
    port: { type: 'string', default: '0' },
    timeout: { type: 'string', default: '180' },
    shots: { type: 'string' },
    'code-server': { type: 'string', default: process.env.CODE_SERVER_BIN || 'code-server' },
    node: { type: 'string', default: process.env.CODE_SERVER_NODE || 'node' },
    chromium: { type: 'string', default: process.env.CHROMIUM_BIN || '/usr/bin/chromium' },
  },
});
const ext = path.resolve(a.ext),
  tests = path.resolve(a.tests);
const folder = path.resolve(a.folder ?? ext);
let port = Number(a.port); // 0 = let code-server pick a free port
const tmp = mkdtempSync(path.join(tmpdir(), 'vsct-run-'));
const t0 = Date.now();
// Quiet, offline-friendly profile: no AI/chat panel, no welcome page, no update/gallery/telemetry chatter.
mkdirSync(path.join(tmp, 'user', 'User'), { recursive: true });
writeFileSync(
  path.join(tmp, 'user', 'User', 'settings.json'),
  JSON.stringify(
    {
      'chat.disableAIFeatures': true,
      'workbench.startupEditor': 'none',
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'workbench.enableExperiments': false,
      'security.workspace.trust.enabled': false,
    },
    null,
    2,
  ),
);
const log = (...m) => console.log(`[harness +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...m);
const logsDir = path.join(tmp, 'user', 'logs');
mkdirSync(logsDir, { recursive: true });
const windowLog = path.join(logsDir, 'window.log');
writeFileSync(windowLog, '');

// 1. code-server: loopback only, no auth, throw-away profile, no telemetry/update checks.
const server = spawn(
  a.node,
  [
    a['code-server'],
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--user-data-dir',
    path.join(tmp, 'user'),
    '--extensions-dir',
    path.join(tmp, 'exts'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    // Built VS Code only honours extensionDevelopmentPath/extensionTestsPath from the URL `payload`
    // when developmentOptions.enableSmokeTestDriver is set; code-server passes it via --vscode-option.
    '--vscode-option',
    'enable-smoke-test-driver',
    '--config',
    path.join(tmp, 'config.yaml'), // otherwise it writes ~/.config/code-server/config.yaml
  ],
  {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    // keep code-server's own logs (~/.local/share/code-server) inside the temp dir too
    env: {
      ...process.env,
      XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
      XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
      // The extension host inherits the server's environment: the tests find the logs here.
      VSCT_LOGS_DIR: logsDir,
    },
  },
);
let serverOut = '';
server.stdout.on('data', (d) => {
  serverOut += d;
  if (process.env.VSCT_VERBOSE) process.stdout.write(`[server] ${d}`);
});
server.stderr.on('data', (d) => {
  serverOut += d;
  if (process.env.VSCT_VERBOSE) process.stderr.write(`[server] ${d}`);
});

let browser;
let page;
const finish = async (code, why) => {
  log(`finish: exit ${code} (${why})`);
  if (code === 2 && page && a.shots) {
    try {
      mkdirSync(a.shots, { recursive: true });
      await page.screenshot({ path: path.join(a.shots, 'timeout.png') });
    } catch {}
  }
  try {
    await browser?.close();
  } catch {}
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {} // whole process group we created
  if (process.env.VSCT_KEEP) log('kept', tmp);
  else
    try {
      rmSync(tmp, { recursive: true, force: true });
    } catch {}
  process.exit(code);
};
setTimeout(() => finish(2, `timeout after ${a.timeout}s`), Number(a.timeout) * 1000).unref();
server.on('exit', (c) => {
  if (!browser) {
    console.error(serverOut);
    finish(3, `code-server exited early (${c})`);
  }
});

await new Promise((res) => {
  const check = () => {
    const m = serverOut.match(/HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/);
    if (m) {
      port = Number(m[1]);
      res();
    } else setTimeout(check, 100);
  };
  check();
});
log(`code-server is listening on port ${port}`);

// 2. Chromium (Debian package) through playwright-core; no browser download needed.
browser = await chromium.launch({
  executablePath: a.chromium,
  headless: true,
  // Chromium's crashpad writes ~/.config/chromium/Crash Reports even with a temp profile: keep it in tmp.
  env: {
    ...process.env,
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
  },
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
// Must exist before the workbench boots: VS Code looks for these globals.
// Everything the workbench logs arrives here, including the extension host's console output
// (mocha's reporter). Drop the workbench's own chatter unless VSCT_VERBOSE is set.
const NOISE =
  /^\[(AgentHost|ChatModelSelection|AccountPolicyGate)|No signed-in session|deferring authentication|ENOTFOUND|ERR_NAME_NOT_RESOLVED/;
await context.exposeFunction('codeAutomationLog', (type, args) => {
  args = Array.isArray(args) ? args : [args];
  try {
    appendFileSync(windowLog, `${new Date().toISOString()} [${type}] ${args.map(String).join(' ')}\n`);
  } catch {}
  if (!process.env.VSCT_VERBOSE && NOISE.test(String(args[0]))) return;
  (console[type] ?? console.log)(...args);
});
await context.exposeFunction('codeAutomationExit', async (code) => {
  if (a.shots) {
    try {
      mkdirSync(a.shots, { recursive: true });
      await page.screenshot({ path: path.join(a.shots, 'tests-finished.png') });
    } catch {}
  }
  await finish(code, 'extension host exited after running tests');
});
page = await context.newPage();
page.on('pageerror', (e) => console.error('[page error]', e.message));
if (process.env.VSCT_VERBOSE) page.on('console', (m) => console.log('[browser]', m.text()));

// 3. Same URL shape as microsoft/vscode test/integration/browser: vscode-remote URIs in `payload`.
const auth = `127.0.0.1:${port}`;
const remote = (p) => `vscode-remote://${auth}${p}`;
const payload = JSON.stringify([
  ['extensionDevelopmentPath', remote(ext)],
  ['extensionTestsPath', remote(tests)],
  ['skipWelcome', 'true'],
]);
const url = `http://${auth}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`;
log('opening', url);
await page.goto(url);
