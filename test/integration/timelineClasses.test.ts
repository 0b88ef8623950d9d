// Hit classes in the timeline inside a real VS Code (code-server): after a demo query (whose
// sandbox makes privacy-proxy, scanner and robot hits), the page receives the classes once the
// fetch is over, reports hits and human hits, and the Humans only switch takes exactly the
// non-human hits out of what it shows. The page's report comes through the protocol's `status`.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TimelinePanelStatus } from '../../src/vscode/timeline/timelinePanel';
import { queryDemoCampaign, resetUserSettings, waitFor } from './helpers';

const statuses = (): Thenable<TimelinePanelStatus[]> =>
  vscode.commands.executeCommand<TimelinePanelStatus[]>('np6.timeline.status');

describe('timeline hit classes and Humans only', () => {
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The demo ends with the suite, as in the other suites that start it (the welcome states
    // that follow need a window without it).
    await vscode.commands.executeCommand('np6.stopDemo');
    await resetUserSettings();
  });

  it('receives the classes after a demo query and Humans only lowers the count by the non-human hits', async () => {
    const { summary } = await queryDemoCampaign('timeline');
    const classified = await waitFor(
      'the page to hold every event and its classes',
      async () =>
        (await statuses()).find(
          (s) => s.resultId === summary.id && s.page?.rendered === summary.count && s.page.hits !== undefined,
        ),
      60_000,
    );
    const page = classified.page!;
    const hits = page.hits!;
    const humans = page.humans!;
    assert.ok(hits > 0 && humans > 0, `hits ${hits}, humans ${humans}`);
    assert.ok(hits > humans, `the demo has non-human hits (${hits - humans} of ${hits})`);
    assert.equal(page.filtered, summary.count, 'no filter yet');
    assert.equal(page.humansOnly, false);

    await vscode.commands.executeCommand('np6.timeline.humansOnly', summary.id, true);
    const on = await waitFor(
      'Humans only to apply',
      async () => (await statuses()).find((s) => s.resultId === summary.id && s.page?.humansOnly === true),
      20_000,
    );
    assert.equal(on.page?.filtered, summary.count - (hits - humans), 'the non-human hits are left out');
    assert.equal(on.page?.hits, hits, 'both figures stay');

    await vscode.commands.executeCommand('np6.timeline.humansOnly', summary.id, false);
    const off = await waitFor(
      'Humans only to be off again',
      async () => (await statuses()).find((s) => s.resultId === summary.id && s.page?.humansOnly === false),
      20_000,
    );
    assert.equal(off.page?.filtered, summary.count);
  });
});
