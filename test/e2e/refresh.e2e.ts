// Refresh in the webview: a result from the sandbox is shown, then the events a refresh merged
// into the store arrive (their batches, then `newEvents`), as the host sends them. The page must
// badge exactly those rows, frame them on the lanes canvas, offer a chip that filters to them,
// keep the mark across a reload; rows and the detail pane carry the native context-menu data.

import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { BatchBuilder } from '../../src/shared/timeline/batch';
import { rowStrings } from '../../src/core/timeline/eventRows';
import { Np6Client } from '../../src/np6/client';
import { eventRecipient, type Np6Event } from '../../src/np6/events';
import { allEmailEvents } from '../../src/np6/query';
import type { HostMessage, ResultInfo, TimelineUiState } from '../../src/shared/protocol';
import { startSandbox, type Sandbox } from '../../src/demo/sandbox';
import {
  ensureWebviewBundle,
  feed,
  headerCounts,
  launchChromium,
  pageEval,
  settle,
  startHarness,
  waitFiltered,
  waitRendered,
  waitUntil,
  type Harness,
} from './harness';

function info(count: number): ResultInfo {
  return {
    resultId: 'refresh-1',
    campaignLabel: 'Refresh test',
    campaignId: 'c',
    endpoint: 'campaign',
    items: [],
    types: 'all events',
    count,
    bytes: 0,
    live: false,
    complete: true,
    completeness: 'complete',
    missingWindows: 0,
  };
}

/** Batches of events [from, to) from one builder (codes stay stable across the refresh). */
function batches(b: BatchBuilder, events: Np6Event[], from: number, to: number): HostMessage[] {
  const out: HostMessage[] = [];
  for (let i = from; i < to; i++) {
    b.addRow((events[i] as Np6Event).timestamp, rowStrings(events[i] as Np6Event));
    if (b.pending >= 300) out.push({ type: 'batch', batch: b.take() });
  }
  if (b.pending) out.push({ type: 'batch', batch: b.take() });
  return out;
}

/**
 * Pixels of the lanes canvas below the time axis in the frame colour (the dark fixture's
 * foreground, #cccccc): no lane colour is that grey, so only new-event frames have it.
 */
const FRAME_PIXELS = `(() => {
  const c = document.querySelector('canvas.lanes');
  const top = Math.ceil(18 * (window.devicePixelRatio || 1));
  // A copy read once (reading the live canvas twice makes Chromium warn about readbacks).
  const copy = document.createElement('canvas');
  copy.width = c.width;
  copy.height = c.height;
  const cc = copy.getContext('2d', { willReadFrequently: true });
  cc.drawImage(c, 0, 0);
  const d = cc.getImageData(0, top, c.width, c.height - top).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (Math.abs(d[i] - 0xcc) < 12 && Math.abs(d[i + 1] - 0xcc) < 12 && Math.abs(d[i + 2] - 0xcc) < 12 && d[i + 3] > 200) n++;
  }
  return n;
})()`;

const visibleRows = `[...document.querySelectorAll('.list-viewport [role="option"]:not([hidden])')]`;

