// A large campaign inside a real VS Code (code-server), issue 5 "In code-server" and issue 9 item 8:
// while a query runs, the extension host stays responsive by the wall clock — an event-loop delay
// monitor (perf_hooks, 10 ms resolution) never sees the loop held 100 ms, and VS Code's logs (the
// workbench's, the remote agent's and the extension host's) say nothing is "unresponsive" — and the
// tree and a cheap command answer within 250 ms; Cancel stops the query within a second and keeps what
// arrived; the host's RSS stays under 1 GB; then a complete query whose count equals the sandbox's
// expected count, a refresh that finds nothing new, an export of it all, and the timeline rendering
// every event.
// Size: NP6_SCALE_EVENTS events (default 100,000, so CI stays quick; NP6_SCALE_EVENTS=1000000 for
// the demo's scale). The campaign is served by the demo's own sandbox process (dist/sandboxProcess.js),
// outside the host's process (its memory is not the host's), and queried as a configured campaign.
// Every figure is printed; the bounds are the issue's (100 ms loop delay, 1 s cancel) and the brief's
// (250 ms answers, 1 GB RSS).
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/result';
import type { Np6Api } from '../../src/vscode/activation/activate';
import type { TimelinePanelStatus } from '../../src/vscode/timeline/timelinePanel';
import { BIG_CAMPAIGN_ID, DEFAULT_SEED } from '../../src/demo/sandbox/demo';
import { startSandbox } from '../../src/demo/sandbox/index';
import type { FaultConfig } from '../../src/demo/sandbox/types';
import { launchSandboxProcess, type SandboxProcess } from '../../src/demo/sandbox/processLauncher';
import { EXTENSION_ID, extensionApi, resetUserSettings, setUserSetting, waitFor } from './helpers';

const EVENTS = Number(process.env['NP6_SCALE_EVENTS'] ?? 100_000);
const LOOP_DELAY_BOUND_MS = 100;
const ANSWER_BOUND_MS = 250;
const CANCEL_BOUND_MS = 1000;
const RSS_BOUND = 1024 * 1024 * 1024;
/**
 * What VS Code logs when the extension host stops answering for 3 s ("Extension host (Remote) is
 * unresponsive.") or its connection times out ("... received socket timeout event ..."). Exact
 * phrases: the window log also holds this suite's own console output.
 */
