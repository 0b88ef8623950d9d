// Activation, contributed commands, the API key commands, and the Campaigns tree following settings.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, resetUserSettings, setUserSetting, waitFor, EXTENSION_ID } from './helpers';

const COMMANDS = [
  'np6.setApiKey',
  'np6.clearApiKey',
  'np6.addCampaign',
  'np6.addItem',
  'np6.rename',
  'np6.remove',
  'np6.copyId',
  'np6.queryEvents',
  'np6.rerunLastQuery',
  'np6.resume',
  'np6.openLastResult',
  'np6.openLastResultAsJson',
  'np6.exportLastResult',
  'np6.clearResults',
  'np6.openEventsFile',
  'np6.openInTimeline',
  'np6.tryDemo',
  'np6.stopDemo',
  'np6.showLog',
  'np6.refresh',
  'np6.refreshResult',
  'np6.timeline.copyEventJson',
  'np6.timeline.openEventJson',
  'np6.timeline.showRecipientEvents',
  'np6.statistics.show',
  'np6.statistics.compareItems',
  'np6.statistics.toggleHumansOnly',
  'np6.toggleMaskPersonalData',
  'np6.statistics.copyMarkdown',
  'np6.statistics.saveCsv',
  'np6.statistics.saveJson',
  'np6.runQueryFile',
  'np6.openQueryFileLastResult',
  'np6.saveQuery',
  'np6.copyQueryLink',
  'np6.openQueryLink',
  'np6.runRecentQuery',
  'np6.pinRecentQuery',
  'np6.removeRecentQuery',
  'np6.clearRecentQueries',
];

describe('extension', () => {
  after(async () => {
    await vscode.commands.executeCommand('np6.clearApiKey');
    await resetUserSettings();
  });

  it('activates and registers every contributed command', async () => {
    const api = await extensionApi();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
    assert.equal(typeof api.campaigns, 'function');
    const all = new Set(await vscode.commands.getCommands(true));
    const contributed = (
      vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
        contributes: { commands: { command: string }[] };
      }
    ).contributes.commands.map((c) => c.command);
    assert.deepEqual([...contributed].sort(), [...COMMANDS].sort());
    for (const c of COMMANDS) assert.ok(all.has(c), `${c} is registered`);
  });

  it('sets and clears the API key through commands with arguments', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('np6.clearApiKey');
    assert.equal(await api.hasApiKey(), false);
    const saved = await vscode.commands.executeCommand<boolean>('np6.setApiKey', 'abc123', { verify: false });
    assert.equal(saved, true);
    assert.equal(await api.hasApiKey(), true);
    // A key with a space inside is refused and the previous one kept.
    assert.equal(
      await vscode.commands.executeCommand<boolean>('np6.setApiKey', 'two words', { verify: false }),
      false,
    );
    assert.equal(await api.hasApiKey(), true);
    await vscode.commands.executeCommand('np6.clearApiKey');
    assert.equal(await api.hasApiKey(), false);
  });

  it('shows configured campaigns and items, and follows settings changes', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('np6.setApiKey', 'tree-key', { verify: false });
    await setUserSetting('campaigns', [
      {
        id: '11111111-1111-4111-8111-111111111111',
        name: 'Alpha',
        items: [{ id: '000PE4', channel: 'email', name: 'Teaser' }],
      },
    ]);
    const first = await waitFor('Alpha in the tree', () => {
      const t = api.treeSnapshot();
      return t.some((n) => n.label === 'Alpha') ? t : undefined;
    });
    const alpha = first.find((n) => n.label === 'Alpha');
    assert.equal(alpha?.contextValue, 'campaign');
    assert.deepEqual(
      alpha?.children.map((c) => c.label),
      ['Teaser'],
    );

    // Commands with arguments edit the setting; the tree follows.
    await vscode.commands.executeCommand('np6.addCampaign', {
      id: '22222222-2222-4222-8222-222222222222',
      name: 'Beta',
    });
    await vscode.commands.executeCommand('np6.addItem', {
      campaignId: '22222222-2222-4222-8222-222222222222',
      id: '000QA1',
      name: 'Reminder',
    });
    await vscode.commands.executeCommand('np6.rename', {
      campaignId: '11111111-1111-4111-8111-111111111111',
      name: 'Alpha (renamed)',
    });
    await vscode.commands.executeCommand('np6.remove', {
      campaignId: '11111111-1111-4111-8111-111111111111',
      itemId: '000PE4',
      confirm: true,
    });
    const after = await waitFor('the edits in the tree', () => {
      const t = api.treeSnapshot();
      const beta = t.find((n) => n.label === 'Beta');
      return beta?.children.length === 1 && t.some((n) => n.label === 'Alpha (renamed)') ? t : undefined;
    });
    assert.deepEqual(
      after.find((n) => n.label === 'Beta')?.children.map((c) => c.label),
      ['Reminder'],
    );
    assert.deepEqual(after.find((n) => n.label === 'Alpha (renamed)')?.children, []);
    const stored = vscode.workspace
      .getConfiguration('np6')
      .inspect<{ id: string }[]>('campaigns')?.globalValue;
    assert.deepEqual(
      stored?.map((c) => c.id),
      ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'],
    );

    // Without a key the configured campaigns are not listed (the welcome view asks for one).
    await vscode.commands.executeCommand('np6.clearApiKey');
    await waitFor('an empty tree', () => (api.treeSnapshot().length === 0 ? true : undefined));
  });
});
