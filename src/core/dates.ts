// Dates as people type and read them in the query prompts, in a chosen display time zone.
//
// Unlike parseInstant (src/np6/query.ts), which reads a date-time without offset as UTC (the API's
// zone), parseDateInput reads it in the DISPLAY zone: someone typing "2024-05-01 09:00" in Paris
// means nine o'clock in Paris. Zone arithmetic goes through Intl.DateTimeFormat only, so daylight
// saving changes follow the platform's tz database.

/** 'local' (the machine's zone), 'UTC', or an IANA name like 'Europe/Paris'. */
export type DisplayTimeZone = string;

export type DateParse = { ms: number } | { error: string };

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UNIT_MS: Record<string, number> = { s: SECOND, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY };

const ACCEPTED =
  'use ISO 8601 (2024-05-01, 2024-05-01T09:00, 2024-05-01T09:00:00Z, 2024-05-01T09:00+02:00), epoch milliseconds, "now", or an offset from now like -2h, -7d, -30m, +1d (units s, m, h, d, w)';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const RELATIVE = /^([+-])\s*(\d+(?:\.\d+)?)\s*([smhdw])$/i;
const DURATION = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i;

/** Checks a zone name; returns an error message for unknown zones. */
export function checkTimeZone(timeZone: DisplayTimeZone): string | undefined {
  if (timeZone === 'local') return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return undefined;
  } catch {
    return `Unknown time zone "${timeZone}": use "local", "UTC" or an IANA name like "Europe/Paris".`;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(timeZone: DisplayTimeZone): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timeZone === 'local' ? undefined : timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/** The wall-clock time in `timeZone` at instant `ms`. */
export function wallTime(ms: number, timeZone: DisplayTimeZone): WallTime {
  const get: Record<string, number> = {};
  for (const p of partsFormatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') get[p.type] = Number(p.value);
  }
  return {
    year: get.year ?? 1970,
    month: get.month ?? 1,
    day: get.day ?? 1,
    hour: (get.hour ?? 0) % 24,
    minute: get.minute ?? 0,
    second: get.second ?? 0,
    ms: ((ms % SECOND) + SECOND) % SECOND,
  };
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (Paris in summer: +7 200 000). */
export function zoneOffsetMs(ms: number, timeZone: DisplayTimeZone): number {
  const w = wallTime(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.ms);
  return asUtc - ms;
}

/**
 * The instant at which the wall clock in `timeZone` shows the given time. Like Temporal's
 * "compatible" disambiguation: a time skipped by a spring-forward gap is moved later by the gap
 * (02:30 in Paris on the last Sunday of March is 03:30 CEST); a time repeated by the autumn change
 * is the first (summer-time) occurrence.
 */
export function wallToInstant(w: WallTime, timeZone: DisplayTimeZone): number {
  const guess = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.ms);
  const before = zoneOffsetMs(guess - DAY, timeZone);
  const after = zoneOffsetMs(guess + DAY, timeZone);
  const candidates = [guess - before, guess - after].filter(
    (t, i) => zoneOffsetMs(t, timeZone) === (i === 0 ? before : after),
  );
  if (candidates.length > 0) return Math.min(...candidates);
  return guess - before; // in the gap: read with the offset in force before it, i.e. later
}

function validWall(w: WallTime): boolean {
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.hour > 23 || w.minute > 59 || w.second > 59) return false;
  const daysInMonth = new Date(Date.UTC(w.year, w.month, 0)).getUTCDate();
  return w.day <= daysInMonth;
}

/**
 * Parses what a user typed for a start or end date. `now` is the reference for "now" and relative
 * offsets (-2h = two hours before now; d means 24 hours, not a calendar day).
 */
export function parseDateInput(text: string, now: number, timeZone: DisplayTimeZone): DateParse {
  const zoneError = checkTimeZone(timeZone);
  if (zoneError) return { error: zoneError };
  const s = text.trim();
  if (s === '') return { error: `No date given: ${ACCEPTED}.` };
  if (/^now$/i.test(s)) return { ms: now };
  const rel = RELATIVE.exec(s);
  if (rel) {
    const amount = Number(rel[2]) * (UNIT_MS[(rel[3] ?? '').toLowerCase()] ?? NaN);
    const ms = Math.round(rel[1] === '-' ? now - amount : now + amount);
    return Number.isFinite(ms) && ms >= 0
      ? { ms }
      : { error: `"${s}" is before 1970: choose a smaller offset.` };
  }
  if (/^\d{4}$/.test(s)) {
    return { error: `"${s}" looks like a year, not a date: write ${s}-01-01 (or ${ACCEPTED}).` };
  }
  if (/^\d{1,16}$/.test(s)) return { ms: Number(s) };
  const d = DATE_ONLY.exec(s);
  const dt = d ? undefined : DATE_TIME.exec(s);
  const m = d ?? dt;
  if (m) {
    const fraction = dt?.[7] ?? '';
    const w: WallTime = {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: Number(dt?.[4] ?? 0),
      minute: Number(dt?.[5] ?? 0),
      second: Number(dt?.[6] ?? 0),
      ms: fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0,
    };
    if (!validWall(w)) {
      return { error: `"${s}" is not a real date or time (check month, day, hours and minutes).` };
    }
    const offset = dt?.[8];
    if (offset === undefined) return { ms: wallToInstant(w, timeZone) };
    const utc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.ms);
    if (/^z$/i.test(offset)) return { ms: utc };
    const om = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset);
    const oh = Number(om?.[2] ?? 99);
    const omin = Number(om?.[3] ?? 0);
    if (!om || oh > 23 || omin > 59) {
      return { error: `"${s}" has an invalid UTC offset "${offset}": use Z or ±HH:MM.` };
    }
    const sign = om[1] === '-' ? -1 : 1;
    return { ms: utc - sign * (oh * HOUR + omin * MINUTE) };
  }
  return { error: `"${s}" is not a date: ${ACCEPTED}.` };
}