describe('timeline webview: refresh marks new events; context-menu data', function () {
  let browser: Browser;
  let harness: Harness;
  let sandbox: Sandbox;
  let events: Np6Event[];
  let page: Page;
  const problems: string[] = [];

  before(async function () {
    this.timeout(120_000);
    ensureWebviewBundle();
    sandbox = await startSandbox({
      seed: 11,
      campaigns: [{ name: 'Refresh test', recipients: 80, items: 1, sendStart: Date.UTC(2024, 4, 6, 8) }],
    });
    const c = sandbox.campaigns[0];
    assert.ok(c);
    const client = new Np6Client({ baseUrl: sandbox.url, apiKey: sandbox.apiKey });
    events = [];
    for await (const e of client.streamEvents({
      campaignId: c.id,
      endpoint: 'campaign',
      itemsEvents: [allEmailEvents()],
      sort: 'none',
    })) {
      events.push(e);
    }
    assert.ok(events.length > 150, `the sandbox campaign has events (${events.length})`);
    harness = await startHarness();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await harness?.close();
    await sandbox?.close();
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
    page.on('console', (m) => {
      if (m.type() !== 'debug') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(`${harness.origin}/`);
    await waitUntil(page, `window.__posted.some((m) => m.type === 'ready')`);
  });

  afterEach(async () => {
    const violations = await pageEval<string[]>(page, 'window.__cspViolations');
    await page.close();
    assert.deepEqual(violations, [], 'no CSP violation');
    assert.deepEqual(problems.splice(0), [], 'nothing logged');
  });

  it('badges, frames and filters exactly the events a refresh added, and keeps the mark on reload', async () => {
    // The refresh adds the events of the last 30 % of the arrival order (a settle window re-read).
    const from = Math.floor(events.length * 0.7);
    const to = events.length;
    const b = new BatchBuilder();
    await feed(page, [
      { type: 'init', info: info(0), timeZone: 'UTC', total: 0 },
      ...batches(b, events, 0, from),
    ]);
    await feed(page, [{ type: 'info', info: info(from) }]);
    await waitRendered(page, from);
    await settle(page);
    assert.equal(await pageEval<number>(page, FRAME_PIXELS), 0, 'nothing is framed before a refresh');
    assert.equal(await page.locator('.chip-new').count(), 0);

    // The Refresh button asks the host; the host answers with batches, then the new range.
    await page.locator('vscode-button', { hasText: 'Refresh' }).click();
    const posted = await pageEval<{ type: string }[]>(page, 'window.__posted');
    assert.ok(
      posted.some((m) => m.type === 'refresh'),
      'Refresh posts to the host',
    );
    await feed(page, [...batches(b, events, from, to), { type: 'info', info: info(to) }]);
    await feed(page, [{ type: 'newEvents', from, to }]);
    await waitRendered(page, to);
    await page.locator('.chip-new').waitFor();
    assert.equal(await page.locator('.chip-new').innerText(), `${to - from} new since last view`);
    assert.match(
      await page.locator('.sr-status').innerText(),
      new RegExp(`Refreshed: ${to - from} new events`),
    );
    const framed = await pageEval<number>(page, FRAME_PIXELS);
    assert.ok(framed > 0, `new events are framed on the lanes (${framed} frame pixels)`);

    // Every rendered row is badged if and only if it is one of the new events.
    const rows = await pageEval<{ index: number; badge: boolean; ctx: string }[]>(
      page,
      `${visibleRows}.map((r) => ({ index: Number(r.dataset.index), badge: !r.querySelector('.badge-new').hidden, ctx: r.dataset.vscodeContext }))`,
    );
    assert.ok(rows.length > 5);
    for (const r of rows) assert.equal(r.badge, r.index >= from, `row of event ${r.index}`);

    // The chip filters to the new events and back.
    await page.locator('.chip-new').click();
    await waitFiltered(page, to - from);
    const onlyNew = await pageEval<number[]>(page, `${visibleRows}.map((r) => Number(r.dataset.index))`);
    assert.ok(onlyNew.length > 0 && onlyNew.every((i) => i >= from && i < to), 'only new events listed');
    assert.equal(await page.locator('.chip-new').getAttribute('aria-pressed'), 'true');
    const state = await pageEval<TimelineUiState>(page, 'window.__state');
    assert.deepEqual(state.newEvents, { from, to });
    assert.deepEqual(state.filter.arrival, { from, to });

    // A reload (webview re-created): the host sends everything again; the mark and filter stay.
    await page.reload();
    await waitUntil(page, `window.__posted.some((m) => m.type === 'ready')`);
    const b2 = new BatchBuilder();
    await feed(page, [
      { type: 'init', info: info(0), timeZone: 'UTC', total: 0 },
      ...batches(b2, events, 0, to),
    ]);
    await feed(page, [{ type: 'info', info: info(to) }]);
    await waitRendered(page, to);
    await waitFiltered(page, to - from);
    assert.equal(await page.locator('.chip-new').innerText(), `${to - from} new since last view`);
    await page.locator('.chip-new').click();
    await waitFiltered(page, to);
    assert.equal((await headerCounts(page)).total, to);
  });

  it('rows and the detail pane carry the event index for the native context menu; Show recipient', async () => {
    const b = new BatchBuilder();
    await feed(page, [
      { type: 'init', info: info(0), timeZone: 'UTC', total: 0 },
      ...batches(b, events, 0, events.length),
      { type: 'info', info: info(events.length) },
    ]);
    await waitRendered(page, events.length);
    const rows = await pageEval<{ index: number; ctx: string }[]>(
      page,
      `${visibleRows}.map((r) => ({ index: Number(r.dataset.index), ctx: r.dataset.vscodeContext }))`,
    );
    assert.ok(rows.length > 5);
    for (const r of rows) {
      assert.deepEqual(JSON.parse(r.ctx), {
        webviewSection: 'event',
        np6EventIndex: r.index,
        preventDefaultContextMenuItems: true,
      });
    }
    const withRecipient = rows.find((r) => eventRecipient(events[r.index] as Np6Event) !== undefined);
    assert.ok(withRecipient);
    await page.locator(`.list-viewport [data-index="${withRecipient.index}"]`).click();
    await settle(page);
    const detailCtx = await page.locator('.detail').getAttribute('data-vscode-context');
    // The detail pane keeps VS Code's Copy for selected text.
    assert.equal(
      (JSON.parse(detailCtx ?? '{}') as { preventDefaultContextMenuItems?: boolean })
        .preventDefaultContextMenuItems,
      false,
    );
    assert.equal(
      (JSON.parse(detailCtx ?? '{}') as { np6EventIndex?: number }).np6EventIndex,
      withRecipient.index,
    );

    // What the host posts when "Show This Recipient's Events" runs from that menu.
    await feed(page, [{ type: 'showRecipientOf', index: withRecipient.index }]);
    const recipient = eventRecipient(events[withRecipient.index] as Np6Event);
    await waitFiltered(page, events.filter((e) => eventRecipient(e) === recipient).length);
    assert.match(await page.locator('.chips').innerText(), /Recipient/);
    // Only that recipient's rows are on screen: rows recycled from the longer list are not shown.
    const shown = await pageEval<number[]>(
      page,
      `[...document.querySelectorAll('.list-viewport .list-row')].filter((r) => r.checkVisibility()).map((r) => Number(r.dataset.index))`,
    );
    assert.deepEqual(
      shown.sort((x, y) => x - y),
      events.flatMap((e, i) => (eventRecipient(e) === recipient ? [i] : [])),
    );
  });
});
