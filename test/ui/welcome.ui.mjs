// UI test (issue 10, item 1): every state of the Campaigns view's welcome has a working way out, in
// the real workbench (code-server with the packaged .vsix, Chromium). The user-level (Machine)
// np6.baseUrl points at a loopback port where nothing listens; the suite sets a key there (the key
// check cannot reach NP6; the user saves it anyway), presses the welcome's Retry while NP6 is still down and after a sandbox
// starts on that port, follows a change of np6.baseUrl, and adds a campaign from the welcome's
// button: no state is a dead end.
// Usage: node test/ui/welcome.ui.mjs --vsix <path>   (screenshots in test-results/ui/)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, startCodeServer, toolchain } from '../../tools/start.mjs';
import { appears, launchBrowser, quickInputHelpers, reporter, uiArgs, until } from './uiHarness.mjs';

const a = uiArgs('node test/ui/welcome.ui.mjs --vsix <path to the .vsix>');
const shots = a.shots;
const { log, plan, check, fail, finish } = reporter('welcome');
plan([
  'no key: the welcome offers Set API Key and Try the Demo',
  'key set with NP6 unreachable: the welcome says so and offers Retry and Show Log',
  'Show Log opens the NP6 log, which says why the check failed',
  'Retry while NP6 is still down keeps the unreachable state',
  'Retry once NP6 answers leaves the unreachable state (no campaign yet: Add Campaign)',
  'a change of np6.baseUrl clears the unreachable state',
  'Add Campaign from the welcome lists the campaign in the tree',
]);

// The standalone sandbox's key and one of its campaigns (src/demo/sandbox/catalog.ts).
const KEY = 'np6-sandbox-demo-key';
const SPRING = '5f0c7a52-3d1e-4b8a-9c61-2e7f4a9d0b13';

