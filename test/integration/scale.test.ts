// The demo's Big Campaign (~1,000,000 events) inside a real VS Code (code-server), issue 5 "In
// code-server": while a query runs the extension host stays responsive (a setTimeout(0) round trip,
// the tree's getChildren and a cheap command, sampled every 200 ms), Cancel stops it within a
// second and keeps what arrived, the host's RSS stays under 1 GB; then a complete query whose count
// equals the sandbox's expected count, a refresh that finds nothing new, an export of it all, and
// the timeline rendering every event.
// Every figure is printed; the bounds asserted are the issue's own (1 s cancel) and the brief's
// (250 ms answers, 1 GB RSS).
import * as assert from 'node:assert/strict';
import { createReadStream, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/result';
import type { CampaignRef } from '../../src/vscode/campaigns';
import type { Np6Api } from '../../src/vscode/activate';
import type { TimelinePanelStatus } from '../../src/vscode/timeline/timelinePanel';
import { startSandbox } from '../../tools/sandbox/index';
import { extensionApi, waitFor } from './helpers';

const ANSWER_BOUND_MS = 250;
const CANCEL_BOUND_MS = 1000;
const RSS_BOUND = 1024 * 1024 * 1024;
const MB = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MB`;

/**
 * This thread's CPU time in ms (Node >= 23.9; code-server's extension host runs Node 24). A wall-clock
 * stall with little CPU of this thread in it is the machine's other work (2 shared cores), not ours.
 */
function threadCpuMs(): number | undefined {
  const f = (process as { threadCpuUsage?: () => { user: number; system: number } }).threadCpuUsage;
  if (!f) return undefined;
  const u = f.call(process);
  return (u.user + u.system) / 1000;
}

interface Worst {
  /** setTimeout(0) round trip, wall clock. */
  loop: number;
  /** Of that round trip, CPU time of this thread: how long our own code held the loop. */
  loopCpu: number;
  tree: number;
  command: number;
  rss: number;
  samples: number;
  overBound: number;
}

/** Samples the host every 200 ms until stopped: worst answer times and peak RSS. */
function startSampler(api: Np6Api): { stop(): Promise<Worst> } {
  let running = true;
  const worst: Worst = {
    loop: 0,
    loopCpu: 0,
    tree: 0,
    command: 0,
    rss: process.memoryUsage().rss,
    samples: 0,
    overBound: 0,
  };
  const loop = (async () => {
    while (running) {
      const c0 = threadCpuMs();
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, 0));
      const t1 = performance.now();
      const c1 = threadCpuMs();
      api.treeSnapshot();
      const t2 = performance.now();
      await vscode.commands.executeCommand('np6.showLog');
      const t3 = performance.now();
      // Without a thread clock, count the whole wall time as ours (the strict reading).
      const cpu = c0 !== undefined && c1 !== undefined ? c1 - c0 : t1 - t0;
      worst.loop = Math.max(worst.loop, t1 - t0);
      worst.loopCpu = Math.max(worst.loopCpu, Math.min(cpu, t1 - t0));
      if (t1 - t0 >= ANSWER_BOUND_MS) worst.overBound++;
      worst.tree = Math.max(worst.tree, t2 - t1);
      worst.command = Math.max(worst.command, t3 - t2);
      worst.rss = Math.max(worst.rss, process.memoryUsage().rss);
      worst.samples++;
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return worst;
    },
  };
}

function assertResponsive(what: string, w: Worst): void {
  console.log(
    `scale: ${what}: worst setTimeout(0) round trip ${w.loop.toFixed(1)} ms wall (${w.loopCpu.toFixed(1)} ms of it this thread's CPU; ${w.overBound} of ${w.samples} samples over ${ANSWER_BOUND_MS} ms wall), tree getChildren ${w.tree.toFixed(1)} ms, np6.showLog ${w.command.toFixed(1)} ms; peak extension host RSS ${MB(w.rss)}`,
  );
  assert.ok(w.samples >= 3, `too few samples (${w.samples}) to say anything`);
  // The extension's own code must never hold the loop past the bound; a wall-clock stall the thread
  // did not spend running is the shared machine, and is printed above rather than failed on.
  assert.ok(w.loopCpu < ANSWER_BOUND_MS, `the event loop was held ${w.loopCpu.toFixed(0)} ms`);
  assert.ok(w.tree < ANSWER_BOUND_MS, `the tree answered in ${w.tree.toFixed(0)} ms`);
  assert.ok(w.command < ANSWER_BOUND_MS, `a command answered in ${w.command.toFixed(0)} ms`);
  assert.ok(w.rss < RSS_BOUND, `the extension host's RSS reached ${MB(w.rss)}`);
}

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  }
  return n;
}

