// Mocha's spec output, plus a results file that tools/test/run-all.mjs reads instead of parsing the
// text: how many tests were planned (mocha knows them all before the first one runs), passed, failed,
// skipped (pending), which hooks failed, and whether the run reached its end. The file is rewritten
// after every test, so a run that dies half way still says how far it got and what never ran.
// Used by run-all for the unit and e2e tiers (--reporter) and by test/integration/index.ts inside
// VS Code. The file is named by NP6_TEST_RESULTS; without it this is the plain spec reporter.
'use strict';
const { writeFileSync } = require('node:fs');
const Mocha = require('mocha');

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const file = process.env.NP6_TEST_RESULTS;
    if (!file) return;
    /** Outcome of each test that ran; a failure after a pass (done() called twice) stays a failure. */
    const outcome = new Map();
    const hookFailures = [];
    /** Full titles of the failed tests, for the summary. */
    const failures = [];
    let finished = false;
    const write = () => {
      const counts = { passed: 0, failed: 0, pending: 0 };
      for (const o of outcome.values()) counts[o]++;
      const planned = runner.total;
      // Tests a failed hook kept from running are in `planned` but were never reported.
      const notRun = Math.max(0, planned - outcome.size);
      writeFileSync(
        file,
        JSON.stringify({ planned, ...counts, notRun, hookFailures, failures, finished }, null, 1),
      );
    };
    runner.on('start', write);
    runner.on('pass', (t) => {
      if (outcome.get(t) !== 'failed') outcome.set(t, 'passed');
      write();
    });
    runner.on('pending', (t) => {
      outcome.set(t, 'pending');
      write();
    });
    runner.on('fail', (t) => {
      if (t.type === 'hook') hookFailures.push(t.fullTitle());
      else {
        if (outcome.get(t) !== 'failed') failures.push(t.fullTitle());
        outcome.set(t, 'failed');
      }
      write();
    });
    runner.once('end', () => {
      finished = true;
      write();
    });
  }
}

module.exports = CountingReporter;
