// UI test (issue 12): queries you keep and share, exports you open again, and CSV, in the real
// workbench (code-server with the packaged .vsix, Chromium) on the demo: the query flow's
// "Run and Save Query…" writes a query file; its CodeLens runs it; Copy Link puts a link on the
// clipboard; opening that link prefills the flow and runs nothing; an export opened with
// "Open Events File…" shows the same count in the timeline; a CSV export opens as text.
// Usage: node test/ui/queryFiles.ui.mjs --vsix <path>   (screenshots in test-results/ui/)
/* global document -- page.evaluate callbacks run in the page */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCodeServer, toolchain } from '../../tools/start.mjs';
import {
  appears,
  launchBrowser,
  queryDemoCampaign,
  quickInputHelpers,
  reporter,
  uiArgs,
  until,
} from './uiHarness.mjs';

const a = uiArgs('node test/ui/queryFiles.ui.mjs --vsix <path to the .vsix>');
const shots = a.shots;
const { log, plan, check, fail, finish } = reporter('queryFiles');
plan([
  'the flow\'s "Run and Save Query…" writes a query file with no key and no address, and runs it',
  'the query file shows the Run and Copy Link CodeLenses',
  'Run on the CodeLens runs the query file into the timeline with the same count',
  'once the file ran, its CodeLens offers Open Last Result',
  'Copy Link puts a link to the query on the clipboard, with no key and no address',
  'opening the link prefills the query flow and runs nothing by itself',
  'the export opened with Open Events File shows the same count in the timeline, from the file',
  "the timeline header's Statistics opens the result's statistics beside it",
  'a CSV export opens as text with its header row and one row per event',
]);

/** Every file under `dir`, relative to it (a failure says where a file went). */
function filesUnder(dir, base = dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? filesUnder(path.join(dir, e.name), base)
      : [path.relative(base, path.join(dir, e.name))],
  );
}

