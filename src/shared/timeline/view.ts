// What the screen shows for a table + filter: the filtered events in time order (the list, the
// counts, the export) and one sorted timestamp array per kind (lanes and histogram). Built in
// O(n) when the data or the filter change; every frame after that is binary searches.

import type { EventTable } from './eventTable';
import {
  compileFilter,
  extendCompiledFilter,
  passes,
  passesExceptKind,
  type ArrivalRange,
  type CompiledFilter,
  type TimelineFilter,
} from './filter';
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

/**
 * A view and what it was built over, so that rows appended later can be added to it (extendView)
 * instead of building it again from every row. Its arrays have room beyond what the view shows:
 * the view's arrays are their prefixes, which an extension never writes.
 */
export interface ViewGrowth {
  view: TimelineView;
  /** The table's sorted positions [0, rows) are in the view. */
  rows: number;
  /** The table's `reorders` then: while it is the same, those positions hold the same rows. */
  reorders: number;
  /** The table's classes then (Humans only reads them): others mean building again. */
  classes: Uint8Array | null;
  order: Uint32Array;
  ts: Float64Array;
  /** Per kind code: the lane's arrays (prefixes in use: `fill` and `fillNew`). */
  laneTs: Float64Array[];
  laneIdx: Uint32Array[];
  laneNewTs: Float64Array[];
  fill: number[];
  fillNew: number[];
  /** Rows of the view inside the mark. */
  newCount: number;
  /** The filter compiled for the table as it was last extended (extendCompiledFilter takes it on). */
  compiled: CompiledFilter;
}

/** `mark`: arrival indices to highlight (the events a refresh added); they get per-lane `newTs`. */
export function buildView(t: EventTable, f: TimelineFilter, mark?: ArrivalRange): TimelineView {
  return buildViewGrowth(t, f, mark).view;
}

/** buildView, keeping what extendView needs. */
export function buildViewGrowth(t: EventTable, f: TimelineFilter, mark?: ArrivalRange): ViewGrowth {
  // At once, nothing is appended meanwhile: the table's order is read in place, not copied.
  return runAtOnce(viewGrowthSteps(t, f, mark, false));
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
  return (yield* viewGrowthSteps(t, f, mark, mayPause)).view;
}

