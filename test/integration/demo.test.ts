// Demo mode: the sandbox inside the extension host, its campaigns under "Demo", queries without any
// key or settings, and nothing left behind by Stop Demo.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/result';
import { extensionApi, waitFor } from './helpers';

describe('demo mode', () => {
  after(async () => {
    await vscode.commands.executeCommand('np6.stopDemo');
  });

  it('starts the sandbox, lists its campaigns under Demo, and queries them without a key', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('np6.clearApiKey');
    const before = vscode.workspace.getConfiguration('np6').inspect('baseUrl')?.globalValue;
    const ids = await vscode.commands.executeCommand<string[]>('np6.tryDemo');
    assert.ok(ids.length >= 2, 'the demo has campaigns');
    const url = api.demoUrl();
    assert.match(url ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    const tree = await waitFor('the Demo node', () => {
      const t = api.treeSnapshot();
      return t.find((n) => n.id === 'demo') ? t : undefined;
    });
    const demo = tree.find((n) => n.id === 'demo');
    assert.deepEqual(
      demo?.children.map((c) => c.id),
      ids.map((id) => `demo-campaign:${id}`),
    );
    // Settings and the user's key are untouched.
    assert.equal(vscode.workspace.getConfiguration('np6').inspect('baseUrl')?.globalValue, before);
    assert.equal(await api.hasApiKey(), false);

    const summary = await vscode.commands.executeCommand<ResultSummary | undefined>('np6.queryEvents', {
      campaignId: ids[0],
      preset: 'last30Days',
      sort: 'desc',
      show: 'none',
    });
    assert.ok(summary?.complete, JSON.stringify(summary?.error));
    assert.ok(summary.count > 0, 'the demo campaign has events in the last 30 days');
    // It is now the campaign's last result, which the tree's tooltip/description show.
    const withResult = await waitFor('the last result in the tree', () =>
      api
        .treeSnapshot()
        .find((n) => n.id === 'demo')
        ?.children.find((c) => c.id === `demo-campaign:${ids[0]}`),
    );
    assert.ok(withResult);

    const doc = await vscode.commands.executeCommand<vscode.TextDocument | undefined>(
      'np6.openLastResultAsJson',
      {
        campaignId: ids[0],
      },
    );
    assert.ok(doc, 'a JSON document opened');
    assert.equal(doc.languageId, 'json');
    const parsed = JSON.parse(doc.getText()) as { format: string; count: number; events: unknown[] };
    assert.equal(parsed.format, 'np6-events/1');
    assert.equal(parsed.events.length, summary.count);
    assert.equal(parsed.count, summary.count);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    await vscode.commands.executeCommand('np6.stopDemo');
    assert.equal(api.demoUrl(), undefined);
    await waitFor('the Demo node to go', () =>
      api.treeSnapshot().some((n) => n.id === 'demo') ? undefined : true,
    );
    await assert.rejects(
      fetch(`${url}/campaigns/${ids[0]}/events`, { method: 'POST' }),
      'the demo server is closed',
    );
  });
  it('refreshes a result whose range reaches now, and offers a re-run for one that ended', async () => {
    const ids = await vscode.commands.executeCommand<string[]>('np6.tryDemo');
    const campaignId = ids[0];
    const first = await vscode.commands.executeCommand<ResultSummary | undefined>('np6.queryEvents', {
      campaignId,
      preset: 'last30Days',
      show: 'none',
    });
    assert.ok(first?.complete);
    const r = await vscode.commands.executeCommand<
      { newFrom: number; newTo: number; summary: ResultSummary } | undefined
    >('np6.refreshResult', { campaignId, demo: true });
    assert.ok(r, 'a range ending now can be refreshed');
    // The sandbox publishes nothing late: the settle window is re-read, merged by id, nothing new.
    assert.equal(r.newFrom, first.count);
    assert.equal(r.newTo, first.count);
    assert.equal(r.summary.count, first.count);
    assert.equal(r.summary.complete, true);

    const past = await vscode.commands.executeCommand<ResultSummary | undefined>('np6.queryEvents', {
      campaignId,
      start: '2020-01-01',
      end: '2020-01-02',
      show: 'none',
    });
    assert.ok(past?.complete);
    const none = await vscode.commands.executeCommand('np6.refreshResult', { campaignId, demo: true });
    assert.equal(none, undefined, 'a range that ended in the past is not refreshed (Re-run is offered)');
    await vscode.commands.executeCommand('np6.stopDemo');
  });
});