const UNRESPONSIVE = /Extension host \([^)]*\) is unresponsive|received socket timeout event/;
const MB = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MB`;

/** This thread's CPU time in ms (Node >= 23.9; code-server's extension host runs Node 24). */
function threadCpuMs(): number | undefined {
  const f = (process as { threadCpuUsage?: () => { user: number; system: number } }).threadCpuUsage;
  if (!f) return undefined;
  const u = f.call(process);
  return (u.user + u.system) / 1000;
}

interface Worst {
  /** Longest event-loop delay seen by monitorEventLoopDelay (10 ms resolution), wall clock. */
  loopMax: number;
  loopP99: number;
  tree: number;
  command: number;
  rss: number;
  samples: number;
  /** Wall time of the phase, and the host thread's CPU time in it (printed, to tell whose the stalls are). */
  wallMs: number;
  cpuMs: number | undefined;
}

/**
 * Watches the host until stopped: the event-loop delay histogram, and every 200 ms the tree's
 * answer, a cheap command's answer and the RSS.
 */
function startSampler(api: Np6Api): { stop(): Promise<Worst> } {
  const delay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const w0 = performance.now();
  const c0 = threadCpuMs();
  let running = true;
  const worst = { tree: 0, command: 0, rss: process.memoryUsage().rss, samples: 0 };
  const loop = (async () => {
    while (running) {
      const t1 = performance.now();
      api.treeSnapshot();
      const t2 = performance.now();
      await vscode.commands.executeCommand('np6.showLog');
      const t3 = performance.now();
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
      delay.disable();
      const c1 = threadCpuMs();
      return {
        ...worst,
        loopMax: delay.max / 1e6,
        loopP99: delay.percentile(99) / 1e6,
        wallMs: performance.now() - w0,
        cpuMs: c0 !== undefined && c1 !== undefined ? c1 - c0 : undefined,
      };
    },
  };
}

/**
 * Where the harness keeps VS Code's logs: tools/vscode-test/run-ext-tests.mjs (npm test) sets
 * VSCT_LOGS_DIR. Other runners (desktop vscode-test, F5) do not: the log checks are then skipped,
 * visibly (the last test of the suite reports as skipped).
 */
const LOGS_DIR = process.env['VSCT_LOGS_DIR'];

async function logFiles(dir: string): Promise<string[]> {
  const names = await fs.readdir(dir, { recursive: true });
  return names.map((n) => path.join(dir, String(n))).filter((f) => f.endsWith('.log'));
}

/** The size of every log file now: what is written after this mark is what a phase caused. */
async function markLogs(): Promise<Map<string, number>> {
  const mark = new Map<string, number>();
  if (!LOGS_DIR) return mark;
  for (const f of await logFiles(LOGS_DIR)) mark.set(f, (await fs.stat(f)).size);
  return mark;
}

/** Lines matching UNRESPONSIVE written to any log since `mark` (none when there are no logs to read). */
async function unresponsiveSince(mark: Map<string, number>): Promise<string[]> {
  const found: string[] = [];
  if (!LOGS_DIR) return found;
  for (const f of await logFiles(LOGS_DIR)) {
    const text = (await fs.readFile(f)).subarray(mark.get(f) ?? 0).toString('utf8');
    for (const line of text.split('\n')) {
      if (UNRESPONSIVE.test(line)) found.push(`${path.basename(f)}: ${line.slice(0, 200)}`);
    }
  }
  return found;
}

/** `loopBound`: the longest event-loop delay allowed (100 ms while a query runs). */
async function assertResponsive(
  what: string,
  w: Worst,
  mark: Map<string, number>,
  loopBound = LOOP_DELAY_BOUND_MS,
): Promise<void> {
  const logged = await unresponsiveSince(mark);
  console.log(
    `scale: ${what}: event-loop delay max ${w.loopMax.toFixed(1)} ms, p99 ${w.loopP99.toFixed(1)} ms (bound ${loopBound} ms); host thread CPU ${w.cpuMs === undefined ? 'unknown' : `${(w.cpuMs / 1000).toFixed(1)} s`} of ${(w.wallMs / 1000).toFixed(1)} s wall; tree getChildren ${w.tree.toFixed(1)} ms, np6.showLog ${w.command.toFixed(1)} ms over ${w.samples} samples; peak extension host RSS ${MB(w.rss)}; ${LOGS_DIR ? `${logged.length} log lines saying the host stopped answering` : 'no VS Code logs to read'}`,
  );
  for (const l of logged) console.log(`scale:   ${l}`);
  assert.ok(w.samples >= 3, `too few samples (${w.samples}) to say anything`);
  assert.ok(
    w.loopMax < loopBound,
    `${what}: the extension host's event loop was held ${w.loopMax.toFixed(0)} ms (bound ${loopBound} ms)`,
  );
  assert.deepEqual(logged, [], `${what}: VS Code logged the extension host as unresponsive`);
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

/** The demo's sandbox process serving a Big Campaign of about `events` events. */
async function startScaleSandbox(
  extensionPath: string,
  events: number,
): Promise<{ ready: SandboxProcess['ready']; setFaults(f: FaultConfig): void; stop(): Promise<void> }> {
  const p = await launchSandboxProcess(path.join(extensionPath, 'dist', 'sandboxProcess.js'), {
    apiKey: randomBytes(24).toString('hex'),
    now: Date.now(),
    seed: DEFAULT_SEED,
    bigEvents: events,
  });
  return { ready: p.ready, setFaults: (f) => p.setFaults(f), stop: () => p.stop() };
}