describe('demo at scale: the ~1,000,000-event Big Campaign', function () {
  this.timeout(300_000);
  let api: Np6Api;
  let big: CampaignRef;
  const out = path.join(os.tmpdir(), `np6-scale-${process.pid}.ndjson`);

  before(async () => {
    api = await extensionApi();
    await vscode.commands.executeCommand('np6.stopDemo');
    const sampler = startSampler(api);
    const t0 = performance.now();
    await vscode.commands.executeCommand('np6.tryDemo');
    const startMs = performance.now() - t0;
    const w = await sampler.stop();
    console.log(
      `scale: demo started in ${startMs.toFixed(0)} ms (campaigns measured in the worker); worst setTimeout(0) round trip meanwhile ${w.loop.toFixed(1)} ms`,
    );
    const found = api.campaigns().find((c) => c.demo && c.label === 'Big Campaign');
    assert.ok(found, 'the demo lists the Big Campaign');
    big = found;
    assert.ok(w.loopCpu < ANSWER_BOUND_MS, `starting the demo held the host ${w.loopCpu.toFixed(0)} ms`);
  });

  after(async () => {
    await fs.rm(out, { force: true });
    await vscode.commands.executeCommand('np6.stopDemo');
    // A million-event result is ~0.5 GB on disk: do not leave it to later suites.
    await vscode.commands.executeCommand('np6.clearResults', { confirm: true });
  });

  it('stays responsive while it runs, and Cancel stops it within a second keeping what arrived', async () => {
    const sampler = startSampler(api);
    const t0 = performance.now();
    const run = vscode.commands.executeCommand<ResultSummary | undefined>('np6.queryEvents', {
      campaignId: big.id,
      preset: 'last30Days',
      show: 'none',
    });
    await new Promise((r) => setTimeout(r, 4000));
    const tCancel = performance.now();
    assert.equal(api.cancelQueries(), 1, 'one query was running when cancelled');
    const s = await run;
    const cancelMs = performance.now() - tCancel;
    const w = await sampler.stop();
    console.log(
      `scale: cancelled after ${(tCancel - t0).toFixed(0)} ms with ${s?.count} events kept; stopped ${cancelMs.toFixed(0)} ms after Cancel`,
    );
    assertResponsive('query until cancel', w);
    assert.ok(s, 'the query returned its summary');
    assert.ok(cancelMs < CANCEL_BOUND_MS, `Cancel took ${cancelMs.toFixed(0)} ms to stop the query`);
    assert.equal(s.complete, false);
    assert.equal(s.cancelled, true);
    assert.ok(s.count > 0, 'what arrived before Cancel is kept');
    assert.ok(s.missing.length > 0, 'the result names the windows it did not fetch');
  });

  it('fetches all of it, equal to the sandbox’s count, refreshes without duplicates, exports and shows it', async () => {
    const sampler = startSampler(api);
    const t0 = performance.now();
    const s = await vscode.commands.executeCommand<ResultSummary | undefined>('np6.queryEvents', {
      campaignId: big.id,
      preset: 'last30Days',
      show: 'none',
    });
    const queryMs = performance.now() - t0;
    const w = await sampler.stop();
    assert.ok(s?.complete, `the query is complete: ${JSON.stringify(s?.error)}`);
    console.log(
      `scale: ${s.count} events (${MB(s.bytes)}) fetched, stored and indexed in ${(queryMs / 1000).toFixed(1)} s`,
    );
    assertResponsive('complete query', w);

    const specs = api.demoSpecs();
    assert.ok(specs, 'the demo still runs');
    const twin = await startSandbox({ port: 0, seed: specs.seed, campaigns: specs.specs });
    let expected = 0;
    try {
      for (const _ of twin.expectedEvents(big.id, s.query)) expected++;
    } finally {
      await twin.close();
    }
    assert.equal(s.count, expected, 'every event the sandbox holds for the query, once');
    assert.ok(expected > 900_000, `the Big Campaign query holds ${expected} events`);

    // Its range reaches now: refresh re-reads the settle window; nothing is late in the sandbox.
    const r = await vscode.commands.executeCommand<{
      newFrom: number;
      newTo: number;
      summary: ResultSummary;
    }>('np6.refreshResult', { campaignId: big.id, demo: true });
    assert.ok(r, 'the result could be refreshed');
    assert.equal(r.newTo - r.newFrom, 0, 'no new event, no duplicate');
    assert.equal(r.summary.count, expected);
    assert.equal(r.summary.complete, true);

    const t1 = performance.now();
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('np6.exportLastResult', {
      campaignId: big.id,
      demo: true,
      target: out,
      format: 'ndjson',
      overwrite: true,
    });
    const exportMs = performance.now() - t1;
    assert.ok(uri, 'the export was written');
    const size = (await fs.stat(out)).size;
    console.log(`scale: exported ${MB(size)} as NDJSON in ${(exportMs / 1000).toFixed(1)} s`);
    assert.equal(await countLines(out), expected, 'one line per event');

    // The timeline shows it: the page reports every event rendered, the host answering meanwhile.
    const viewing = startSampler(api);
    const t2 = performance.now();
    await vscode.commands.executeCommand('np6.openLastResult', { campaignId: big.id, demo: true });
    const shown = await waitFor(
      'the timeline to render every event',
      async () =>
        (await vscode.commands.executeCommand<TimelinePanelStatus[]>('np6.timeline.status')).find(
          (x) => x.resultId === s.id && x.page?.rendered === expected,
        ),
      120_000,
    );
    const viewMs = performance.now() - t2;
    assertResponsive('timeline loading', await viewing.stop());
    console.log(
      `scale: the timeline rendered ${shown.page?.rendered} events in ${(viewMs / 1000).toFixed(1)} s`,
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
