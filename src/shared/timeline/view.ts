// What the screen shows for a table + filter: the filtered events in time order (the list, the
// counts, the export) and one sorted timestamp array per kind (lanes and histogram). Built in
// O(n) when the data or the filter change; every frame after that is binary searches.

import type { EventTable } from './eventTable';
import { compileFilter, passes, passesExceptKind, type ArrivalRange, type TimelineFilter } from './filter';
import { countInRange, lowerBound } from './search';
import type { TimeWindow } from './scale';
import { ROWS_PER_STEP, runAtOnce, type Steps } from '../steps';

export interface Lane {
  kind: string;
  code: number;
  visible: boolean;
  /** Filtered events of this kind (ignoring the kind filter), ascending time. */
  ts: Float64Array;
  index: Uint32Array;
  /** Of those, the marked ones (new since the last view), ascending time: highlighted marks. */
  newTs: Float64Array;
}

export interface TimelineView {
  /** Arrival indices of the events passing every filter, in time order. */
  order: Uint32Array;
  ts: Float64Array;
  lanes: Lane[];
  /** Events of `order` inside the marked range (new since the last view). */
  newCount: number;
}

/** Lane order: the journey of a message first, then anything else alphabetically. */
const KIND_ORDER = [
  'execution',
  'activation',
  'hit:open',
  'hit:mirror',
  'hit:redirection',
  'hit:form',
  'hit:unsubscribe',
  'bounce',
  'complaint',
  'cancellation',
  'optout',
];

export function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  if (i >= 0) return i;
  return kind.startsWith('hit') ? 6.5 : KIND_ORDER.length;
}

/** `mark`: arrival indices to highlight (the events a refresh added); they get per-lane `newTs`. */
export function buildView(t: EventTable, f: TimelineFilter, mark?: ArrivalRange): TimelineView {
  // At once, nothing is appended meanwhile: the table's order is read in place, not copied.
  return runAtOnce(buildViewSteps(t, f, mark, false));
}

/**
 * The view as steps (steps.ts), pausing every ROWS_PER_STEP rows, over the rows held when it
 * starts: batches appended while it pauses (they merge into the table's time order in place) are
 * not in it, and the next view has them. `mayPause` false: the caller runs it to the end at once.
 */
export function* buildViewSteps(
  t: EventTable,
  f: TimelineFilter,
  mark?: ArrivalRange,
  mayPause = true,
): Steps<TimelineView> {
  const c = compileFilter(f, t);
  const n = t.length;
  const kinds = t.tables.kinds.slice();
  // Copies (12 bytes a row) only when the build may pause and outlast a step: appends rewrite
  // these in place. Run at once (`mayPause` false), it reads them in place (12 MB less at 1M rows).
  const copy = mayPause && n > ROWS_PER_STEP;
  const tOrder = copy ? t.order.slice(0, n) : t.order;
  const tSortedTs = copy ? t.sortedTs.slice(0, n) : t.sortedTs;
  const laneCount = new Uint32Array(kinds.length);
  const laneNew = new Uint32Array(kinds.length);
  const mFrom = mark ? mark.from : 0;
  const mTo = mark ? mark.to : 0;
  let newCount = 0;
  const pass = new Uint8Array(n); // 1 = passes except kind, 2 = passes everything
  let total = 0;
  for (let k = 0; k < n; k++) {
    if (k % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    const i = tOrder[k] as number;
    if (!passesExceptKind(c, t, i)) continue;
    const kind = t.kind[i] as number;
    const marked = i >= mFrom && i < mTo;
    if (kind >= 0) {
      laneCount[kind] = (laneCount[kind] as number) + 1;
      if (marked) laneNew[kind] = (laneNew[kind] as number) + 1;
    }
    if (passes(c, t, i)) {
      pass[k] = 2;
      total++;
      if (marked) newCount++;
    } else pass[k] = 1;
  }
  const order = new Uint32Array(total);
  const ts = new Float64Array(total);
  const laneTs = Array.from(laneCount, (m) => new Float64Array(m));
  const laneIdx = Array.from(laneCount, (m) => new Uint32Array(m));
  const laneNewTs = Array.from(laneNew, (m) => new Float64Array(m));
  const fill = new Uint32Array(kinds.length);
  const fillNew = new Uint32Array(kinds.length);
  let o = 0;
  for (let k = 0; k < n; k++) {
    if (k % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    const p = pass[k] as number;
    if (p === 0) continue;
    const i = tOrder[k] as number;
    const time = tSortedTs[k] as number;
    const kind = t.kind[i] as number;
    if (kind >= 0) {
      const at = fill[kind] as number;
      (laneTs[kind] as Float64Array)[at] = time;
      (laneIdx[kind] as Uint32Array)[at] = i;
      fill[kind] = at + 1;
      if (i >= mFrom && i < mTo) {
        (laneNewTs[kind] as Float64Array)[fillNew[kind] as number] = time;
        fillNew[kind] = (fillNew[kind] as number) + 1;
      }
    }
    if (p === 2) {
      order[o] = i;
      ts[o] = time;
      o++;
    }
  }
  const lanes: Lane[] = kinds.map((kind, code) => ({
    kind,
    code,
    visible: c.kindVisible[code] === 1,
    ts: laneTs[code] as Float64Array,
    index: laneIdx[code] as Uint32Array,
    newTs: laneNewTs[code] as Float64Array,
  }));
  lanes.sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || a.kind.localeCompare(b.kind));
  return { order, ts, lanes, newCount };
}

/** The slice [lo, hi) of `view.order` inside the window: the list rows and the "in view" count. */
export function windowRange(v: TimelineView, w: TimeWindow): { lo: number; hi: number } {
  const lo = lowerBound(v.ts, w.start);
  return { lo, hi: lowerBound(v.ts, w.end, lo) };
}

/** Events per lane inside the window. */
export function laneCountsIn(v: TimelineView, w: TimeWindow): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of v.lanes) m.set(l.kind, countInRange(l.ts, w.start, w.end));
  return m;
}

/**
 * The event of `lane` nearest to time `t`, if it is within `maxDistMs`; also how many events of
 * the lane lie within that distance (a tooltip says "and N more").
 */
export function nearestInLane(
  lane: Lane,
  t: number,
  maxDistMs: number,
): { index: number; time: number; around: number } | undefined {
  const a = lane.ts;
  if (a.length === 0) return undefined;
  const k = lowerBound(a, t);
  let best = -1;
  let dist = Infinity;
  for (const c of [k - 1, k]) {
    if (c < 0 || c >= a.length) continue;
    const d = Math.abs((a[c] as number) - t);
    if (d < dist) {
      dist = d;
      best = c;
    }
  }
  if (best < 0 || dist > maxDistMs) return undefined;
  return {
    index: lane.index[best] as number,
    time: a[best] as number,
    around: countInRange(a, t - maxDistMs, t + maxDistMs + 1),
  };
}

/** Position in `view.order` of arrival index i (or -1): to scroll the list to a selected event. */
export function positionInView(v: TimelineView, time: number, index: number): number {
  for (let k = lowerBound(v.ts, time); k < v.ts.length && v.ts[k] === time; k++) {
    if (v.order[k] === index) return k;
  }
  return -1;
}
