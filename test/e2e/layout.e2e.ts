// The timeline at a narrow (750 px) and a wide (1400 px) editor, and in a display zone that is not
// the browser's: the real bundle in Chromium, fed a sandbox result by the production encoder.
// Widths, overflow and positions are measured in the page; expected times are computed here with
// Intl, independently of the webview's formatter.

import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { BatchBuilder } from '../../src/shared/timeline/batch';
import { rowStrings } from '../../src/core/timeline/eventRows';
import { Np6Client } from '../../src/np6/client';
import { eventItemId, type Np6Event } from '../../src/np6/events';
import { allEmailEvents } from '../../src/np6/query';
import type { HostMessage, ResultInfo } from '../../src/shared/protocol';
import { startSandbox, type Sandbox } from '../../src/demo/sandbox';
import {
  ensureWebviewBundle,
  feed,
  launchChromium,
  pageEval,
  setEventJson,
  settle,
  startHarness,
  waitRendered,
  waitUntil,
  type Harness,
} from './harness';

const LONG_LABEL = 'A spring campaign whose label is far too long to fit in a narrow editor tab, on purpose';

function messages(events: Np6Event[], timeZone: string, extra: Partial<ResultInfo> = {}): HostMessage[] {
  const b = new BatchBuilder();
  for (const e of events) b.addRow(e.timestamp, rowStrings(e));
  const info: ResultInfo = {
    resultId: 'layout',
    campaignLabel: LONG_LABEL,
    campaignId: 'c',
    endpoint: 'campaign',
    items: [],
    types: 'execution, activation, hit (open/redirection), with a long list of subtypes to cut the line',
    start: events[0]?.timestamp,
    end: events[events.length - 1]?.timestamp,
    count: events.length,
    bytes: 0,
    live: false,
    complete: true,
    completeness: 'complete',
    missingWindows: 0,
    ...extra,
  };
  return [
    { type: 'init', info, timeZone, total: events.length },
    { type: 'batch', batch: b.take() },
  ];
}

