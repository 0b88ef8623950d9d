// What the UI suites share: their command line, PASS/FAIL reporting, a headless Debian Chromium and
// the palette/QuickPick helpers that drive the workbench.
//
// How a suite declares and reports its checks (tools/test/run-all.mjs counts them):
//   const { plan, check, fail, finish, log } = reporter('my-ui');
//   plan(['welcome view offers Set API Key and Try the Demo', 'the demo lists its campaigns', ...]);
//   try {
//     ...                                   // wait for the real state, then:
//     check(ok, 'the demo lists its campaigns', `${n} campaigns`);   // name from the plan, then detail
//   } catch (e) {
//     await fail(e, browser, screenshotPath); // the suite crashed: what was not checked yet did not run
//   } finally { ...stop what was started... }
//   process.exit(finish());                  // prints PASS/FAIL totals and the checks that never ran
// - plan() comes first, before anything can throw: it is what a crash is measured against. A check
//   whose name is not in the plan, or a planned name checked twice, counts as failed.
// - `ok` must come from the state the check is about (a locator's text, a count, a file's
//   content), read after waiting for that state with a timeout. Never check(true, ...) after a
//   wait: a wait that times out throws, and the checks after it are then reported as "did not run".
// - With NP6_TEST_RESULTS=<file> (set by run-all) the counts go to that JSON file after every check
//   and at exit, so even a suite killed half way says what it planned and what ran.
/* global document, HTMLInputElement -- page.evaluate callbacks run in the page */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { ROOT } from '../../tools/start.mjs';

/** `--vsix <path>` (required), `--shots <dir>` and the suite's own options. */
export function uiArgs(usage, options = {}) {
  const { values } = parseArgs({
    options: { vsix: { type: 'string' }, shots: { type: 'string' }, ...options },
  });
  if (!values.vsix) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  const shots = path.resolve(values.shots ?? path.join(ROOT, 'test-results', 'ui'));
  mkdirSync(shots, { recursive: true });
  return { ...values, vsix: path.resolve(values.vsix), shots };
}

/**
 * `log` with the time since start; `plan` of the checks' names; `check` printing PASS/FAIL; `fail`
 * for an exception that ended the suite; `finish` printing the totals (and the planned checks that
 * never ran) and returning the exit code. See the top of this file.
 */
