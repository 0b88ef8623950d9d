// Open Events File inside a real VS Code (code-server): a demo query exported in each format and
// opened again gives a stored result with the same events, shown in a timeline whose header says
// which file it came from, when it was fetched and whether the export was complete. A cut file
// opens as partial with what was read; a file of another format is refused. No key is involved.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportFormat } from '../../src/core/exportFormat';
import type { ResultSummary } from '../../src/core/result';
import type { ResultInfo } from '../../src/shared/protocol';
import type { TimelinePanelStatus } from '../../src/vscode/timeline/timelinePanel';
import { queryDemoCampaign, waitFor } from './helpers';

interface Opened {
  summary: ResultSummary;
  info: ResultInfo;
}

const statuses = (): Thenable<TimelinePanelStatus[]> =>
  vscode.commands.executeCommand<TimelinePanelStatus[]>('np6.timeline.status');

describe('open events file', () => {
  let tmp: string;
  let campaignId: string;
  let fetched: ResultSummary;
  const openedIds = new Map<ExportFormat, string>();

  before(async function () {
    this.timeout(120_000);
    tmp = mkdtempSync(path.join(tmpdir(), 'np6-open-'));
    ({ campaignId, summary: fetched } = await queryDemoCampaign('none'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('np6.stopDemo');
    rmSync(tmp, { recursive: true, force: true });
  });

  const exportTo = async (format: ExportFormat, name = 'demo'): Promise<vscode.Uri> => {
    const target = path.join(tmp, `${name}.${format}.${format === 'ndjson' ? 'ndjson' : 'json'}`);
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('np6.exportLastResult', {
      campaignId,
      demo: true,
      target,
      format,
    });
    assert.equal(uri?.fsPath, target);
    return uri;
  };

  const shown = (opened: Opened): Promise<TimelinePanelStatus> =>
    waitFor(
      'the timeline to render the opened file',
      async () =>
        (await statuses()).find(
          (s) => s.resultId === opened.summary.id && s.page?.rendered === opened.summary.count,
        ),
      60_000,
    );

  for (const format of ['export', 'array', 'ndjson'] as const) {
    it(`opens the ${format} export of a demo query in the timeline with the same events`, async function () {
      this.timeout(120_000);
      const uri = await exportTo(format);
      // The explorer's and the editor title's menu pass the file's Uri.
      const opened = await vscode.commands.executeCommand<Opened | undefined>('np6.openInTimeline', uri);
      assert.ok(opened, 'a result was opened');
      const { summary, info } = opened;
      assert.notEqual(summary.id, fetched.id, 'a new result');
      assert.equal(summary.count, fetched.count);
      assert.equal(info.count, fetched.count);
      assert.equal(summary.complete, true);
      assert.equal(info.complete, true);
      assert.equal(summary.imported?.format, format);
      const name = path.basename(uri.fsPath);
      assert.equal(info.campaignLabel, name);
      if (format === 'export') {
        const fetchedAt = new Date(fetched.startedAt).toISOString();
        assert.equal(
          info.source,
          `Opened from file ${name} (NP6 export) · fetched ${fetchedAt} · complete as exported`,
        );
        assert.equal(info.refetchable, true, 'the export carried its query');
        assert.deepEqual(summary.query, fetched.query);
        // Exported again, the file says the same fetchedAt.
        assert.equal(summary.startedAt, fetched.startedAt);
      } else {
        assert.match(info.source ?? '', new RegExp(`^Opened from file ${name.replace(/\./g, '\\.')} `));
        assert.match(info.source ?? '', /no query to run again/);
        assert.equal(info.refetchable, false);
      }
      openedIds.set(format, summary.id);
      const panel = await shown(opened);
      assert.equal(panel.storeCount, fetched.count);
      assert.match(panel.title, new RegExp(name.replace(/\./g, '\\.')));
    });
  }

  it('fetches nothing on Refresh of a file that holds no query', async function () {
    this.timeout(60_000);
    const id = openedIds.get('array');
    assert.ok(id, 'the array file was opened');
    const before = await statuses();
    await vscode.commands.executeCommand('np6.timeline.refresh', id);
    const after = await statuses();
    assert.equal(after.length, before.length, 'no new timeline: no query ran');
    const panel = after.find((s) => s.resultId === id);
    assert.equal(panel?.storeCount, fetched.count);
    assert.equal(panel?.lastError, undefined);
  });

  it('opens a cut file as partial with the events read before the cut', async function () {
    this.timeout(120_000);
    const full = readFileSync((await exportTo('ndjson', 'whole')).fsPath, 'utf8').split('\n');
    const keep = Math.floor(fetched.count / 2);
    const cut = path.join(tmp, 'cut.ndjson');
    writeFileSync(cut, full.slice(0, keep).join('\n') + '\n' + full[keep]!.slice(0, 20));
    const opened = await vscode.commands.executeCommand<Opened | undefined>(
      'np6.openEventsFile',
      vscode.Uri.file(cut),
    );
    assert.ok(opened);
    assert.equal(opened.summary.count, keep);
    assert.equal(opened.info.complete, false);
    assert.match(opened.info.whyPartial ?? '', new RegExp(`cut inside line ${keep + 1}`));
    assert.match(opened.info.source ?? '', /file malformed at byte \d+ \(line \d+\)/);
    await shown(opened);
  });

  it('refuses a file of another format, opening nothing', async () => {
    const csv = path.join(tmp, 'events.json');
    writeFileSync(csv, 'time,type\n2026-01-01,hit\n');
    const before = (await statuses()).length;
    const opened = await vscode.commands.executeCommand<Opened | undefined>(
      'np6.openEventsFile',
      vscode.Uri.file(csv),
    );
    assert.equal(opened, undefined);
    assert.equal((await statuses()).length, before);
  });
});
