// Stored results inside a real VS Code (code-server): a result open in a timeline tab is never
// evicted by np6.results.maxStorageMB, and a result removed another way (Clear Results) shows in
// its tab as removed; clicking one of its events says it was removed, never a raw ENOENT.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/result';
import type { TimelinePanelStatus } from '../../src/vscode/timeline/timelinePanel';
import { startSandbox, type Sandbox } from '../../src/demo/sandbox/index';
import { configureForSandbox, extensionApi, resetUserSettings, setUserSetting, waitFor } from './helpers';

const KEY = 'stored-results-it-key';

const statuses = (): Thenable<TimelinePanelStatus[]> =>
  vscode.commands.executeCommand<TimelinePanelStatus[]>('np6.timeline.status');

describe('stored results and open tabs', () => {
  let sandbox: Sandbox;

  before(async () => {
    await extensionApi();
    sandbox = await startSandbox({
      port: 0,
      apiKey: KEY,
      seed: 9,
      campaigns: [
        // About 25,000 events, some 19 MB stored: two of them pass the smallest budget (16 MB).
        {
          name: 'IT Budget Big',
          recipients: 4000,
          items: 2,
          sendStart: Date.UTC(2026, 2, 3, 8),
          sendsPerSecond: 200,
        },
        { name: 'IT Budget Small', recipients: 30, items: 1, sendStart: Date.UTC(2026, 2, 5, 8) },
      ],
    });
    assert.equal(await configureForSandbox(sandbox, KEY), true);
    await setUserSetting('results.maxStorageMB', 16);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setUserSetting('results.maxStorageMB', undefined);
    await vscode.commands.executeCommand('np6.clearApiKey');
    await resetUserSettings();
    await sandbox.close();
  });

  async function query(index: number, show: 'timeline' | 'none'): Promise<ResultSummary> {
    const c = sandbox.campaigns[index];
    assert.ok(c);
    const s = await vscode.commands.executeCommand<ResultSummary | undefined>('np6.queryEvents', {
      campaignId: c.id,
      start: c.start,
      end: c.end,
      sort: 'none',
      show,
    });
    assert.ok(s, `the query of ${c.name} ran`);
    assert.equal(s.complete, true);
    return s;
  }

  it('never evicts a result open in a timeline tab; Clear Results shows it as removed', async function () {
    this.timeout(180_000);
    const open = await query(0, 'timeline');
    await waitFor(
      'the tab to render the result',
      async () => (await statuses()).find((s) => s.resultId === open.id && s.page?.rendered === open.count),
      60_000,
    );
    // Two more results past the budget: the open one is now neither the campaign's last result
    // nor the newest, and the oldest: exactly what the budget evicts first, unless it is open.
    const second = await query(0, 'none');
    assert.notEqual(second.id, open.id);
    await query(1, 'none');
    await query(0, 'none');
    const kept = (await statuses()).find((s) => s.resultId === open.id);
    assert.ok(kept, 'the tab is still there');
    assert.equal(kept.stored, true, 'the open result was not evicted');
    assert.equal(kept.removed, false);
    assert.equal(kept.storeCount, open.count);

    // Clear Results removes it for real: the tab says so (and offers Re-run), nothing raw.
    assert.equal(await vscode.commands.executeCommand('np6.clearResults', { confirm: true }), true);
    const removed = await waitFor(
      'the tab to show the result as removed',
      async () => (await statuses()).find((s) => s.resultId === open.id && s.removed),
      10_000,
    );
    assert.equal(removed.stored, false);
    // Clicking an event (here: its context menu's Copy Event as JSON) says the result was removed.
    await vscode.env.clipboard.writeText('before');
    await vscode.commands.executeCommand('np6.timeline.copyEventJson', {
      webviewSection: 'event',
      np6EventIndex: 0,
      np6ResultId: open.id,
    });
    const after = await waitFor(
      'the error the user saw',
      async () => (await statuses()).find((s) => s.resultId === open.id && s.lastError !== undefined),
      10_000,
    );
    assert.match(after.lastError ?? '', /removed from disk/);
    assert.doesNotMatch(after.lastError ?? '', /ENOENT|EBADF|no such file/i);
    assert.equal(await vscode.env.clipboard.readText(), 'before', 'nothing was copied');
  });
});
