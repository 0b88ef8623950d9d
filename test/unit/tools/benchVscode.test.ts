// The workbench benchmark's pure parts: the percentile it reports, what counts as "the whole result
// shown" and as "a partial count shown as the total", and its targets' verdicts.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(__dirname, '..', '..', '..');
const url = (p: string): string => pathToFileURL(path.join(root, 'tools', 'bench', 'vscode', p)).href;

interface Summary {
  samples: number;
  p50?: number;
  p95?: number;
  max?: number;
}
interface Header {
  total: number;
  text: string;
  status: string;
}
interface StatsLib {
  percentile(xs: number[], p: number): number | undefined;
  latencySummary(xs: number[]): Summary;
}
interface UiLib {
  showsAll(h: Header | undefined, count: number): boolean;
  claimsPartialAsTotal(text: string, count: number): boolean;
}
interface Target {
  name: string;
  status: 'met' | 'not met' | 'n/a';
}
interface Reading {
  ms: number;
  cmd: string;
  nice: number;
  schedGroup?: string;
}
interface MachineLib {
  cpuBySchedGroup(
    from: Map<number, Reading>,
    to: Map<number, Reading>,
    groupOf: (pid: number, cmd: string) => string | undefined,
  ): { schedGroup: string; ms: number; parts: { group: string; ms: number; nice: number }[] }[];
}
interface TargetsLib {
  workbenchTargets(f: {
    open: Summary;
    filter: Summary;
    loopMax: number;
    drawnMs: number;
    backMs: number | undefined;
    hwmMb: number;
    mbPerSec: number;
    ingest: { mbPerSec: number } | { error: string };
  }): Target[];
}

describe('workbench benchmark (tools/bench/vscode)', () => {
  it('reports nearest-rank percentiles: p95 of 20 samples is the 19th, of 17 the worst', async () => {
    const s = (await import(url('stats.mjs'))) as StatsLib;
    const xs = Array.from({ length: 20 }, (_, i) => 20 - i);
    assert.equal(s.percentile(xs, 95), 19);
    assert.equal(s.percentile(xs, 50), 10);
    assert.equal(s.percentile([], 95), undefined);
    assert.equal(
      s.percentile(
        Array.from({ length: 17 }, (_, i) => i),
        95,
      ),
      16,
    );
    assert.deepEqual(s.latencySummary([10.4, 300.6, 20]), { samples: 3, p50: 20, p95: 301, max: 301 });
  });

  it('counts the result as shown only when the header gives the whole count, not "so far" or "loading"', async () => {
    const ui = (await import(url('workbenchUi.mjs'))) as UiLib;
    const h = (text: string, total = 991_573, status = ''): Header => ({ total, text, status });
    assert.equal(ui.showsAll(h('991,573 events · 991,573 in view'), 991_573), true);
    assert.equal(ui.showsAll(h('991,573 events so far… · 991,573 in view'), 991_573), false);
    assert.equal(ui.showsAll(h('loading 50,000 of 991,573 events…'), 991_573), false);
    assert.equal(ui.showsAll(h('991,573 events', 991_573, 'loading'), 991_573), false);
    assert.equal(ui.showsAll(h('50,000 events', 50_000), 991_573), false);
    assert.equal(ui.showsAll(undefined, 1), false);
  });

  it('flags a partial count shown as if it were the total (the issue\'s "50,000 events · 50,000 in view")', async () => {
    const ui = (await import(url('workbenchUi.mjs'))) as UiLib;
    assert.equal(ui.claimsPartialAsTotal('50,000 events · 50,000 in view', 991_573), true);
    assert.equal(ui.claimsPartialAsTotal('50,000 events so far… · 50,000 in view', 991_573), false);
    assert.equal(ui.claimsPartialAsTotal('loading 50,000 of 991,573 events…', 991_573), false);
    assert.equal(ui.claimsPartialAsTotal('991,573 events · 991,573 in view', 991_573), false);
  });

  it('gives each figure its verdict: a miss is "not met", a tab never shown is a miss, a failed baseline n/a', async () => {
    const t = (await import(url('workbenchTargets.mjs'))) as TargetsLib;
    const ok = { samples: 10, p50: 100, p95: 200, max: 250 };
    const base = {
      open: ok,
      filter: ok,
      loopMax: 50,
      drawnMs: 500,
      backMs: 200,
      hwmMb: 400,
      mbPerSec: 40,
      ingest: { mbPerSec: 60 },
    };
    assert.deepEqual(
      t.workbenchTargets(base).map((x) => x.status),
      ['met', 'met', 'met', 'met', 'met', 'met', 'met'],
    );
    const missed = t.workbenchTargets({
      ...base,
      open: { ...ok, p95: 661 },
      loopMax: 184,
      backMs: undefined,
      ingest: { error: 'crashed' },
    });
    assert.deepEqual(
      missed.map((x) => x.status),
      ['not met', 'met', 'not met', 'met', 'not met', 'met', 'n/a'],
    );
  });

  it('sums CPU time by scheduler group, then by part within it; a new or reused pid counts whole', async () => {
    const m = (await import(
      pathToFileURL(path.join(root, 'tools', 'bench', 'lib', 'machine.mjs')).href
    )) as MachineLib;
    const host = { cmd: 'node extensionHost', nice: 0, schedGroup: '/autogroup-25' };
    const demo = { cmd: 'node sandboxProcess.js', nice: 10, schedGroup: '/autogroup-25' };
    const chromium = { cmd: 'chromium --type=renderer', nice: 0, schedGroup: '/autogroup-26' };
    const from = new Map<number, Reading>([
      [1, { ...host, ms: 1000 }],
      [2, { ...demo, ms: 200 }],
      [3, { ...chromium, ms: 500 }],
      [4, { cmd: 'old command', nice: 0, schedGroup: '/autogroup-26', ms: 9000 }],
    ]);
    const to = new Map<number, Reading>([
      [1, { ...host, ms: 4000 }],
      [2, { ...demo, ms: 1200 }],
      [3, { ...chromium, ms: 1500 }],
      // pid 4 reused by another renderer: all of its time is new
      [4, { ...chromium, ms: 700 }],
      [5, { ...chromium, ms: 300 }],
      [6, { cmd: 'no group', nice: 0, ms: 5000 }],
    ]);
    const groupOf = (_pid: number, cmd: string): string | undefined =>
      cmd.includes('sandbox')
        ? 'demo server'
        : cmd.includes('chromium')
          ? 'Chromium renderers'
          : cmd.includes('extensionHost')
            ? 'extension host'
            : undefined;
    assert.deepEqual(m.cpuBySchedGroup(from, to, groupOf), [
      {
        schedGroup: '/autogroup-25',
        ms: 4000,
        parts: [
          { group: 'extension host', ms: 3000, nice: 0 },
          { group: 'demo server', ms: 1000, nice: 10 },
        ],
      },
      { schedGroup: '/autogroup-26', ms: 2000, parts: [{ group: 'Chromium renderers', ms: 2000, nice: 0 }] },
    ]);
  });
});