describe(`at scale: a campaign of about ${EVENTS.toLocaleString('en-US')} events`, function () {
  this.timeout(Math.max(300_000, EVENTS / 2));
  let api: Np6Api;
  let sandbox: Awaited<ReturnType<typeof startScaleSandbox>>;
  const campaign = { campaignId: BIG_CAMPAIGN_ID, demo: false };
  const out = path.join(os.tmpdir(), `np6-scale-${process.pid}.ndjson`);
  let suiteMark: Map<string, number>;

  before(async () => {
    suiteMark = await markLogs();
    api = await extensionApi();
    await vscode.commands.executeCommand('np6.stopDemo');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'the extension is installed');
    sandbox = await startScaleSandbox(ext.extensionPath, EVENTS);
    const big = sandbox.ready.campaigns.find((c) => c.id === BIG_CAMPAIGN_ID);
    assert.ok(big, 'the sandbox serves the Big Campaign');
    console.log(`scale: the sandbox serves ~${big.approxEvents} events for the Big Campaign`);
    await setUserSetting('baseUrl', sandbox.ready.url);
    await setUserSetting('campaigns', [
      {
        id: big.id,
        name: big.name,
        items: big.items.map((i) => ({ id: i.id, channel: i.channel, name: i.name })),
      },
    ]);
    const saved = await vscode.commands.executeCommand('np6.setApiKey', sandbox.ready.apiKey, {
      verify: true,
    });
    assert.equal(saved, true, 'the sandbox accepts its key');
    await waitFor('the Big Campaign to be listed', () =>
      api.campaigns().find((c) => c.id === BIG_CAMPAIGN_ID && !c.demo),
    );
  });

  after(async () => {
    await fs.rm(out, { force: true });
    // A large result is hundreds of MB on disk: do not leave it to later suites.
    await vscode.commands.executeCommand('np6.clearResults', { confirm: true });
    await vscode.commands.executeCommand('np6.clearApiKey');
    await resetUserSettings();
    await sandbox?.stop();
  });

  it('starting the demo keeps the host responsive and lists its Big Campaign', async () => {
    const mark = await markLogs();
    const sampler = startSampler(api);
    const t0 = performance.now();
    await vscode.commands.executeCommand('np6.tryDemo');
    const startMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 1000)); // enough samples around the start
    const w = await sampler.stop();
    console.log(
      `scale: demo started in ${startMs.toFixed(0)} ms (campaigns measured in the sandbox process)`,
    );
    try {
      assert.ok(
        api.campaigns().some((c) => c.demo && c.label === 'Big Campaign'),
        'the demo lists the Big Campaign',
      );
      // Starting is not a query: the 250 ms answer bound applies (issue 5), by the wall clock.
      await assertResponsive('starting the demo', w, mark, ANSWER_BOUND_MS);
    } finally {
      await vscode.commands.executeCommand('np6.stopDemo');
    }
  });

  it('stays responsive while it runs, and Cancel stops it within a second keeping what arrived', async () => {
    // A slow drip keeps the query running long enough to be cancelled half way at any size.
    sandbox.setFaults({ mode: 'slow', slowChunkDelayMs: 5 });
    const mark = await markLogs();
    const sampler = startSampler(api);
    const t0 = performance.now();
    const run = vscode.commands.executeCommand<ResultSummary | undefined>('np6.queryEvents', {
      ...campaign,
      preset: 'last30Days',
      show: 'none',
    });
    await new Promise((r) => setTimeout(r, 4000)); // let some events arrive (not a wait for a state)
    const tCancel = performance.now();
    assert.equal(api.cancelQueries(), 1, 'one query was running when cancelled');
    const s = await run;
    const cancelMs = performance.now() - tCancel;
    const w = await sampler.stop();
    sandbox.setFaults({ mode: 'none' });
    console.log(
      `scale: cancelled after ${(tCancel - t0).toFixed(0)} ms with ${s?.count} events kept; stopped ${cancelMs.toFixed(0)} ms after Cancel`,
    );
    await assertResponsive('query until cancel', w, mark);
    assert.ok(s, 'the query returned its summary');
    assert.ok(cancelMs < CANCEL_BOUND_MS, `Cancel took ${cancelMs.toFixed(0)} ms to stop the query`);
    assert.equal(s.complete, false);
    assert.equal(s.cancelled, true);
    assert.ok(s.count > 0, 'what arrived before Cancel is kept');
    assert.ok(s.missing.length > 0, 'the result names the windows it did not fetch');
  });

  it('fetches all of it, equal to the sandbox’s count, refreshes without duplicates, exports and shows it', async () => {
    const mark = await markLogs();
    const sampler = startSampler(api);
    const t0 = performance.now();
    const s = await vscode.commands.executeCommand<ResultSummary | undefined>('np6.queryEvents', {
      ...campaign,
      preset: 'last30Days',
      show: 'none',
    });
    const queryMs = performance.now() - t0;
    const w = await sampler.stop();
    assert.ok(s?.complete, `the query is complete: ${JSON.stringify(s?.error)}`);
    console.log(
      `scale: ${s.count} events (${MB(s.bytes)}) fetched, stored and indexed in ${(queryMs / 1000).toFixed(1)} s`,
    );
    await assertResponsive('complete query', w, mark);

    const twin = await startSandbox({ port: 0, seed: sandbox.ready.seed, campaigns: sandbox.ready.specs });
    let expected = 0;
    try {
      for (const _ of twin.expectedEvents(BIG_CAMPAIGN_ID, s.query)) expected++;
    } finally {
      await twin.close();
    }
    assert.equal(s.count, expected, 'every event the sandbox holds for the query, once');
    assert.ok(expected > EVENTS * 0.9, `the Big Campaign query holds ${expected} events`);

    // Its range reaches now: refresh re-reads the settle window; nothing is late in the sandbox.
    const r = await vscode.commands.executeCommand<{
      newFrom: number;
      newTo: number;
      summary: ResultSummary;
    }>('np6.refreshResult', campaign);
    assert.ok(r, 'the result could be refreshed');
    assert.equal(r.newTo - r.newFrom, 0, 'no new event, no duplicate');
    assert.equal(r.summary.count, expected);
    assert.equal(r.summary.complete, true);

    const t1 = performance.now();
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('np6.exportLastResult', {
      ...campaign,
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
    const viewMark = await markLogs();
    const viewing = startSampler(api);
    const t2 = performance.now();
    await vscode.commands.executeCommand('np6.openLastResult', campaign);
    const shown = await waitFor(
      'the timeline to render every event',
      async () =>
        (await vscode.commands.executeCommand<TimelinePanelStatus[]>('np6.timeline.status')).find(
          (x) => x.resultId === s.id && x.page?.rendered === expected,
        ),
      120_000,
    );
    const viewMs = performance.now() - t2;
    await assertResponsive('timeline loading', await viewing.stop(), viewMark);
    console.log(
      `scale: the timeline rendered ${shown.page?.rendered} events in ${(viewMs / 1000).toFixed(1)} s`,
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('left no "unresponsive" entry in VS Code’s logs, whatever the phase', async function () {
    if (!LOGS_DIR) this.skip(); // not run through tools/vscode-test/run-ext-tests.mjs
    const files = await logFiles(LOGS_DIR);
    console.log(`scale: read ${files.length} log files under ${LOGS_DIR}`);
    assert.ok(
      files.some((f) => path.basename(f) === 'window.log'),
      'the workbench log (window.log) is there to read',
    );
    assert.deepEqual(await unresponsiveSince(suiteMark), []);
  });
});
