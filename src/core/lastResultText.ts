// What the Campaigns tree says about a campaign's last result: its count (with thousands
// separators) and the date range it covers, in the display zone. Pure, so the wording is tested
// without VS Code; the tree puts these strings in a description (plain) or a code span (tooltip).

import { count } from '../shared/counts';
import { describeRange, wallTime } from './dates';
import type { ResultSummary } from './result';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** "2024-05-01" when the instant is midnight in `zone`, else "2024-05-01 09:30". */
function shortInstant(ms: number, zone: string, dateOnly: boolean): string {
  const w = wallTime(ms, zone);
  const day = `${w.year}-${pad(w.month)}-${pad(w.day)}`;
  return dateOnly ? day : `${day} ${pad(w.hour)}:${pad(w.minute)}`;
}

function isMidnight(ms: number | undefined, zone: string): boolean {
  if (ms === undefined) return true;
  const w = wallTime(ms, zone);
  return w.hour === 0 && w.minute === 0 && w.second === 0 && w.ms === 0;
}

/**
 * A range short enough for a tree description: "2024-05-01 → 2024-05-08" when both bounds are
 * midnights in `zone` (the end is exclusive, as everywhere "→" is shown), else with minutes
 * ("2024-05-01 09:30 → 2024-05-01 17:00"); "…" for an open bound, "all events" for none.
 */
export function compactRange(start: number | undefined, end: number | undefined, zone: string): string {
  if (start === undefined && end === undefined) return 'all events';
  const dateOnly = isMidnight(start, zone) && isMidnight(end, zone);
  const from = start === undefined ? '…' : shortInstant(start, zone, dateOnly);
  const to = end === undefined ? '…' : shortInstant(end, zone, dateOnly);
  return `${from} → ${to}`;
}

/** The tree item's description: "991,573 events · 2024-05-01 → 2024-05-08 (partial)". */
export function lastResultDescription(r: ResultSummary, zone: string): string {
  const range = compactRange(r.query.start, r.query.end, zone);
  return `${count(r.count, 'event')} · ${range}${r.complete ? '' : ' (partial)'}`;
}

/**
 * The exact range for a tooltip, with the zone's name:
 * "2024-05-01 00:00:00 +02:00 → 2024-05-08 00:00:00 +02:00 (7 d) Europe/Paris"; "all events".
 */
export function lastResultRange(r: ResultSummary, zone: string): string {
  const { start, end } = r.query;
  if (start === undefined && end === undefined) return 'all events';
  const range = describeRange(start, end, zone);
  return zone === 'UTC' ? range : `${range}, ${zone}`;
}

/** For screen readers: "last result 991,573 events, 2024-05-01 → 2024-05-08, partial". */
export function lastResultSpoken(r: ResultSummary, zone: string): string {
  const range = compactRange(r.query.start, r.query.end, zone);
  return `last result ${count(r.count, 'event')}, ${range}${r.complete ? '' : ', partial'}`;
}
