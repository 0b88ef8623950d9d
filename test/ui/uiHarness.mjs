// What the UI suites share: their command line, PASS/FAIL reporting, a headless Debian Chromium and
// the palette/QuickPick helpers that drive the workbench.
import { mkdirSync } from 'node:fs';
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

/** `log` with the time since start, `check` printing PASS/FAIL, and the final counts. */
export function reporter(prefix) {
  const t0 = Date.now();
  const counts = { passed: 0, failed: 0 };
  return {
    counts,
    log: (...m) => console.log(`[${prefix} +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...m),
    /** An exception ended the suite: count it, print it short, keep a screenshot of the page. */
    async fail(e, browser, screenshotPath) {
      counts.failed++;
      console.error('FAIL: exception', e instanceof Error ? e.message.split('\n').slice(0, 6).join('\n') : e);
      try {
        const p = browser?.contexts()[0]?.pages()[0];
        if (p) await p.screenshot({ path: screenshotPath });
      } catch {}
    },
    check: (ok, what) => {
      console.log(`${ok ? 'PASS' : 'FAIL'}: ${what}`);
      if (ok) counts.passed++;
      else counts.failed++;
    },
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
  /** Waits for step k of the flow to show, then accepts it with Enter. */
  const accept = async (k) => {
    await quick.locator('.quick-input-title', { hasText: `(${k}/` }).waitFor({ timeout: 15000 });
    await page.waitForTimeout(150);
    await page.keyboard.press('Enter');
  };
  return { quick, quickInput, palette, accept };
}
