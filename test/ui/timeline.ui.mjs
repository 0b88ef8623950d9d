// UI test of the timeline in the real workbench (code-server, the .vsix installed), as a user:
// a demo query opens the panel, selecting an event shows its detail, the native context menu on a
// row runs "Show This Recipient's Events", and a window reload restores the panel with the same
// counts and selection. With --readme-shots it also writes the README's light and dark pictures of
// the whole workbench (media/screenshots/timeline-{dark,light}.png, at most 250 KB each).
// Usage: node test/ui/timeline.ui.mjs --vsix <path> [--readme-shots]   (screenshots in test-results/ui/)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, startCodeServer, toolchain } from '../../tools/start.mjs';
import {
  appears,
  launchBrowser,
  queryDemoCampaign,
  quickInputHelpers,
  reporter,
  uiArgs,
  until,
} from './uiHarness.mjs';

const a = uiArgs('node test/ui/timeline.ui.mjs --vsix <path to the .vsix> [--readme-shots]', {
  'readme-shots': { type: 'boolean' },
});
const shots = a.shots;
const { log, plan, check, fail, finish } = reporter('timeline-ui');
const MAX_README_PNG = 250 * 1024;
const README_PICTURES = [
  ['Default Dark Modern', 'timeline-dark.png'],
  ['Default Light Modern', 'timeline-light.png'],
];
plan([
  'a query opens the timeline with its events, all in view',
  'selecting an event shows its detail and its JSON',
  ...(a['readme-shots'] ? README_PICTURES.map(([, file]) => `README picture ${file} is at most 250 KB`) : []),
  'Humans only in the header hides exactly the non-human hits, and shows them again',
  "the header's Mask switch masks the recipients through the setting, and unmasks them",
  "a row's context menu offers the event commands",
  '"Show This Recipient\'s Events" filters the list',
  'Refresh merges into the same result',
  'a reload restores the panel with the same counts',
  'the selection is restored',
]);

