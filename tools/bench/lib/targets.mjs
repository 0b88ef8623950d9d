// Targets: each measured figure against its target, printed as `met`, `not met`, or `n/a` (with the
// reason: the figure could not be measured, e.g. a baseline that cannot hold the body). With
// --check a suite exits non-zero when any target is not met; without it, it still says so.

import fs from 'node:fs';

/**
 * One target. `op` is '>=', '<=' or '<'; `value` undefined means not measured (then `why` says why).
 * `unit` follows the numbers when printed ('×', ' MB', ' ms', '%').
 */
export function target(name, value, op, threshold, { unit = '', digits = 2, why } = {}) {
  const ok = value === undefined || Number.isNaN(value) ? null : compare(value, op, threshold);
  return {
    name,
    value: value === undefined || Number.isNaN(value) ? null : round(value, digits),
    op,
    threshold,
    unit,
    digits,
    status: ok === null ? 'n/a' : ok ? 'met' : 'not met',
    ...(ok === null ? { why: why ?? 'not measured' } : {}),
  };
}

function compare(v, op, t) {
  if (op === '>=') return v >= t;
  if (op === '<=') return v <= t;
  if (op === '<') return v < t;
  throw new Error(`unknown comparison ${op}`);
}

const OPS = { '>=': '≥', '<=': '≤', '<': '<' };

export function formatTarget(t) {
  const value = t.value === null ? '—' : `${t.value.toFixed(t.digits)}${t.unit}`;
  const status = t.status === 'n/a' ? `n/a (${t.why})` : t.status;
  return `  [${t.status === 'met' ? 'met' : t.status === 'n/a' ? 'n/a' : 'NOT MET'}] ${t.name}: ${value} (target ${OPS[t.op]} ${t.threshold}${t.unit}) — ${status}`;
}

export const missed = (targets) => targets.filter((t) => t.status === 'not met');

/**
 * The end of a suite: its JSON line (with --json), its result handed to run.mjs (through the file
 * it names in NP6_BENCH_RESULT), and the exit code: 1 on an error, or with --check on a missed target.
 */
export function finishSuite(result, { json, check, failed = false }) {
  if (json) console.log(JSON.stringify(result));
  const file = process.env.NP6_BENCH_RESULT;
  if (file) fs.writeFileSync(file, JSON.stringify(result));
  const misses = missed(result.targets ?? []);
  process.exitCode = failed || (check && misses.length > 0) ? 1 : 0;
}

function round(n, digits) {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
