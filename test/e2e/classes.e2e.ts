// Hit classes in the timeline webview, in Chromium: the class badge in the list, the Class line in
// the detail pane, and the Humans only switch (disabled until the classes arrive; then it hides
// the non-human hits from the list, the counts and the visible set an export takes). The classes
// are computed here by the production classifier over an index of the same events, as the host
// does; the expected counts come from those classes with plain loops, not from the page's code.

import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { classifyIndex } from '../../src/core/classify/classify';
import { loadRules } from '../../src/core/classify/rules';
import { IndexBuilder } from '../../src/core/eventIndex';
import { rowStrings } from '../../src/core/timeline/eventRows';
import { startSandbox } from '../../src/demo/sandbox';
import { Np6Client } from '../../src/np6/client';
import { eventKind, type JsonObject, type Np6Event } from '../../src/np6/events';
import { allEmailEvents } from '../../src/np6/query';
import type { HostMessage, ResultInfo, TimelineUiState, WebviewMessage } from '../../src/shared/protocol';
import { BatchBuilder } from '../../src/shared/timeline/batch';
import { CLASS_HUMAN, HIT_CLASSES, NOT_A_HIT, packClasses } from '../../src/shared/timeline/hitClasses';
import {
  ensureWebviewBundle,
  feed,
  launchChromium,
  pageEval,
  settle,
  startHarness,
  waitFiltered,
  waitRendered,
  waitUntil,
  type Harness,
} from './harness';

function info(resultId: string, count: number, live: boolean): ResultInfo {
  return {
    resultId,
    campaignLabel: 'Classes test',
    campaignId: 'c',
    endpoint: 'campaign',
    items: [],
    types: 'all events',
    count,
    bytes: 0,
    live,
    complete: !live,
    completeness: live ? '' : 'complete',
    missingWindows: 0,
  };
}

/** The classes as the host computes them: classifyIndex over an index of the events, packed. */
function classesOf(events: Np6Event[]): { classes: Uint8Array; packed: Uint8Array } {
  const index = new IndexBuilder();
  events.forEach((e, i) => index.add(e, i, 1));
  const { classes, reasons } = classifyIndex(index, loadRules());
  return { classes, packed: packClasses(classes, reasons) };
}

/** What a host sends: init (live), the batches, the final info, then the classes unless `withClasses` is false. */
function messagesFor(events: Np6Event[], resultId: string, withClasses = true): HostMessage[] {
  const b = new BatchBuilder();
  const out: HostMessage[] = [{ type: 'init', info: info(resultId, 0, true), timeZone: 'UTC', total: 0 }];
  for (const e of events) {
    b.addRow(e.timestamp, rowStrings(e));
    if (b.pending >= 200) out.push({ type: 'batch', batch: b.take() });
  }
  if (b.pending) out.push({ type: 'batch', batch: b.take() });
  out.push({ type: 'info', info: info(resultId, events.length, false) });
  if (withClasses) out.push({ type: 'classes', count: events.length, codes: classesOf(events).packed });
  return out;
}

const HOSTILE_UA = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> Googlebot/2.1';

/** A small journey: every row fits in the list. */
function smallEvents(): Np6Event[] {
  const t0 = Date.UTC(2024, 4, 1, 8);
  const part = (item: string, fp: string, extra: JsonObject = {}): JsonObject => ({
    activation: { id: item, receiver: { type: 'footprint', id: fp, unicity: `${fp}@example.com` } },
    ...extra,
  });
  const hit = (
    ts: number,
    sub: string,
    ua: string,
    fp: string,
    link = 'https://example.com/a',
  ): Np6Event => ({
    type: 'hit',
    id: `h-${ts}`,
    timestamp: ts,
    source: {
      type: 'email',
      detail: part('item1', fp, {
        link: { type: sub, label: link, destination: link },
        client: { ua: { ua } },
      }),
    },
  });
  return [
    { type: 'activation', id: 'a1', timestamp: t0, source: { type: 'email', detail: part('item1', 'fp1') } },
    {
      type: 'activation',
      id: 'a2',
      timestamp: t0 + 1000,
      source: { type: 'email', detail: part('item1', 'fp2') },
    },
    hit(
      t0 + 3_600_000,
      'open',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148',
      'fp1',
    ),
    hit(
      t0 + 3_700_000,
      'open',
      'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
      'fp2',
    ),
    hit(t0 + 3_800_000, 'redirection', HOSTILE_UA, 'fp1'),
  ];
}

