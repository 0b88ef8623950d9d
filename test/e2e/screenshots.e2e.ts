// Screenshots of the timeline (dark and light stand-in themes) for the README, from a demo
// campaign of the sandbox. Only with NP6_SCREENSHOTS=1: they overwrite
// media/screenshots/webview-*.png (the README's whole-workbench pictures, timeline-*.png, come
// from test/ui/timeline.ui.mjs --readme-shots).

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { BatchBuilder } from '../../src/shared/timeline/batch';
import { rowStrings } from '../../src/core/timeline/eventRows';
import { Np6Client } from '../../src/np6/client';
import type { Np6Event } from '../../src/np6/events';
import { allEmailEvents } from '../../src/np6/query';
import type { HostMessage } from '../../src/shared/protocol';
import { DEMO_CAMPAIGNS, startSandbox, type Sandbox } from '../../src/demo/sandbox';
import {
  ensureWebviewBundle,
  setEventJson,
  feed,
  launchChromium,
  ROOT,
  settle,
  startHarness,
  waitRendered,
  type Harness,
} from './harness';

describe('timeline screenshots', function () {
  let browser: Browser;
  let harness: Harness;
  let sandbox: Sandbox;
  const events: Np6Event[] = [];
  let label = '';

  before(async function () {
    if (process.env.NP6_SCREENSHOTS !== '1') this.skip();
    ensureWebviewBundle();
    sandbox = await startSandbox({ campaigns: DEMO_CAMPAIGNS.slice(0, 1) });
    const c = sandbox.campaigns[0];
    if (!c) throw new Error('no demo campaign');
    label = c.name;
    const client = new Np6Client({ baseUrl: sandbox.url, apiKey: sandbox.apiKey });
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
    await sandbox?.close();
  });

  for (const theme of ['dark', 'light']) {
    it(`captures the ${theme} theme`, async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
      await page.goto(`${harness.origin}/?theme=${theme}`);
      const b = new BatchBuilder();
      for (const e of events) b.addRow(e.timestamp, rowStrings(e));
      const c = sandbox.campaigns[0];
      const msgs: HostMessage[] = [
        {
          type: 'init',
          info: {
            resultId: 'demo',
            campaignLabel: label,
            campaignId: c?.id ?? '',
            endpoint: 'campaign',
            items: [],
            types:
              'execution, activation, hit (open/form/unsubscribe/redirection/mirror), bounce, cancellation, complaint',
            start: c?.start,
            end: c?.end,
            count: events.length,
            bytes: 0,
            live: false,
            complete: true,
            completeness: 'complete',
            missingWindows: 0,
          },
          timeZone: 'UTC',
          total: events.length,
        },
        { type: 'batch', batch: b.take() },
      ];
      await feed(page, msgs);
      await setEventJson(
        page,
        events.map((e) => JSON.stringify(e, null, 2)),
      );
      await waitRendered(page, events.length);
      const box = await page.locator('canvas.overview').boundingBox();
      if (box) {
        await page.mouse.move(box.x + box.width * 0.02, box.y + 10);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width * 0.3, box.y + 10, { steps: 3 });
        await page.mouse.up();
      }
      await settle(page);
      await page.locator('.list-viewport [role="option"]').nth(3).click();
      await page.locator('.detail .json details').first().waitFor();
      const dir = path.join(ROOT, 'media', 'screenshots');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: path.join(dir, `webview-${theme}.png`) });
      await page.close();
    });
  }
});
