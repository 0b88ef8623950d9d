// UI test (issue 8): outside text never becomes a link, an icon or a command in the real workbench.
// code-server with the packaged .vsix opens a copy of test/fixtures/hostile-workspace (campaign
// names built to become links, icons and Markdown; a workspace np6.baseUrl pointing at a catcher
// that must get no request); the user-level np6.baseUrl points at the sandbox in hostile mode
// (command links in error bodies, in x-request-id and in the key check's answer; the key echoed in
// five encodings). The suite sets a key (hostile key-check answer), hovers the tree's tooltips,
// opens the QuickPicks and runs queries, and after each step reads the DOM of every notification,
// hover, QuickPick row, status bar item and tree row: no <a> and no codicon may come from outside
// text. It clicks every link a notification shows, then checks that no terminal opened and no
// file was written, and searches the code-server profile, the extension's storage and the
// workspace for the key in every encoding.
// Usage: node test/ui/hostile.ui.mjs --vsix <path>   (screenshots in test-results/ui/)
/* global document -- page.evaluate callbacks run in the page */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, startCodeServer, toolchain } from '../../tools/start.mjs';
import { appears, launchBrowser, quickInputHelpers, reporter, uiArgs } from './uiHarness.mjs';

const a = uiArgs('node test/ui/hostile.ui.mjs --vsix <path to the .vsix>');
const shots = a.shots;
const { log, plan, check, fail, finish } = reporter('hostile');
plan([
  'the key-check warning after a hostile answer shows no link',
  'the workspace campaigns are listed with their names shown as text',
  'the campaign with an invalid id is shown as invalid, with the reason in its tooltip',
  'the tree tooltip shows the name literally, with no link or icon',
  'the campaign QuickPick shows $(…) and links as text',
  'a query answered with a command link reports it as text',
  'a query answered with an export link reports it as text',
  'a query of hostile events completes and the status bar shows the name as text',
  'a query of the invalid id is refused before any request',
  'a query answered with the key echoed in five encodings shows none of them',
  'no notification, hover, QuickPick row, status bar item or tree row holds a link or icon from outside',
  'clicking every link shown in a notification opens no terminal and writes no file',
  'the workspace np6.baseUrl is ignored (its server got no request)',
  'in Restricted Mode the workspace campaigns are ignored and the user campaigns listed',
  'the key is nowhere on disk (profile, extension storage, workspace) in any encoding',
]);

const PWNED = ['/tmp/np6-pwned', '/tmp/np6-pwned-export.json'];
/** Icons only outside text asks for ($(alert), $(bug), $(sync~spin) in the fixture and the sandbox's texts). */
const OUTSIDE_ICON = /\bcodicon-(alert|bug|sync)\b/;
const WJ = /\u2060/g;
// A key no other suite uses, so finding it on disk can only mean this run leaked it.
const KEY = `np6-hostile-${randomBytes(12).toString('hex')}`;

const env = toolchain();
const tmp = mkdtempSync(path.join(tmpdir(), 'np6-ui-hostile-'));
const folder = path.join(tmp, 'workspace');
for (const f of PWNED) rmSync(f, { force: true });

