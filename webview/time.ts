// Times in the display zone chosen in the header (local or UTC).

export type DisplayZone = 'local' | 'UTC';

const formatters = new Map<DisplayZone, Intl.DateTimeFormat>();

function formatter(zone: DisplayZone): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone === 'UTC' ? 'UTC' : undefined,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  return f;
}

function parts(ms: number, zone: DisplayZone): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(ms)) out[p.type] = p.value;
  return out;
}

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * "2024-05-01 09:12:03.250" in the zone. Date's own getters, not Intl: the list formats dozens of
 * times per frame while zooming, and formatToParts costs ~20 µs a call.
 */
export function formatTime(ms: number, zone: DisplayZone): string {
  if (!Number.isFinite(ms)) return '—';
  const d = new Date(ms);
  const utc = zone === 'UTC';
  const y = utc ? d.getUTCFullYear() : d.getFullYear();
  const mo = (utc ? d.getUTCMonth() : d.getMonth()) + 1;
  const day = utc ? d.getUTCDate() : d.getDate();
  const h = utc ? d.getUTCHours() : d.getHours();
  const mi = utc ? d.getUTCMinutes() : d.getMinutes();
  const sec = utc ? d.getUTCSeconds() : d.getSeconds();
  const frac = String(d.getUTCMilliseconds()).padStart(3, '0');
  return `${y}-${two(mo)}-${two(day)} ${two(h)}:${two(mi)}:${two(sec)}.${frac}`;
}

/** A short axis label for a tick, precise enough for the tick step. */
export function formatTick(ms: number, step: number, zone: DisplayZone): string {
  const p = parts(ms, zone);
  if (step >= 86_400_000) return `${p.year}-${p.month}-${p.day}`;
  if (step >= 60_000) return `${p.month}-${p.day} ${p.hour}:${p.minute}`;
  if (step >= 1000) return `${p.hour}:${p.minute}:${p.second}`;
  return `${p.minute}:${p.second}.${String(((ms % 1000) + 1000) % 1000).padStart(3, '0')}`;
}

/** Offset of the zone from UTC at `ms`, for tick alignment. */
export function zoneOffset(ms: number, zone: DisplayZone): number {
  return zone === 'UTC' ? 0 : -new Date(ms).getTimezoneOffset() * 60_000;
}

export function zoneLabel(zone: DisplayZone): string {
  return zone === 'UTC' ? 'UTC' : 'local time';
}
