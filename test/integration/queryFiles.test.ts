// Query files, links and Recent Queries inside a real VS Code (code-server) against the sandbox on
// loopback: a query file run through the command gives the same events as the same query asked
// through Query Events; its CodeLenses; a query link prefills the flow and runs nothing until each
// step is accepted; hostile or unknown-campaign links send nothing; Recent Queries re-runs and pins.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/result';
import { parseQueryFileText } from '../../src/core/queryFile/queryFile';
import { startSandbox, type Sandbox, type SandboxCampaign } from '../../src/demo/sandbox/index';
import { EXTENSION_ID, configureForSandbox, extensionApi, resetUserSettings, waitFor } from './helpers';
import type { Np6Api } from '../../src/vscode/activation/activate';

const KEY = 'query-files-it-key';
const HOUR = 3600_000;
const SEND = Date.UTC(2026, 1, 2, 8);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('query files, links and recent queries', () => {
  let sandbox: Sandbox;
  let campaign: SandboxCampaign;
  let api: Np6Api;
  let folder: vscode.Uri;
  const written: vscode.Uri[] = [];

  const writeQueryFile = async (name: string, body: unknown): Promise<vscode.Uri> => {
    const uri = vscode.Uri.joinPath(folder, name);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(body, null, 2)));
    written.push(uri);
    return uri;
  };
  const fileBody = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    title: 'IT hits',
    campaignId: campaign.id,
    types: ['hit'],
    range: { start: new Date(campaign.start).toISOString(), end: campaign.end },
    sort: 'asc',
    ...extra,
  });

  before(async () => {
    api = await extensionApi();
    sandbox = await startSandbox({
      port: 0,
      apiKey: KEY,
      seed: 21,
      campaigns: [
        { name: 'IT Query Files', recipients: 40, items: 2, sendStart: SEND, itemGapMs: 24 * HOUR },
      ],
    });
    campaign = sandbox.campaigns[0]!;
    const f = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(f, 'the integration tests run with a workspace folder');
    folder = f;
    assert.equal(await configureForSandbox(sandbox, KEY), true);
    await vscode.commands.executeCommand('np6.clearRecentQueries');
  });

  after(async () => {
    for (const u of written) {
      await vscode.workspace.fs
        .delete(u, { recursive: true, useTrash: false })
        .then(undefined, () => undefined);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('np6.clearRecentQueries');
    await vscode.commands.executeCommand('np6.clearApiKey');
    await resetUserSettings();
    await sandbox.close();
  });

  it('runs a query file through the command: the same events as Query Events, then its CodeLenses and Recent Queries', async () => {
    const uri = await writeQueryFile('it-hits.np6query.json', fileBody());
    const fromFile = await vscode.commands.executeCommand<ResultSummary | undefined>(
      'np6.runQueryFile',
      uri,
      {
        show: 'none',
      },
    );
    assert.ok(fromFile, 'the query file ran');
    assert.equal(fromFile.complete, true);
    const direct = await vscode.commands.executeCommand<ResultSummary | undefined>('np6.queryEvents', {
      campaignId: campaign.id,
      types: ['hit'],
      start: campaign.start,
      end: campaign.end,
      sort: 'asc',
      show: 'none',
    });
    assert.ok(direct && direct.count > 0, 'the campaign has hits');
    assert.equal(fromFile.count, direct.count);
    assert.deepEqual(fromFile.query, direct.query);

    // The CodeLens command reads an open document's model.
    await vscode.workspace.openTextDocument(uri);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      uri,
    );
    const titles = lenses.map((l) => l.command?.title ?? '');
    assert.ok(titles.includes('$(play) Run'), titles.join(', '));
    assert.ok(titles.includes('Open Last Result'), titles.join(', '));
    assert.equal(await vscode.commands.executeCommand('np6.openQueryFileLastResult', uri), true);

    const recent = api.recentQueries();
    assert.equal(recent[0]?.campaignId, campaign.id);
    assert.equal(
      recent[0]?.label,
      'IT hits',
      "the same query asked twice is one entry, with the file's title",
    );
    assert.equal(recent.length, 1);
  });

  it('refuses a query file holding a key or a base URL, and runs nothing', async () => {
    const before = api.recentQueries();
    for (const [name, extra] of [
      ['it-key.np6query.json', { apiKey: KEY }],
      ['it-url.np6query.json', { baseUrl: 'https://example.invalid' }],
    ] as const) {
      const uri = await writeQueryFile(name, fileBody(extra));
      const r = await vscode.commands.executeCommand('np6.runQueryFile', uri, { show: 'none' });
      assert.equal(r, undefined, name);
      // The CodeLens command reads an open document's model.
      await vscode.workspace.openTextDocument(uri);
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        uri,
      );
      assert.match(
        lenses[0]?.command?.title ?? '',
        /cannot run: A query never holds an API key or a base URL/,
      );
    }
    assert.deepEqual(api.recentQueries(), before);
  });

  it('copy link gives a link with no key and no URL; opening it prefills the flow and runs nothing until confirmed', async () => {
    const recentId = api.recentQueries()[0]?.id ?? '';
    await vscode.commands.executeCommand('np6.clearRecentQueries');
    const uri = await writeQueryFile('it-link.np6query.json', fileBody({ title: 'IT link', sort: 'desc' }));
    const link = await vscode.commands.executeCommand<string>('np6.copyQueryLink', uri);
    assert.ok(
      link.startsWith(`${vscode.env.uriScheme}://${EXTENSION_ID}/query?campaign=${campaign.id}`),
      link,
    );
    assert.doesNotMatch(link, /key|127\.0\.0\.1|http/i);
    assert.equal(await vscode.env.clipboard.readText(), link);
    assert.notEqual(recentId, '');

    const opened = vscode.commands.executeCommand<ResultSummary | undefined>('np6.openQueryLink', link);
    let settled = false;
    void opened.then(() => (settled = true));
    await sleep(1500);
    assert.equal(settled, false, 'the link waits for the user');
    assert.deepEqual(api.recentQueries(), [], 'nothing was run by opening the link');
    // Accept every prefilled step as a user pressing Enter would.
    for (let i = 0; i < 12 && !settled; i++) {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await sleep(400);
    }
    const summary = await waitFor(
      'the confirmed query',
      async () => (settled ? ((await opened) ?? null) : undefined),
      30_000,
    );
    assert.ok(summary, 'the confirmed query ran');
    assert.equal(summary.query.sort, 'desc');
    assert.equal(summary.query.start, campaign.start);
    assert.equal(summary.query.end, campaign.end);
    assert.deepEqual(
      summary.query.itemsEvents[0]?.events.map((e) => e.type),
      ['hit'],
    );
    assert.equal(api.recentQueries().length, 1);
  });

  it('a link naming an unknown campaign offers to add it and runs nothing; a hostile link is refused', async () => {
    const before = api.recentQueries();
    const unknown = '0b0b0b0b-0000-4000-8000-00000000dead';
    const opened = vscode.commands.executeCommand(
      'np6.openQueryLink',
      `${vscode.env.uriScheme}://${EXTENSION_ID}/query?campaign=${unknown}&last=7d`,
    );
    let settled = false;
    void opened.then(() => (settled = true));
    await sleep(1000);
    assert.equal(settled, false, 'it waits for the Add Campaign answer');
    await vscode.commands.executeCommand('notifications.clearAll');
    assert.equal(await opened, undefined);
    assert.ok(!api.campaigns().some((c) => c.id === unknown), 'the campaign was not added by itself');

    for (const q of [
      `campaign=..%2Fevents&last=7d`,
      `campaign=${campaign.id}&last=7d&apiKey=${KEY}`,
      `campaign=${campaign.id}&last=7d&run=1`,
      `campaign=${campaign.id}%0A&last=7d`,
      `campaign=${campaign.id}&last=7d&last=1d`,
    ]) {
      const r = await vscode.commands.executeCommand(
        'np6.openQueryLink',
        `${vscode.env.uriScheme}://${EXTENSION_ID}/query?${q}`,
      );
      assert.equal(r, undefined, q);
    }
    assert.equal(await api.hasApiKey(), true, 'the key is still set');
    assert.deepEqual(api.recentQueries(), before);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('recent queries: run again, pin to a query file in the workspace', async () => {
    const entry = api.recentQueries()[0];
    assert.ok(entry, 'a recent query');
    const again = await vscode.commands.executeCommand<ResultSummary | undefined>('np6.runRecentQuery', {
      recentId: entry.id,
      show: 'none',
    });
    assert.ok(again?.complete);
    assert.equal(api.recentQueries().length, 1, 'running it again does not add an entry');
    const pinned = await vscode.commands.executeCommand<vscode.Uri | undefined>('np6.pinRecentQuery', {
      recentId: entry.id,
    });
    assert.ok(pinned, 'pinned');
    written.push(vscode.Uri.joinPath(folder, 'np6-queries'));
    assert.ok(pinned.path.startsWith(`${folder.path}/np6-queries/`), pinned.path);
    const parsed = parseQueryFileText(new TextDecoder().decode(await vscode.workspace.fs.readFile(pinned)));
    assert.ok('value' in parsed, 'the pinned file is a valid query file');
    assert.equal(parsed.value.campaignId, campaign.id);
    assert.equal(api.recentQueries()[0]?.pinned, true);
    // And it runs as a file.
    const fromPinned = await vscode.commands.executeCommand<ResultSummary | undefined>(
      'np6.runQueryFile',
      pinned,
      {
        show: 'none',
      },
    );
    assert.equal(fromPinned?.count, again.count);
  });
});
