// UI test: Playwright + Debian Chromium drive the real VS Code workbench (code-server) with the .vsix
// installed, as a new user would: the welcome view, "Try the Demo", the tree, the whole query flow
// typed through the QuickPicks (step counter, Back, custom dates with their preview), the timeline,
// the JSON document, the API key box, and the progress notification of a slow query.
// Usage: node test/ui/workbench.ui.mjs --vsix <path>   (screenshots in test-results/ui/)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCodeServer, startSandboxProcess, toolchain } from '../../tools/start.mjs';
import { launchBrowser, quickInputHelpers, reporter, uiArgs } from './uiHarness.mjs';

const a = uiArgs('node test/ui/workbench.ui.mjs --vsix <path to the .vsix>');
const shots = a.shots;
const { log, check, fail, counts: result } = reporter('ui');

const SPRING = '5f0c7a52-3d1e-4b8a-9c61-2e7f4a9d0b13'; // a campaign of the standalone sandbox
const env = toolchain();
const tmp = mkdtempSync(path.join(tmpdir(), 'np6-ui-'));
const sandbox = await startSandboxProcess();
const folder = path.join(tmp, 'workspace');
let server;
let browser;
try {
  server = await startCodeServer({ vsix: path.resolve(a.vsix), dir: path.join(tmp, 'cs'), folder, env });
  // The configured (non-demo) path points at the standalone sandbox; its key is entered in the UI.
  // np6.baseUrl is machine-scoped: in code-server (a remote window) it is read from the server's
  // Machine settings; the others from the user settings.
  const userSettings = path.join(tmp, 'cs', 'user', 'User', 'settings.json');
  const base = JSON.parse(readFileSync(userSettings, 'utf8'));
  writeFileSync(
    userSettings,
    JSON.stringify({
      ...base,
      'np6.campaigns': [{ id: SPRING, name: 'Spring (configured)', items: [] }],
      'np6.timeZone': 'Europe/Paris',
    }),
  );
  mkdirSync(path.join(tmp, 'cs', 'user', 'Machine'), { recursive: true });
  writeFileSync(
    path.join(tmp, 'cs', 'user', 'Machine', 'settings.json'),
    JSON.stringify({ 'np6.baseUrl': sandbox.url }),
  );
  log('code-server up', server.url);
  browser = await launchBrowser(env, tmp);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`) });
  await page.goto(server.url);
  await page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout: 90000 });
  log('workbench up');

  const { quick, quickInput, palette, accept } = quickInputHelpers(page);
  const quickTitle = () => quick.locator('.quick-input-title').innerText();
  /** Waits for a QuickPick step whose title holds `text`; returns the title. */
  const step = async (text) => {
    await quick.locator('.quick-input-title', { hasText: text }).waitFor({ timeout: 15000 });
    return quickTitle();
  };

  // 1. Welcome view (no key, no demo).
  await page.locator('.activitybar [aria-label^="NP6"]').first().click({ timeout: 60000 });
  const welcome = page.locator('.welcome-view-content');
  await welcome.waitFor({ timeout: 30000 });
  const welcomeText = await welcome.innerText();
  check(
    /Set API Key/.test(welcomeText) && /Try the Demo/.test(welcomeText),
    'welcome view offers Set API Key and Try the Demo',
  );
  await shot('01-welcome');

  // 2. Try the Demo → the Demo node with the sandbox campaigns, and the status bar item.
  await welcome.getByRole('button', { name: 'Try the Demo' }).click();
  const demoNode = page.getByRole('treeitem', { name: /Demo campaigns/ });
  await demoNode.waitFor({ timeout: 30000 });
  const spring = page.getByRole('treeitem', { name: /Campaign Spring Sale/ });
  await spring.waitFor({ timeout: 10000 });
  check(true, 'Try the Demo shows the Demo node and its campaigns');
  // The ~1,000,000-event campaign comes from the sandbox worker shipped in the .vsix.
  await page.getByRole('treeitem', { name: /Campaign Big Campaign/ }).waitFor({ timeout: 10000 });
  check(true, 'the demo lists the Big Campaign (sandbox worker shipped and started)');
  check(
    await page.locator('.statusbar-item', { hasText: 'NP6 Demo' }).isVisible(),
    'status bar says the demo runs',
  );
  await spring.click();
  await page.getByRole('treeitem', { name: /Item Spring Sale — teaser/ }).waitFor({ timeout: 10000 });
  check(true, 'a campaign expands to its items');
  await shot('02-demo-tree');

  // 3. The whole query flow through the QuickPicks.
  await palette('NP6: Query Events...');
  const t1 = await step('NP6: Query Events');
  check(/1\s*\/\s*\d/.test(t1), `step counter on the first step ("${t1}")`);
  await quickInput.fill('Spring Sale');
  await quick.locator('.monaco-list-row', { hasText: 'Spring Sale' }).first().waitFor();
  await page.keyboard.press('Enter');
  const t2 = await step('(2/');
  await page.keyboard.press('Enter'); // items: all (whole campaign)
  const t3 = await step('(3/');
  check(t3 !== t2, `items → event types (${t2} → ${t3})`);
  // Back returns to the items step.
  await quick
    .locator('.quick-input-left-action-bar .action-label, .quick-input-titlebar .codicon-quick-input-back')
    .first()
    .click();
  await page.waitForTimeout(300);
  check((await quickTitle()) === t2, 'Back returns to the previous step');
  await accept(2); // items: all (the whole campaign)
  await accept(3); // event types: the defaults
  await quick.locator('.quick-input-title', { hasText: '(4/' }).waitFor({ timeout: 15000 });
  check(
    (await quick.locator('.monaco-list-row', { hasText: 'redirection' }).count()) === 1,
    'hit subtypes are asked when hits are chosen',
  );
  await accept(4); // hit subtypes
  await quick.locator('.quick-input-title', { hasText: '(5/' }).waitFor({ timeout: 15000 });
  await quick.locator('.monaco-list-row', { hasText: 'Custom...' }).waitFor({ timeout: 10000 });
  await shot('03-query-range');
  await quickInput.fill('Custom');
  await page.keyboard.press('Enter');
  await quick.locator('.quick-input-title', { hasText: '(6/8)' }).waitFor({ timeout: 15000 });
  await quickInput.fill('-30d');
  const preview = quick.locator('.quick-input-message');
  // The preview follows the text: wait for the date 30 days ago (UTC) to show.
  const thirtyDaysAgo = new Date(Date.now() - 30 * 24 * 3600_000).toISOString().slice(0, 10);
  await preview.filter({ hasText: `${thirtyDaysAgo} ` }).waitFor({ timeout: 10000 });
  const previewText = await preview.innerText();
  check(
    /UTC/.test(previewText) && /Europe\/Paris/.test(previewText),
    `start preview in UTC and the display zone ("${previewText}")`,
  );
  await quickInput.fill('yesterday at noon');
  await page.waitForTimeout(300);
  const bad = await preview.innerText();
  check(/ISO 8601|not/.test(bad), `an unparsable start is refused with a reason ("${bad.slice(0, 80)}…")`);
  await shot('04-query-bad-date');
  await quickInput.fill('-30d');
  await page.waitForTimeout(200);
  await page.keyboard.press('Enter');
  await quick.locator('.quick-input-title', { hasText: '(7/8)' }).waitFor({ timeout: 15000 });
  await quickInput.fill('now');
  await preview.filter({ hasText: '→' }).waitFor({ timeout: 10000 });
  await page.keyboard.press('Enter');
  await quick.locator('.monaco-list-row', { hasText: 'Newest first' }).waitFor({ timeout: 10000 });
  await quickInput.fill('Newest');
  await page.keyboard.press('Enter');
  log('query submitted');

  // 4. The result opens in the timeline (webview).
  const tab = page.locator('.tabs-container .tab', { hasText: /NP6: Spring Sale/ });
  await tab.waitFor({ timeout: 30000 });
  check(true, 'the result opens in an editor tab (timeline)');
  const inner = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await inner.locator('body').waitFor({ timeout: 30000 });
  const heading = inner.getByText(/^[\d,]+ events/).first();
  await heading.waitFor({ timeout: 30000 });
  await inner
    .getByText(/^[1-9][\d,]* events · /)
    .first()
    .waitFor({ timeout: 30000 });
  const shown = Number(/^([\d,]+) events/.exec(await heading.innerText())?.[1]?.replace(/,/g, '') ?? -1);
  const springDone = page.getByRole('treeitem', { name: /Campaign Spring Sale, .*last result \d+ events/ });
  await springDone.waitFor({ timeout: 30000 });
  const label = await springDone.getAttribute('aria-label');
  const kept = Number(/last result (\d+) events/.exec(label ?? '')?.[1] ?? -1);
  check(
    shown > 0 && shown === kept,
    `the timeline shows the result's events (${shown}) and the tree its count (${kept})`,
  );
  await shot('05-timeline');

  // 5. Open Last Result as JSON Document from the palette.
  await palette('NP6: Open Last Result as JSON Document');
  await quick.locator('.monaco-list-row', { hasText: 'Spring Sale' }).first().waitFor({ timeout: 10000 });
  await quickInput.fill('Spring Sale');
  await page.keyboard.press('Enter');
  await page
    .locator('.monaco-editor .view-lines', { hasText: 'np6-events/1' })
    .first()
    .waitFor({ timeout: 30000 });
  check(true, 'the JSON document shows the export (format np6-events/1)');
  await shot('06-json-document');

  // 5b. Export... through the save dialog (VS Code's own file dialog in the browser) and the format pick.
  await palette('NP6: Export Last Result...');
  await quick.locator('.monaco-list-row', { hasText: 'Spring Sale' }).first().waitFor({ timeout: 10000 });
  await quickInput.fill('Spring Sale');
  await page.keyboard.press('Enter');
  await quick.locator('.quick-input-title', { hasText: 'Export NP6 events' }).waitFor({ timeout: 15000 });
  const target = path.join(folder, 'spring-export.json');
  // The dialog first fills in its default name (np6-<result id>.json), and may do so after our text:
  // wait for it, then type the target until the input holds exactly that.
  await quickInput.waitFor();
  for (let i = 0; i < 50 && !/np6-[^/]*\.json$/.test(await quickInput.inputValue()); i++)
    await page.waitForTimeout(100);
  for (let i = 0; i < 10; i++) {
    await quickInput.fill(target);
    await page.waitForTimeout(400);
    if ((await quickInput.inputValue()) === target) break;
  }
  await page.keyboard.press('Enter');
  await quick.locator('.quick-input-title', { hasText: 'Export format' }).waitFor({ timeout: 15000 });
  await shot('06b-export-format');
  await page.keyboard.press('Enter'); // "export" (suggested by the .json name)
  const exportedToast = page.locator('.notifications-toasts', { hasText: `NP6: exported` });
  await exportedToast.waitFor({ timeout: 30000 });
  log('export:', (await exportedToast.innerText()).replace(/\s+/g, ' '));
  const exported = JSON.parse(readFileSync(target, 'utf8'));
  check(
    exported.format === 'np6-events/1' && exported.events.length === exported.count && exported.count > 0,
    `Export... wrote ${target} (${exported.count} events, format ${exported.format})`,
  );

  // 6. Set API Key in the password box (checked against the standalone sandbox), the configured campaign appears.
  await palette('NP6: Set API Key');
  const password = quick.locator('input[type="password"]');
  check(
    await password.waitFor({ timeout: 10000 }).then(
      () => true,
      () => false,
    ),
    'the key is typed in a password box',
  );
  await quickInput.fill('np6-sandbox-demo-key');
  await page.keyboard.press('Enter');
  await page.getByRole('treeitem', { name: /Campaign Spring \(configured\)/ }).waitFor({ timeout: 30000 });
  check(true, 'after the key is set, the configured campaign is listed');
  await shot('07-key-set');

  // 7. A slow query shows the cancellable progress notification with window/events/bytes.
  await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'x-key': 'np6-sandbox-demo-key', 'content-type': 'application/json' },
    body: JSON.stringify({ mode: 'slow', slowChunkDelayMs: 150 }),
  });
  await palette('NP6: Query Events...');
  await step('NP6: Query Events');
  await quickInput.fill('configured');
  await quick.locator('.monaco-list-row', { hasText: 'Spring (configured)' }).first().waitFor();
  await page.keyboard.press('Enter');
  // This campaign lists no items, so that step is skipped: types (2/5), subtypes (3/5), range (4/5), sort (5/5).
  await accept(2);
  await accept(3);
  await quick.locator('.quick-input-title', { hasText: '(4/5)' }).waitFor({ timeout: 15000 });
  await quickInput.fill('Last 30 days');
  await accept(4);
  await accept(5);
  const progress = page.locator('.notifications-toasts', { hasText: 'NP6: querying' });
  await progress.waitFor({ timeout: 20000 });
  // Wait until some events arrived, so that cancelling has something to keep.
  const PROGRESS = /window \d+\/\d+ · [1-9][\d,]* events · [\d.]+ (B|KB|MB)/;
  let progressText = '';
  for (let end = Date.now() + 60000; Date.now() < end; await page.waitForTimeout(100)) {
    progressText = (await progress.innerText().catch(() => '')).replace(/\s+/g, ' ');
    if (PROGRESS.test(progressText)) break;
  }
  log('progress:', progressText);
  check(PROGRESS.test(progressText), 'the progress notification shows window k/n, events and bytes');
  await shot('08-progress');
  const cancel = progress.getByRole('button', { name: 'Cancel' });
  check(await cancel.isVisible(), 'the progress notification can be cancelled');
  await cancel.click();
  const partial = page.locator('.notifications-toasts', {
    hasText: /partial \([1-9]\d* events arrived and are kept\)/,
  });
  await partial.waitFor({ timeout: 30000 });
  check(true, 'cancelling keeps what arrived and says the result is partial');
  check(
    await partial.getByRole('button', { name: 'Resume' }).isVisible(),
    'the partial result offers Resume',
  );
  await shot('09-cancelled');

  // 8. The log: one line per request, with the request id, never the key.
  await page.keyboard.press('Escape');
  await palette('NP6: Show Log');
  const logView = page.locator('#workbench\\.parts\\.panel .monaco-editor .view-lines').first();
  await logView.filter({ hasText: 'POST /campaigns/' }).waitFor({ timeout: 15000 });
  const logText = await logView.innerText();
  // The panel wraps long lines: compare without whitespace.
  const flat = logText.replace(/\s+/g, '');
  check(
    /POST\/campaigns\/\S+?·200·\d+ms·\d+events·\d+bytes·x-request-id[0-9a-f-]{36}/.test(flat),
    'the NP6 log has one line per request with status, duration, events, bytes and x-request-id',
  );
  check(!logText.includes('np6-sandbox-demo-key'), 'the log never shows the API key');
  await shot('10-log');
} catch (e) {
  await fail(e, browser, path.join(shots, '99-error.png'));
} finally {
  await browser?.close().catch(() => {});
  server?.stop();
  sandbox.stop();
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`ui: ${result.passed} passed, ${result.failed} failed`);
process.exit(result.failed ? 1 : 0);
