// NP6's own classification of a hit, read from the event as it arrives (the result's index keeps
// it, one byte an event), so that it wins over the heuristics whenever NP6 gives one. Only the
// shipped data file says which values mean what: a setting cannot relabel NP6's verdicts.

import type { Np6Event } from '../../np6/events';
import { CLASS_HUMAN, CLASS_ROBOT, hitClassCode } from './hitClass';
import shipped from './rules.json';

/** NP6 classification value (lower case) → class code, from rules.json. */
export const SHIPPED_NP6_VALUES: ReadonlyMap<string, number> = new Map(
  Object.entries(shipped.np6Classification.values).map(([k, v]) => [k, hitClassCode(v)]),
);

function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/**
 * NP6's own classification of a hit. The reference documents a `classification` filter
 * (genericrobot, mpp, gsr) but no field on the event; this reads the plausible places tolerantly:
 * a `classification` (string or list) on the event, its detail or its client, and boolean
 * `robot` / `isBot` flags. Undefined when none is there.
 */
export function np6ClassOf(
  e: Np6Event,
  np6Values: ReadonlyMap<string, number> = SHIPPED_NP6_VALUES,
): number | undefined {
  const detail = obj(obj(e.source)?.detail);
  const client = obj(detail?.client);
  for (const holder of [e as Record<string, unknown>, detail, client]) {
    if (!holder) continue;
    const c = holder.classification ?? holder.classifications;
    const values = typeof c === 'string' ? c.split(',') : Array.isArray(c) ? c : [];
    for (const v of values) {
      if (typeof v !== 'string') continue;
      const code = np6Values.get(v.trim().toLowerCase());
      if (code !== undefined) return code;
    }
    for (const flag of ['robot', 'isBot', 'isRobot', 'bot']) {
      const b = holder[flag];
      if (b === true) return CLASS_ROBOT;
      if (b === false) return CLASS_HUMAN;
    }
  }
  return undefined;
}

/**
 * An IPv4 address in dotted form as an unsigned 32-bit number; 0 when it is not one (four parts
 * of one to three digits, each at most 255). Read by character codes: it runs for every hit.
 */
export function ipv4Number(text: string): number {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return 0;
    } else if (c === 46 && digits > 0 && dots < 3) {
      n = n * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else return 0;
  }
  return dots === 3 && digits > 0 ? n * 256 + part : 0;
}
