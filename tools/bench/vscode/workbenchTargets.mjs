// The workbench benchmark's targets (issue 11), each figure against its bound.
import { target } from '../lib/targets.mjs';

/** How long the timeline and the tab switch get to show the whole result before it counts as a miss. */
export const SHOW_TIMEOUT_MS = 180_000;

/** The query's MB/s at least this share of the ingest client's, measured in the same run. */
export const MB_RATIO_TARGET = 0.5;

/**
 * `open`/`filter`: palette latency summaries; `loopMax`: the host's largest event-loop delay (ms);
 * `drawnMs`: fetch end to every event shown; `backMs`: tab switch back (undefined: never, within
 * SHOW_TIMEOUT_MS); `hwmMb`: host peak RSS; `mbPerSec`: the query's; `ingest`: the ingest client's
 * figure ({ mbPerSec } or { error }).
 */
export function workbenchTargets({ open, filter, loopMax, drawnMs, backMs, hwmMb, mbPerSec, ingest }) {
  const ms = { unit: ' ms', digits: 0 };
  return [
    target(`palette open p95 during the fetch (${open.samples} samples)`, open.p95, '<=', 300, {
      ...ms,
      why: 'no palette sample',
    }),
    target(`palette filter p95 during the fetch (${filter.samples} samples)`, filter.p95, '<=', 300, {
      ...ms,
      why: 'no palette sample',
    }),
    target('host max event-loop delay (query steps, fetch, timeline, reopen)', loopMax, '<=', 100, ms),
    target('fetch end to every event shown', drawnMs, '<=', 1000, ms),
    // Never shown within the timeout: a miss, at the timeout (a lower bound).
    target('tab switch back to the whole result', backMs ?? SHOW_TIMEOUT_MS, '<=', 1000, ms),
    target('host peak RSS', hwmMb, '<=', 500, { unit: ' MB', digits: 0 }),
    target(
      `query MB/s / ingest client MB/s (${mbPerSec.toFixed(1)} / ${ingest.error ? '—' : ingest.mbPerSec.toFixed(1)})`,
      ingest.error ? undefined : mbPerSec / ingest.mbPerSec,
      '>=',
      MB_RATIO_TARGET,
      { unit: '×', why: 'the ingest baseline failed' },
    ),
  ];
}
