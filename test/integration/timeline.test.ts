// The timeline panel inside a real VS Code (code-server): a query run with `show: 'timeline'` opens
// the panel while it streams, and once the page has rendered, the counts it reports equal the
// result's. The page's report comes through the protocol's `status` message.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/result';
import type { TimelinePanelStatus } from '../../src/vscode/timeline/timelinePanel';
import { HOUR_MS } from '../../src/core/windowPlan';
import { startSandbox, type Sandbox } from '../../src/demo/sandbox/index';
import { EXTENSION_ID, configureForSandbox, extensionApi, resetUserSettings, waitFor } from './helpers';

const KEY = 'timeline-it-key';

describe('timeline panel', () => {
  let sandbox: Sandbox;

  before(async () => {
    await extensionApi();
    sandbox = await startSandbox({
      port: 0,
      apiKey: KEY,
      seed: 5,
      campaigns: [
        {
          name: 'IT Timeline',
          recipients: 80,
          items: 2,
          sendStart: Date.UTC(2026, 1, 3, 8),
          itemGapMs: 86_400_000,
        },
        // Sent an hour ago: a query up to now can be refreshed (its range reaches now).
        { name: 'IT Recent', recipients: 40, items: 1, sendStart: Date.now() - HOUR_MS },
      ],
    });
    assert.equal(await configureForSandbox(sandbox, KEY), true);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('np6.clearApiKey');
    await resetUserSettings();
    await sandbox.close();
  });

  it('opens for a query and shows as many events as the result holds', async () => {
    const c = sandbox.campaigns[0];
    assert.ok(c);
    const summary = await vscode.commands.executeCommand<ResultSummary | undefined>('np6.queryEvents', {
      campaignId: c.id,
      start: c.start,
      end: c.end,
      sort: 'none',
      show: 'timeline',
    });
    const fetchEnd = performance.now();
    assert.ok(summary, 'the query ran');
    assert.ok(summary.count > 100, `the campaign has events (${summary.count})`);
    const tab = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('np6.timeline'));
    assert.ok(tab, 'a timeline tab is open');
    assert.match(tab.label, /^NP6: IT Timeline · /);
    const status = await waitFor(
      'the page to render every event',
      async () => {
        const all = await vscode.commands.executeCommand<TimelinePanelStatus[]>('np6.timeline.status');
        const s = all.find((x) => x.resultId === summary.id);
        return s?.page?.rendered === summary.count ? s : undefined;
      },
      30_000,
    );
    // The last rows go when the store says the fetch finished (no polling): printed here, bounded
    // loosely (the page reports at most 4 times a second; CI machines are slow). The bench in the
    // real workbench holds it to the 1 s.
    const drawnMs = performance.now() - fetchEnd;
    console.log(`timeline: every event drawn ${drawnMs.toFixed(0)} ms after the query returned`);
    assert.ok(drawnMs < 5000, `every event drawn ${drawnMs.toFixed(0)} ms after the fetch`);
    assert.equal(status.pageLoads, 1, 'one page, sent the result once');
    assert.equal(status.storeCount, summary.count);
    assert.equal(status.page?.filtered, summary.count, 'no filter: every event matches');
    assert.equal(status.page?.inView, summary.count, 'no zoom: every event is in view');
  });

  const statuses = (): Thenable<TimelinePanelStatus[]> =>
    vscode.commands.executeCommand<TimelinePanelStatus[]>('np6.timeline.status');

  it('keeps its page while hidden: switching back shows every event at once, nothing re-sent', async () => {
    const [before] = (await statuses()).filter((x) => x.page?.rendered === x.storeCount && x.storeCount > 0);
    assert.ok(before, 'the timeline of the first test is open and complete');
    // A file of the extension: a plain editor that closes without asking to save.
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const doc = await vscode.workspace.openTextDocument(
      vscode.Uri.joinPath(ext.extensionUri, 'package.json'),
    );
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Active, preview: false });
    const hidden = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(
      hidden && !(hidden.input instanceof vscode.TabInputWebview),
      'the timeline tab is in the background',
    );
    await new Promise((r) => setTimeout(r, 500));
    const t0 = performance.now();
    await vscode.commands.executeCommand('workbench.action.previousEditor');
    const back = await waitFor(
      'the timeline to show every event again',
      async () =>
        (await statuses()).find((x) => x.resultId === before.resultId && x.page?.rendered === x.storeCount),
      5_000,
    );
    console.log(`timeline: tab shown again with every event after ${(performance.now() - t0).toFixed(0)} ms`);
    const active = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(active?.input instanceof vscode.TabInputWebview, 'the timeline tab is in front again');
    assert.equal(back.pageLoads, before.pageLoads, 'the page was kept, not loaded and sent everything again');
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('Refresh of a result reaching now merges into the same result and marks what is new', async () => {
    const c = sandbox.campaigns[1];
    assert.ok(c);
    const summary = await vscode.commands.executeCommand<ResultSummary | undefined>('np6.queryEvents', {
      campaignId: c.id,
      start: new Date(Date.now() - 2 * HOUR_MS).toISOString(),
      end: 'now',
      sort: 'none',
      show: 'timeline',
    });
    assert.ok(summary && summary.count > 0, 'the query ran and found events');
    await waitFor(
      'the page to render',
      async () =>
        (await statuses()).find((x) => x.resultId === summary.id && x.page?.rendered === summary.count),
      30_000,
    );
    // What the panel's Refresh button runs.
    await vscode.commands.executeCommand('np6.timeline.refresh', summary.id);
    const after = await waitFor(
      'the page to report the refresh',
      async () =>
        (await statuses()).find((x) => x.resultId === summary.id && x.page?.newEvents !== undefined),
      30_000,
    );
    // The sandbox publishes nothing late: the re-read settle window brings no new event, and the
    // events it read again are de-duplicated by id (not counted twice, not a new result).
    assert.equal(after.page?.newEvents, 0);
    assert.equal(after.storeCount, summary.count);
    assert.equal(after.page?.rendered, summary.count);
    assert.equal(
      (await statuses()).filter((x) => x.resultId !== summary.id && x.title === after.title).length,
      0,
    );
  });

  it('Refresh of a result whose range ended in the past runs the query again', async () => {
    const c = sandbox.campaigns[0];
    assert.ok(c);
    const summary = await vscode.commands.executeCommand<ResultSummary | undefined>('np6.queryEvents', {
      campaignId: c.id,
      start: c.start,
      end: c.end,
      sort: 'none',
      show: 'timeline',
    });
    assert.ok(summary);
    const before = new Set((await statuses()).map((x) => x.resultId));
    await vscode.commands.executeCommand('np6.timeline.refresh', summary.id);
    const rerun = await waitFor(
      'a timeline of the re-run result',
      async () =>
        (await statuses()).find((x) => !before.has(x.resultId) && x.page?.rendered === summary.count),
      30_000,
    );
    assert.equal(rerun.storeCount, summary.count, 'the re-run finds the same events');
  });
});
