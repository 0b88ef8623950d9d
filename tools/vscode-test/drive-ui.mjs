// Drives the real VS Code workbench (code-server) with playwright-core + Debian Chromium:
// screenshot, click a tree item in our activity-bar view, run a command from F1, read webview text.
// Usage: node drive-ui.mjs --url http://127.0.0.1:8124/?folder=/abs/workspace --shots shots
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: a } = parseArgs({
  options: {
    url: { type: 'string' },
    shots: { type: 'string', default: 'shots' },
    chromium: { type: 'string', default: process.env.CHROMIUM_BIN || '/usr/bin/chromium' },
  },
});
mkdirSync(a.shots, { recursive: true });
const shot = (page, name) => page.screenshot({ path: path.join(a.shots, `${name}.png`) });
const t0 = Date.now();
const log = (...m) => console.log(`[ui +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...m);
let failures = 0;
// Toasts are suppressed when the server runs with enable-smoke-test-driver (needed for the URL `payload`
// extension-dev mode), so fall back to the notification center (bell in the status bar).
/** True once a notification with `text` shows (as a toast or in the center), false if none did. */
async function waitNotification(page, text, timeout = 20000) {
  const toast = page.locator('.notifications-toasts').getByText(text);
  try {
    await toast.waitFor({ timeout: 4000 });
    return true;
  } catch {}
  const center = page.locator('.notifications-center').getByText(text);
  if (!(await center.isVisible())) {
    await page.locator('[id="status.notifications"]').click();
  }
  const shown = await center.waitFor({ timeout }).then(
    () => true,
    () => false,
  );
  await page.keyboard.press('Escape'); // hide the center again
  return shown;
}
const check = (ok, what) => {
  console.log(`${ok ? 'PASS' : 'FAIL'}: ${what}`);
  if (!ok) failures++;
};

const tmp = mkdtempSync(path.join(tmpdir(), 'vsct-ui-'));
const browser = await chromium.launch({
  executablePath: a.chromium,
  headless: true,
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
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(a.url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  // the status bar is one of the last parts to render; wait for the extension host too
  await page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout: 60000 });
  log('workbench up');
  await page.waitForTimeout(1500);
  await shot(page, '01-workbench');

  // Activity bar entry contributed by the extension (aria-label = container title).
  const activity = page.locator('.activitybar [aria-label^="VSCT Sample"]').first();
  await activity.waitFor({ timeout: 60000 });
  await activity.click();
  const alpha = page.getByRole('treeitem', { name: 'Alpha' });
  await alpha.waitFor({ timeout: 30000 });
  const labels = await page.getByRole('treeitem').allInnerTexts();
  check(
    ['Alpha', 'Beta', 'Gamma'].every((l) => labels.some((x) => x.includes(l))),
    `tree shows Alpha/Beta/Gamma (${labels.join('|')})`,
  );
  await shot(page, '02-tree');

  await alpha.click();
  check(
    await waitNotification(page, 'Selected Alpha'),
    'clicking tree item shows "Selected Alpha" notification',
  );

  // Webview: outer <iframe class="webview"> (pre/index.html) -> inner <iframe id="active-frame"> (fake.html).
  const inner = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await inner.locator('#title').waitFor({ timeout: 30000 });
  const title = await inner.locator('#title').innerText();
  const sel = await inner.locator('#selected').innerText();
  const secret = await inner.locator('#secret').innerText();
  check(title === 'Hello from the VSCT webview', `webview title = "${title}"`);
  check(sel === 'selected=Alpha', `webview selected = "${sel}"`);
  check(secret === 'secret=s3cr3t-value', `webview secret (SecretStorage round trip) = "${secret}"`);
  await shot(page, '03-webview');

  // Message from webview back to the extension.
  await inner.locator('#ping').click();
  check(await waitNotification(page, 'Webview says ping'), 'webview postMessage reaches the extension');

  // Command palette: F1, type the title, Enter.
  await page
    .locator('.monaco-workbench')
    .click({ position: { x: 700, y: 850 } })
    .catch(() => {});
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10000 });
  await input.fill('>VSCT: Say Hello');
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: 'VSCT: Say Hello' })
    .first()
    .waitFor({ timeout: 10000 });
  await shot(page, '04-palette');
  await page.keyboard.press('Enter');
  check(
    await waitNotification(page, 'Hello from VSCT Sample!'),
    'command from F1 palette shows "Hello from VSCT Sample!"',
  );
  await shot(page, '05-after-command');
} catch (e) {
  failures++;
  console.error('FAIL: exception', e.message);
  try {
    const p = browser.contexts()[0]?.pages()[0];
    if (p) await shot(p, '99-error');
  } catch {}
} finally {
  await browser.close();
  rmSync(tmp, { recursive: true, force: true });
}
console.log(failures ? `ui: ${failures} failed` : 'ui: all checks passed');
process.exit(failures ? 1 : 0);