/** A loopback port nothing listens on (bound, then released). */
async function closedPort() {
  const srv = createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

/** dist/sandbox.js on a given port, with the standalone sandbox's key. */
async function startSandboxOn(port) {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'sandbox.js'), '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let text = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start:\n${text}`)), 20000);
    child.stdout.on('data', (b) => {
      text += b;
      if (/http:\/\/127\.0\.0\.1:\d+/.test(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`the sandbox exited (${code}):\n${text}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

const env = toolchain();
const tmp = mkdtempSync(path.join(tmpdir(), 'np6-ui-welcome-'));
const folder = path.join(tmp, 'workspace');
const machineSettings = path.join(tmp, 'cs', 'user', 'Machine', 'settings.json');
/** np6.baseUrl is machine-scoped: under code-server (a remote window) it lives in the Machine settings. */
const setBaseUrl = (url) => writeFileSync(machineSettings, JSON.stringify({ 'np6.baseUrl': url }));
let server;
let browser;
let sandbox;
try {
  const downPort = await closedPort();
  server = await startCodeServer({ vsix: path.resolve(a.vsix), dir: path.join(tmp, 'cs'), folder, env });
  mkdirSync(path.dirname(machineSettings), { recursive: true });
  setBaseUrl(`http://127.0.0.1:${downPort}`);
  const userSettings = path.join(tmp, 'cs', 'user', 'User', 'settings.json');
  writeFileSync(
    userSettings,
    JSON.stringify({
      ...JSON.parse(readFileSync(userSettings, 'utf8')),
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'chat.commandCenter.enabled': false,
    }),
  );
  log('code-server up', server.url);
  browser = await launchBrowser(env, tmp);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const shot = (name) => page.screenshot({ path: path.join(shots, `welcome-${name}.png`) });
  await page.goto(server.url);
  await page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout: 90000 });
  log('workbench up');
  const { quick, quickInput, palette } = quickInputHelpers(page);
  const welcome = page.locator('.welcome-view-content');
  const welcomeText = async () => ((await welcome.count()) ? await welcome.first().innerText() : '');
  /** Waits until the welcome's text matches `re` (the view re-renders when its context keys change). */
  const welcomeSays = (re, timeout = 30000) =>
    until(async () => (re.test(await welcomeText()) ? true : undefined), timeout);
  const button = (name) => welcome.getByRole('button', { name });
  /** The key check could not reach NP6: its warning offers to save the key all the same. */
  const saveAnyway = async () => {
    const toast = page.locator('.notification-toast', { hasText: 'the key could not be checked' });
    await toast.getByRole('button', { name: 'Save Anyway' }).click({ timeout: 60000 });
  };

  // 1. No key.
  await page.locator('.activitybar [aria-label^="NP6"]').first().click({ timeout: 60000 });
  await welcome.waitFor({ timeout: 30000 });
  check(
    (await welcomeSays(/Set API Key[\s\S]*Try the Demo/)) === true,
    'no key: the welcome offers Set API Key and Try the Demo',
    await welcomeText(),
  );
  await shot('01-no-key');

  // 2. Set a key while nothing listens at np6.baseUrl: the key check cannot reach NP6.
  await palette('NP6: Set API Key');
  await quick.locator('input[type="password"]').waitFor({ timeout: 15000 });
  await quickInput.fill(KEY);
  await page.keyboard.press('Enter');
  await saveAnyway();
  const down = await welcomeSays(/could not be reached/, 60000);
  check(
    down === true && (await button('Retry').count()) === 1 && (await button('Show Log').count()) === 1,
    'key set with NP6 unreachable: the welcome says so and offers Retry and Show Log',
    await welcomeText(),
  );
  await shot('02-unreachable');

  // 3. Show Log: the output panel with the NP6 log, saying what failed.
  await button('Show Log').click();
  const output = page.locator('.output-view, .part.panel .monaco-editor').first();
  const logText = await until(async () => {
    const t = (await output.count()) ? await output.innerText() : '';
    return /NP6 check|could not|ECONNREFUSED|refused|reach/i.test(t) ? t : undefined;
  }, 20000);
  check(
    Boolean(logText) && !String(logText).includes(KEY),
    'Show Log opens the NP6 log, which says why the check failed',
    String(logText ?? '').slice(0, 300),
  );

  // 4. Retry while still down.
  await button('Retry').click();
  await page.waitForTimeout(3000);
  check(
    /could not be reached/.test(await welcomeText()) && (await button('Retry').count()) === 1,
    'Retry while NP6 is still down keeps the unreachable state',
    await welcomeText(),
  );

  // 5. NP6 comes up on that very port: Retry now leads to the next state (no campaign configured).
  sandbox = await startSandboxOn(downPort);
  await button('Retry').click();
  check(
    (await welcomeSays(/No campaign is configured yet/)) === true &&
      (await button('Add Campaign').count()) === 1,
    'Retry once NP6 answers leaves the unreachable state (no campaign yet: Add Campaign)',
    await welcomeText(),
  );
  await shot('03-reachable');

  // 6. Down again (Retry marks it), then the user points np6.baseUrl at a server that answers.
  sandbox.stop();
  sandbox = await startSandboxOn(await closedPort());
  // Unreachable is marked by a failed check: the key's check against the old port, down again.
  await palette('NP6: Set API Key');
  await quick.locator('input[type="password"]').waitFor({ timeout: 15000 });
  await quickInput.fill(KEY);
  await page.keyboard.press('Enter');
  await saveAnyway();
  const downAgain = await welcomeSays(/could not be reached/, 60000);
  setBaseUrl(sandbox.url);
  check(
    downAgain === true && (await welcomeSays(/No campaign is configured yet/)) === true,
    'a change of np6.baseUrl clears the unreachable state',
    await welcomeText(),
  );

  // 7. Add Campaign from the welcome: the id, then a name; the tree lists it.
  await button('Add Campaign').click();
  await quick.locator('.quick-input-title', { hasText: 'Add Campaign (1/2)' }).waitFor({ timeout: 15000 });
  await quickInput.fill(SPRING);
  await page.keyboard.press('Enter');
  await quick.locator('.quick-input-title', { hasText: 'Add Campaign (2/2)' }).waitFor({ timeout: 15000 });
  await quickInput.fill('Spring from the welcome');
  await page.keyboard.press('Enter');
  check(
    await appears(page.getByRole('treeitem', { name: /Spring from the welcome/ }), 30000),
    'Add Campaign from the welcome lists the campaign in the tree',
  );
  await shot('04-campaign');
} catch (e) {
  await fail(e, browser, path.join(shots, 'welcome-99-error.png'));
} finally {
  await browser?.close().catch(() => {});
  server?.stop();
  sandbox?.stop();
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(finish());
