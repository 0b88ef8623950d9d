// Masking inside a real VS Code (code-server): on a demo result, np6.toggleMaskPersonalData makes
// the open timeline start again with masked strings (still every event), and an export of the
// result holds none of its recipients' addresses and says it is masked in its metadata.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/result';
import type { TimelinePanelStatus } from '../../src/vscode/timeline/testCommands';
import { queryDemoCampaign, setUserSetting, waitFor } from './helpers';
import { personalValues } from '../unit/personalValues';

describe('masking of personal data', () => {
  let tmp: string;
  let campaignId: string;
  let fetched: ResultSummary;

  const statusOf = async (id: string): Promise<TimelinePanelStatus | undefined> =>
    (await vscode.commands.executeCommand<TimelinePanelStatus[]>('np6.timeline.status')).find(
      (x) => x.resultId === id,
    );

  const exportTo = async (name: string, format: 'export' | 'csv'): Promise<string> => {
    const target = path.join(tmp, name);
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('np6.exportLastResult', {
      campaignId,
      demo: true,
      target,
      format,
    });
    assert.equal(uri?.fsPath, target);
    return readFileSync(target, 'utf8');
  };

  before(async function () {
    this.timeout(120_000);
    await setUserSetting('maskPersonalData', undefined);
    tmp = mkdtempSync(path.join(tmpdir(), 'np6-mask-'));
    ({ campaignId, summary: fetched } = await queryDemoCampaign('timeline'));
  });

  after(async () => {
    await setUserSetting('maskPersonalData', undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('np6.stopDemo');
    rmSync(tmp, { recursive: true, force: true });
  });

  it('masks the timeline and the export, which says so; the timeline still shows every event', async function () {
    this.timeout(120_000);
    const id = fetched.id;
    const first = await waitFor(
      'the timeline to show every event',
      async () => {
        const s = await statusOf(id);
        return s?.page?.rendered === fetched.count ? s : undefined;
      },
      30_000,
    );
    assert.equal(first.masked, false);
    const plain = JSON.parse(await exportTo('plain.json', 'export')) as { events: unknown[] };
    assert.equal('masking' in plain, false);
    const personal = personalValues(plain.events);
    assert.ok(
      [...personal].filter((v) => v.includes('@')).length > 10,
      'the plain export holds recipients’ addresses (so the check below can fail)',
    );

    await vscode.commands.executeCommand('np6.toggleMaskPersonalData');
    assert.equal(vscode.workspace.getConfiguration('np6').get('maskPersonalData'), true);
    await waitFor('the timeline to start again masked', async () => (await statusOf(id))?.masked, 10_000);
    // The page reports at most 4 times a second: let it report the restart before counting.
    await new Promise((r) => setTimeout(r, 1000));
    const again = await waitFor(
      'the masked timeline to show every event',
      async () => {
        const s = await statusOf(id);
        return s?.page?.rendered === fetched.count ? s : undefined;
      },
      30_000,
    );
    assert.equal(again.storeCount, fetched.count);
    assert.equal(again.page?.filtered, fetched.count);
    assert.equal(again.pageLoads, first.pageLoads, 'the same page, sent the result again');

    const text = await exportTo('masked.json', 'export');
    const masked = JSON.parse(text) as { masking?: { method?: string }; count: number; events: unknown[] };
    assert.equal(masked.masking?.method, 'hmac-sha256', 'the metadata says the export is masked');
    assert.equal(masked.count, fetched.count);
    assert.equal(masked.events.length, fetched.count);
    const csv = await exportTo('masked.csv', 'csv');
    for (const v of personal) {
      assert.ok(!text.includes(v), `the masked export holds ${v}`);
      assert.ok(!csv.includes(v), `the masked CSV holds ${v}`);
    }
    assert.match(text, /person-[0-9a-f]{12}/);

    await vscode.commands.executeCommand('np6.toggleMaskPersonalData');
    await waitFor('the timeline to start again unmasked', async () =>
      (await statusOf(id))?.masked === false ? true : undefined,
    );
  });
});