/** A loopback server that records what reaches it: the workspace's np6.baseUrl points here. */
function startCatcher() {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method, url: req.url, key: req.headers['x-key'] !== undefined });
    res.writeHead(404).end();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}`, requests, close: () => server.close() }),
    ),
  );
}

/** dist/sandbox.js in hostile mode (command links everywhere, the key echoed) with our key. */
async function startHostileSandbox() {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'dist', 'sandbox.js'), '--port', '0', '--key', KEY, '--hostile=command-links,echo-key'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let text = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start:\n${text}`)), 20000);
    child.stdout.on('data', (b) => {
      text += b;
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.on('exit', (code) => reject(new Error(`the sandbox exited (${code}):\n${text}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/** The forms a server or a careless log may hold the key in (src/demo/sandbox/hostileTexts.ts keyEncodings, and more). */
function keyForms(key) {
  const bytes = Buffer.from(key, 'utf8');
  const forms = {
    raw: key,
    url: [...bytes].map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join(''),
    urlLower: [...bytes].map((b) => '%' + b.toString(16).padStart(2, '0')).join(''),
    jsonEscaped: [...key].map((c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')).join(''),
    html: [...key].map((c) => `&#${c.codePointAt(0)};`).join(''),
    base64: bytes.toString('base64').replace(/=+$/, ''),
  };
  const out = Object.entries(forms).map(([name, text]) => ({ name, bytes: Buffer.from(text, 'latin1') }));
  out.push({ name: 'utf16le', bytes: Buffer.from(key, 'utf16le') });
  // base64 of the key inside a longer base64 text: the middle of the other two alignments.
  for (const pad of [1, 2]) {
    const b64 = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    out.push({ name: `base64+${pad}`, bytes: Buffer.from(b64.slice(4, -4), 'latin1') });
  }
  return out;
}

/** Every file under `dir` (symlinks not followed) that holds one of `forms`: "path: form". */
function findKey(dir, forms) {
  const hits = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && statSync(p).size < 512 * 1024 * 1024) {
        const buf = readFileSync(p);
        for (const f of forms) if (buf.includes(f.bytes)) hits.push(`${path.relative(tmp, p)}: ${f.name}`);
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return hits;
}

/**
 * A second code-server on the same installed extension, with workspace trust ON (the shared
 * start-code-server.sh turns it off): the folder opens in Restricted Mode once the trust prompt is
 * answered "No". Same flags otherwise. Returns { url, stop }.
 */
async function startRestrictedCodeServer(dir, exts, settings) {
  mkdirSync(path.join(dir, 'user', 'User'), { recursive: true });
  mkdirSync(path.join(dir, 'user', 'Machine'), { recursive: true });
  writeFileSync(
    path.join(dir, 'user', 'User', 'settings.json'),
    JSON.stringify({
      'chat.disableAIFeatures': true,
      'workbench.startupEditor': 'none',
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'workbench.enableExperiments': false,
      'security.workspace.trust.enabled': true,
      ...settings.user,
    }),
  );
  writeFileSync(path.join(dir, 'user', 'Machine', 'settings.json'), JSON.stringify(settings.machine));
  const out = openSync(path.join(dir, 'server.log'), 'w');
  const child = spawn(
    env.CODE_SERVER_NODE,
    [
      env.CODE_SERVER_BIN,
      '--bind-addr',
      '127.0.0.1:0',
      '--auth',
      'none',
      '--config',
      path.join(dir, 'config.yaml'),
      '--user-data-dir',
      path.join(dir, 'user'),
      '--extensions-dir',
      exts,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      folder,
    ],
    {
      detached: true,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        XDG_DATA_HOME: path.join(dir, 'xdg-data'),
        XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
      },
    },
  );
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
  };
  for (let i = 0; i < 300; i++) {
    const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(
      readFileSync(path.join(dir, 'server.log'), 'utf8'),
    );
    if (m) return { url: `${m[1]}/?folder=${encodeURIComponent(folder)}`, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error(
    `code-server (trust on) did not start:\n${readFileSync(path.join(dir, 'server.log'), 'utf8')}`,
  );
}

const catcher = await startCatcher();
const sandbox = await startHostileSandbox();
let server;
let restricted;
let browser;
try {
  // The hostile workspace, with its np6.baseUrl pointed at the catcher.
  cpSync(path.join(ROOT, 'test', 'fixtures', 'hostile-workspace'), folder, { recursive: true });
  const wsSettings = path.join(folder, '.vscode', 'settings.json');
  writeFileSync(
    wsSettings,
    readFileSync(wsSettings, 'utf8').replace(
      'http://127.0.0.1:9/workspace-base-url-must-be-ignored',
      `${catcher.url}/workspace-base-url-must-be-ignored`,
    ),
  );
  server = await startCodeServer({ vsix: path.resolve(a.vsix), dir: path.join(tmp, 'cs'), folder, env });
  // The user's own np6.baseUrl (Machine settings in code-server) is the hostile sandbox.
  mkdirSync(path.join(tmp, 'cs', 'user', 'Machine'), { recursive: true });
  writeFileSync(
    path.join(tmp, 'cs', 'user', 'Machine', 'settings.json'),
    JSON.stringify({ 'np6.baseUrl': sandbox.url }),
  );
  log('code-server up', server.url, 'sandbox', sandbox.url, 'catcher', catcher.url);
  browser = await launchBrowser(env, tmp);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const shot = (name) => page.screenshot({ path: path.join(shots, `hostile-${name}.png`) });
  await page.goto(server.url);
  await page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout: 90000 });
  log('workbench up');
  const { quick, quickInput, palette, accept } = quickInputHelpers(page);

  /**
   * Reads every surface that shows outside text and returns what came from outside: an <a> (our
   * messages and tooltips have none) or an icon only a name or an answer asks for. Also returns the
   * hrefs of notification links, to click them.
   */
  const violations = [];
  const notificationLinks = new Set();
  let clicked = 0;
  const scan = async (when) => {
    const found = await page.evaluate((iconSource) => {
      const icon = new RegExp(iconSource);
      const surfaces = {
        notification: '.notification-list-item',
        hover: '.workbench-hover, .monaco-hover',
        quickPick:
          '.quick-input-widget .monaco-list-row, .quick-input-widget .quick-input-message, .quick-input-widget .quick-input-title',
        statusBar: '#workbench\\.parts\\.statusbar .statusbar-item',
        tree: '.pane-body .monaco-list-row',
      };
      const out = { bad: [], links: [] };
      for (const [surface, selector] of Object.entries(surfaces)) {
        for (const el of document.querySelectorAll(selector)) {
          const text = (el.textContent ?? '').replace(/\s+/g, ' ').slice(0, 120);
          // Only what the extension shows (VS Code's own notifications may carry links).
          if (surface === 'notification' && !/NP6/.test(el.textContent ?? '')) continue;
          for (const link of el.querySelectorAll('a[href], a[data-href]')) {
            const href = link.getAttribute('href') ?? link.getAttribute('data-href') ?? '';
            out.bad.push(`${surface}: link ${href} in "${text}"`);
            if (surface === 'notification') out.links.push(href);
          }
          for (const i of el.querySelectorAll('[class*="codicon-"]')) {
            if (icon.test(i.className)) out.bad.push(`${surface}: icon ${i.className} in "${text}"`);
          }
        }
      }
      return out;
    }, OUTSIDE_ICON.source);
    for (const b of found.bad) violations.push(`${when}: ${b}`);
    for (const l of found.links) notificationLinks.add(l);
    if (found.bad.length) log(`${when}: ${found.bad.length} violation(s)`, found.bad.slice(0, 3));
    // A link a notification shows is clicked at once, as a user would (toasts are cleared later).
    if (found.links.length) {
      const links = page.locator('.notification-list-item-message a');
      for (let i = (await links.count()) - 1; i >= 0; i--) {
        if (
          await links
            .nth(i)
            .click({ timeout: 2000 })
            .then(
              () => true,
              () => false,
            )
        )
          clicked++;
      }
      await page.waitForTimeout(1000);
      await page.keyboard.press('Escape');
    }
  };
  /** A visible toast whose text matches `re`. */
  const toast = (re) => page.locator('.notifications-toasts .notification-list-item', { hasText: re });
  const textOf = async (loc) =>
    ((await loc.first().textContent()) ?? '').replace(WJ, '').replace(/\s+/g, ' ');
  const clearToasts = async () => {
    await page.keyboard.press('Escape');
    await palette('Notifications: Clear All Notifications');
    await page.waitForTimeout(300);
  };

  // 1. Set API Key: the key check is answered 401 with a command link in the body and in
  //    x-request-id (a one-time hostile fault, given before the sandbox looks at the key).
  const faulted = await fetch(`${sandbox.url}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'x-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ mode: 'command-links', status: 401, times: 1 }),
  });
  if (faulted.status !== 204) throw new Error(`the sandbox refused the fault: HTTP ${faulted.status}`);
  await page.locator('.activitybar [aria-label^="NP6"]').first().click({ timeout: 60000 });
  await palette('NP6: Set API Key');
  await quick.locator('input[type="password"]').waitFor({ timeout: 10000 });
  await quickInput.fill(KEY);
  await page.keyboard.press('Enter');
  const keyWarning = toast(/NP6:? .*(could not be checked|refused)/);
  await keyWarning.first().waitFor({ timeout: 30000 });
  await scan('key check');
  const keyText = await textOf(keyWarning);
  const keyLinks = await keyWarning.first().locator('.notification-list-item-message a').count();
  check(
    keyLinks === 0 && !keyText.includes(KEY),
    'the key-check warning after a hostile answer shows no link',
    `${keyLinks} link(s): ${keyText.slice(0, 140)}`,
  );
  await shot('01-key-check');
  await keyWarning.first().getByRole('button', { name: 'Save Anyway' }).click();

  // 2. The tree: names as text (aria-label and the visible label).
  const spring = page.getByRole('treeitem', { name: /^Campaign Spring sale \[open the dashboard\]/ });
  const alert = page.getByRole('treeitem', { name: /^Campaign \$\(alert\) Alert/ });
  const dotdot = page.getByRole('treeitem', { name: /^Campaign Dot dot/ });
  const listed = (await appears(spring, 30000)) && (await appears(alert, 5000));
  const alertLabel = listed ? await textOf(alert) : '';
  const springLabel = listed ? await textOf(spring) : '';
  check(
    listed &&
      alertLabel.includes('$(alert) Alert $(sync~spin)') &&
      springLabel.includes('](command:workbench'),
    'the workspace campaigns are listed with their names shown as text',
    `${alertLabel.slice(0, 60)} | ${springLabel.slice(0, 60)}`,
  );
  await scan('tree');
  await shot('02-tree');

  // 3. Tooltips: hover the rows.
  const hoverOf = async (row, re) => {
    await page.mouse.move(5, 5);
    await page.waitForTimeout(300);
    await row.first().hover();
    const hover = page.locator('.workbench-hover, .monaco-hover', { hasText: re });
    const shown = await appears(hover, 10000);
    await scan('hover');
    // Read now: the next hover replaces this one.
    return shown ? { text: await textOf(hover), links: await hover.first().locator('a').count() } : undefined;
  };
  const dotHover = (await appears(dotdot, 5000)) ? await hoverOf(dotdot, /Invalid id/) : undefined;
  const dotDescription = (await appears(dotdot, 1000)) ? await textOf(dotdot) : '';
  check(
    dotHover !== undefined && /invalid id/.test(dotDescription) && /not an id/.test(dotHover.text),
    'the campaign with an invalid id is shown as invalid, with the reason in its tooltip',
    `${dotDescription} | ${dotHover ? dotHover.text.slice(0, 100) : 'no tooltip'}`,
  );
  const springHover = await hoverOf(spring, /Campaign id/);
  const ticks = page.getByRole('treeitem', { name: /^Campaign Ticks/ });
  const ticksHover = await hoverOf(ticks, /Campaign id/);
  const urlRow = page.getByRole('treeitem', { name: /^Campaign https:\/\/evil\.example/ });
  const urlHover = await hoverOf(urlRow, /Campaign id/);
  const hovers = [springHover, ticksHover, urlHover];
  const hoverTexts = [];
  let hoverLinks = 0;
  for (const h of hovers) {
    if (!h) continue;
    hoverTexts.push(h.text);
    hoverLinks += h.links;
  }
  check(
    hovers.every(Boolean) &&
      hoverLinks === 0 &&
      hoverTexts[0]?.includes('[open the dashboard](command:workbench.action.terminal.new)') &&
      hoverTexts[1]?.includes(
        'Ticks `a` ``b`` ``` and <b>bold</b> **strong** [x](https://evil.example/md)',
      ) &&
      hoverTexts[2]?.includes('https://evil.example/x see mail@evil.example'),
    'the tree tooltip shows the name literally, with no link or icon',
    `${hovers.filter(Boolean).length}/3 tooltips, ${hoverLinks} link(s): ${hoverTexts.map((t) => t.slice(0, 70)).join(' | ')}`,
  );
  await shot('03-tooltip');
  await page.mouse.move(5, 5);

  // 4. The query flow's campaign QuickPick.
  /** Runs Query Events on the campaign whose row matches `filter`, accepting every default. */
  const query = async (filter, rowText) => {
    await palette('NP6: Query Events...');
    await quick.locator('.quick-input-title', { hasText: 'NP6: Query Events' }).waitFor({ timeout: 15000 });
    await quick.locator('.monaco-list-row').first().waitFor({ timeout: 10000 });
    await scan('campaign QuickPick');
    await quickInput.fill(filter);
    await quick.locator('.monaco-list-row', { hasText: rowText }).first().waitFor({ timeout: 10000 });
    await page.keyboard.press('Enter');
    // No items configured: types, subtypes, range, sort (2/5 … 5/5).
    for (const k of [2, 3, 4, 5]) {
      await scan(`query step ${k}`);
      await accept(k);
    }
  };
  await palette('NP6: Query Events...');
  await quick.locator('.quick-input-title', { hasText: 'NP6: Query Events' }).waitFor({ timeout: 15000 });
  const alertRow = quick.locator('.monaco-list-row', { hasText: 'Alert' }).first();
  await alertRow.waitFor({ timeout: 10000 });
  await scan('campaign QuickPick');
  const rowText = await textOf(alertRow);
  const rowIcons = await quick
    .locator('.monaco-list-row [class*="codicon-alert"], .monaco-list-row [class*="codicon-sync"]')
    .count();
  const rowLinks = await quick.locator('.monaco-list-row a[href]').count();
  check(
    rowText.includes('$(alert) Alert $(sync~spin)') && rowIcons === 0 && rowLinks === 0,
    'the campaign QuickPick shows $(…) and links as text',
    `${rowIcons} icon(s), ${rowLinks} link(s): ${rowText.slice(0, 80)}`,
  );
  await shot('04-quickpick');
  await page.keyboard.press('Escape');

  // 5. Queries answered with command links (500: terminal; 400: export to a chosen path).
  await clearToasts();
  await query('Spring sale', 'Spring sale');
  const partial1 = toast(/NP6: the result of Spring sale/);
  const got1 = await appears(partial1, 30000);
  await scan('500 command link');
  const t1 = got1 ? await textOf(partial1) : '';
  const links1 = got1 ? await partial1.first().locator('.notification-list-item-message a').count() : -1;
  check(
    got1 && links1 === 0 && /command:/.test(t1),
    'a query answered with a command link reports it as text',
    `${links1} link(s): ${t1.slice(0, 160)}`,
  );
  await shot('05-command-link');
  await clearToasts();
  await query('Ticks', 'Ticks');
  const partial2 = toast(/NP6: the result of Ticks/);
  const got2 = await appears(partial2, 30000);
  await scan('400 export link');
  const t2 = got2 ? await textOf(partial2) : '';
  const links2 = got2 ? await partial2.first().locator('.notification-list-item-message a').count() : -1;
  check(
    got2 && links2 === 0 && /command:np6\.exportLastResult/.test(t2),
    'a query answered with an export link reports it as text',
    `${links2} link(s): ${t2.slice(0, 160)}`,
  );
  await shot('06-export-link');

  // 6. Hostile events (200): progress, then the status bar's "$(check) NP6: N events from <name>".
  await clearToasts();
  await query('Alert', 'Alert');
  const statusDone = page.locator('#workbench\\.parts\\.statusbar .statusbar-item', {
    hasText: /NP6: [\d,]+ events? from/,
  });
  const done = await appears(statusDone, 30000);
  await scan('hostile events');
  const statusText = done ? await textOf(statusDone) : '';
  const statusIcons = done
    ? await statusDone
        .first()
        .locator('[class*="codicon-"]')
        .evaluateAll((n) => n.map((x) => x.className))
    : [];
  check(
    done &&
      statusText.includes('$(alert) Alert $(sync~spin)') &&
      statusIcons.some((c) => /codicon-check/.test(c)) &&
      !statusIcons.some((c) => OUTSIDE_ICON.test(c)),
    'a query of hostile events completes and the status bar shows the name as text',
    `${statusText.slice(0, 90)}; icons ${statusIcons.join(' ')}`,
  );
  await shot('07-hostile-events');
  await scan('timeline');

  // 6b. The key echoed back (raw, %XX, \uXXXX, &#NN;, base64) in the body and x-request-id.
  await clearToasts();
  await query('mail@evil', 'mail@evil');
  const echoed = toast(/NP6: the result of https:/);
  const gotEcho = await appears(echoed, 30000);
  await scan('key echoed');
  const te = gotEcho ? ((await echoed.first().textContent()) ?? '') : '';
  const shownForms = keyForms(KEY).filter((f) => te.includes(f.bytes.toString('latin1')));
  check(
    gotEcho && shownForms.length === 0,
    'a query answered with the key echoed in five encodings shows none of them',
    `${shownForms.map((f) => f.name).join(', ') || 'no form shown'}: ${te.replace(/\s+/g, ' ').slice(0, 140)}`,
  );
  await shot('07b-key-echoed');

  // 7. The invalid id: refused with the reason, nothing sent.
  await clearToasts();
  await query('Dot dot', 'Dot dot');
  const refused = toast(/NP6: The campaign id/);
  const gotRefused = await appears(refused, 15000);
  const tr = gotRefused ? await textOf(refused) : '';
  check(
    gotRefused && /nothing was sent/.test(tr),
    'a query of the invalid id is refused before any request',
    tr.slice(0, 140),
  );
  await scan('invalid id');

  // 8. Everything seen, then every link a notification showed is clicked (there should be none).
  await palette('Notifications: Show Notifications');
  await page.waitForTimeout(500);
  await scan('notification center');
  await shot('08-notification-center');
  check(
    violations.length === 0,
    'no notification, hover, QuickPick row, status bar item or tree row holds a link or icon from outside',
    violations.length ? violations.slice(0, 4).join(' ; ') : 'none',
  );
  await page.waitForTimeout(2000);
  const terminals = await page.locator('.terminal-wrapper, .xterm').count();
  const written = PWNED.filter((f) => existsSync(f));
  check(
    terminals === 0 && written.length === 0,
    'clicking every link shown in a notification opens no terminal and writes no file',
    `${clicked} link(s) clicked (${[...notificationLinks].join(', ') || 'none shown'}); ${terminals} terminal(s); written: ${written.join(', ') || 'none'}`,
  );
  await page.close();
  server.stop();

  // 9. Restricted Mode: the same folder, not trusted. np6.campaigns is a restricted configuration:
  //    the workspace's list is ignored, the user's is shown.
  restricted = await startRestrictedCodeServer(path.join(tmp, 'cs2'), path.join(tmp, 'cs', 'exts'), {
    user: { 'np6.campaigns': [{ id: 'badc0de0-0000-4000-8000-000000000003', name: 'User campaign' }] },
    machine: { 'np6.baseUrl': sandbox.url },
  });
  const page2 = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page2.goto(restricted.url);
  await page2.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout: 90000 });
  const distrust = page2.getByRole('button', { name: /No, I don.t trust the authors/ });
  if (await appears(distrust, 30000)) await distrust.click();
  const q2 = quickInputHelpers(page2);
  await page2.locator('.activitybar [aria-label^="NP6"]').first().click({ timeout: 60000 });
  await q2.palette('NP6: Set API Key');
  await q2.quick.locator('input[type="password"]').waitFor({ timeout: 10000 });
  await q2.quickInput.fill(KEY);
  await page2.keyboard.press('Enter');
  const userRow = page2.getByRole('treeitem', { name: /^Campaign User campaign/ });
  const userListed = await appears(userRow, 30000);
  const rows2 = await page2
    .getByRole('treeitem')
    .evaluateAll((r) =>
      r.map((x) => x.getAttribute('aria-label') ?? '').filter((l) => l.startsWith('Campaign')),
    );
  const restrictedBadge = await page2.locator('.statusbar-item', { hasText: /Restricted Mode/ }).count();
  await page2.screenshot({ path: path.join(shots, 'hostile-09-restricted.png') });
  check(
    userListed && rows2.length === 1 && restrictedBadge > 0,
    'in Restricted Mode the workspace campaigns are ignored and the user campaigns listed',
    `${restrictedBadge ? 'Restricted Mode' : 'trusted?'}; rows: ${rows2.join(' | ')}`,
  );
  check(
    catcher.requests.length === 0,
    'the workspace np6.baseUrl is ignored (its server got no request)',
    `${catcher.requests.length} request(s)${catcher.requests.some((r) => r.key) ? ', some with X-Key' : ''}`,
  );
} catch (e) {
  await fail(e, browser, path.join(shots, 'hostile-99-error.png'));
} finally {
  await browser?.close().catch(() => {});
  server?.stop();
  restricted?.stop();
  sandbox.stop();
  catcher.close();
}
// After code-server stopped (it flushes its state on exit): the profile (settings, logs, global and
// workspace storage, the extension's stored results) and the workspace hold no form of the key.
try {
  await new Promise((r) => setTimeout(r, 1500));
  const forms = keyForms(KEY);
  const hits = [
    ...findKey(path.join(tmp, 'cs'), forms),
    ...findKey(path.join(tmp, 'cs2'), forms),
    ...findKey(folder, forms),
  ];
  check(
    hits.length === 0,
    'the key is nowhere on disk (profile, extension storage, workspace) in any encoding',
    hits.length ? hits.slice(0, 5).join('; ') : `${forms.length} forms searched`,
  );
} catch (e) {
  await fail(e, undefined, path.join(shots, 'hostile-99-error.png'));
}
rmSync(tmp, { recursive: true, force: true });
process.exit(finish());
