// The closing lines of `npm test` (tools/test/tally.cjs): what counts as failed, and that nothing
// that did not run can pass for a success.
import * as assert from 'node:assert/strict';
import {
  mochaTier,
  notRunTier,
  summaryLines,
  uiTier,
  type MochaResults,
  type UiResults,
} from '../../../tools/test/tally.cjs';

const mochaRun = (o: Partial<MochaResults>): MochaResults => ({
  planned: 10,
  passed: 10,
  failed: 0,
  pending: 0,
  notRun: 0,
  hookFailures: [],
  failures: [],
  finished: true,
  ...o,
});
const uiRun = (o: Partial<UiResults>): UiResults => ({
  suite: 'ui',
  planned: 5,
  passed: 5,
  failed: 0,
  pending: 0,
  notRun: 0,
  notRunNames: [],
  failures: [],
  crashed: null,
  finished: true,
  ...o,
});
const last = (lines: string[]): string => lines[lines.length - 1] ?? '';

describe('npm test closing lines (tools/test/tally.cjs)', () => {
  it('counts test cases and skipped tests, gates apart, and ends with the plain line', () => {
    const { lines, failed } = summaryLines(
      [
        { name: 'lint', ok: true, note: '' },
        { name: 'build', ok: true, note: '' },
      ],
      [mochaTier('unit', mochaRun({ planned: 12, passed: 10, pending: 2 }), 0)],
    );
    assert.equal(failed, false);
    assert.equal(lines.at(-2), 'gates 2/2 · tests 10 passed, 0 failed, 2 skipped');
    assert.equal(last(lines), '10 passed, 0 failed, 2 skipped');
  });

  it('counts a failed gate as failed in the last line and fails the run', () => {
    const { lines, failed } = summaryLines(
      [{ name: 'types', ok: false, note: 'exit 2' }],
      [mochaTier('unit', mochaRun({}), 0)],
    );
    assert.equal(failed, true);
    assert.match(lines.at(-2) ?? '', /^gates 0\/1 \(failed: types\) · tests 10 passed, 0 failed, 0 skipped$/);
    assert.equal(last(lines), '10 passed, 1 failed, 0 skipped');
  });

  it('fails a tier that did not run, saying which and why', () => {
    const { lines, failed } = summaryLines(
      [],
      [notRunTier('integration', 'out/test/integration/index.js is missing')],
    );
    assert.equal(failed, true);
    assert.ok(lines.some((l) => /did not run: out\/test\/integration\/index.js is missing/.test(l)));
    assert.equal(last(lines), '0 passed, 1 failed, 0 skipped');
  });

  it('counts the tests a crash or a failed hook kept from running as failed', () => {
    const crashed = mochaTier(
      'integration',
      mochaRun({ planned: 40, passed: 12, notRun: 28, finished: false }),
      2,
    );
    assert.equal(crashed.failed, 28);
    assert.ok(crashed.notes.some((n) => /crashed \(exit 2\): 28 of 40 planned tests did not run/.test(n)));
    const hooked = mochaTier(
      'unit',
      mochaRun({ passed: 8, notRun: 2, hookFailures: ['s "before all" hook'] }),
      1,
    );
    assert.equal(hooked.failed, 3);
  });

  it('fails a mocha tier with no result file, no test planned, or a bad exit with no failure', () => {
    assert.equal(mochaTier('e2e', undefined, 1).failed, 1);
    assert.equal(mochaTier('unit', mochaRun({ planned: 0, passed: 0 }), 0).failed, 1);
    assert.equal(mochaTier('unit', mochaRun({}), 7).failed, 1);
  });

  it('names the planned UI checks a crashed suite never ran, and counts them as failed', () => {
    const t = uiTier(
      'ui workbench',
      uiRun({ passed: 2, failed: 1, notRun: 2, notRunNames: ['c', 'd'], crashed: 'timeout 15000ms' }),
      1,
    );
    assert.equal(t.failed, 3);
    assert.ok(t.notes.includes('crashed: timeout 15000ms'));
    assert.ok(t.notes.some((n) => /2 of 5 planned checks did not run: c; d/.test(n)));
  });

  it('fails a UI suite that declares no plan or wrote no results', () => {
    assert.equal(uiTier('ui x', uiRun({ planned: null }), 0).failed, 1);
    assert.equal(uiTier('ui x', undefined, 1).failed, 1);
  });
});
