// A timeline's visible set (arrival indices) as the bitmap ResultStore.records(order, only) and
// computeStats take: one bit an event, 125 KB at a million events.

export function selectionBitmap(indices: Iterable<number>, length: number): Uint8Array {
  const only = new Uint8Array(Math.ceil(length / 8));
  for (const i of indices) {
    if (Number.isInteger(i) && i >= 0 && i < length) only[i >> 3] = only[i >> 3]! | (1 << (i & 7));
  }
  return only;
}
