// Time ↔ pixel mapping, zoom and pan, and tick placement. Pure math shared by the webview's
// canvases and the unit tests.

/** A time window in epoch ms: `start` inclusive, `end` exclusive, end > start. */
export interface TimeWindow {
  start: number;
  end: number;
}

/** Smallest window one can zoom into: 10 ms (below that every mark is one event anyway). */
export const MIN_SPAN_MS = 10;

export function xOfTime(t: number, w: TimeWindow, width: number): number {
  return ((t - w.start) / (w.end - w.start)) * width;
}

export function timeOfX(x: number, w: TimeWindow, width: number): number {
  return w.start + (x / width) * (w.end - w.start);
}

/**
 * The window that shows the data: [min, max] widened by 2 % on each side (so the first and last
 * marks are not on the border), and at least MIN_SPAN_MS wide. An empty table gives the last hour.
 */
export function dataExtent(min: number, max: number, now = Date.now()): TimeWindow {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) {
    return { start: now - 3_600_000, end: now };
  }
  const span = max - min;
  const pad = Math.max(span * 0.02, MIN_SPAN_MS / 2, 1);
  return { start: Math.floor(min - pad), end: Math.ceil(max + pad + 1) };
}

/** Keeps `w` inside `limits` (shifting it first, shrinking only if it is wider than the limits). */
export function clampWindow(w: TimeWindow, limits: TimeWindow, minSpan = MIN_SPAN_MS): TimeWindow {
  const limitSpan = limits.end - limits.start;
  let span = Math.max(w.end - w.start, Math.min(minSpan, limitSpan));
  if (span >= limitSpan) return { start: limits.start, end: limits.end };
  let start = w.start;
  if (start < limits.start) start = limits.start;
  if (start + span > limits.end) start = limits.end - span;
  span = Math.max(span, 0);
  return { start, end: start + span };
}

/**
 * Zooms around `anchor` (a time that stays at the same pixel): factor < 1 zooms in, > 1 out.
 * The result stays within `limits`.
 */
export function zoomAround(
  w: TimeWindow,
  anchor: number,
  factor: number,
  limits: TimeWindow,
  minSpan = MIN_SPAN_MS,
): TimeWindow {
  const span = w.end - w.start;
  const newSpan = Math.max(minSpan, span * factor);
  const ratio = span > 0 ? (anchor - w.start) / span : 0.5;
  const start = anchor - ratio * newSpan;
  return clampWindow({ start, end: start + newSpan }, limits, minSpan);
}

/** Moves the window by `deltaMs` (positive = later), clamped to `limits` without changing its span. */
export function panBy(w: TimeWindow, deltaMs: number, limits: TimeWindow): TimeWindow {
  return clampWindow({ start: w.start + deltaMs, end: w.end + deltaMs }, limits);
}

/** The window a brush drag from x0 to x1 (either order) selects on an axis showing `w`. */
export function brushWindow(
  x0: number,
  x1: number,
  w: TimeWindow,
  width: number,
  limits: TimeWindow,
): TimeWindow {
  const a = timeOfX(Math.min(x0, x1), w, width);
  const b = timeOfX(Math.max(x0, x1), w, width);
  return clampWindow({ start: a, end: Math.max(b, a + MIN_SPAN_MS) }, limits);
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Candidate tick steps, smallest first. */
export const TICK_STEPS = [
  1,
  2,
  5,
  10,
  20,
  50,
  100,
  200,
  500,
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
  90 * DAY,
  365 * DAY,
];

/**
 * Tick times for `w`, at most `maxTicks`, on round values of the display zone: `offsetMs` is the
 * zone's offset from UTC in ms (0 for UTC; webview/time.ts `zoneOffset` for the display zone), so that
 * hour and day ticks fall on the zone's hours and midnights.
 */
export function ticks(w: TimeWindow, maxTicks: number, offsetMs = 0): { step: number; times: number[] } {
  const span = w.end - w.start;
  const step = TICK_STEPS.find((s) => span / s <= Math.max(1, maxTicks)) ?? 365 * DAY;
  const first = Math.ceil((w.start + offsetMs) / step) * step - offsetMs;
  const times: number[] = [];
  for (let t = first; t < w.end && times.length <= maxTicks; t += step) times.push(t);
  return { step, times };
}
