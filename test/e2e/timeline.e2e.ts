// The timeline webview bundle in Chromium, fed with batches made by the production encoder from
// events fetched over HTTP from the sandbox server. Expected numbers are computed here from the
// event objects with plain loops, independently of the webview's view code.

import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { BatchBuilder } from '../../src/shared/timeline/batch';
import { rowStrings } from '../../src/core/timeline/eventRows';
import { clientText, linkKey } from '../../src/core/eventIndex';
import { Np6Client } from '../../src/np6/client';
import {
  eventClient,
  eventKind,
  eventItemId,
  eventRecipient,
  eventRecipientLabel,
  type Np6Event,
} from '../../src/np6/events';
import { allEmailEvents, type EventQuery } from '../../src/np6/query';
import type { HostMessage, ResultInfo, TimelineUiState } from '../../src/shared/protocol';
import { startSandbox, type Sandbox } from '../../src/demo/sandbox';
import {
  ensureWebviewBundle,
  pageEval,
  setEventJson,
  waitFiltered,
  waitUntil,
  feed,
  headerCounts,
  launchChromium,
  settle,
  startHarness,
  waitRendered,
  type Harness,
} from './harness';

function info(resultId: string, count: number, extra: Partial<ResultInfo> = {}): ResultInfo {
  return {
    resultId,
    campaignLabel: 'Spring test',
    campaignId: 'c',
    endpoint: 'campaign',
    items: [],
    types: 'execution, activation, hit (open/redirection)',
    count,
    bytes: 0,
    live: false,
    complete: true,
    completeness: 'complete',
    missingWindows: 0,
    ...extra,
  };
}

/** The display zone the stand-in host sends (np6.timeZone resolved on the host). */
const HOST_ZONE = 'Europe/Paris';

/** The messages a host sends for these events: init, batches of `size`, then the final info. */
function messagesFor(
  events: Np6Event[],
  resultId: string,
  size = 500,
  extra: Partial<ResultInfo> = {},
): HostMessage[] {
  const b = new BatchBuilder();
  const out: HostMessage[] = [
    { type: 'init', info: info(resultId, 0, { live: true }), timeZone: HOST_ZONE, total: 0 },
  ];
  for (const e of events) {
    b.addRow(e.timestamp, rowStrings(e));
    if (b.pending >= size) out.push({ type: 'batch', batch: b.take() });
  }
  if (b.pending) out.push({ type: 'batch', batch: b.take() });
  out.push({ type: 'info', info: info(resultId, events.length, extra) });
  return out;
}

async function fetchAll(sb: Sandbox, q: EventQuery): Promise<Np6Event[]> {
  const client = new Np6Client({ baseUrl: sb.url, apiKey: sb.apiKey });
  const events: Np6Event[] = [];
  for await (const e of client.streamEvents(q)) events.push(e);
  return events;
}

const uiState = (p: Page): Promise<TimelineUiState> => pageEval<TimelineUiState>(p, 'window.__state');

