// Refresh keeps a result honest (issue 5 items 2 and 4): a campaign sending right now, queried up to
// now; a refresh whose re-read fails leaves the result partial naming the missing window (nothing
// duplicated, nothing lost), Resume completes it, and a later refresh finds nothing new.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/result';
import { startSandbox, type Sandbox, type SandboxCampaign } from '../../src/demo/sandbox/index';
import { extensionApi, resetUserSettings, setUserSetting } from './helpers';

const KEY = 'refresh-it-key';
const MINUTE = 60_000;

type Refreshed = { newFrom: number; newTo: number; summary: ResultSummary } | undefined;

describe('refresh of a result reaching now', () => {
  let sandbox: Sandbox;
  let campaign: SandboxCampaign;

  before(async () => {
    await extensionApi();
    sandbox = await startSandbox({
      port: 0,
      apiKey: KEY,
      seed: 17,
      // Sent 20 minutes ago, one send a second: its events fall inside the 30-minute settle window.
      campaigns: [
        {
          name: 'IT Live',
          recipients: 150,
          items: 1,
          sendStart: Date.now() - 20 * MINUTE,
          sendsPerSecond: 1,
        },
      ],
    });
    campaign = sandbox.campaigns[0]!;
    await setUserSetting('baseUrl', sandbox.url);
    await setUserSetting('campaigns', [
      { id: campaign.id, name: campaign.name, items: campaign.items.map((i) => ({ ...i })) },
    ]);
    assert.equal(await vscode.commands.executeCommand('np6.setApiKey', KEY, { verify: false }), true);
  });

  after(async () => {
    sandbox.setFaults({ mode: 'none' });
    await vscode.commands.executeCommand('np6.clearApiKey');
    await resetUserSettings();
    await sandbox.close();
  });

  it('a failed re-read leaves the window missing, Resume completes it, nothing is duplicated', async () => {
    const now = Date.now();
    const first = await vscode.commands.executeCommand<ResultSummary | undefined>('np6.queryEvents', {
      campaignId: campaign.id,
      start: now - 60 * MINUTE,
      end: now,
      show: 'none',
    });
    assert.ok(first?.complete, JSON.stringify(first?.error));
    const expected = [...sandbox.expectedEvents(campaign.id, first.query)].length;
    assert.equal(first.count, expected);
    assert.ok(expected > 100, `the live campaign has events in the last hour (${expected})`);

    sandbox.setFaults({ mode: '500' });
    const failed = await vscode.commands.executeCommand<Refreshed>('np6.refreshResult', {
      campaignId: campaign.id,
      demo: false,
    });
    assert.ok(failed, 'the result reaches now, so it is refreshed');
    assert.equal(failed.newTo - failed.newFrom, 0, 'nothing new from a failed re-read');
    assert.equal(failed.summary.count, expected, 'what was there is kept');
    assert.equal(failed.summary.complete, false, 'a failed re-read is not complete');
    assert.ok(failed.summary.missing.length > 0, 'the re-read window is listed missing');
    for (const w of failed.summary.missing) {
      assert.ok(w.start >= first.query.start! && w.end <= first.query.end!, 'inside the range');
      assert.ok(w.reason.length > 0, 'with a reason');
    }

    sandbox.setFaults({ mode: 'none' });
    const resumed = await vscode.commands.executeCommand<ResultSummary | undefined>('np6.resume', {
      campaignId: campaign.id,
      show: 'none',
    });
    assert.ok(resumed?.complete, JSON.stringify(resumed?.missing));
    assert.equal(resumed.count, expected, 'resumed without duplicates');

    const again = await vscode.commands.executeCommand<Refreshed>('np6.refreshResult', {
      campaignId: campaign.id,
      demo: false,
    });
    assert.ok(again?.summary.complete);
    assert.equal(again.newTo - again.newFrom, 0);
    assert.equal(again.summary.count, expected);
  });
});