export function reporter(prefix) {
  const t0 = Date.now();
  const counts = { passed: 0, failed: 0, notRun: 0 };
  /** Names declared by plan(); undefined when the suite declared none (then nothing can be missed). */
  let planned;
  const seen = new Set();
  /** Names of the checks that failed, for run-all's summary. */
  const failures = [];
  let crashed;
  let finished = false;
  const file = process.env.NP6_TEST_RESULTS;
  const missing = () => (planned ?? []).filter((n) => !seen.has(n));
  const save = () => {
    if (!file) return;
    writeFileSync(
      file,
      JSON.stringify(
        {
          suite: prefix,
          planned: planned?.length ?? null,
          passed: counts.passed,
          failed: counts.failed,
          pending: 0,
          notRun: missing().length,
          notRunNames: missing(),
          failures,
          crashed: crashed ?? null,
          finished,
        },
        null,
        1,
      ),
    );
  };
  const finish = () => {
    if (finished) return counts.failed + counts.notRun > 0 ? 1 : 0;
    finished = true;
    const notRun = missing();
    counts.notRun = notRun.length;
    for (const n of notRun) console.log(`NOT RUN: ${n}`);
    save();
    const failed = counts.failed + notRun.length;
    console.log(
      `${prefix}: ${counts.passed} passed, ${failed} failed${notRun.length ? ` (${notRun.length} planned checks did not run)` : ''}`,
    );
    return failed > 0 ? 1 : 0;
  };
  // A suite that exits without finish() (or is ended by an uncaught error) still leaves its counts.
  process.on('exit', () => {
    if (!finished) {
      crashed ??= 'exited without finish()';
      save();
    }
  });
  return {
    counts,
    log: (...m) => console.log(`[${prefix} +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...m),
    /** The checks this suite will make, by name, declared before anything can fail. */
    plan(names) {
      const dup = names.find((n, i) => names.indexOf(n) !== i);
      if (dup) throw new Error(`plan(): "${dup}" is planned twice`);
      planned = [...names];
      save();
    },
    /** An exception ended the suite: count it, print it short, keep a screenshot of the page. */
    async fail(e, browser, screenshotPath) {
      counts.failed++;
      crashed = e instanceof Error ? e.message.split('\n')[0] : String(e);
      console.error('FAIL: exception', e instanceof Error ? e.message.split('\n').slice(0, 6).join('\n') : e);
      const notRun = missing();
      if (notRun.length)
        console.error(`FAIL: the suite stopped; ${notRun.length} planned checks did not run`);
      save();
      try {
        const p = browser?.contexts()[0]?.pages()[0];
        if (p) await p.screenshot({ path: screenshotPath });
      } catch {}
    },
    /** `name` as planned; `detail` (optional) is what was seen, printed after it. */
    check: (ok, name, detail) => {
      let why = '';
      if (planned && !planned.includes(name)) why = ' [not in the plan]';
      else if (seen.has(name)) why = ' [checked twice]';
      seen.add(name);
      const pass = Boolean(ok) && !why;
      console.log(`${pass ? 'PASS' : 'FAIL'}: ${name}${detail === undefined ? '' : ` (${detail})`}${why}`);
      if (pass) counts.passed++;
      else {
        counts.failed++;
        failures.push(`${name}${why}`);
      }
      save();
    },
    finish,
  };
}

/** Headless Debian Chromium, its profile and crash reports kept in `tmp`. */
export function launchBrowser(env, tmp) {
  return chromium.launch({
    executablePath: env.CHROMIUM_BIN || '/usr/bin/chromium',
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
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
}

/** The command palette and the steps of a multi-step QuickPick. */
export function quickInputHelpers(page) {
  const quick = page.locator('.quick-input-widget');
  const quickInput = quick.locator('input').first();
  const palette = async (title) => {
    // A toast or a closing QuickPick can swallow the first F1 on a busy 2-core machine: retry once.
    for (let attempt = 1; ; attempt++) {
      try {
        await page.keyboard.press('F1');
        await quickInput.waitFor({ timeout: 10000 });
        await quickInput.fill(`>${title}`, { timeout: 5000 });
        await quick.locator('.monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10000 });
        break;
      } catch (e) {
        if (attempt >= 2) throw e;
        await page.keyboard.press('Escape');
        await page.waitForTimeout(500);
      }
    }
    await page.keyboard.press('Enter');
  };
  /**
   * Types `text` into the open QuickInput. In CI runs (a fresh clone, the UI suites one after
   * another) Playwright's fill stayed in "attempting fill action" right after a QuickPick replaced
   * the palette while a Statistics webview was open, though the page answered evaluate() in a few
   * ms; it never happened in a suite run alone. So a fill gets 10 s, and then the text is typed
   * with the keyboard into the QuickInput, focused and read back through the page's main world
   * (no injected script), which is what a user's typing does anyway.
   */
  const fillQuick = async (text) => {
    try {
      await quickInput.fill(text, { timeout: 10000 });
      return;
    } catch (e) {
      console.log(`[fillQuick] fill of ${JSON.stringify(text)} timed out; typing it instead`);
      const focused = await page.evaluate(() => {
        const input = document.querySelector('.quick-input-widget input');
        if (!(input instanceof HTMLInputElement)) return false;
        input.focus();
        input.select();
        return document.activeElement === input;
      });
      if (!focused) throw e;
      await page.keyboard.type(text);
      const typed = await page.evaluate(() => document.querySelector('.quick-input-widget input')?.value);
      if (typed !== text) {
        throw new Error(`typed ${JSON.stringify(text)} but the input holds ${JSON.stringify(typed)}`, {
          cause: e,
        });
      }
    }
  };
  /** Waits for step k of the flow to show, then accepts it with Enter. */
  const accept = async (k) => {
    await quick.locator('.quick-input-title', { hasText: `(${k}/` }).waitFor({ timeout: 15000 });
    await page.waitForTimeout(150);
    await page.keyboard.press('Enter');
  };
  return { quick, quickInput, palette, accept, fillQuick };
}

/**
 * From the workbench's first screen: the NP6 view, "Try the Demo", then NP6: Query Events... with
 * the demo campaign named `campaign` picked; the flow's next step is left for the caller.
 */
export async function queryDemoCampaign(page, campaign) {
  const { quick, quickInput, palette } = quickInputHelpers(page);
  await page.locator('.activitybar [aria-label^="NP6"]').first().click({ timeout: 60000 });
  await page
    .locator('.welcome-view-content')
    .getByRole('button', { name: 'Try the Demo' })
    .click({ timeout: 30000 });
  await page.getByRole('treeitem', { name: new RegExp(`Campaign ${campaign}`) }).waitFor({ timeout: 30000 });
  await palette('NP6: Query Events...');
  await quick.locator('.quick-input-title', { hasText: 'NP6: Query Events' }).waitFor({ timeout: 15000 });
  await quickInput.fill(campaign);
  await quick.locator('.monaco-list-row', { hasText: campaign }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * Waits up to `timeout` ms for `locator` to be visible; true when it is, false when it never was.
 * For check(await appears(...), ...): the check then fails on a missing state instead of crashing.
 */
export function appears(locator, timeout = 15000) {
  return locator
    .first()
    .waitFor({ state: 'visible', timeout })
    .then(
      () => true,
      () => false,
    );
}

/** Polls `probe` every 100 ms until it returns a truthy value (returned) or `timeout` ms pass (then undefined). */
export async function until(probe, timeout = 15000) {
  for (const end = Date.now() + timeout; ;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
}
