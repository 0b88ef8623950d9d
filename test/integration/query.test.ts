// Queries run through the commands against an in-process sandbox on loopback: exact events, exports
// equal to the np6-events CLI's output, and the documented behaviour of 401, 429 and a cut stream.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { ExportFormat } from '../../src/core/exportFormat';
import type { ResultSummary } from '../../src/core/result';
import type { Np6Event } from '../../src/np6/events';
import { startSandbox, type Sandbox, type SandboxCampaign } from '../../src/demo/sandbox/index';
import {
  EXTENSION_ID,
  configureForSandbox,
  extensionApi,
  resetUserSettings,
  setUserSetting,
  waitFor,
} from './helpers';

const execFileAsync = promisify(execFile);
const KEY = 'integration-test-key';
const HOUR = 3600_000;
/** The first send wave of the test campaign: its events start here. */
const SEND = Date.UTC(2026, 0, 10, 8);

describe('queries against the sandbox', () => {
  let sandbox: Sandbox;
  let campaign: SandboxCampaign;
  let tmp: string;

  before(async () => {
    await extensionApi();
    sandbox = await startSandbox({
      port: 0,
      apiKey: KEY,
      seed: 11,
      campaigns: [
        { name: 'IT Campaign', recipients: 60, items: 2, sendStart: SEND, itemGapMs: 2 * 24 * HOUR },
        // Over 1 MB of events, for the document size limit.
        { name: 'IT Big', recipients: 450, items: 2, sendStart: SEND, itemGapMs: 2 * 24 * HOUR },
      ],
    });
    campaign = sandbox.campaigns[0]!;
    tmp = mkdtempSync(path.join(tmpdir(), 'np6-it-'));
    assert.equal(await configureForSandbox(sandbox, KEY), true);
  });

  after(async () => {
    sandbox.setFaults({ mode: 'none' });
    await vscode.commands.executeCommand('np6.clearApiKey');
    await resetUserSettings();
    await sandbox.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  afterEach(() => sandbox.setFaults({ mode: 'none' }));

  const query = (extra: Record<string, unknown> = {}): Thenable<ResultSummary | undefined> =>
    vscode.commands.executeCommand<ResultSummary | undefined>('np6.queryEvents', {
      campaignId: campaign.id,
      start: campaign.start,
      end: campaign.end,
      sort: 'asc',
      show: 'none',
      ...extra,
    });

  const exportTo = async (name: string, format: ExportFormat): Promise<string> => {
    const target = path.join(tmp, name);
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('np6.exportLastResult', {
      campaignId: campaign.id,
      target,
      format,
    });
    assert.equal(uri?.fsPath, target, 'the export command returns the file it wrote');
    return readFileSync(target, 'utf8');
  };

  const byId = (events: Iterable<Np6Event>): Map<string, Np6Event> =>
    new Map([...events].map((e) => [e.id, e]));

  it('returns exactly the sandbox’s events for a query given as arguments', async () => {
    const summary = await query();
    assert.ok(summary, 'the command returns the result summary');
    assert.equal(summary.complete, true, JSON.stringify(summary.error));
    const expected = [...sandbox.expectedEvents(campaign.id, summary.query)];
    assert.ok(expected.length > 100, `the sandbox campaign has events (${expected.length})`);
    assert.equal(summary.count, expected.length);
    const got = JSON.parse(await exportTo('all.json', 'array')) as Np6Event[];
    assert.equal(got.length, expected.length);
    assert.deepEqual(byId(got), byId(expected));
    for (let i = 1; i < got.length; i++) assert.ok(got[i - 1]!.timestamp <= got[i]!.timestamp, 'ascending');
  });

  it('narrows to chosen items, types and subtypes (items endpoint)', async () => {
    const item = campaign.items[1]!;
    const summary = await query({ items: [item.id], types: ['hit'], subtypes: ['open'] });
    assert.ok(summary?.complete);
    assert.equal(summary.query.endpoint, 'items');
    const expected = [...sandbox.expectedEvents(campaign.id, summary.query)];
    assert.ok(expected.length > 0);
    assert.ok(expected.every((e) => e.type === 'hit'));
    assert.equal(summary.count, expected.length);
  });

  it('exports files equal to the CLI’s output for the same query', async () => {
    const summary = await query({ start: SEND, end: SEND + 30 * HOUR });
    assert.ok(summary?.complete);
    assert.ok(summary.count > 20, `the window holds events (${summary.count})`);
    // The real np6-events CLI (dist/cli.js of this extension), windowed like the extension's fetch.
    const cliJs = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
    for (const format of ['array', 'ndjson', 'export'] as const) {
      const cliFile = path.join(tmp, `cli.${format}`);
      await execFileAsync(
        process.execPath,
        [
          cliJs,
          'events',
          '--base-url',
          sandbox.url,
          '--campaign',
          campaign.id,
          '--start',
          String(SEND),
          '--end',
          String(SEND + 30 * HOUR),
          '--sort',
          'asc',
          '--window',
          '1d',
          '--format',
          format,
          '--out',
          cliFile,
        ],
        { env: { ...process.env, NP6_API_KEY: KEY } },
      );
      const cli = readFileSync(cliFile, 'utf8');
      const ours = await exportTo(`ours.${format}`, format);
      if (format === 'export') {
        // Only the fetch time differs between two runs.
        const strip = (t: string): unknown => ({ ...(JSON.parse(t) as object), fetchedAt: undefined });
        assert.deepEqual(strip(ours), strip(cli));
        assert.equal((JSON.parse(ours) as { count: number }).count, summary.count);
      } else {
        assert.equal(ours, cli, `${format} export is byte-identical`);
      }
    }
    // Never overwrite an existing file without being told so.
    const again = await vscode.commands.executeCommand('np6.exportLastResult', {
      campaignId: campaign.id,
      target: path.join(tmp, 'ours.array'),
      format: 'array',
    });
    assert.equal(again, undefined);
  });

  it('401: a refused key gives an empty, partial result that says so', async () => {
    await vscode.commands.executeCommand('np6.setApiKey', 'not-the-key', { verify: false });
    try {
      const summary = await query();
      assert.ok(summary);
      assert.equal(summary.complete, false);
      assert.equal(summary.count, 0);
      assert.equal(summary.error?.status, 401);
      assert.equal(summary.missing.length > 0, true, 'the unfetched range is listed');
    } finally {
      await vscode.commands.executeCommand('np6.setApiKey', KEY, { verify: false });
    }
  });

  it('429: retried with backoff, then complete; a lasting 429 leaves a partial result naming it', async () => {
    sandbox.setFaults({ mode: '429', times: 2, retryAfterSeconds: 0 });
    const ok = await query({ start: SEND, end: SEND + 6 * HOUR });
    assert.ok(ok?.complete, JSON.stringify(ok?.error));
    const expected = [...sandbox.expectedEvents(campaign.id, ok.query)].length;
    assert.ok(expected > 20, `the window holds events (${expected})`);
    assert.equal(ok.count, expected);

    sandbox.setFaults({ mode: '429', retryAfterSeconds: 0 });
    const limited = await query({ start: SEND, end: SEND + 6 * HOUR });
    assert.ok(limited);
    assert.equal(limited.complete, false);
    assert.equal(limited.error?.status, 429);
    assert.ok(limited.missing.length > 0, 'the window is listed missing');
  });

  it('a cut stream keeps what arrived, labels it partial, and Resume completes it', async () => {
    sandbox.setFaults({ mode: 'cut', cutAfterEvents: 7 });
    const cut = await query({ start: SEND, end: SEND + 6 * HOUR });
    assert.ok(cut);
    assert.equal(cut.complete, false);
    assert.ok(cut.missing.length > 0);
    assert.ok(cut.error, 'the error is recorded');
    const expected = [...sandbox.expectedEvents(campaign.id, cut.query)];
    assert.ok(expected.length > 20, `the window holds events (${expected.length})`);
    assert.ok(
      cut.count >= 7 && cut.count < expected.length,
      `kept what arrived (${cut.count} of ${expected.length})`,
    );

    sandbox.setFaults({ mode: 'none' });
    const resumed = await vscode.commands.executeCommand<ResultSummary | undefined>('np6.resume', {
      campaignId: campaign.id,
      show: 'none',
    });
    assert.ok(resumed?.complete, JSON.stringify(resumed));
    assert.equal(resumed.count, expected.length);
    const got = JSON.parse(await exportTo('resumed.json', 'array')) as Np6Event[];
    assert.deepEqual(byId(got), byId(expected));
  });

  it('says when NP6 cannot be reached, and Refresh clears it once it answers', async () => {
    const api = await extensionApi();
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((r) => closed.close(r)); // nothing listens there any more
    await setUserSetting('baseUrl', deadUrl);
    try {
      const summary = await query({ start: SEND, end: SEND + HOUR });
      assert.ok(summary);
      assert.equal(summary.complete, false);
      assert.equal(summary.error?.kind, 'network', JSON.stringify(summary.error));
      await waitFor('the unreachable message', () =>
        /could not be reached/.test(api.treeMessage() ?? '') ? true : undefined,
      );
    } finally {
      await setUserSetting('baseUrl', sandbox.url);
    }
    await vscode.commands.executeCommand('np6.refresh');
    assert.equal(api.treeMessage(), undefined);
  });

  it('refuses to open a result over np6.export.maxDocumentSizeMB as a document', async () => {
    const big = sandbox.campaigns[1]!;
    const summary = await vscode.commands.executeCommand<ResultSummary | undefined>('np6.queryEvents', {
      campaignId: big.id,
      start: big.start,
      end: big.end,
      show: 'none',
    });
    assert.ok(summary?.complete);
    assert.ok(summary.bytes > 1024 * 1024, `the result is over 1 MB (${summary.bytes} bytes)`);
    await setUserSetting('export.maxDocumentSizeMB', 1);
    try {
      const before = vscode.workspace.textDocuments.length;
      const refused = await vscode.commands.executeCommand('np6.openLastResultAsJson', {
        campaignId: big.id,
      });
      assert.equal(refused, undefined);
      assert.equal(vscode.workspace.textDocuments.length, before, 'no document was opened');
    } finally {
      await setUserSetting('export.maxDocumentSizeMB', undefined);
    }
    const doc = await vscode.commands.executeCommand<vscode.TextDocument | undefined>(
      'np6.openLastResultAsJson',
      {
        campaignId: big.id,
      },
    );
    assert.equal(doc?.languageId, 'json');
    assert.equal((JSON.parse(doc.getText()) as { events: unknown[] }).events.length, summary.count);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('ignores np6.baseUrl set in the workspace', async () => {
    let hits = 0;
    const evil: Server = createServer((_req, res) => {
      hits++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the tests run with a folder open');
    const settingsFile = vscode.Uri.joinPath(folder, '.vscode', 'settings.json');
    try {
      await vscode.workspace.fs.writeFile(
        settingsFile,
        Buffer.from(JSON.stringify({ 'np6.baseUrl': evilUrl })),
      );
      // VS Code may itself drop a machine-scoped value from workspace settings; either way the
      // extension must not use it. Give the file watcher time to read it.
      const seen = await waitFor(
        'the workspace value to be read',
        () =>
          vscode.workspace.getConfiguration('np6').inspect<string>('baseUrl')?.workspaceValue === evilUrl
            ? true
            : undefined,
        3000,
      ).catch(() => false);
      console.log(
        `      (workspace np6.baseUrl ${seen ? 'visible to' : 'dropped by'} VS Code's configuration)`,
      );
      const summary = await query({ start: SEND, end: SEND + 6 * HOUR });
      assert.ok(summary?.complete);
      assert.ok(summary.count > 0, 'the events came from the user-level base URL');
      assert.equal(hits, 0, 'nothing was sent to the workspace’s URL');
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, '.vscode'), { recursive: true });
      await new Promise((r) => evil.close(r));
    }
  });

  it('re-runs the last query, and Clear Results removes stored results', async () => {
    const first = await query({ start: SEND, end: SEND + 6 * HOUR });
    assert.ok(first?.complete);
    const again = await vscode.commands.executeCommand<ResultSummary | undefined>('np6.rerunLastQuery', {
      campaignId: campaign.id,
      show: 'none',
    });
    assert.ok(again?.complete);
    assert.notEqual(again.id, first.id, 'a re-run makes a new result');
    assert.deepEqual(again.query, first.query);
    assert.equal(again.count, [...sandbox.expectedEvents(campaign.id, again.query)].length);

    assert.equal(await vscode.commands.executeCommand('np6.clearResults', { confirm: true }), true);
    const gone = await vscode.commands.executeCommand('np6.exportLastResult', {
      campaignId: campaign.id,
      target: path.join(tmp, 'after-clear.json'),
    });
    assert.equal(gone, undefined, 'nothing left to export');
  });
});
