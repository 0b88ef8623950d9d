// Demo mode: the sandbox in its own process (a child of the extension host), its campaigns under
// "Demo", queries without any key or settings, nothing left behind by Stop Demo, and a crash of that
// process taking the demo down rather than leaving a dead URL.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/result';
import { extensionApi, waitFor } from './helpers';

/**
 * The extension host's children running the demo sandbox (dist/sandboxProcess.js), with their
 * command lines and environments. Linux only (/proc); undefined elsewhere.
 */
async function sandboxChildren(): Promise<{ pid: number; argv: string[]; environ: string }[] | undefined> {
  if (process.platform !== 'linux') return undefined;
  const found: { pid: number; argv: string[]; environ: string }[] = [];
  for (const name of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The parent pid is the 4th field of /proc/<pid>/stat, after the ")" that ends the name.
      const stat = await fs.readFile(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const argv = (await fs.readFile(`/proc/${name}/cmdline`, 'utf8')).split('\0').filter(Boolean);
      if (!argv.some((a) => a.endsWith('sandboxProcess.js'))) continue;
      found.push({ pid: Number(name), argv, environ: await fs.readFile(`/proc/${name}/environ`, 'utf8') });
    } catch {
      // the process ended while being read
    }
  }
  return found;
}

describe('demo mode', () => {
  after(async () => {
    await vscode.commands.executeCommand('np6.stopDemo');
  });

  it('starts the sandbox, lists its campaigns under Demo, and queries them without a key', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('np6.clearApiKey');
    const before = vscode.workspace.getConfiguration('np6').inspect('baseUrl')?.globalValue;
    const rss0 = process.memoryUsage().rss;
    const ids = await vscode.commands.executeCommand<string[]>('np6.tryDemo');
    assert.ok(ids.length >= 2, 'the demo has campaigns');
    const url = api.demoUrl();
    assert.match(url ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    const children = await sandboxChildren();
    if (children) {
      // The server is another process, the host's child. The key reached it over IPC: its argv is
      // the executable and the entry alone, and its environment is the host's plus
      // ELECTRON_RUN_AS_NODE, nothing else (Node adds NODE_CHANNEL_* to hand it its IPC channel).
      assert.equal(children.length, 1, 'one sandbox process runs for the demo');
      const argv = children[0]!.argv;
      assert.equal(argv.length, 2, `argv: ${argv.join(' ')}`);
      assert.ok(argv[1]!.endsWith('sandboxProcess.js'));
      const hostEnv = new Set(Object.entries(process.env).map(([k, v]) => `${k}=${v}`));
      const added = children[0]!.environ
        .split('\0')
        .filter((e) => e && !hostEnv.has(e) && !e.startsWith('NODE_CHANNEL_'));
      assert.deepEqual(
        added.map((e) => e.split('=')[0]),
        hostEnv.has('ELECTRON_RUN_AS_NODE=1') ? [] : ['ELECTRON_RUN_AS_NODE'],
      );
    }
    console.log(
      `demo: started (Big Campaign measured in the sandbox process); host RSS ${(rss0 / 2 ** 20).toFixed(0)} MB before, ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB after`,
    );
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
    if (children) {
      await waitFor('the sandbox process to end', async () =>
        (await sandboxChildren())?.length === 0 ? true : undefined,
      );
    }
  });

  it('a crash of the sandbox process ends demo mode instead of leaving a dead URL', async function () {
    if (process.platform !== 'linux') this.skip(); // finds the process through /proc
    const api = await extensionApi();
    const ids = await vscode.commands.executeCommand<string[]>('np6.tryDemo');
    assert.ok(ids.length > 0);
    const [child] = (await sandboxChildren()) ?? [];
    assert.ok(child, 'the sandbox process is found');
    process.kill(child.pid, 'SIGKILL');
    await waitFor('demo mode to end', () => (api.demoUrl() === undefined ? true : undefined));
    await waitFor('the Demo node to go', () =>
      api.treeSnapshot().some((n) => n.id === 'demo') ? undefined : true,
    );
    // The demo starts again, in a new process.
    const again = await vscode.commands.executeCommand<string[]>('np6.tryDemo');
    assert.deepEqual(again, ids);
    const [next] = (await sandboxChildren()) ?? [];
    assert.ok(next && next.pid !== child.pid, 'a new sandbox process serves the demo');
    await vscode.commands.executeCommand('np6.stopDemo');
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