/** Wall-clock "YYYY-MM-DD HH:MM:SS" of `ms` in `zone`, by Intl (what the page must show). */
function wallClock(ms: number, zone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(ms)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

interface ColumnBox {
  text: string;
  width: number;
  display: string;
}

/** The list header's cells: text, rendered width and display. */
const HEAD_COLUMNS = `[...document.querySelectorAll('.list-head > span')].map((s) => ({
  text: s.textContent, width: s.getBoundingClientRect().width, display: getComputedStyle(s).display }))`;

/**
 * Every element (outside the list's virtual viewport, which scrolls) whose text overflows its box
 * with no tooltip on it or an ancestor: what a user would see cut with no way to read it.
 */
const CUT_WITHOUT_TITLE = `[...document.querySelectorAll('#app *')].filter((e) => {
  if (!(e instanceof HTMLElement) || e.closest('.list-viewport') && !e.closest('.list-row')) return false;
  // The screen-reader status line is hidden from sight on purpose.
  if (!e.textContent || !e.checkVisibility() || e.closest('.sr-status')) return false;
  if (e.scrollWidth <= e.clientWidth + 1) return false;
  const st = getComputedStyle(e);
  if (st.overflowX === 'visible') return false;
  return !e.closest('[title]');
}).map((e) => e.className + ': ' + e.textContent.slice(0, 60))`;

/** Axis labels drawn on both canvases, with the canvas width. */
const AXIS_LABELS = `[...document.querySelectorAll('canvas.overview, canvas.lanes')].map((c) => ({
  width: c.getBoundingClientRect().width, labels: JSON.parse(c.dataset.axisLabels || '[]') }))`;

describe('timeline layout: 750 and 1400 px, display zone', function () {
  let browser: Browser;
  let harness: Harness;
  let sandbox: Sandbox;
  let events: Np6Event[];

  before(async function () {
    this.timeout(120_000);
    ensureWebviewBundle();
    sandbox = await startSandbox({
      seed: 11,
      campaigns: [
        {
          name: 'Layout',
          recipients: 60,
          items: 2,
          sendStart: Date.UTC(2024, 2, 30, 22),
          itemGapMs: 86_400_000,
        },
      ],
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
    assert.ok(events.length > 100, `the sandbox campaign has events (${events.length})`);
    harness = await startHarness();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await harness?.close();
    await sandbox?.close();
  });

  async function open(width: number, timezoneId: string, timeZone: string, extra: Partial<ResultInfo> = {}) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, timezoneId });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${harness.origin}/`);
    await waitUntil(page, `window.__posted.some((m) => m.type === 'ready')`);
    await setEventJson(
      page,
      events.map((e) => JSON.stringify(e)),
    );
    await feed(page, messages(events, timeZone, extra));
    await waitRendered(page, events.length);
    await page.locator('.list-viewport [role="option"]').first().click();
    await settle(page);
    return {
      page,
      errors,
      close: async (): Promise<void> => {
        assert.deepEqual(await pageEval<string[]>(page, 'window.__cspViolations'), [], 'no CSP violation');
        await context.close();
        assert.deepEqual(errors, [], 'no page error');
      },
    };
  }

  for (const width of [750, 1400]) {
    it(`at ${width} px: every column is wider than 40 px or dropped on purpose, in priority order`, async () => {
      const { page, close } = await open(width, 'UTC', 'UTC');
      const cols = await pageEval<ColumnBox[]>(page, HEAD_COLUMNS);
      assert.deepEqual(
        cols.map((c) => c.text),
        ['Time', 'Type', 'Recipient', 'Item', 'Link', 'Client'],
      );
      for (const c of cols) {
        assert.ok(
          c.display === 'none' || c.width > 40,
          `${c.text}: ${c.width.toFixed(0)} px, display ${c.display}`,
        );
      }
      const shown = cols.filter((c) => c.display !== 'none').map((c) => c.text);
      // Time, type and recipient always; a column is only dropped after every lower-priority one.
      assert.deepEqual(shown, cols.map((c) => c.text).slice(0, shown.length));
      assert.ok(shown.length >= 3);
      const time = cols[0] as ColumnBox;
      const recipient = cols[2] as ColumnBox;
      assert.ok(recipient.width >= 100, `the recipient keeps room (${recipient.width.toFixed(0)} px)`);
      // The time cell is wide enough for the whole time (no ellipsis on it).
      const timeCut = await pageEval<boolean>(
        page,
        `(() => { const s = document.querySelector('.list-viewport .list-row > span:first-child > span'); return s.getBoundingClientRect().width > ${time.width} + 1; })()`,
      );
      assert.equal(timeCut, false);
      if (width === 1400) assert.equal(shown.length, 6, 'all columns at 1400 px');
      await close();
    });

    it(`at ${width} px: no text is cut without a tooltip, axis labels stay inside their canvas`, async () => {
      const { page, close } = await open(width, 'UTC', 'UTC');
      assert.deepEqual(await pageEval<string[]>(page, CUT_WITHOUT_TITLE), []);
      // The long label and query line are cut at 750 px: their tooltip is the whole text.
      assert.equal(await page.locator('h1').getAttribute('title'), LONG_LABEL);
      const query = page.locator('.query');
      assert.equal(await query.getAttribute('title'), await query.textContent());
      const canvases = await pageEval<{ width: number; labels: { x: number; w: number }[] }[]>(
        page,
        AXIS_LABELS,
      );
      assert.equal(canvases.length, 2);
      for (const c of canvases) {
        assert.ok(c.labels.length >= 2, `the axis has labels (${c.labels.length})`);
        for (const l of c.labels) {
          assert.ok(l.x >= 0 && l.x + l.w <= Math.ceil(c.width) + 1, `label ${l.x}+${l.w} inside ${c.width}`);
        }
      }
      await close();
    });
  }

  it('puts the detail pane below the list at 750 px and beside it at 1400 px', async () => {
    const place = async (width: number): Promise<'below' | 'beside'> => {
      const { page, close } = await open(width, 'UTC', 'UTC');
      const r = await pageEval<{ list: DOMRectLike; detail: DOMRectLike }>(
        page,
        `({ list: document.querySelector('.list').getBoundingClientRect().toJSON(),
            detail: document.querySelector('.detail').getBoundingClientRect().toJSON() })`,
      );
      await close();
      if (r.detail.top >= r.list.bottom - 1 && r.detail.height > 80) return 'below';
      assert.ok(r.detail.left >= r.list.right - 1, 'beside: the detail is right of the list');
      return 'beside';
    };
    assert.equal(await place(750), 'below');
    assert.equal(await place(1400), 'beside');
  });

  it('shows times in the zone the host sent, not the browser zone, and names it; UTC on switch', async () => {
    // Browser in New York, host display zone Tokyo: every time on the page must be Tokyo's.
    const { page, close } = await open(1400, 'America/New_York', 'Asia/Tokyo');
    const row = page.locator('.list-viewport [role="option"][aria-selected="true"]');
    const index = Number(await row.getAttribute('data-index'));
    const ev = events[index];
    assert.ok(ev);
    const shown = (await row.locator('span').first().getAttribute('title')) ?? '';
    assert.equal(shown.slice(0, 19), wallClock(ev.timestamp, 'Asia/Tokyo'));
    assert.notEqual(wallClock(ev.timestamp, 'Asia/Tokyo'), wallClock(ev.timestamp, 'America/New_York'));
    const zoneButton = page.locator('vscode-button[data-zone]');
    assert.equal(await zoneButton.getAttribute('data-zone'), 'Asia/Tokyo');
    assert.match((await zoneButton.innerText()).trim(), /Asia\/Tokyo/);
    const detailTime = page.locator('.summary dd').first();
    assert.equal(
      (await detailTime.innerText()).trim(),
      `${wallClock(ev.timestamp, 'Asia/Tokyo')}.${String(ev.timestamp % 1000).padStart(3, '0')} (Asia/Tokyo)`,
    );
    assert.match((await page.locator('.query').textContent()) ?? '', /\(Asia\/Tokyo\)/);
    await zoneButton.click();
    await settle(page);
    assert.equal(await zoneButton.getAttribute('data-zone'), 'UTC');
    assert.equal(
      ((await row.locator('span').first().getAttribute('title')) ?? '').slice(0, 19),
      wallClock(ev.timestamp, 'UTC'),
    );
    assert.match((await detailTime.innerText()).trim(), /\(UTC\)$/);
    // A change of np6.timeZone on the host reaches an open page.
    await zoneButton.click();
    await feed(page, [{ type: 'timeZone', timeZone: 'Europe/Paris' }]);
    await settle(page);
    assert.equal(
      ((await row.locator('span').first().getAttribute('title')) ?? '').slice(0, 19),
      wallClock(ev.timestamp, 'Europe/Paris'),
    );
    await close();
  });

  it('the item filter says "All items" when nothing is selected and lists items by name with id', async () => {
    const ids = [...new Set(events.map((e) => eventItemId(e)).filter((i): i is string => !!i))].sort();
    assert.ok(ids.length >= 2, 'two items');
    const [named, unnamed] = ids as [string, string];
    const { page, close } = await open(1400, 'UTC', 'UTC', { itemNames: { [named]: 'Welcome mail' } });
    const face = `document.querySelector('np6-item-select').shadowRoot.querySelector('.select-face-badge').textContent`;
    assert.equal(await pageEval<string>(page, face), 'All items');
    const options = await pageEval<string[]>(
      page,
      `[...document.querySelectorAll('np6-item-select vscode-option')].map((o) => o.textContent)`,
    );
    assert.ok(options.includes(`Welcome mail (${named})`), options.join(' | '));
    assert.ok(options.includes(unnamed), 'an item without a name is listed by its id');
    await page.locator('np6-item-select .select-face').click();
    await page
      .locator('np6-item-select li.option', { hasText: 'Welcome mail' })
      .first()
      .click({ timeout: 5000 });
    await page.keyboard.press('Escape');
    await settle(page);
    assert.equal(await pageEval<string>(page, face), `Welcome mail (${named})`);
    assert.deepEqual((await pageEval<{ filter: { items: string[] } }>(page, 'window.__state')).filter.items, [
      named,
    ]);
    await close();
  });
});

interface DOMRectLike {
  top: number;
  bottom: number;
  left: number;
  right: number;
  height: number;
}