/** Parses a window length like 15m, 1h, 1d, 90s, 1w into ms. */
export function parseDuration(text: string): { ms: number } | { error: string } {
  const m = DURATION.exec(text.trim());
  const ms = m ? Math.round(Number(m[1]) * (UNIT_MS[(m[2] ?? '').toLowerCase()] ?? NaN)) : NaN;
  if (!Number.isFinite(ms) || ms < SECOND) {
    return {
      error: `"${text}" is not a duration: use a number and a unit, like 15m, 1h, 6h, 1d (units s, m, h, d, w).`,
    };
  }
  return { ms };
}

export interface DateRange {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
}

export interface DatePreset {
  id: 'lastHour' | 'last24Hours' | 'today' | 'yesterday' | 'last7Days' | 'last30Days';
  label: string;
  range(now: number, timeZone: DisplayTimeZone): DateRange;
}

/** Midnight starting the calendar day that is `dayDelta` days from the one holding `ms`, in `timeZone`. */
export function startOfDay(ms: number, timeZone: DisplayTimeZone, dayDelta = 0): number {
  const w = wallTime(ms, timeZone);
  // Date.UTC normalises day overflow (day 0, day 32) into the right month and year.
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + dayDelta));
  return wallToInstant(
    {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: 0,
      minute: 0,
      second: 0,
      ms: 0,
    },
    timeZone,
  );
}

/** Rolling presets end at `now`; today and yesterday are whole calendar days in the display zone. */
export const DATE_PRESETS: readonly DatePreset[] = [
  { id: 'lastHour', label: 'Last hour', range: (now) => ({ start: now - HOUR, end: now }) },
  { id: 'last24Hours', label: 'Last 24 hours', range: (now) => ({ start: now - DAY, end: now }) },
  {
    id: 'today',
    label: 'Today',
    range: (now, tz) => ({ start: startOfDay(now, tz), end: startOfDay(now, tz, 1) }),
  },
  {
    id: 'yesterday',
    label: 'Yesterday',
    range: (now, tz) => ({ start: startOfDay(now, tz, -1), end: startOfDay(now, tz) }),
  },
  { id: 'last7Days', label: 'Last 7 days', range: (now) => ({ start: now - 7 * DAY, end: now }) },
  { id: 'last30Days', label: 'Last 30 days', range: (now) => ({ start: now - 30 * DAY, end: now }) },
];

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const abs = Math.abs(Math.round(offsetMs / MINUTE));
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * "2024-03-31 03:30:00 +02:00" in the display zone ("… UTC" for UTC); milliseconds are shown only
 * when not zero. The numeric offset makes DST explicit and the text unambiguous.
 */
export function formatInstant(ms: number, timeZone: DisplayTimeZone): string {
  const w = wallTime(ms, timeZone);
  const frac = w.ms ? `.${pad(w.ms, 3)}` : '';
  const text = `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${frac}`;
  if (timeZone === 'UTC') return `${text} UTC`;
  return `${text} ${formatOffset(zoneOffsetMs(ms, timeZone))}`;
}

function formatLength(ms: number): string {
  if (ms % DAY === 0) return `${ms / DAY} d`;
  if (ms % HOUR === 0) return `${ms / HOUR} h`;
  if (ms % MINUTE === 0) return `${ms / MINUTE} min`;
  return `${(ms / SECOND).toFixed(ms % SECOND ? 3 : 0)} s`;
}

/** "2024-03-31 00:00:00 +01:00 → 2024-04-01 00:00:00 +02:00 (23 h)"; "…" for an open bound. */
export function describeRange(
  start: number | undefined,
  end: number | undefined,
  timeZone: DisplayTimeZone,
): string {
  const from = start === undefined ? '…' : formatInstant(start, timeZone);
  const to = end === undefined ? '…' : formatInstant(end, timeZone);
  const length =
    start !== undefined && end !== undefined && end > start ? ` (${formatLength(end - start)})` : '';
  return `${from} → ${to}${length}`;
}