describe('timeline webview: hit classes and the Humans only switch', function () {
  let browser: Browser;
  let harness: Harness;
  let page: Page;
  let events: Np6Event[];
  let closeSandbox: () => Promise<void>;
  const errors: string[] = [];

  before(async function () {
    this.timeout(120_000);
    ensureWebviewBundle();
    const sandbox = await startSandbox({
      seed: 11,
      campaigns: [
        {
          name: 'Classes',
          recipients: 300,
          items: 1,
          sendStart: Date.UTC(2024, 3, 2, 8),
          itemGapMs: 86_400_000,
        },
      ],
    });
    closeSandbox = () => sandbox.close();
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
    harness = await startHarness();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await harness?.close();
    await closeSandbox?.();
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${harness.origin}/`);
    await waitUntil(page, `window.__posted.some((m) => m.type === 'ready')`);
  });

  afterEach(async () => {
    assert.deepEqual(await pageEval<string[]>(page, 'window.__cspViolations'), [], 'no CSP violation');
    await page.close();
    assert.deepEqual(errors.splice(0), [], 'no page error');
  });

  const humansSwitch = (): ReturnType<Page['locator']> => page.locator('vscode-button.humans-only');

  it("the header's Mask switch asks the host to turn masking over and shows what the host says", async () => {
    const small = smallEvents();
    await feed(page, messagesFor(small, 'r-mask', false));
    await waitRendered(page, small.length);
    const mask = page.locator('vscode-button.mask-switch');
    assert.equal(await mask.getAttribute('aria-checked'), 'false');
    await mask.click();
    await waitUntil(page, `window.__posted.some((m) => m.type === 'toggleMasking')`);
    // The page never masks by itself: it shows masked strings once the host sends them.
    assert.equal(await mask.getAttribute('aria-checked'), 'false');
    await feed(page, [{ type: 'info', info: { ...info('r-mask', small.length, false), masked: true } }]);
    await waitUntil(
      page,
      `document.querySelector('vscode-button.mask-switch').getAttribute('aria-checked') === 'true'`,
    );
    assert.match(await page.locator('.counts').innerText(), /personal data masked/);
    assert.match((await mask.getAttribute('title')) ?? '', /click to show it/);
  });

  it('keeps the switch disabled and shows no class until the classes arrive', async () => {
    const small = smallEvents();
    await feed(page, messagesFor(small, 'r-wait', false));
    await waitRendered(page, small.length);
    await settle(page);
    assert.equal(await humansSwitch().getAttribute('disabled'), '');
    assert.match(
      (await humansSwitch().getAttribute('title')) ?? '',
      /classification when the result is complete/,
    );
    assert.equal(await page.locator('.list-viewport .list-row:not([hidden])').count(), small.length);
    assert.equal(
      await page.locator('.list-viewport .badge-class:not([hidden])').count(),
      0,
      'no class shown',
    );
    await page.locator('.list-viewport .list-row[data-index="3"]').click();
    await settle(page);
    assert.match(
      await page.locator('.detail dt:text-is("Class") + dd').innerText(),
      /^not known yet: classification when the result is complete/,
    );
    // A click on the disabled switch filters nothing.
    await humansSwitch().click({ force: true });
    await settle(page);
    assert.equal(await page.locator('.counts').getAttribute('data-filtered'), String(small.length));
    assert.doesNotMatch(await page.locator('.counts').innerText(), /humans/);
    await feed(page, [{ type: 'classes', count: small.length, codes: classesOf(small).packed }]);
    await waitUntil(page, `!document.querySelector('vscode-button.humans-only').hasAttribute('disabled')`);
    await settle(page);
    assert.equal(await page.locator('.list-viewport .badge-class:not([hidden])').count(), 3);
    assert.equal(
      await page.locator('.detail dt:text-is("Class") + dd').innerText(),
      'privacy proxy (decided by a user-agent or address rule)',
      'the open detail pane shows the class once it is known',
    );
    // Classes of another state of the result (fewer rows than held) are not applied.
    await feed(page, messagesFor(small, 'r-wait', false));
    await waitRendered(page, small.length);
    await feed(page, [
      {
        type: 'classes',
        count: small.length - 1,
        codes: classesOf(small).packed.subarray(0, small.length - 1),
      },
    ]);
    await settle(page);
    assert.equal(await humansSwitch().getAttribute('disabled'), '');
  });

  it('hides the non-human hits from the list, the counts and the export, and shows both figures', async () => {
    const { classes } = classesOf(events);
    let hits = 0;
    let humans = 0;
    for (const c of classes) {
      if (c === NOT_A_HIT) continue;
      hits++;
      if (c === CLASS_HUMAN) humans++;
    }
    assert.ok(hits - humans > 0, `the sandbox has non-human hits (${hits - humans} of ${hits})`);
    await feed(page, messagesFor(events, 'r-switch'));
    await waitRendered(page, events.length);
    await waitUntil(page, `document.querySelector('.counts').dataset.hits === '${hits}'`);
    const counts = page.locator('.counts');
    assert.equal(await counts.getAttribute('data-humans'), String(humans));
    const fmt = (n: number): string => n.toLocaleString('en-US');
    assert.match(await counts.innerText(), new RegExp(`${fmt(hits)} hits · humans ${fmt(humans)}`));
    // The badge of each row shown is the class of its event.
    const rows = await pageEval<{ index: number; badge: string; hidden: boolean }[]>(
      page,
      `[...document.querySelectorAll('.list-viewport .list-row:not([hidden])')].map((r) => ({
        index: Number(r.dataset.index), badge: r.querySelector('.badge-class').dataset.class ?? '',
        hidden: r.querySelector('.badge-class').hidden }))`,
    );
    assert.ok(rows.length > 0);
    for (const r of rows) {
      const c = classes[r.index] as number;
      assert.equal(r.hidden, c === NOT_A_HIT, `row ${r.index}: a badge only on hits`);
      if (c !== NOT_A_HIT) assert.equal(r.badge, HIT_CLASSES[c]);
    }

    await humansSwitch().click();
    const nonHuman = hits - humans;
    await waitFiltered(page, events.length - nonHuman);
    assert.equal(await humansSwitch().getAttribute('aria-checked'), 'true');
    assert.match(await counts.innerText(), new RegExp(`humans only: ${fmt(humans)} of ${fmt(hits)} hits`));
    // Lane counts: the hit lanes lost exactly the non-human hits.
    const expectedLanes = new Map<string, number>();
    events.forEach((e, i) => {
      const c = classes[i] as number;
      if (c !== NOT_A_HIT && c !== CLASS_HUMAN) return;
      expectedLanes.set(eventKind(e), (expectedLanes.get(eventKind(e)) ?? 0) + 1);
    });
    const labels = await page.locator('.legend-item .legend-label').allInnerTexts();
    const numbers = await page.locator('.legend-item .legend-count').allInnerTexts();
    const legend = new Map(labels.map((l, k) => [l, Number((numbers[k] ?? '').replace(/,/g, ''))]));
    for (const [kind, n] of expectedLanes) assert.equal(legend.get(kind), n, kind);
    assert.equal(
      await page.locator('.list-viewport .badge-class:not([hidden]):not([data-class="human"])').count(),
      0,
      'no non-human badge left in the list',
    );
    // The state keeps the switch (setState: survives a reload and a restored panel).
    const state = await pageEval<TimelineUiState>(page, 'window.__state');
    assert.equal(state.filter.humansOnly, true);
    // Export takes the visible set: no non-human hit in it, and its view says humansOnly.
    await page.locator('vscode-button', { hasText: 'Export' }).click();
    const posted = await pageEval<WebviewMessage[]>(page, 'window.__posted');
    const exp = posted.filter((m) => m.type === 'export').pop();
    assert.ok(exp && exp.type === 'export' && exp.indices && exp.view);
    assert.equal(exp.view.filters.humansOnly, true);
    assert.equal(exp.indices.length, events.length - nonHuman);
    for (const i of exp.indices) {
      const c = classes[i] as number;
      assert.ok(c === NOT_A_HIT || c === CLASS_HUMAN, `exported event ${i} is not a non-human hit`);
    }

    // Reload: the switch comes back on from the saved state, and applies once the classes arrive.
    await page.reload();
    await waitUntil(page, `window.__posted.some((m) => m.type === 'ready')`);
    await feed(page, messagesFor(events, 'r-switch'));
    await waitFiltered(page, events.length - nonHuman);
    assert.equal(await humansSwitch().getAttribute('aria-checked'), 'true');

    await humansSwitch().click();
    await waitFiltered(page, events.length);
    assert.equal(await humansSwitch().getAttribute('aria-checked'), 'false');
  });

  it('shows each hit its class as text, and the deciding evidence in the detail; a hostile user agent stays text', async () => {
    const small = smallEvents();
    const { classes } = classesOf(small);
    assert.deepEqual(
      [...classes].map((c) => (c === NOT_A_HIT ? '-' : HIT_CLASSES[c])),
      ['-', '-', 'human', 'privacy proxy', 'robot'],
      'the classifier sorts the small journey as expected',
    );
    await feed(page, messagesFor(small, 'r-small'));
    await waitRendered(page, small.length);
    await waitUntil(
      page,
      `document.querySelectorAll('.list-viewport .badge-class:not([hidden])').length === 3`,
    );
    const badges = await page
      .locator('.list-viewport .list-row:not([hidden]) .badge-class:not([hidden])')
      .allInnerTexts();
    assert.deepEqual(badges, ['human', 'proxy', 'robot']);
    // The hostile user agent's row: its badge is the word, no element of the data was made.
    assert.equal(await page.locator('.list-viewport img, .detail img, #app script').count(), 0);
    await page.locator('.list-viewport .list-row[data-index="4"]').click();
    await settle(page);
    const classLine = page.locator('.detail dt:text-is("Class") + dd');
    assert.equal(await classLine.innerText(), 'robot (decided by a user-agent or address rule)');
    assert.equal(await page.locator('.detail dt:text-is("User agent") + dd').innerText(), HOSTILE_UA);
    assert.equal(await page.locator('.list-viewport img, .detail img, #app script').count(), 0);
    assert.equal(await pageEval<unknown>(page, 'window.__pwned'), undefined);
    // A non-hit has no Class line.
    await page.locator('.list-viewport .list-row[data-index="0"]').click();
    await settle(page);
    assert.equal(await page.locator('.detail dt:text-is("Class")').count(), 0);
  });
});