const env = toolchain();
const tmp = mkdtempSync(path.join(tmpdir(), 'np6-timeline-ui-'));
const folder = path.join(tmp, 'workspace');
let server;
let browser;
try {
  server = await startCodeServer({ vsix: path.resolve(a.vsix), dir: path.join(tmp, 'cs'), folder, env });
  const userSettings = path.join(tmp, 'cs', 'user', 'User', 'settings.json');
  const base = JSON.parse(readFileSync(userSettings, 'utf8'));
  const settings = (theme) =>
    writeFileSync(
      userSettings,
      JSON.stringify({
        ...base,
        'workbench.colorTheme': theme,
        // No empty secondary side bar (chat) next to the timeline in the pictures.
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'chat.commandCenter.enabled': false,
        'np6.timeZone': 'Europe/Paris',
      }),
    );
  settings('Default Dark Modern');
  log('code-server up', server.url);
  browser = await launchBrowser(env, tmp);
  // The README pictures: a 1280×760 workbench keeps the PNGs small and the text readable.
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  const shot = (name) => page.screenshot({ path: path.join(shots, `timeline-${name}.png`) });
  await page.goto(server.url);
  await page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout: 90000 });
  log('workbench up');

  const { quick, quickInput, palette, accept } = quickInputHelpers(page);
  /** The timeline page inside the webview's two iframes. */
  const timeline = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const counts = async () => {
    const c = timeline().locator('.counts');
    return {
      total: Number(await c.getAttribute('data-total')),
      filtered: Number(await c.getAttribute('data-filtered')),
      inView: Number(await c.getAttribute('data-in-view')),
    };
  };
  /** Waits until the page shows a finished result (no "so far"), then returns its counts. */
  const settledCounts = async () => {
    await timeline()
      .getByText(/^[1-9][\d,]* events · /)
      .first()
      .waitFor({ timeout: 60000 });
    return counts();
  };

  // 1. The demo, then a query of its Spring Sale campaign over the last 30 days.
  await queryDemoCampaign(page, 'Spring Sale');
  await accept(2); // items: all
  await accept(3); // event types: the defaults
  await accept(4); // hit subtypes
  await quick.locator('.quick-input-title', { hasText: '(5/' }).waitFor({ timeout: 15000 });
  await quickInput.fill('Last 30 days');
  await accept(5);
  await accept(6); // sort
  await page.locator('.tabs-container .tab', { hasText: /NP6: Spring Sale/ }).waitFor({ timeout: 30000 });
  const opened = await settledCounts();
  log('timeline counts', opened);
  check(
    opened.total > 0 && opened.inView === opened.total && opened.filtered === opened.total,
    'a query opens the timeline with its events, all in view',
    JSON.stringify(opened),
  );

  // 2. Selecting an event in the list shows its detail and its full JSON.
  const rows = timeline().locator('.list-viewport [role="option"]:not([hidden])');
  await rows.nth(2).click();
  const selectedIndex = Number(await rows.nth(2).getAttribute('data-index'));
  const rowType = (await rows.nth(2).locator(':scope > span').nth(1).innerText()).trim();
  const detail = timeline().locator('.detail');
  await detail.locator('.json .json-key', { hasText: 'id' }).first().waitFor({ timeout: 20000 });
  const summary = await detail.locator('.summary').innerText();
  check(
    (await rows.nth(2).getAttribute('aria-selected')) === 'true' && summary.includes(rowType),
    'selecting an event shows its detail and its JSON',
    `type ${rowType}`,
  );
  await shot('01-selected');

  // 2b. The header's switches: Humans only (once the classes came) and Mask.
  const header = timeline().locator('.counts');
  const humans = timeline().locator('vscode-button.humans-only:not([disabled])');
  const classesShown = await appears(humans, 30000);
  const hits = Number(await header.getAttribute('data-hits'));
  const human = Number(await header.getAttribute('data-humans'));
  let humansFiltered = -1;
  let humansBack = -1;
  if (classesShown) {
    await humans.click();
    humansFiltered = Number(
      (await until(async () => {
        const f = Number(await header.getAttribute('data-filtered'));
        return f !== opened.total ? String(f) : undefined;
      }, 15000)) ?? opened.total,
    );
    await humans.click();
    humansBack = Number(
      (await until(async () => {
        const f = Number(await header.getAttribute('data-filtered'));
        return f === opened.total ? String(f) : undefined;
      }, 15000)) ?? -1,
    );
  }
  check(
    classesShown &&
      hits > human &&
      humansFiltered === opened.total - (hits - human) &&
      humansBack === opened.total,
    'Humans only in the header hides exactly the non-human hits, and shows them again',
    `${hits} hits, ${human} human; ${opened.total} events → ${humansFiltered} → ${humansBack}`,
  );
  const mask = timeline().locator('vscode-button.mask-switch');
  await mask.click();
  const masked = await until(
    async () =>
      (await mask.getAttribute('aria-checked')) === 'true' &&
      /personal data masked/.test(await header.innerText()) &&
      /person-/.test(await timeline().locator('.list-viewport').innerText()),
    30000,
  );
  await shot('01b-masked');
  await mask.click();
  const unmasked = await until(
    async () =>
      (await mask.getAttribute('aria-checked')) === 'false' &&
      !/person-/.test(await timeline().locator('.list-viewport').innerText()),
    30000,
  );
  check(
    !!masked && !!unmasked,
    "the header's Mask switch masks the recipients through the setting, and unmasks them",
    `masked ${!!masked}, unmasked again ${!!unmasked}`,
  );

  // 3. The README pictures: the workbench with a selected event, the detail pane, the histogram.
  if (a['readme-shots']) {
    const dir = path.join(ROOT, 'media', 'screenshots');
    mkdirSync(dir, { recursive: true });
    for (const [theme, file] of README_PICTURES) {
      if (!(await page.locator(`.monaco-workbench.${theme.includes('Light') ? 'vs' : 'vs-dark'}`).count())) {
        // Ctrl+K Ctrl+T: the theme picker itself (the palette also lists the marketplace browser).
        await page
          .locator('.monaco-workbench')
          .first()
          .click({ position: { x: 200, y: 500 } });
        await page.keyboard.press('Control+K');
        await page.keyboard.press('Control+T');
        // The picker labels themes without "Default ".
        const label = theme.replace(/^Default /, '');
        await quick.locator('.monaco-list-row', { hasText: label }).first().waitFor({ timeout: 10000 });
        await quickInput.fill(label);
        await quick.locator('.monaco-list-row.focused', { hasText: label }).waitFor({ timeout: 10000 });
        await page.keyboard.press('Enter');
      }
      // The workbench's theme class: "vs" (light) or "vs-dark".
      const want = theme.includes('Light') ? 'vs' : 'vs-dark';
      await page.locator(`.monaco-workbench.${want}`).first().waitFor({ timeout: 15000 });
      await page.mouse.move(0, 0);
      await page.waitForTimeout(1200); // the canvases redraw with the new theme colours
      const out = path.join(dir, file);
      await page.screenshot({ path: out });
      // Fewer colours when the PNG is over budget (ImageMagick; the UI keeps a few hundred colours).
      if (statSync(out).size > MAX_README_PNG)
        execFileSync('convert', [out, '-colors', '256', `PNG8:${out}`]);
      const size = statSync(out).size;
      check(
        size <= MAX_README_PNG,
        `README picture ${file} is at most 250 KB`,
        `${(size / 1024).toFixed(0)} KB`,
      );
    }
  }

  // 4. The native context menu of a row: "Show This Recipient's Events" filters to that recipient.
  await rows.nth(2).click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor({ timeout: 10000 });
  const items = (await menu.locator('.action-label').allInnerTexts()).map((s) => s.trim()).filter(Boolean);
  log('context menu', items);
  check(
    ['Copy Event as JSON', 'Open Event as JSON Document', "Show This Recipient's Events"].every((t) =>
      items.includes(t),
    ),
    "a row's context menu offers the event commands",
    items.join(', '),
  );
  // VS Code's menu ignores a click that lands too soon after it opened (the right button's own
  // mouse-up must not pick an item): point at the item first, then click.
  const recipientItem = menu.locator('.action-label', { hasText: "Show This Recipient's Events" });
  await recipientItem.hover();
  await page.waitForTimeout(300);
  await recipientItem.click();
  await timeline().locator('.chips', { hasText: 'Recipient' }).waitFor({ timeout: 10000 });
  const byRecipient = await counts();
  check(
    byRecipient.filtered > 0 && byRecipient.filtered < opened.total,
    '"Show This Recipient\'s Events" filters the list',
    `${byRecipient.filtered} of ${opened.total}`,
  );
  await shot('02-recipient');
  await timeline().locator('.chips .chip', { hasText: 'Recipient' }).click();
  await timeline()
    .locator('.chips .chip', { hasText: 'Recipient' })
    .waitFor({ state: 'detached', timeout: 10000 });

  // 5. Refresh of a result reaching now re-reads its settle window into the same result: the page
  // says what is new (the demo publishes nothing late: no new events), no second tab opens.
  await timeline().locator('vscode-button', { hasText: 'Refresh' }).click();
  const notice = timeline().locator('.sr-status', { hasText: 'Refreshed:' });
  await notice.waitFor({ state: 'attached', timeout: 30000 });
  const refreshed = await counts();
  const tabs = await page.locator('.tabs-container .tab', { hasText: /NP6: Spring Sale/ }).count();
  check(
    refreshed.total === opened.total && tabs === 1,
    'Refresh merges into the same result',
    `"${(await notice.textContent())?.split(' · ').pop()}", ${refreshed.total} events, ${tabs} tab`,
  );

  // 6. A window reload restores the panel from its saved state: same counts, same selection.
  const before = await counts();
  await palette('Developer: Reload Window');
  await page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout: 90000 });
  await page.locator('.tabs-container .tab', { hasText: /NP6: Spring Sale/ }).waitFor({ timeout: 60000 });
  const restored = await settledCounts();
  log('after reload', restored);
  check(
    restored.total === before.total &&
      restored.filtered === before.filtered &&
      restored.inView === before.inView,
    'a reload restores the panel with the same counts',
    `${JSON.stringify(before)} → ${JSON.stringify(restored)}`,
  );
  const selectedAfter = timeline().locator('.list-viewport [role="option"][aria-selected="true"]');
  const restoredIndex = (await appears(selectedAfter, 20000))
    ? Number(await selectedAfter.first().getAttribute('data-index'))
    : -1;
  check(
    restoredIndex === selectedIndex,
    'the selection is restored',
    `event ${selectedIndex} → ${restoredIndex}`,
  );
  await shot('03-restored');
} catch (e) {
  await fail(e, browser, path.join(shots, 'timeline-99-error.png'));
} finally {
  await browser?.close().catch(() => {});
  server?.stop();
  rmSync(tmp, { recursive: true, force: true });
}
log('done');
process.exit(finish());
