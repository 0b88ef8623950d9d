// The arithmetic of tools/test/run-all.mjs, apart so that unit tests can check it
// (test/unit/tools/tally.test.ts): results files → tiers, tiers and gates → the closing lines.
// A tier is { name, passed, failed, skipped, notes[] }; a gate is { name, ok, note }.
// "failed" is honest: it also counts tests a failed hook or a crash kept from running, a tier that
// ran nothing, and (in the last line) every failed gate.
'use strict';

/** A tier that should have run and did not: one failure, with the reason. */
function notRunTier(name, why) {
  return { name, passed: 0, failed: 1, skipped: 0, notes: [`did not run: ${why}`] };
}

/**
 * A mocha run's results file (tools/test/countingReporter.cjs; undefined when none was written)
 * and its exit code, as a tier.
 */
function mochaTier(name, r, code) {
  if (!r) return { name, passed: 0, failed: 1, skipped: 0, notes: [`exit ${code} before any test ran`] };
  const notes = [];
  let failed = r.failed + r.hookFailures.length + r.notRun;
  if (r.planned === 0) {
    failed++;
    notes.push('no test was planned: the tier ran nothing');
  }
  for (const h of r.hookFailures) notes.push(`hook failed: ${h}`);
  if (!r.finished)
    notes.push(`crashed (exit ${code}): ${r.notRun} of ${r.planned} planned tests did not run`);
  else if (r.notRun) notes.push(`${r.notRun} of ${r.planned} planned tests did not run`);
  for (const f of (r.failures ?? []).slice(0, 10)) notes.push(`failed: ${f}`);
  if (code !== 0 && failed === 0) {
    failed = 1;
    notes.push(`exit ${code} though no test failed`);
  }
  return { name, passed: r.passed, failed, skipped: r.pending, notes };
}

/** A UI suite's results file (test/ui/uiHarness.mjs; undefined when none was written) as a tier. */
function uiTier(name, r, code) {
  if (!r) return { name, passed: 0, failed: 1, skipped: 0, notes: [`exit ${code} before its first check`] };
  const notes = [];
  let failed = r.failed + r.notRun;
  if (r.planned === null) {
    failed++;
    notes.push('declares no plan(): a crash could not say what did not run (see test/ui/uiHarness.mjs)');
  }
  for (const f of (r.failures ?? []).slice(0, 10)) notes.push(`failed: ${f}`);
  if (r.crashed) notes.push(`crashed: ${r.crashed}`);
  else if (!r.finished) notes.push(`stopped before its end (exit ${code})`);
  if (r.notRun) {
    const names = r.notRunNames.slice(0, 8).join('; ');
    notes.push(
      `${r.notRun} of ${r.planned} planned checks did not run: ${names}${r.notRun > 8 ? '; …' : ''}`,
    );
  }
  if (code !== 0 && failed === 0) {
    failed = 1;
    notes.push(`exit ${code} though no check failed`);
  }
  return { name, passed: r.passed, failed, skipped: 0, notes };
}

/**
 * The summary block: one line per gate and per tier (with its notes), the gates/tests line, and
 * last, alone, `N passed, N failed, N skipped` where failed gates count as failed too.
 * Returns the lines and whether the run failed.
 */
function summaryLines(gates, tiers) {
  const sum = (k) => tiers.reduce((n, t) => n + t[k], 0);
  const passed = sum('passed');
  const failed = sum('failed');
  const skipped = sum('skipped');
  const failedGates = gates.filter((g) => !g.ok);
  const lines = [];
  for (const g of gates) lines.push(`${g.name.padEnd(20)} ${g.ok ? 'ok' : `FAILED (${g.note})`}`);
  for (const t of tiers) {
    lines.push(`${t.name.padEnd(20)} ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
    for (const n of t.notes) lines.push(`${''.padEnd(22)}${n}`);
  }
  const gateNote = failedGates.length ? ` (failed: ${failedGates.map((g) => g.name).join(', ')})` : '';
  lines.push(
    `gates ${gates.length - failedGates.length}/${gates.length}${gateNote} · tests ${passed} passed, ${failed} failed, ${skipped} skipped`,
  );
  const allFailed = failed + failedGates.length;
  lines.push(`${passed} passed, ${allFailed} failed, ${skipped} skipped`);
  return { lines, failed: allFailed > 0 };
}

module.exports = { notRunTier, mochaTier, uiTier, summaryLines };
