// Entry point the VS Code test harness loads inside the extension host: runs every *.test.js bundled
// next to this file (out/test/integration/) with mocha, and prints one closing line for the runner.
// The reporter is tools/test/countingReporter.cjs (spec output, and with NP6_TEST_RESULTS a results
// file that tools/test/run-all.mjs reads: planned, passed, failed, skipped, what never ran).
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

/** out/test/integration → the repository root. */
const REPORTER = path.resolve(__dirname, '..', '..', '..', 'tools', 'test', 'countingReporter.cjs');

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    color: false,
    ...(existsSync(REPORTER) ? { reporter: REPORTER } : {}),
  });
  // NP6_TEST_GREP=<text> runs only the tests whose full title contains it (one suite while working).
  const grep = process.env['NP6_TEST_GREP'];
  if (grep) mocha.grep(grep);
  const files = readdirSync(__dirname, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const ran = new Set<Mocha.Runnable>();
    const runner = mocha.run((failures) => {
      // Tests a failed hook kept from running were planned but never reported.
      const notRun = Math.max(0, runner.total - ran.size);
      console.log(
        `integration: ${passed} passed, ${failed + notRun} failed, ${skipped} skipped${notRun ? ` (${notRun} did not run)` : ''}`,
      );
      if (failures > 0 || notRun > 0) {
        reject(new Error(`${failures + notRun} integration test(s) failed or did not run`));
      } else resolve();
    });
    runner.on('pass', (t) => {
      ran.add(t);
      passed++;
    });
    runner.on('pending', (t) => {
      ran.add(t);
      skipped++;
    });
    runner.on('fail', (t) => {
      if (t.type === 'test') ran.add(t);
      failed++;
    });
  });
}