const env = toolchain();
const tmp = mkdtempSync(path.join(tmpdir(), 'np6-ui-queryfiles-'));
const folder = path.join(tmp, 'workspace');
let server;
let browser;
try {
  server = await startCodeServer({ vsix: path.resolve(a.vsix), dir: path.join(tmp, 'cs'), folder, env });
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
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const origin = new URL(server.url).origin;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = await context.newPage();
  const shot = (name) => page.screenshot({ path: path.join(shots, `queryfiles-${name}.png`) });
  await page.goto(server.url);
  await page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout: 90000 });
  log('workbench up');
  const { quick, quickInput, palette, fillQuick } = quickInputHelpers(page);
  const quickTitle = async () =>
    (await quick.isVisible()) ? ((await quick.locator('.quick-input-title').textContent()) ?? '') : '';
  // Timelines keep their page while hidden (retainContextWhenHidden): the visible one is meant.
  const timeline = () =>
    page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
  /** The count the active timeline's header shows, once it shows one. */
  const timelineCount = async () => {
    const heading = timeline()
      .getByText(/^[1-9][\d,]* events/)
      .first();
    await heading.waitFor({ timeout: 60000 });
    return Number(/^([\d,]+) events/.exec(await heading.innerText())?.[1]?.replace(/,/g, '') ?? -1);
  };
  /** Types `target` into VS Code's own file dialog (a QuickInput in the browser) and accepts it. */
  const typePath = async (target) => {
    await quickInput.waitFor();
    await page.waitForTimeout(300);
    for (let i = 0; i < 10; i++) {
      await fillQuick(target);
      // The dialog may still fill in its default: the text must hold for 400 ms before Enter.
      if (!(await until(async () => (await quickInput.inputValue()) !== target, 400))) break;
    }
    await page.keyboard.press('Enter');
  };

  // 1. The demo, then Query Events on Spring Sale over the last 30 days; on the last step the
  // "Run and Save Query…" button instead of Enter.
  await queryDemoCampaign(page, 'Spring Sale');
  const saveButton = quick.locator(
    '.quick-input-action [aria-label="Run and Save Query…"], a[aria-label="Run and Save Query…"]',
  );
  for (let step = 0; step < 12; step++) {
    const title = await until(async () => (await quickTitle()) || undefined, 20000);
    if (!title) break;
    // A step's title, list and buttons are not drawn at once: the step is read once it held
    // still for 500 ms (a CI run read the last step with the range step's rows still listed and
    // typed the range into it).
    await page.waitForTimeout(500);
    if ((await quickTitle()) !== title) continue;
    // The flow's last step shows the button (it may sit hidden in the widget between steps).
    if (await saveButton.first().isVisible()) break;
    if (await quick.locator('.monaco-list-row', { hasText: 'Last 30 days' }).count()) {
      await fillQuick('Last 30 days');
      await quick
        .locator('.monaco-list-row.focused', { hasText: 'Last 30 days' })
        .waitFor({ timeout: 10000 });
    }
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    await until(async () => ((await quickTitle()) !== title ? true : undefined), 15000);
  }
  await shot('01-last-step');
  await saveButton.first().click({ timeout: 15000 });
  await quick.locator('.quick-input-title', { hasText: 'NP6: Save Query' }).waitFor({ timeout: 15000 });
  await quickInput.fill('Spring last 30 days');
  await page.keyboard.press('Enter');
  const queryFile = path.join(folder, 'spring.np6query.json');
  // The save dialog follows the title box: wait for its default name before typing the path.
  await until(
    async () => (/\.np6query\.json$/.test(await quickInput.inputValue()) ? true : undefined),
    15000,
  );
  await typePath(queryFile);
  const saved = await until(
    async () => (existsSync(queryFile) ? readFileSync(queryFile, 'utf8') : undefined),
    20000,
  );
  const tab = page.locator('.tabs-container .tab', { hasText: /NP6: Spring Sale/ });
  await tab.first().waitFor({ timeout: 60000 });
  let parsed;
  try {
    parsed = JSON.parse(saved ?? '');
  } catch {
    parsed = undefined;
  }
  check(
    parsed?.campaignId !== undefined &&
      parsed?.title === 'Spring last 30 days' &&
      !/key|baseUrl|https?:/i.test(JSON.stringify(Object.keys(parsed ?? {}))) &&
      !/127\.0\.0\.1|np6-demo|X-Key/i.test(saved ?? '') &&
      (await tab.count()) > 0,
    'the flow\'s "Run and Save Query…" writes a query file with no key and no address, and runs it',
    (saved ?? `(no file; the workspace holds ${filesUnder(folder).join(', ')})`)
      .replace(/\s+/g, ' ')
      .slice(0, 300),
  );
  const firstCount = await timelineCount();
  log('first run:', firstCount, 'events');

  // 2. The query file (opened by the save) and its CodeLenses.
  /** Brings the query file's editor to the front (Quick Open: a tab may be scrolled out of view). */
  const focusQueryFile = async () => {
    // F1 then a file name (no ">"): Quick Open. F1 reaches the workbench even from a webview.
    await page.keyboard.press('F1');
    await quickInput.waitFor({ timeout: 10000 });
    await quickInput.fill('spring.np6query.json');
    await quick
      .locator('.monaco-list-row', { hasText: 'spring.np6query.json' })
      .first()
      .waitFor({ timeout: 15000 });
    await page.keyboard.press('Enter');
    await page
      .locator('.tabs-container .tab.active', { hasText: 'spring.np6query.json' })
      .waitFor({ timeout: 15000 });
  };
  await focusQueryFile();
  const lens = (name) => page.locator('.codelens-decoration a', { hasText: name });
  await appears(lens('Run'), 30000);
  check(
    (await lens('Run').count()) > 0 && (await lens('Copy Link').count()) > 0,
    'the query file shows the Run and Copy Link CodeLenses',
    (await page.locator('.codelens-decoration').allInnerTexts()).join(' | '),
  );
  await shot('02-codelens');

  // 3. Run from the CodeLens.
  await lens('Run').first().click();
  await tab.first().waitFor({ timeout: 60000 });
  await until(async () => ((await tab.and(page.locator('.tab.active')).count()) ? true : undefined), 60000);
  const rerunCount = await timelineCount();
  check(
    rerunCount === firstCount && rerunCount > 0,
    'Run on the CodeLens runs the query file into the timeline with the same count',
    `${rerunCount} vs ${firstCount}`,
  );

  // 4. Back in the file: Open Last Result (the file has run), then Copy Link.
  await focusQueryFile();
  check(
    await appears(lens('Open Last Result'), 20000),
    'once the file ran, its CodeLens offers Open Last Result',
    (await page.locator('.codelens-decoration').allInnerTexts()).join(' | '),
  );
  await lens('Copy Link').first().click({ timeout: 20000 });
  const link = await until(async () => {
    const t = await page.evaluate(() => navigator.clipboard.readText()).catch(() => '');
    return /:\/\/[^/]+\/query\?/.test(t) ? t : undefined;
  }, 15000);
  check(
    Boolean(link) && !/key=|baseUrl|127\.0\.0\.1|x-key/i.test(link ?? ''),
    'Copy Link puts a link to the query on the clipboard, with no key and no address',
    String(link).slice(0, 200),
  );

  // 5. Open the link (pasted, as a user without a registered handler would): the flow, prefilled.
  const tabsBefore = await page.locator('.tabs-container .tab').count();
  await palette('NP6: Open Query Link');
  await quick.locator('.quick-input-title', { hasText: 'Open Query Link' }).waitFor({ timeout: 15000 });
  await quickInput.fill(link ?? '');
  await page.keyboard.press('Enter');
  const flowTitle = await until(async () => {
    const t = await quickTitle();
    return /Query Events/.test(t) ? t : undefined;
  }, 20000);
  await page.waitForTimeout(2000);
  const progress = await page.locator('.notification-toast', { hasText: /fetching|events so far/i }).count();
  check(
    Boolean(flowTitle) &&
      (await quick.isVisible()) &&
      progress === 0 &&
      (await page.locator('.tabs-container .tab').count()) === tabsBefore,
    'opening the link prefills the query flow and runs nothing by itself',
    `${flowTitle}; ${progress} progress toast(s)`,
  );
  await shot('03-link-prefilled');
  await page.keyboard.press('Escape');

  // 6. Export the last result, then open the file in the timeline.
  const exportAs = async (file, format) => {
    // A toast or the previous QuickPick closing can hold the input for a moment.
    // The campaign QuickPick once lost its input right after the Statistics page opened (1 full CI
    // run in 4: fill stalled, and the input could not be focused: the QuickPick had closed, as it
    // does when the focus goes elsewhere). The command is run again once, and says so.
    for (let attempt = 1; ; attempt++) {
      try {
        await page.keyboard.press('Escape');
        await page.waitForTimeout(800);
        await palette('NP6: Export Last Result...');
        await quick
          .locator('.monaco-list-row', { hasText: 'Spring Sale' })
          .first()
          .waitFor({ timeout: 10000 });
        await fillQuick('Spring Sale');
        break;
      } catch (e) {
        if (attempt >= 2) throw e;
        log(
          `export: the campaign QuickPick lost its input (${String(e).split('\n')[0]}); running the command again`,
        );
      }
    }
    await page.keyboard.press('Enter');
    await quick.locator('.quick-input-title', { hasText: 'Export NP6 events' }).waitFor({ timeout: 15000 });
    await until(async () => /np6-[^/]*\.json$/.test(await quickInput.inputValue()), 5000);
    await typePath(file);
    await quick.locator('.quick-input-title', { hasText: 'Export format' }).waitFor({ timeout: 15000 });
    await fillQuick(format);
    await quick.locator('.monaco-list-row.focused', { hasText: format }).first().waitFor({ timeout: 10000 });
    await page.keyboard.press('Enter');
    await until(async () => (existsSync(file) ? true : undefined), 30000);
    await page.waitForTimeout(500);
  };
  const exportFile = path.join(folder, 'spring-export.json');
  await exportAs(exportFile, 'export');
  await palette('NP6: Open Events File');
  await quick.locator('.quick-input-title', { hasText: 'Open Events File' }).waitFor({ timeout: 15000 });
  await typePath(exportFile);
  const fileTab = page.locator('.tabs-container .tab.active', { hasText: /NP6:/ });
  await fileTab.waitFor({ timeout: 60000 });
  const openedCount = await timelineCount();
  const header = await timeline().locator('#app').innerText();
  check(
    openedCount === firstCount && /spring-export\.json/.test(header),
    'the export opened with Open Events File shows the same count in the timeline, from the file',
    `${openedCount} vs ${firstCount}; header mentions the file: ${/spring-export\.json/.test(header)}`,
  );
  await shot('04-opened-export');

  // 6b. The header's Statistics: a panel beside the timeline with the result's figures.
  await timeline().getByRole('button', { name: 'Statistics' }).click({ timeout: 15000 });
  const statsTab = page.locator('.tabs-container .tab', { hasText: /Statistics/ });
  const statsShown = await appears(statsTab, 30000);
  // The statistics page is the webview frame whose heading says "Statistics" (the timeline's is
  // visible beside it).
  const statsText = statsShown
    ? ((await until(async () => {
        for (const f of page.frames()) {
          const t = await f
            .evaluate(() =>
              document.querySelector('h1')?.textContent?.startsWith('Statistics')
                ? document.body.innerText
                : '',
            )
            .catch(() => '');
          if (t) return t;
        }
        return undefined;
      }, 20000)) ?? '')
    : '';
  check(
    statsShown && new RegExp(String(firstCount).replace(/\B(?=(\d{3})+(?!\d))/g, ',?')).test(statsText),
    "the timeline header's Statistics opens the result's statistics beside it",
    statsText.replace(/\s+/g, ' ').slice(0, 200),
  );
  await shot('04b-statistics');

  // 7. CSV, opened as text.
  const csvFile = path.join(folder, 'spring.csv');
  await exportAs(csvFile, 'csv');
  const csv = existsSync(csvFile) ? readFileSync(csvFile, 'utf8') : '';
  const rows = csv.split('\r\n').filter((r) => r !== '');
  // Opened by its path (VS Code's own file dialog): Quick Open's file index may not know it yet.
  await palette('File: Open File...');
  await typePath(csvFile);
  const csvEditor = page.locator('.editor-instance .monaco-editor .view-lines', {
    hasText: 'time,type,subtype',
  });
  check(
    (await appears(csvEditor, 20000)) &&
      rows[0] === 'time,type,subtype,item,recipient,link,client,device,id,class' &&
      rows.length - 1 === firstCount,
    'a CSV export opens as text with its header row and one row per event',
    `${rows.length - 1} rows for ${firstCount} events; files: ${readdirSync(folder).join(', ')}`,
  );
  await shot('05-csv');
} catch (e) {
  await fail(e, browser, path.join(shots, 'queryfiles-99-error.png'));
} finally {
  await browser?.close().catch(() => {});
  server?.stop();
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(finish());
