// What the benchmark does in the workbench, as a user would: the palette, the query flow's
// QuickPick steps, the timeline's tab; and what it reads there: the timeline page's header (its
// counts and status), inside the webview's iframes.
/* global document, window, MutationObserver -- page.evaluate callbacks run in the page */
import { quickInputHelpers } from '../../../test/ui/uiHarness.mjs';

/** The demo, started from the palette; resolves once the tree lists `campaign`. */
export async function startDemo(page, campaign) {
  const { palette } = quickInputHelpers(page);
  await page.locator('.activitybar [aria-label^="NP6"]').first().click({ timeout: 60_000 });
  await palette('NP6: Try the Demo');
  await page
    .getByRole('treeitem', { name: new RegExp(`Campaign ${escapeRegExp(campaign)}`) })
    .waitFor({ timeout: 120_000 });
}

/**
 * "NP6: Query Events..." through its steps: the campaign by name, every item, the default types and
 * hit subtypes, "Last 30 days", the default order. Resolves when the last step is accepted.
 */
export async function queryFromPalette(page, campaign) {
  const { quick, quickInput, palette, accept } = quickInputHelpers(page);
  await palette('NP6: Query Events...');
  await quick.locator('.quick-input-title', { hasText: 'NP6: Query Events' }).waitFor({ timeout: 15_000 });
  await quickInput.fill(campaign);
  await quick.locator('.monaco-list-row', { hasText: campaign }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await accept(2); // items: all
  await accept(3); // event types: the defaults
  await accept(4); // hit subtypes: all
  await quick.locator('.quick-input-title', { hasText: '(5/' }).waitFor({ timeout: 15_000 });
  await quickInput.fill('Last 30 days');
  await accept(5);
  await accept(6); // order: the default
}

/**
 * Puts the keyboard focus in the Campaigns view (a click on its empty space below the tree), where
 * the query was started. The timeline takes the focus when it opens; F1 pressed there also opens
 * the palette, but through the webview's forwarding of keys, a path that is the webview's rather
 * than the workbench's: every sample starts from the same place.
 */
export async function focusCampaignsView(page) {
  const body = page.locator('.part.sidebar .pane-body').first();
  const box = await body.boundingBox();
  if (!box) throw new Error('the Campaigns view is not shown');
  await body.click({ position: { x: box.width / 2, y: box.height - 20 } });
}

/** The command the palette samples filter for: built in and shown whatever the editor, so its row exists. */
export const SAMPLE_COMMAND = 'Preferences: Open Keyboard Shortcuts';

/**
 * One palette sample: F1 until its input shows (open), then the command's name typed in one input
 * until the list shows that command's row (filter; unfiltered, the list starts at "A"); Escape
 * closes it. Times in ms.
 */
export async function samplePalette(page) {
  const { quick, quickInput } = quickInputHelpers(page);
  const t0 = performance.now();
  await page.keyboard.press('F1');
  await quickInput.waitFor({ state: 'visible', timeout: 30_000 });
  const openMs = performance.now() - t0;
  const t1 = performance.now();
  await quickInput.fill(`>${SAMPLE_COMMAND}`);
  await quick
    .locator('.monaco-list-row', { hasText: SAMPLE_COMMAND })
    .first()
    .waitFor({ state: 'visible', timeout: 30_000 });
  const filterMs = performance.now() - t1;
  await page.keyboard.press('Escape');
  await quick.waitFor({ state: 'hidden', timeout: 30_000 });
  return { openMs, filterMs };
}

/** The timeline pages' frames (webviews' inner iframes that hold `.counts`), hidden ones too. */
export async function timelineFrames(page) {
  const found = [];
  for (const f of page.frames()) {
    if (f === page.mainFrame() || f.isDetached()) continue;
    try {
      if (await f.$('.counts')) found.push(f);
    } catch {
      // detached while asked
    }
  }
  return found;
}

/** The (first) timeline page's frame, or undefined. */
export async function timelineFrame(page) {
  return (await timelineFrames(page))[0];
}

/**
 * True when the webview holding `frame` is on screen: a hidden timeline keeps its page (it is
 * retained), so its header alone does not say that the user sees it.
 */
export async function isShown(frame) {
  const outer = frame.parentFrame();
  if (!outer || outer.isDetached()) return false;
  const element = await outer.frameElement().catch(() => undefined);
  return element ? element.isVisible() : false;
}

/** The page's header as the user reads it: { total, text, status } (total from its data-total). */
export function readHeader(frame) {
  return frame.evaluate(() => {
    const c = document.querySelector('.counts');
    if (!c) return undefined;
    return {
      total: Number(c.getAttribute('data-total')),
      text: c.textContent ?? '',
      status: document.querySelector('.sr-status')?.textContent ?? '',
    };
  });
}

/** A header that shows the whole result: `count` events, not "so far", not "loading". */
export const showsAll = (h, count) =>
  !!h && h.total === count && !/so far|loading|…/i.test(h.text) && !/^loading/i.test(h.status.trim());

/**
 * A header that gives fewer than `count` events as if they were the total (no "so far", no
 * "loading k of n"): what a page still receiving its rows must never say (issue 11).
 */
export function claimsPartialAsTotal(text, count) {
  const n = Number(/^([\d,]+) events/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);
  return n < count && !/so far|loading|…/i.test(text);
}

/**
 * Records, inside the page, every change of its header with the time (Date.now(), the same clock
 * as the result's summary): the first moment it showed the whole result is not missed between polls.
 */
export function watchHeader(frame) {
  return frame.evaluate(() => {
    const w = window;
    if (w.__np6BenchHeader) return;
    const log = [];
    w.__np6BenchHeader = log;
    const c = document.querySelector('.counts');
    const s = document.querySelector('.sr-status');
    const record = () => {
      const h = {
        t: Date.now(),
        total: Number(c.getAttribute('data-total')),
        text: c.textContent ?? '',
        status: s?.textContent ?? '',
      };
      const last = log.at(-1);
      if (last && last.total === h.total && last.text === h.text && last.status === h.status) return;
      log.push(h);
      // The first entry (when the watch began) and the latest ones: what the measure reads.
      if (log.length > 400) log.splice(1, log.length - 300);
    };
    const o = new MutationObserver(record);
    o.observe(c, { childList: true, characterData: true, subtree: true, attributes: true });
    if (s) o.observe(s, { childList: true, characterData: true, subtree: true });
    record();
  });
}

export function headerLog(frame) {
  return frame.evaluate(() => window.__np6BenchHeader ?? []);
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
