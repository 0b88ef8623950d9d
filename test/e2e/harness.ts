// Serves the real webview bundle (dist/webview.js + css + codicons) in the real page template and
// CSP (src/shared/timeline/html.ts) over loopback, with a stand-in for acquireVsCodeApi, and drives it
// with Debian Chromium through playwright-core. Used by the e2e specs and the benchmark.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { timelineHtml } from '../../src/shared/timeline/html';
import type { EventBatch } from '../../src/shared/timeline/batch';
import type { HostMessage } from '../../src/shared/protocol';

export const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** Builds dist/webview.js when it is missing or older than the webview sources. */
export function ensureWebviewBundle(): void {
  const bundle = path.join(ROOT, 'dist', 'webview.js');
  const newest = (dir: string): number =>
    readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts') || f.endsWith('.css'))
      .reduce((m, f) => Math.max(m, statSync(path.join(dir, f)).mtimeMs), 0);
  const sources = Math.max(newest(path.join(ROOT, 'webview')), newest(path.join(ROOT, 'src', 'shared')));
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= sources) return;
  const r = spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(bundle)) {
    throw new Error('Building dist/webview.js failed: run `node esbuild.js`.');
  }
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.html': 'text/html',
};

export interface Harness {
  origin: string;
  /** Every path the server was asked for. */
  served: string[];
  close(): Promise<void>;
}

/** The page: the production template, plus the theme variables and the stand-in before the bundle. */
function page(origin: string, theme: string): string {
  const nonce = randomBytes(18).toString('base64');
  const html = timelineHtml(
    {
      cspSource: origin,
      script: `${origin}/dist/webview.js`,
      style: `${origin}/dist/webview.css`,
      codicons: `${origin}/dist/codicons/codicon.css`,
    },
    nonce,
  );
  return html
    .replace(
      '<link rel="stylesheet"',
      `<link rel="stylesheet" href="${origin}/fixtures/theme-${theme}.css">\n<link rel="stylesheet"`,
    )
    .replace('<body>', `<body class="vscode-${theme}">`)
    .replace(
      `<script nonce="${nonce}"`,
      `<script nonce="${nonce}" src="${origin}/fixtures/standin.js"></script>\n<script nonce="${nonce}"`,
    );
}

export async function startHarness(): Promise<Harness> {
  const served: string[] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    served.push(url.pathname);
    let file: string | undefined;
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page(origin, url.searchParams.get('theme') === 'light' ? 'light' : 'dark'));
      return;
    }
    if (url.pathname === '/favicon.ico') {
      // Chromium asks for it by itself; not a request of the page.
      res.writeHead(204).end();
      return;
    }
    if (url.pathname.startsWith('/dist/')) file = path.join(ROOT, 'dist', url.pathname.slice(6));
    if (url.pathname.startsWith('/fixtures/')) file = path.join(FIXTURES, url.pathname.slice(10));
    if (!file || file.includes('..') || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    served,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** Typed arrays → plain arrays, for page.evaluate (the stand-in rebuilds them). */
function plain(m: HostMessage): unknown {
  const conv = (o: EventBatch): Record<string, unknown> => ({
    ...Object.fromEntries(
      Object.entries(o).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v]),
    ),
    tables: Object.fromEntries(
      Object.entries(o.tables).map(([k, d]) => [k, { ...d, ends: Array.from(d.ends) }]),
    ),
  });
  if (m.type === 'batch') return { ...m, batch: conv(m.batch) };
  if (m.type === 'classes') return { ...m, codes: Array.from(m.codes) };
  return m;
}

export async function feed(p: Page, messages: HostMessage[]): Promise<void> {
  await p.evaluate(`window.__feed(${JSON.stringify(messages.map(plain))})`);
}

/**
 * Evaluates an expression in the page. Expressions are strings because these files are checked
 * with the host's tsconfig, which has no DOM types.
 */
export function pageEval<T>(p: Page, expression: string): Promise<T> {
  return p.evaluate<T>(expression);
}

/**
 * Polls an expression until it is true. (page.waitForFunction with a string would `eval` in the
 * page, which the webview's CSP rightly forbids.)
 */
export async function waitUntil(p: Page, expression: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pageEval<boolean>(p, `!!(${expression})`))) {
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${expression}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What the stand-in host answers to getEvent: the JSON of each event by arrival index. */
export async function setEventJson(p: Page, jsons: string[]): Promise<void> {
  await p.evaluate(`window.__eventJson = ${JSON.stringify(Object.fromEntries(jsons.map((j, i) => [i, j])))}`);
}

/** Waits until the header says `n` events match the filters. */
export async function waitFiltered(p: Page, n: number): Promise<void> {
  await waitUntil(p, `document.querySelector('.counts')?.dataset.filtered === ${JSON.stringify(String(n))}`);
}

/** Waits until the webview has rendered all `count` events (after the next animation frame). */
export async function waitRendered(p: Page, count: number): Promise<void> {
  await waitUntil(p, `document.body.dataset.rendered === ${JSON.stringify(String(count))}`);
}

/** The counts the header shows (total, matching filters, in view). */
export async function headerCounts(p: Page): Promise<{ total: number; filtered: number; inView: number }> {
  const d = await pageEval<Record<string, string>>(p, `({ ...document.querySelector('.counts').dataset })`);
  return { total: Number(d.total), filtered: Number(d.filtered), inView: Number(d.inView) };
}

/** Waits for the next render after an interaction. */
export async function settle(p: Page): Promise<void> {
  await p.evaluate(`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null))))`);
}