describe('timeline webview in Chromium', function () {
  let browser: Browser;
  let harness: Harness;
  let sandbox: Sandbox;
  let events: Np6Event[];
  let page: Page;
  const dialogs: string[] = [];
  const consoleMessages: string[] = [];
  const foreignRequests: string[] = [];

  before(async function () {
    this.timeout(120_000);
    ensureWebviewBundle();
    sandbox = await startSandbox({
      seed: 7,
      campaigns: [
        {
          name: 'Spring test',
          recipients: 120,
          items: 2,
          sendStart: Date.UTC(2024, 3, 2, 8),
          itemGapMs: 86_400_000,
        },
      ],
    });
    const c = sandbox.campaigns[0];
    assert.ok(c, 'the sandbox has the campaign');
    events = await fetchAll(sandbox, {
      campaignId: c.id,
      endpoint: 'campaign',
      itemsEvents: [allEmailEvents()],
      sort: 'none',
    });
    assert.ok(events.length > 200, `the sandbox campaign has events (${events.length})`);
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
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => consoleMessages.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => consoleMessages.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(`${harness.origin}/`)) foreignRequests.push(r.url());
    });
    await page.goto(`${harness.origin}/`);
    await waitUntil(page, `window.__posted.some((m) => m.type === 'ready')`);
  });

  afterEach(async () => {
    const violations = await pageEval<string[]>(page, 'window.__cspViolations');
    await page.close();
    assert.deepEqual(violations, [], 'no CSP violation');
    assert.deepEqual(
      consoleMessages.splice(0).filter((m) => !m.startsWith('debug')),
      [],
      'nothing logged',
    );
    assert.deepEqual(foreignRequests.splice(0), [], 'no request outside the page itself');
  });

  it('renders a sandbox result progressively with the right counts per type', async () => {
    const msgs = messagesFor(events, 'r1', 100);
    // First half: the page shows what arrived so far, labelled as loading.
    const half = Math.floor(msgs.length / 2);
    await feed(page, msgs.slice(0, half));
    const sentSoFar = msgs.slice(0, half).reduce((n, m) => n + (m.type === 'batch' ? m.batch.count : 0), 0);
    await waitRendered(page, sentSoFar);
    assert.match(await page.locator('.counts').innerText(), /so far/);
    await feed(page, msgs.slice(half));
    await waitRendered(page, events.length);
    const counts = await headerCounts(page);
    assert.equal(counts.total, events.length);
    assert.equal(counts.inView, events.length, 'the whole range is in view before any zoom');
    const expected = new Map<string, number>();
    for (const e of events) expected.set(eventKind(e), (expected.get(eventKind(e)) ?? 0) + 1);
    const labels = await page.locator('.legend-item .legend-label').allInnerTexts();
    const numbers = await page.locator('.legend-item .legend-count').allInnerTexts();
    const legend = new Map(labels.map((l, k) => [l, Number((numbers[k] ?? '').replace(/,/g, ''))]));
    assert.deepEqual(legend, expected);
    assert.equal(await page.locator('.banner').isHidden(), true, 'no partial banner for a complete result');
    assert.match(await page.locator('h1').innerText(), /Spring test/);
  });

  it('says "loading k of n" while a stored result is re-sent, never k as if it were the total', async () => {
    // What the host sends on a reload, a restored panel or a stored result opened again: an init
    // naming how many rows follow, then the batches, the result already finished (not live).
    const n = events.length;
    const fmt = (x: number): string => x.toLocaleString('en-US');
    const done = info('r-loading', n);
    const msgs = messagesFor(events, 'r-loading', 100).filter((m) => m.type === 'batch');
    const half = Math.floor(msgs.length / 2);
    await feed(page, [{ type: 'init', info: done, timeZone: HOST_ZONE, total: n }, ...msgs.slice(0, half)]);
    const k = msgs.slice(0, half).reduce((x, m) => x + (m.type === 'batch' ? m.batch.count : 0), 0);
    await waitRendered(page, k);
    const counts = page.locator('.counts');
    const text = await counts.innerText();
    assert.match(text, new RegExp(`^loading ${fmt(k)} of ${fmt(n)} events…`), text);
    assert.equal(await counts.getAttribute('data-state'), 'loading');
    assert.equal(await page.locator('#app').getAttribute('aria-busy'), 'true');
    await feed(page, msgs.slice(half));
    await waitRendered(page, n);
    await settle(page);
    assert.match(await counts.innerText(), new RegExp(`^${fmt(n)} events · `));
    assert.doesNotMatch(await counts.innerText(), /loading|so far/);
    assert.equal(await counts.getAttribute('data-state'), 'done');
    assert.equal(await page.locator('#app').getAttribute('aria-busy'), 'false');
  });

  it('while rows stream in, redraws at most every 500 ms; a zoom and the end of the fetch at the next frame', async () => {
    // Every batch and every info redrawn at once made the page start 13 frames a second during a
    // 1M fetch: now what they change waits for the next 500 ms mark; what the user does does not.
    const msgs = messagesFor(events, 'r-paced', 20);
    const batches = msgs.filter((m) => m.type === 'batch');
    assert.ok(batches.length >= 10, `enough batches to stream (${batches.length})`);
    await feed(page, [msgs[0] as HostMessage]);
    await pageEval(
      page,
      `(() => { window.__flushes = []; new MutationObserver(() => window.__flushes.push(performance.now()))` +
        `.observe(document.body, { attributes: true, attributeFilter: ['data-flush-ms'] }); })()`,
    );
    const flushes = (): Promise<number[]> => pageEval<number[]>(page, 'window.__flushes.slice()');
    const nextFlushAfter = async (t: number): Promise<number> => {
      await waitUntil(page, `window.__flushes.some((x) => x > ${t})`, 5000);
      return (await flushes()).find((x) => x > t) as number;
    };
    let sent = 0;
    for (const b of batches.slice(0, -1)) {
      sent += b.type === 'batch' ? b.batch.count : 0;
      await feed(page, [b, { type: 'info', info: info('r-paced', sent, { live: true }) }]);
      await new Promise((r) => setTimeout(r, 40));
    }
    const streamed = await flushes();
    assert.ok(streamed.length >= 2, `drawn progressively (${streamed.length} redraws while streaming)`);
    streamed.slice(1).forEach((t, k) => {
      assert.ok(
        t - (streamed[k] as number) >= 480,
        `redraws ${(t - (streamed[k] as number)).toFixed(0)} ms apart`,
      );
    });
    // A zoom right after a redraw is drawn before the next 500 ms mark.
    const before = await nextFlushAfter(streamed.at(-1) as number);
    const lanes = await page.locator('canvas.lanes').boundingBox();
    assert.ok(lanes);
    await page.mouse.move(lanes.x + lanes.width / 2, lanes.y + 40);
    await page.mouse.wheel(0, -400);
    const zoomed = await nextFlushAfter(before);
    assert.ok(
      zoomed - before < 450,
      `the zoom drawn ${(zoomed - before).toFixed(0)} ms after the last redraw`,
    );
    // The fetch's end (its last rows, then the info that is not live) right after that redraw: drawn at once.
    await feed(page, [batches.at(-1) as HostMessage, msgs.at(-1) as HostMessage]);
    await waitRendered(page, events.length);
    const done = await nextFlushAfter(zoomed);
    assert.ok(done - zoomed < 450, `the end drawn ${(done - zoomed).toFixed(0)} ms after the last redraw`);
    assert.doesNotMatch(await page.locator('.counts').innerText(), /so far|loading/);
  });

  it('zooming with the overview brush and the wheel changes the counts to the events of the window', async () => {
    await feed(page, messagesFor(events, 'r2'));
    await waitRendered(page, events.length);
    const box = await page.locator('canvas.overview').boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width * 0.2, box.y + 10);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, box.y + 12, { steps: 4 });
    await page.mouse.up();
    await settle(page);
    const check = async (): Promise<number> => {
      const w = (await uiState(page)).window;
      assert.ok(w, 'a zoom window is kept in the UI state');
      const inWindow = events.filter((e) => e.timestamp >= w.start && e.timestamp < w.end).length;
      const c = await headerCounts(page);
      assert.equal(c.inView, inWindow);
      const rows = await page.locator('.list-viewport [role="option"]:not([hidden])').count();
      assert.equal(rows, Math.min(inWindow, rows), 'list rows never exceed the events in view');
      return inWindow;
    };
    const brushed = await check();
    assert.ok(brushed < events.length, 'the brush narrowed the view');
    const lanes = await page.locator('canvas.lanes').boundingBox();
    assert.ok(lanes);
    await page.mouse.move(lanes.x + lanes.width / 2, lanes.y + 40);
    await page.mouse.wheel(0, -400);
    await settle(page);
    const zoomed = await check();
    assert.ok(zoomed <= brushed, 'wheel up zooms in');
    await page.locator('canvas.overview').dblclick();
    await settle(page);
    assert.equal((await headerCounts(page)).inView, events.length, 'double-click resets the zoom');
  });

  it('filters by text and by lane change the counts and the list', async () => {
    await feed(page, messagesFor(events, 'r3'));
    await waitRendered(page, events.length);
    // Text: pick a recipient address from the data itself.
    const label = events.map((e) => eventRecipientLabel(e)).find((l) => l && l.includes('@'));
    assert.ok(label);
    const needle = label.slice(0, Math.max(3, label.indexOf('@')));
    const matches = (e: Np6Event): boolean =>
      [eventRecipient(e), eventRecipientLabel(e), linkKey(e), clientText(e), eventClient(e)?.userAgent].some(
        (s) => s !== undefined && s.toLowerCase().includes(needle.toLowerCase()),
      );
    await page.locator('vscode-textfield').click();
    await page.keyboard.type(needle);
    await waitFiltered(page, events.filter(matches).length);
    const texts = await page
      .locator('.list-viewport [role="option"]:not([hidden]) span:nth-child(3)')
      .allInnerTexts();
    assert.ok(texts.length > 0);
    // Lane toggle: hide activations.
    await page.locator('vscode-textfield input').fill('');
    await waitFiltered(page, events.length);
    await page.locator('.legend-item[data-kind="activation"]').click();
    const withoutActivations = events.filter((e) => eventKind(e) !== 'activation').length;
    await waitFiltered(page, withoutActivations);
    assert.equal(
      await page.locator('.legend-item[data-kind="activation"]').getAttribute('aria-checked'),
      'false',
    );
    assert.deepEqual((await uiState(page)).filter.hiddenKinds, ['activation']);
  });

  it('selecting an event shows its detail and full JSON; keys move the selection; recipient filter', async () => {
    const msgs = messagesFor(events, 'r4');
    await feed(page, msgs);
    await waitRendered(page, events.length);
    // The host's answer to getEvent: the event's JSON by arrival index.
    await setEventJson(
      page,
      events.map((e) => JSON.stringify(e, null, 2)),
    );
    const first = page.locator('.list-viewport [role="option"]').first();
    await first.click();
    await settle(page);
    const index = Number(await first.getAttribute('data-index'));
    const ev = events[index];
    assert.ok(ev);
    const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp);
    assert.equal(ev.timestamp, sorted[0]?.timestamp, 'the list starts with the earliest event');
    assert.equal(await first.getAttribute('aria-selected'), 'true');
    await page.locator('.detail .json').getByText(ev.id, { exact: false }).waitFor();
    assert.match(
      await page.locator('.detail .summary').innerText(),
      new RegExp(eventKind(ev).replace(':', '\\:')),
    );
    assert.equal((await uiState(page)).selected, index);
    await page.keyboard.press('ArrowDown');
    await settle(page);
    const second = page.locator('.list-viewport [role="option"][aria-selected="true"]');
    assert.equal(await second.getAttribute('aria-posinset'), '2');
    assert.equal(
      await pageEval<string>(page, `document.activeElement?.getAttribute('aria-posinset')`),
      '2',
      'focus follows (roving tabindex)',
    );
    const selected = Number(await second.getAttribute('data-index'));
    const recipient = eventRecipient(events[selected] as Np6Event);
    assert.ok(recipient);
    await page.locator('vscode-button', { hasText: "Show this recipient's events" }).click();
    const journey = events.filter((e) => eventRecipient(e) === recipient).length;
    await waitFiltered(page, journey);
    assert.match(await page.locator('.chips').innerText(), /Recipient/);
    const posted = await pageEval<string[]>(page, 'window.__posted.map((m) => m.type)');
    assert.ok(posted.includes('getEvent'));
  });

  it('hovering a mark shows a tooltip and clicking it selects that event', async () => {
    await feed(page, messagesFor(events, 'r6'));
    await waitRendered(page, events.length);
    const lanes = await page.locator('canvas.lanes').boundingBox();
    assert.ok(lanes);
    // Lane 0 is the first kind of the journey present; scan its row for a mark.
    const firstKind = (await page.locator('.legend-item').first().getAttribute('data-kind')) ?? '';
    const tooltip = page.locator('.tooltip');
    let found = -1;
    for (let x = 2; x < lanes.width && found < 0; x += 3) {
      await page.mouse.move(lanes.x + x, lanes.y + 18 + 11);
      if (await tooltip.isVisible()) found = x;
    }
    assert.ok(found >= 0, 'a tooltip appears over a mark');
    assert.ok((await tooltip.innerText()).includes(firstKind), 'the tooltip names the lane kind');
    await page.mouse.click(lanes.x + found, lanes.y + 18 + 11);
    await settle(page);
    const selected = (await uiState(page)).selected;
    assert.ok(selected !== undefined, 'the click selected an event');
    assert.equal(
      eventKind(events[selected] as Np6Event),
      firstKind,
      'the selected event is of the clicked lane',
    );
    assert.equal(
      await page.locator('.list-viewport [role="option"][aria-selected="true"]').getAttribute('data-index'),
      String(selected),
      'the list shows the same selection',
    );
  });

  it('keeps the UI state across a reload of the page (filters, zone, selection)', async () => {
    await feed(page, messagesFor(events, 'r7'));
    await waitRendered(page, events.length);
    await page.locator('.legend-item[data-kind="activation"]').click();
    await page.locator('vscode-button', { hasText: HOST_ZONE }).click();
    await page.locator('.list-viewport [role="option"]').nth(2).click();
    await settle(page);
    const before = await uiState(page);
    assert.equal(before.timeZone, 'UTC');
    // What VS Code does on a reload: a fresh page whose getState() returns the saved state.
    await page.reload();
    // The page renders once before the events arrive (the selection is not held yet).
    const again = messagesFor(events, 'r7');
    await feed(page, again.slice(0, 1));
    await settle(page);
    await feed(page, again.slice(1));
    await waitRendered(page, events.length);
    const after = await uiState(page);
    // The restored selection's detail asks the host for its JSON once its batch has arrived.
    const posted = await pageEval<{ type: string; index?: number }[]>(page, 'window.__posted');
    assert.ok(posted.some((m) => m.type === 'getEvent' && m.index === before.selected));
    assert.deepEqual(after.filter.hiddenKinds, ['activation']);
    assert.equal(after.selected, before.selected);
    assert.match(await page.locator('vscode-button', { hasText: 'UTC' }).innerText(), /UTC/);
  });

  it('filters by item through the items list', async () => {
    await feed(page, messagesFor(events, 'r8'));
    await waitRendered(page, events.length);
    const item = events.map((e) => eventItemId(e)).find((i) => i !== undefined);
    assert.ok(item);
    await page.locator('np6-item-select .select-face').click();
    await page.locator('np6-item-select li.option', { hasText: item }).first().click({ timeout: 5000 });
    await page.keyboard.press('Escape');
    await waitFiltered(page, events.filter((e) => eventItemId(e) === item).length);
    assert.deepEqual((await uiState(page)).filter.items, [item]);
  });

  it('detail actions: hits on the same link, Copy JSON and Open as JSON Document go to the host', async () => {
    await feed(page, messagesFor(events, 'r9'));
    await waitRendered(page, events.length);
    await setEventJson(
      page,
      events.map((e) => JSON.stringify(e, null, 2)),
    );
    const link = events.map((e) => linkKey(e)).find((l) => l?.startsWith('http'));
    assert.ok(link, 'the campaign has clicked links');
    // Narrow the list to that link with the text filter, select an event, then filter by its link.
    await page.locator('vscode-textfield input').fill(link);
    await waitUntil(page, `Number(document.querySelector('.counts').dataset.filtered) < ${events.length}`);
    await page.locator('.list-viewport [role="option"]').first().click();
    await page.locator('vscode-button', { hasText: 'Show hits on this link' }).click();
    await page.locator('vscode-textfield input').fill('');
    await waitFiltered(page, events.filter((e) => linkKey(e) === link).length);
    assert.match(await page.locator('.chips').innerText(), /Link/);
    await page.locator('vscode-button', { hasText: 'Copy JSON' }).click();
    await page.locator('vscode-button', { hasText: 'Open as JSON Document' }).click();
    const posted = await pageEval<{ type: string; index?: number }[]>(page, 'window.__posted');
    const selected = (await uiState(page)).selected;
    assert.ok(posted.some((m) => m.type === 'copyEvent' && m.index === selected));
    assert.ok(posted.some((m) => m.type === 'openEvent' && m.index === selected));
  });

  it('shows a partial banner with Resume first, Re-run second, and exports the visible set with its cut', async () => {
    // What the host sends after a Cancel: resultInfo's own wording (no doubled "partial").
    const why =
      'cancelled before the end; 1 window missing: 2024-04-02T10:00:00.000Z → 2024-04-02T11:00:00.000Z';
    await feed(
      page,
      messagesFor(events, 'r5', 500, {
        complete: false,
        completeness: `partial: ${why}`,
        whyPartial: why,
        missingWindows: 1,
      }),
    );
    await waitRendered(page, events.length);
    await page.locator('.banner').waitFor();
    const text = await page.locator('.banner').innerText();
    assert.match(text, /partial: cancelled before the end; 1 window missing/);
    assert.equal(text.match(/partial/g)?.length, 1, `"partial" once: ${text}`);
    const buttons = page.locator('.banner vscode-button:not([hidden])');
    assert.deepEqual(
      (await buttons.allInnerTexts()).map((t) => t.trim()),
      ['Resume', 'Re-run'],
      'Resume is the first action, Re-run the second',
    );
    await buttons.nth(0).click();
    await buttons.nth(1).click();
    await page.locator('.legend-item[data-kind="execution"]').click();
    await settle(page);
    await page.locator('vscode-button', { hasText: 'Export' }).click();
    const exp = await pageEval<
      { type: string; indices?: number[]; view?: { filters: { hiddenKinds: string[] }; range?: unknown } }[]
    >(page, `window.__posted.filter((m) => ['resume', 'retry', 'export'].includes(m.type))`);
    assert.deepEqual(
      exp.map((m) => m.type),
      ['resume', 'retry', 'export'],
    );
    const indices = exp[2]?.indices;
    assert.ok(indices);
    assert.deepEqual(
      [...indices].sort((a, b) => a - b),
      events
        .map((e, i) => [e, i] as const)
        .filter(([e]) => eventKind(e) !== 'execution')
        .map(([, i]) => i),
    );
    // The view's cut goes with it (the export's `subset`): the hidden lane, no zoom.
    assert.deepEqual(exp[2]?.view?.filters.hiddenKinds, ['execution']);
    assert.equal(exp[2]?.view?.range, undefined);
  });

  it('shows a result without missing windows as partial with Re-run only, and a removed one as removed', async () => {
    await feed(
      page,
      messagesFor(events, 'r6', 500, {
        complete: false,
        completeness: 'partial: stored file damaged: 3 events unreadable; re-run or resume',
        whyPartial: 'stored file damaged: 3 events unreadable; re-run or resume',
        missingWindows: 0,
      }),
    );
    await waitRendered(page, events.length);
    await page.locator('.banner').waitFor();
    assert.match(await page.locator('.banner').innerText(), /stored file damaged: 3 events unreadable/);
    assert.deepEqual(
      (await page.locator('.banner vscode-button:not([hidden])').allInnerTexts()).map((t) => t.trim()),
      ['Re-run'],
    );
    assert.equal(await page.locator('.banner vscode-button', { hasText: 'Resume' }).isVisible(), false);
    await feed(page, [{ type: 'info', info: info('r6', events.length, { removed: true, complete: false }) }]);
    await waitUntil(page, `document.querySelector('.banner')?.dataset.state === 'removed'`);
    assert.match(await page.locator('.banner').innerText(), /removed from disk/);
    assert.deepEqual(
      (await page.locator('.banner vscode-button:not([hidden])').allInnerTexts()).map((t) => t.trim()),
      ['Re-run'],
    );
  });
});