/** buildViewSteps, keeping what extendView needs (a growth that outlived a reorder is refused there). */
export function* viewGrowthSteps(
  t: EventTable,
  f: TimelineFilter,
  mark?: ArrivalRange,
  mayPause = true,
): Steps<ViewGrowth> {
  const reorders = t.reorders;
  const classes = t.classes;
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
  const pass = new Uint8Array(n); // 1 = passes except kind, 2 = passes everything
  let total = 0;
  let newCount = 0;
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
  const g: ViewGrowth = {
    view: EMPTY_VIEW,
    rows: n,
    reorders,
    classes,
    order: new Uint32Array(total),
    ts: new Float64Array(total),
    laneTs: Array.from(laneCount, (m) => new Float64Array(m)),
    laneIdx: Array.from(laneCount, (m) => new Uint32Array(m)),
    laneNewTs: Array.from(laneNew, (m) => new Float64Array(m)),
    fill: Array.from(laneCount, () => 0),
    fillNew: Array.from(laneCount, () => 0),
    newCount,
    compiled: c,
  };
  let o = 0;
  for (let k = 0; k < n; k++) {
    if (k % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    const p = pass[k] as number;
    if (p === 0) continue;
    const i = tOrder[k] as number;
    const time = tSortedTs[k] as number;
    const kind = t.kind[i] as number;
    if (kind >= 0) {
      const at = g.fill[kind] as number;
      (g.laneTs[kind] as Float64Array)[at] = time;
      (g.laneIdx[kind] as Uint32Array)[at] = i;
      g.fill[kind] = at + 1;
      if (i >= mFrom && i < mTo) {
        (g.laneNewTs[kind] as Float64Array)[g.fillNew[kind] as number] = time;
        g.fillNew[kind] = (g.fillNew[kind] as number) + 1;
      }
    }
    if (p === 2) {
      g.order[o] = i;
      g.ts[o] = time;
      o++;
    }
  }
  g.view = viewOf(g, o, kinds, c);
  return g;
}

const EMPTY_VIEW: TimelineView = {
  order: new Uint32Array(0),
  ts: new Float64Array(0),
  lanes: [],
  newCount: 0,
};

/**
 * `g` with the rows appended to the table since (its sorted positions [g.rows, t.length)), for the
 * same filter and mark: O(new rows), where building again reads every row (while a million events
 * stream in, the page's rebuilds were 2.2 s of the thread it shares with the workbench). Undefined
 * when rows already in the view moved in the time order, or the classes changed: build again.
 * Runs at once; `g` is updated and returned (the views it gave before stay as they were).
 */
export function extendView(
  g: ViewGrowth,
  t: EventTable,
  f: TimelineFilter,
  mark?: ArrivalRange,
): ViewGrowth | undefined {
  if (t.reorders !== g.reorders || t.classes !== g.classes || t.length < g.rows) return undefined;
  // For the table as it is: rows already in the view only use codes they had then, whose entries
  // stay the same; only the strings added since are tested.
  const c = extendCompiledFilter(g.compiled, f, t);
  g.compiled = c;
  const kinds = t.tables.kinds.slice();
  for (let code = g.laneTs.length; code < kinds.length; code++) {
    g.laneTs.push(new Float64Array(0));
    g.laneIdx.push(new Uint32Array(0));
    g.laneNewTs.push(new Float64Array(0));
    g.fill.push(0);
    g.fillNew.push(0);
  }
  const mFrom = mark ? mark.from : 0;
  const mTo = mark ? mark.to : 0;
  let o = g.view.order.length;
  for (let k = g.rows; k < t.length; k++) {
    const i = t.order[k] as number;
    if (!passesExceptKind(c, t, i)) continue;
    const time = t.sortedTs[k] as number;
    const kind = t.kind[i] as number;
    if (kind >= 0) {
      const at = g.fill[kind] as number;
      const laneTs = roomFor(g.laneTs[kind] as Float64Array, at);
      const laneIdx = roomFor(g.laneIdx[kind] as Uint32Array, at);
      laneTs[at] = time;
      laneIdx[at] = i;
      g.laneTs[kind] = laneTs;
      g.laneIdx[kind] = laneIdx;
      g.fill[kind] = at + 1;
      if (i >= mFrom && i < mTo) {
        const atNew = g.fillNew[kind] as number;
        const laneNewTs = roomFor(g.laneNewTs[kind] as Float64Array, atNew);
        laneNewTs[atNew] = time;
        g.laneNewTs[kind] = laneNewTs;
        g.fillNew[kind] = atNew + 1;
      }
    }
    if (c.kindVisible[kind] === 1) {
      g.order = roomFor(g.order, o);
      g.ts = roomFor(g.ts, o);
      g.order[o] = i;
      g.ts[o] = time;
      o++;
      if (i >= mFrom && i < mTo) g.newCount++;
    }
  }
  g.rows = t.length;
  g.view = viewOf(g, o, kinds, c);
  return g;
}

/** `a`, or a copy twice as large when index `at` is past its end (amortised O(1) appends). */
function roomFor<T extends Float64Array | Uint32Array>(a: T, at: number): T {
  if (at < a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(1024, a.length * 2));
  b.set(a);
  return b;
}

/** The view of `g`'s first `total` filtered rows and its lanes' filled prefixes. */
function viewOf(g: ViewGrowth, total: number, kinds: string[], c: { kindVisible: Uint8Array }): TimelineView {
  const lanes: Lane[] = kinds.map((kind, code) => ({
    kind,
    code,
    visible: c.kindVisible[code] === 1,
    ts: (g.laneTs[code] as Float64Array).subarray(0, g.fill[code]),
    index: (g.laneIdx[code] as Uint32Array).subarray(0, g.fill[code]),
    newTs: (g.laneNewTs[code] as Float64Array).subarray(0, g.fillNew[code]),
  }));
  lanes.sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || a.kind.localeCompare(b.kind));
  return { order: g.order.subarray(0, total), ts: g.ts.subarray(0, total), lanes, newCount: g.newCount };
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
