// The class of each row of a CSV export, in the order the rows are written. A result store hands
// its records over in time order (stable: ties keep arrival order; events without a timestamp
// last), optionally only those of a bitmap, and the records do not carry their arrival index; this
// is that same order over the index's timestamps, a total order, so the two sequences line up.

import { NOT_A_HIT } from './hitClass';

export interface TimestampColumn {
  readonly length: number;
  timestamp(i: number): number;
}

/**
 * `classes[i]` (per arrival index) for each event exported, in export order: every event of
 * `index`, or those whose arrival index is in `only` (each once, as a bitmap selects them).
 */
export function classesInExportOrder(
  classes: Uint8Array,
  index: TimestampColumn,
  only?: readonly number[],
): Uint8Array {
  const n = index.length;
  let order: Uint32Array;
  if (only) {
    const seen = new Uint8Array(n);
    const picked: number[] = [];
    for (const i of only) {
      if (i >= 0 && i < n && seen[i] === 0) {
        seen[i] = 1;
        picked.push(i);
      }
    }
    order = Uint32Array.from(picked);
  } else {
    order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
  }
  const ts = new Float64Array(n);
  for (let i = 0; i < n; i++) ts[i] = index.timestamp(i);
  order.sort((a, b) => {
    const ta = ts[a]!;
    const tb = ts[b]!;
    const na = Number.isNaN(ta);
    const nb = Number.isNaN(tb);
    if (na || nb) return na === nb ? a - b : na ? 1 : -1;
    return ta - tb || a - b;
  });
  const out = new Uint8Array(order.length);
  for (let k = 0; k < order.length; k++) out[k] = classes[order[k]!] ?? NOT_A_HIT;
  return out;
}
