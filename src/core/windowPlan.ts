// How a query's time range is cut into windows fetched one after another (windowedFetch.ts).
//
// NP6 has no paging: the only way to bound one response is a [start, end) time window. Windows
// start at one day (or what the caller asks) and adapt to what the server returns: a window that
// held far fewer events than the target makes the next one wider, one that held more makes it
// narrower, and a window that reaches the hard limit while streaming is cut where it got to.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** A half-open time range [start, end) in epoch ms. */
export interface TimeWindow {
  start: number;
  end: number;
}

export interface WindowPolicy {
  /** Events a window should hold; sizes adapt towards it. */
  targetEvents: number;
  /** A window streaming more than this is cut short (the rest becomes the next window). */
  maxEvents: number;
  /** Windows are never made shorter than this (ms). */
  minWindowMs: number;
  /** Nor longer than this (ms). */
  maxWindowMs: number;
}

export const DEFAULT_WINDOW_POLICY: WindowPolicy = {
  targetEvents: 50_000,
  maxEvents: 100_000,
  minWindowMs: 1_000,
  maxWindowMs: 90 * DAY_MS,
};

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** The first window's length: what the caller asked, else one day, never longer than the range. */
export function initialWindowMs(
  range: TimeWindow,
  requested?: number,
  policy: WindowPolicy = DEFAULT_WINDOW_POLICY,
): number {
  if (requested !== undefined && (!Number.isFinite(requested) || requested <= 0)) {
    throw new RangeError(`Window length ${requested} ms is not a positive number of milliseconds.`);
  }
  const wanted = Math.round(requested ?? DAY_MS);
  return clamp(
    Math.min(wanted, range.end - range.start),
    Math.min(policy.minWindowMs, range.end - range.start),
    policy.maxWindowMs,
  );
}

/** Splits [start, end) into consecutive windows of at most `windowMs` (the last may be shorter). */
export function planWindows(start: number, end: number, windowMs: number): TimeWindow[] {
  if (!(windowMs > 0)) throw new RangeError(`Window length ${windowMs} ms must be positive.`);
  const out: TimeWindow[] = [];
  for (let s = start; s < end; s += windowMs) out.push({ start: s, end: Math.min(end, s + windowMs) });
  return out;
}

/** How many windows of `windowMs` still cover [from, to). */
export function windowsLeft(from: number, to: number, windowMs: number): number {
  return to > from ? Math.ceil((to - from) / windowMs) : 0;
}

/**
 * The next window length after a window of `lengthMs` returned `events`: wider for nearly empty
 * windows (x4 when empty, up to x4 below a quarter of the target), narrower above the target,
 * unchanged in between (so steady traffic does not make sizes oscillate).
 */
export function nextWindowMs(
  lengthMs: number,
  events: number,
  policy: WindowPolicy = DEFAULT_WINDOW_POLICY,
): number {
  let factor = 1;
  if (events === 0) factor = 4;
  else if (events < policy.targetEvents / 4) factor = Math.min(4, policy.targetEvents / 2 / events);
  else if (events > policy.targetEvents) factor = policy.targetEvents / events;
  return Math.round(clamp(lengthMs * factor, policy.minWindowMs, policy.maxWindowMs));
}

/** Halves a window; undefined when it is already at the minimum length. */
export function splitWindow(
  w: TimeWindow,
  policy: WindowPolicy = DEFAULT_WINDOW_POLICY,
): [TimeWindow, TimeWindow] | undefined {
  if (w.end - w.start < 2 * policy.minWindowMs) return undefined;
  const mid = w.start + Math.floor((w.end - w.start) / 2);
  return [
    { start: w.start, end: mid },
    { start: mid, end: w.end },
  ];
}

/** What the windows fetched so far showed: how much time they covered and how many events it held. */
export interface CoverageSoFar {
  coveredMs: number;
  events: number;
}

/**
 * How many windows will likely still be needed for `remainingMs`, erring low: before anything is
 * known, as few as the widest windows allow; then from the event rate seen so far, at the target
 * number of events a window (sizes adapt towards it). A low guess can only grow later, which is
 * what a progress total should do; a high one (one-day windows over years: "7/7502") would have
 * to shrink.
 */
export function estimateWindowsLeft(
  remainingMs: number,
  seen: CoverageSoFar,
  policy: WindowPolicy = DEFAULT_WINDOW_POLICY,
): number {
  if (!(remainingMs > 0)) return 0;
  const fewest = windowsLeft(0, remainingMs, policy.maxWindowMs);
  const most = windowsLeft(0, remainingMs, policy.minWindowMs);
  if (!(seen.coveredMs > 0)) return fewest;
  const expectedEvents = (seen.events / seen.coveredMs) * remainingMs;
  return Math.min(most, Math.max(fewest, Math.ceil(expectedEvents / policy.targetEvents)));
}

/**
 * The "of about N" of a progress line: never smaller than before, never smaller than the window
 * being fetched. Feed it each new estimate (windows done + estimated windows left).
 */
export class GrowingTotal {
  private shown = 0;

  update(estimate: number, current: number): number {
    this.shown = Math.max(this.shown, Math.ceil(estimate), current);
    return this.shown;
  }

  get value(): number {
    return this.shown;
  }
}
