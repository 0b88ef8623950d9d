// Export of the visible set: the webview sends the arrival indices it shows; the host streams the
// store's records in arrival order and keeps those, with a bitmap (1 bit per event) rather than a
// Set, so a million selected events cost 125 kB.

/** A membership bitmap of arrival indices. */
export function indexBitmap(indices: ArrayLike<number>, size: number): Uint8Array {
  const bits = new Uint8Array(Math.ceil(size / 8));
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    if (i >= 0 && i < size) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
  }
  return bits;
}

/** Yields the items of `records` (arrival order) whose position is in `indices`. */
export async function* selectByArrivalIndex<T>(
  records: AsyncIterable<T>,
  indices: ArrayLike<number>,
  size: number,
): AsyncGenerator<T> {
  const bits = indexBitmap(indices, size);
  let i = 0;
  for await (const r of records) {
    if (i < size && ((bits[i >> 3] as number) & (1 << (i & 7))) !== 0) yield r;
    i++;
  }
}
