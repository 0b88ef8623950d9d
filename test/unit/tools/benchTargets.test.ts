// The bench's verdicts: a missed target prints NOT MET and fails --check; an unmeasured one is n/a.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(__dirname, '..', '..', '..');
const lib = pathToFileURL(path.join(root, 'tools', 'bench', 'lib', 'targets.mjs')).href;

interface Target {
  status: 'met' | 'not met' | 'n/a';
  why?: string;
}
interface TargetsLib {
  target(name: string, value: number | undefined, op: string, threshold: number): Target;
  formatTarget(t: Target): string;
}

/** Runs finishSuite in a child process, as a suite does, and returns its exit code. */
function exitCodeOf(targetsJs: string, check: boolean): number | null {
  const script = `import { target, finishSuite } from ${JSON.stringify(lib)};
    finishSuite({ targets: [${targetsJs}] }, { json: false, check: ${String(check)} });`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script]).status;
}

describe('bench targets', () => {
  let t: TargetsLib;
  before(async () => {
    t = (await import(lib)) as TargetsLib;
  });

  it('says met, NOT MET or n/a with the reason', () => {
    assert.equal(t.target('ratio', 2.08, '>=', 2.5).status, 'not met');
    assert.match(t.formatTarget(t.target('ratio', 2.08, '>=', 2.5)), /\[NOT MET\] ratio: 2\.08/);
    assert.equal(t.target('ratio', 3.04, '>=', 2.5).status, 'met');
    assert.equal(t.target('rss', 0.116, '<', 0.25).status, 'met');
    const na = t.target('vs whole body', undefined, '>=', 2);
    assert.equal(na.status, 'n/a');
    assert.match(t.formatTarget(na), /n\/a \(not measured\)/);
  });

  it('--check exits 1 on a miss and 0 when every target is met or n/a; without --check, 0', () => {
    const miss = `target('a', 1, '>=', 2), target('b', 3, '>=', 2)`;
    const fine = `target('a', 3, '>=', 2), target('b', undefined, '>=', 2)`;
    assert.equal(exitCodeOf(miss, true), 1);
    assert.equal(exitCodeOf(fine, true), 0);
    assert.equal(exitCodeOf(miss, false), 0);
  });
});
