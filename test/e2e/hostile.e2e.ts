// A hostile corpus: every field an event can show holds markup, script URLs, bidi overrides,
// control characters or 10k-character strings. The page must show them as text, run nothing and
// request nothing.

import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { BatchBuilder } from '../../src/shared/timeline/batch';
import { rowStrings } from '../../src/core/timeline/eventRows';
import type { Np6Event } from '../../src/np6/events';
import type { HostMessage } from '../../src/shared/protocol';
import {
  ensureWebviewBundle,
  pageEval,
  setEventJson,
  feed,
  launchChromium,
  settle,
  startHarness,
  waitRendered,
  type Harness,
} from './harness';

const PAYLOADS = [
  '<script>window.__pwned=1;console.log("pwned")</script>',
  '<img src=x onerror="window.__pwned=1;console.log(\'pwned\')">',
  'javascript:window.__pwned=1',
  '"><svg onload="window.__pwned=1">',
  '\u202Egnp.exe\u202C right-to-left override \u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627',
  'control \u0000\u0007\u001b[31m\u0008 chars\r\nnew line',
  'x'.repeat(10_000),
  '{{constructor.constructor("window.__pwned=1")()}}',
  `<a href="http://127.0.0.1:9/leak">leak</a><link rel="stylesheet" href="http://127.0.0.1:9/x.css">`,
];

function hostileEvent(i: number): Np6Event {
  const p = PAYLOADS[i % PAYLOADS.length] as string;
  const kinds = ['execution', 'activation', 'hit', 'bounce', `<b>${p.slice(0, 40)}</b>`];
  const type = kinds[i % kinds.length] as string;
  return {
    type,
    id: `id-${i}-${p.slice(0, 30)}`,
    timestamp: Date.UTC(2024, 4, 1) + i * 60_000,
    source: {
      type: 'email',
      detail: {
        activation: {
          id: p.slice(0, 200),
          receiver: { type: 'footprint', id: `${p.slice(0, 100)}#${i}`, unicity: `${p}@example.com` },
          recipient: p,
        },
        link: {
          type: type === 'hit' ? p.slice(0, 50) : 'redirection',
          label: p,
          destination: `javascript:${p}`,
        },
        client: {
          ip: { value: p },
          ua: { ua: p, os: { name: p }, device: { brand: p, name: p }, client: { name: p } },
        },
        [p.slice(0, 60)]: p,
      },
    },
  };
}

describe('timeline webview: hostile event data', function () {
  let browser: Browser;
  let harness: Harness;
  let page: Page;
  const events = Array.from({ length: 60 }, (_, i) => hostileEvent(i));
  const seen = { dialogs: [] as string[], console: [] as string[], foreign: [] as string[] };

  before(async () => {
    ensureWebviewBundle();
    harness = await startHarness();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
    page.on('dialog', (d) => {
      seen.dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => seen.console.push(m.text()));
    page.on('pageerror', (e) => seen.console.push(e.message));
    page.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(`${harness.origin}/`)) seen.foreign.push(u);
    });
    await page.goto(`${harness.origin}/`);
    const b = new BatchBuilder();
    for (const e of events) b.addRow(e.timestamp, rowStrings(e));
    const info = {
      resultId: 'hostile',
      campaignLabel: PAYLOADS[1] as string,
      campaignId: PAYLOADS[0] as string,
      endpoint: 'campaign' as const,
      items: [PAYLOADS[2] as string],
      types: PAYLOADS[3] as string,
      count: events.length,
      bytes: 0,
      live: false,
      complete: false,
      completeness: `partial: ${PAYLOADS[1] as string}`,
      missingWindows: 1,
    };
    const msgs: HostMessage[] = [
      { type: 'init', info, timeZone: 'UTC', total: events.length },
      { type: 'batch', batch: b.take() },
    ];
    await feed(page, msgs);
    await setEventJson(
      page,
      events.map((e) => JSON.stringify(e, null, 2)),
    );
    await waitRendered(page, events.length);
  });

  after(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('renders every value as text', async () => {
    // Select every visible row in turn (detail + JSON tree), hover the lanes (tooltips).
    const rows = page.locator('.list-viewport [role="option"]:not([hidden])');
    // The rows on screen (the list renders a few more below the fold).
    const n = Math.min(await rows.count(), 8);
    for (let k = 0; k < n; k++) {
      await rows.nth(k).click();
      await page.locator('.detail .json details').first().waitFor();
    }
    const lanes = await page.locator('canvas.lanes').boundingBox();
    assert.ok(lanes);
    for (let x = 5; x < lanes.width; x += 40) {
      await page.mouse.move(lanes.x + x, lanes.y + 18 + 11 + 22 * ((x / 40) % 5));
    }
    await page.locator('vscode-textfield input').fill('<script>');
    await settle(page);
    const text = await page.locator('body').innerText();
    assert.ok(text.includes('<img src=x onerror='), 'markup is shown as text');
    assert.ok(text.includes('javascript:'), 'script URLs are shown as text');
    // No element came from the data: only the page's own scripts, no img/svg/a/iframe/link added.
    const elements = await pageEval<Record<string, number>>(
      page,
      `({ scripts: document.querySelectorAll('script').length, injected: document.querySelectorAll('img, svg, iframe, object, embed, a[href], body link').length, links: document.querySelectorAll('link').length })`,
    );
    assert.deepEqual(elements, { scripts: 2, injected: 0, links: 3 });
  });

  it('runs no script from the data and makes no request', async () => {
    await page.waitForTimeout(300);
    assert.equal(await pageEval<number | undefined>(page, 'window.__pwned'), undefined);
    assert.deepEqual(seen.dialogs, []);
    assert.deepEqual(seen.console, []);
    assert.deepEqual(seen.foreign, []);
    const violations = await pageEval<string[]>(page, 'window.__cspViolations');
    assert.deepEqual(violations, [], 'nothing even tried to break the CSP');
  });

  it('neutralises bidi overrides and control characters in what it shows', async () => {
    const text = await page.locator('.list-viewport').innerText();
    // eslint-disable-next-line no-control-regex
    assert.equal(/[\u202a-\u202e\u2066-\u2069\u0000-\u0008\u001b]/.test(text), false);
    const long = await page.locator('.detail .summary').innerText();
    assert.ok(long.length < 20_000, 'long values are shortened with a note');
  });
});
