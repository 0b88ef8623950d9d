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

/** "2024-05-01 09:12:03.250" in the zone. */
export function formatTime(ms: number, zone: DisplayZone): string {
  if (!Number.isFinite(ms)) return '—';
  const p = parts(ms, zone);
  const frac = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}.${frac}`;
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
