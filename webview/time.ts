// Times in the display zone: an IANA name sent by the host (np6.timeZone resolved there), or UTC
// when the user switches. Never the browser's own zone: under a remote extension host it is not
// the zone the query picker and the exports use.

import { isKnownZone } from '../src/shared/timeline/displayZone';

/** The header's switch: the host's display zone, or UTC. */
export type DisplayZone = 'local' | 'UTC';

const known = new Map<string, boolean>();

/** The zone name to format in; an unknown name (a bad message) falls back to UTC. */
export function zoneName(choice: DisplayZone, hostZone: string): string {
  if (choice === 'UTC') return 'UTC';
  // Asked on every draw: check each name with Intl once.
  let ok = known.get(hostZone);
  if (ok === undefined) known.set(hostZone, (ok = isKnownZone(hostZone)));
  return ok ? hostZone : 'UTC';
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
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

function parts(ms: number, zone: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(ms)) out[p.type] = p.value;
  return out;
}

/** Zone offsets change only on quarter hours: one Intl call per quarter hour, then a map lookup. */
const QUARTER = 900_000;
const offsets = new Map<string, number>();

/** Offset of the zone from UTC at `ms` (ms to add to UTC to get the wall-clock time). */
export function zoneOffset(ms: number, zone: string): number {
  if (zone === 'UTC' || !Number.isFinite(ms)) return 0;
  const q = Math.floor(ms / QUARTER);
  const key = `${zone}|${q}`;
  let off = offsets.get(key);
  if (off === undefined) {
    const at = q * QUARTER;
    const p = parts(at, zone);
    const wall = Date.UTC(
      Number(p.year),
      Number(p.month) - 1,
      Number(p.day),
      Number(p.hour),
      Number(p.minute),
      Number(p.second),
    );
    off = wall - at;
    if (offsets.size > 50_000) offsets.clear();
    offsets.set(key, off);
  }
  return off;
}

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * "2024-05-01 09:12:03.250" in the zone. UTC getters on the shifted time, not Intl: the list
 * formats dozens of times per frame while zooming, and formatToParts costs ~20 µs a call.
 */
export function formatTime(ms: number, zone: string): string {
  if (!Number.isFinite(ms)) return '—';
  const d = new Date(ms + zoneOffset(ms, zone));
  const frac = String(d.getUTCMilliseconds()).padStart(3, '0');
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${frac}`;
}

/** A short axis label for a tick, precise enough for the tick step. */
export function formatTick(ms: number, step: number, zone: string): string {
  const p = parts(ms, zone);
  if (step >= 86_400_000) return `${p.year}-${p.month}-${p.day}`;
  if (step >= 60_000) return `${p.month}-${p.day} ${p.hour}:${p.minute}`;
  if (step >= 1000) return `${p.hour}:${p.minute}:${p.second}`;
  return `${p.minute}:${p.second}.${String(((ms % 1000) + 1000) % 1000).padStart(3, '0')}`;
}
