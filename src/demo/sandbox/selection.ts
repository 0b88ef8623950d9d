// Which events a request gets, in which order, as JSON text — without ever holding event objects.
//
// Sorted: one pass over the units that can hold events in the range collects compact
// (timestamp, unit*64+ordinal) pairs in typed arrays (16 bytes per event with the permutation),
// sorts them, then regenerates each event when it is written.
// Unsorted: units are visited block by block in an order that changes with every request (the
// documentation warns that two identical requests may not return the same order), streaming
// directly with no collection at all.

import { MAX_UNIT_EVENTS, renderEvent, UnitEvents, type CampaignModel } from './generator';
import { hash32 } from './random';
import { isAllowed, itemSelected, type RangeAndSort } from './filters';

const BLOCK_UNITS = 256;

/** JSON text of every selected event, in the order the server sends them. */
export function* eventTexts(
  m: CampaignModel,
  table: Uint8Array,
  q: RangeAndSort,
  requestNumber: number,
): Generator<string> {
  if (q.sort === 'none') yield* unsorted(m, table, q, requestNumber);
  else yield* sorted(m, table, q);
}

function inRange(t: number, q: RangeAndSort): boolean {
  return (q.start === undefined || t >= q.start) && (q.end === undefined || t < q.end);
}

function* unsorted(
  m: CampaignModel,
  table: Uint8Array,
  q: RangeAndSort,
  requestNumber: number,
): Generator<string> {
  const [first, last] = m.unitRange(q.start, q.end);
  // At least ~16 blocks, so that even a small campaign is shuffled.
  const blockUnits = Math.min(BLOCK_UNITS, Math.max(1, Math.ceil((last - first) / 16)));
  const blocks = Math.ceil((last - first) / blockUnits);
  if (blocks <= 0) return;
  // Block b is visited at position (a*i + c) mod blocks: a permutation when gcd(a, blocks) = 1.
  // c and the direction inside blocks move with the request number, so consecutive requests differ.
  const h = hash32(m.key, requestNumber, 0x5e);
  let a = 1 + (h % Math.max(1, blocks - 1));
  while (gcd(a, blocks) !== 1) a++;
  const c = (h + requestNumber) % blocks;
  const reverseInside = (((h >>> 1) + requestNumber) & 1) === 1;
  const ev = new UnitEvents();
  for (let i = 0; i < blocks; i++) {
    const b = (a * i + c) % blocks;
    const lo = first + b * blockUnits;
    const hi = Math.min(last, lo + blockUnits);
    for (let n = 0; n < hi - lo; n++) {
      const u = reverseInside ? hi - 1 - n : lo + n;
      const item = m.itemOf(u);
      if (!itemSelected(table, item) || !m.mayReach(u, q.start)) continue;
      ev.fill(m, u);
      for (let j = 0; j < ev.count; j++) {
        if (inRange(ev.ts[j]!, q) && isAllowed(table, item, ev.kind[j]!, ev.sub[j]!)) {
          yield renderEvent(m, ev, j);
        }
      }
    }
  }
}

function gcd(x: number, y: number): number {
  while (y) [x, y] = [y, x % y];
  return x;
}

function* sorted(m: CampaignModel, table: Uint8Array, q: RangeAndSort): Generator<string> {
  const [first, last] = m.unitRange(q.start, q.end);
  let ts = new Float64Array(1024);
  let refs = new Uint32Array(1024);
  let n = 0;
  const ev = new UnitEvents();
  for (let u = first; u < last; u++) {
    const item = m.itemOf(u);
    if (!itemSelected(table, item) || !m.mayReach(u, q.start)) continue;
    ev.fill(m, u);
    for (let j = 0; j < ev.count; j++) {
      const t = ev.ts[j]!;
      if (!inRange(t, q) || !isAllowed(table, item, ev.kind[j]!, ev.sub[j]!)) continue;
      if (n === ts.length) {
        const grownTs = new Float64Array(n * 2);
        grownTs.set(ts);
        ts = grownTs;
        const grownRefs = new Uint32Array(n * 2);
        grownRefs.set(refs);
        refs = grownRefs;
      }
      ts[n] = t;
      refs[n] = u * MAX_UNIT_EVENTS + j;
      n++;
    }
  }
  const order = sortByTime(ts, n);
  const desc = q.sort === 'desc';
  for (let i = 0; i < n; i++) {
    const ref = refs[order[desc ? n - 1 - i : i]!]!;
    const u = Math.floor(ref / MAX_UNIT_EVENTS);
    ev.fill(m, u);
    yield renderEvent(m, ev, ref - u * MAX_UNIT_EVENTS);
  }
}

/**
 * Indices 0..n-1 ordered by ts (ties keep collection order, so the result is deterministic).
 * Fast path: pack (ts - min, index) into one float64 key exactly, in place (ts is consumed), and
 * use the native numeric sort, which is far faster than a comparator.
 */
export function sortByTime(ts: Float64Array, n: number): Uint32Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = ts[i]!;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const indexBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const spanBits = Math.ceil(Math.log2(max - min + 2));
  const order = new Uint32Array(n);
  if (n > 0 && indexBits + spanBits <= 53) {
    const scale = 2 ** indexBits;
    const keys = ts.subarray(0, n);
    for (let i = 0; i < n; i++) keys[i] = (keys[i]! - min) * scale + i;
    keys.sort();
    for (let i = 0; i < n; i++) order[i] = keys[i]! % scale;
    return order;
  }
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((x, y) => ts[x]! - ts[y]! || x - y);
  return order;
}
