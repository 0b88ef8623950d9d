// UI test: Playwright + Debian Chromium drive the real VS Code workbench (code-server) with the .vsix
// installed, as a new user would: the welcome view, "Try the Demo", the tree, the whole query flow
// typed through the QuickPicks (step counter, Back, custom dates with their preview), the timeline,
// the JSON document, the API key box, and the progress notification of a slow query.
// Usage: node test/ui/workbench.ui.mjs --vsix <path>   (screenshots in test-results/ui/)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCodeServer, startSandboxProcess, toolchain } from '../../tools/start.mjs';
import { appears, launchBrowser, quickInputHelpers, reporter, uiArgs, until } from './uiHarness.mjs';

const a = uiArgs('node test/ui/workbench.ui.mjs --vsix <path to the .vsix>');
const shots = a.shots;
const { log, plan, check, fail, finish } = reporter('ui');
plan([
  'welcome view offers Set API Key and Try the Demo',
  'Try the Demo shows the Demo node and its campaigns',
  'the demo lists the Big Campaign (sandbox process shipped and started)',
  'status bar says the demo runs',
  'a campaign expands to its items',
  'step counter on the first step',
  'items → event types',
  'Back returns to the previous step',
  'hit subtypes are asked when hits are chosen',
  'the custom start and end keep the range step number (Custom range: 1 of 2, no 6/8)',
  'start preview in UTC and the display zone by name, with the prompt and forms kept',
  'an unparsable start is refused with a reason',
  'the result opens in an editor tab (timeline)',
  "the timeline shows the result's events and the tree its count",
  'the JSON document shows the export (format np6-events/1)',
  'Export... writes the file in the chosen format',
  'the key is typed in a password box',
  'after the key is set, the configured campaign is listed',
  'the progress notification shows the window, events and bytes',
  'the progress notification can be cancelled',
  'cancelling keeps what arrived and says the result is partial',
  'the partial result offers Resume',
  'the NP6 log has one line per request with status, duration, events, bytes and x-request-id',
  'the log never shows the API key',
]);

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
  /** The aria-labels of the NP6 tree's rows as they are now. */
  const treeLabels = () =>
    page.getByRole('treeitem').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
  await shot('01-welcome');

  // 2. Try the Demo → the Demo node with the sandbox campaigns, and the status bar item.
  await welcome.getByRole('button', { name: 'Try the Demo' }).click();
  const spring = page.getByRole('treeitem', { name: /Campaign Spring Sale/ });
  // The demo node and its campaigns, read from the tree once the campaigns are listed.
  const demoRows =
    (await until(async () => {
      const l = await treeLabels();
      return l.some((x) => /Demo campaigns/.test(x)) && l.some((x) => /Campaign Spring Sale/.test(x)) && l;
    }, 30000)) || (await treeLabels());
  check(
    demoRows.some((x) => /Demo campaigns/.test(x)) && demoRows.some((x) => /Campaign Spring Sale/.test(x)),
    'Try the Demo shows the Demo node and its campaigns',
    `${demoRows.length} rows`,
  );
  // The ~1,000,000-event campaign comes from the sandbox process shipped in the .vsix.
  check(
    await appears(page.getByRole('treeitem', { name: /Campaign Big Campaign/ }), 10000),
    'the demo lists the Big Campaign (sandbox process shipped and started)',
  );
  check(
    await appears(page.locator('.statusbar-item', { hasText: 'NP6 Demo' }), 10000),
    'status bar says the demo runs',
  );
  await spring.click();
  const teaser = page.getByRole('treeitem', { name: /Item Spring Sale — teaser/ });
  check(
    (await appears(teaser, 10000)) && (await spring.getAttribute('aria-expanded')) === 'true',
    'a campaign expands to its items',
  );
  await shot('02-demo-tree');

  // 3. The whole query flow through the QuickPicks.
  await palette('NP6: Query Events...');
  const t1 = await step('NP6: Query Events');
  check(/1\s*\/\s*\d/.test(t1), 'step counter on the first step', t1);
  await quickInput.fill('Spring Sale');
  await quick.locator('.monaco-list-row', { hasText: 'Spring Sale' }).first().waitFor();
  await page.keyboard.press('Enter');
  const t2 = await step('(2/');
  await page.keyboard.press('Enter'); // items: all (whole campaign)
  const t3 = await step('(3/');
  check(t3 !== t2, 'items → event types', `${t2} → ${t3}`);
  // Back returns to the items step.
  await quick
    .locator('.quick-input-left-action-bar .action-label, .quick-input-titlebar .codicon-quick-input-back')
    .first()
    .click();
  const back = await until(async () => (await quickTitle()) === t2, 10000);
  check(back, 'Back returns to the previous step', await quickTitle());
  await accept(2); // items: all (the whole campaign)
  await accept(3); // event types: the defaults
  await quick.locator('.quick-input-title', { hasText: '(4/' }).waitFor({ timeout: 15000 });
  const redirection = quick.locator('.monaco-list-row', { hasText: 'redirection' });
  check(
    (await appears(redirection, 10000)) && (await redirection.count()) === 1,
    'hit subtypes are asked when hits are chosen',
  );
  await accept(4); // hit subtypes
  await quick.locator('.quick-input-title', { hasText: '(5/' }).waitFor({ timeout: 15000 });
  await quick.locator('.monaco-list-row', { hasText: 'Custom...' }).waitFor({ timeout: 10000 });
  await shot('03-query-range');
  await quickInput.fill('Custom');
  await page.keyboard.press('Enter');
  // Start and end are parts of the range step (5/6): choosing Custom... does not make the counter jump.
  const startTitle = await step('Custom range: 1 of 2');
  check(
    /\(5\/6\)/.test(startTitle),
    'the custom start and end keep the range step number (Custom range: 1 of 2, no 6/8)',
    startTitle,
  );
  await quickInput.fill('-30d');
  const preview = quick.locator('.quick-input-message');
  // The preview follows the text: wait for the date 30 days ago (UTC) to show.
  const thirtyDaysAgo = new Date(Date.now() - 30 * 24 * 3600_000).toISOString().slice(0, 10);
  await preview.filter({ hasText: `${thirtyDaysAgo} ` }).waitFor({ timeout: 10000 });
  const previewText = await preview.innerText();
  // The preview names the zone next to its time, and the prompt and accepted forms stay visible
  // (innerText collapses the double spaces).
  check(
    /UTC\s+·\s+Europe\/Paris \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d\d:\d\d/.test(previewText) &&
      /Start \(inclusive\)/.test(previewText) &&
      /epoch ms, now, -2h, -7d/.test(previewText),
    'start preview in UTC and the display zone by name, with the prompt and forms kept',
    previewText,
  );
  // The refusal names the text it refuses: wait for that message, not for a while.
  await quickInput.fill('yesterday at noon');
  const refused = preview.filter({ hasText: '"yesterday at noon" is not a date' });
  await appears(refused, 10000);
  const bad = await preview.innerText();
  check(
    /"yesterday at noon" is not a date/.test(bad) && /ISO 8601/.test(bad) && /Start \(inclusive\)/.test(bad),
    'an unparsable start is refused with a reason',
    `${bad.slice(0, 80)}…`,
  );
  await shot('04-query-bad-date');
  await quickInput.fill('-30d');
  await preview.filter({ hasText: `${thirtyDaysAgo} ` }).waitFor({ timeout: 10000 });
  await page.keyboard.press('Enter');
  await quick
    .locator('.quick-input-title', { hasText: 'Custom range: 2 of 2 (5/6)' })
    .waitFor({ timeout: 15000 });
  await quickInput.fill('now');
  await preview.filter({ hasText: '→' }).waitFor({ timeout: 10000 });
  await page.keyboard.press('Enter');
  await quick.locator('.monaco-list-row', { hasText: 'Newest first' }).waitFor({ timeout: 10000 });
  await quickInput.fill('Newest');
  await page.keyboard.press('Enter');
  log('query submitted');

  // 4. The result opens in the timeline (webview).
  const tab = page.locator('.tabs-container .tab', { hasText: /NP6: Spring Sale/ });
  check(
    (await appears(tab.and(page.locator('.tab.active')), 30000)) && (await tab.count()) === 1,
    'the result opens in an editor tab (timeline)',
    `${await tab.count()} tab(s)`,
  );
  const inner = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await inner.locator('body').waitFor({ timeout: 30000 });
  const heading = inner.getByText(/^[\d,]+ events/).first();
  await heading.waitFor({ timeout: 30000 });
  await inner
    .getByText(/^[1-9][\d,]* events · /)
    .first()
    .waitFor({ timeout: 30000 });
  const shown = Number(/^([\d,]+) events/.exec(await heading.innerText())?.[1]?.replace(/,/g, '') ?? -1);
  const springDone = page.getByRole('treeitem', {
    name: /Campaign Spring Sale, .*last result [\d,]+ events?/,
  });
  await springDone.waitFor({ timeout: 30000 });
  const label = await springDone.getAttribute('aria-label');
  const kept = Number(/last result ([\d,]+) events?/.exec(label ?? '')?.[1]?.replace(/,/g, '') ?? -1);
  check(
    shown > 0 && shown === kept,
    "the timeline shows the result's events and the tree its count",
    `${shown} shown, ${kept} in the tree`,
  );
  await shot('05-timeline');

  // 5. Open Last Result as JSON Document from the palette.
  await palette('NP6: Open Last Result as JSON Document');
  await quick.locator('.monaco-list-row', { hasText: 'Spring Sale' }).first().waitFor({ timeout: 10000 });
  await quickInput.fill('Spring Sale');
  await page.keyboard.press('Enter');
  // The document's own first lines: the export's header with its format.
  const jsonLines = page.locator('.editor-instance .monaco-editor .view-lines', { hasText: 'np6-events/1' });
  const jsonText = (await appears(jsonLines, 30000)) ? await jsonLines.first().innerText() : '';
  check(
    /"format":\s*"np6-events\/1"/.test(jsonText.replace(/\u00a0/g, ' ')),
    'the JSON document shows the export (format np6-events/1)',
    jsonText.replace(/\s+/g, ' ').slice(0, 80),
  );
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
  await until(async () => /np6-[^/]*\.json$/.test(await quickInput.inputValue()), 5000);
  for (let i = 0; i < 10; i++) {
    await quickInput.fill(target);
    // The dialog may still overwrite the text: it must hold for 400 ms before Enter.
    if (!(await until(async () => (await quickInput.inputValue()) !== target, 400))) break;
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
    'Export... writes the file in the chosen format',
    `${target}: ${exported.count} events, format ${exported.format}`,
  );

  // 6. Set API Key in the password box (checked against the standalone sandbox), the configured campaign appears.
  await palette('NP6: Set API Key');
  const password = quick.locator('input[type="password"]');
  check(await appears(password, 10000), 'the key is typed in a password box');
  await quickInput.fill('np6-sandbox-demo-key');
  await page.keyboard.press('Enter');
  check(
    await appears(page.getByRole('treeitem', { name: /Campaign Spring \(configured\)/ }), 30000),
    'after the key is set, the configured campaign is listed',
  );
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
  // "window 3/12" or "window 3 of about 12", then events and bytes.
  const PROGRESS = /window \d+(\/| of about )\d+ · [1-9][\d,]* events · [\d.]+ (B|KB|MB)/;
  let progressText = '';
  await until(async () => {
    progressText = (await progress.innerText().catch(() => '')).replace(/\s+/g, ' ');
    return PROGRESS.test(progressText);
  }, 60000);
  log('progress:', progressText);
  check(
    PROGRESS.test(progressText),
    'the progress notification shows the window, events and bytes',
    progressText,
  );
  await shot('08-progress');
  const cancel = progress.getByRole('button', { name: 'Cancel' });
  check(await appears(cancel, 5000), 'the progress notification can be cancelled');
  await cancel.click();
  const partial = page.locator('.notifications-toasts', {
    hasText: /partial \([1-9][\d,]* events? arrived and (?:are|is) kept\)/,
  });
  const partialText = (await appears(partial, 30000)) ? (await partial.innerText()).replace(/\s+/g, ' ') : '';
  const kept2 = Number(
    (/partial \(([\d,]+) events? arrived/.exec(partialText)?.[1] ?? '0').replace(/,/g, ''),
  );
  check(kept2 > 0, 'cancelling keeps what arrived and says the result is partial', partialText.slice(0, 100));
  check(
    await appears(partial.getByRole('button', { name: 'Resume' }), 5000),
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
  check(
    flat.includes('x-request-id') && !flat.includes('np6-sandbox-demo-key'),
    'the log never shows the API key',
  );
  await shot('10-log');
} catch (e) {
  await fail(e, browser, path.join(shots, '99-error.png'));
} finally {
  await browser?.close().catch(() => {});
  server?.stop();
  sandbox.stop();
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(finish());
