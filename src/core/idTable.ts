// De-duplication of events by id without a million strings in memory: an open-addressing hash
// table on typed arrays holding a 64-bit hash (two 32-bit halves) and the index of the event that
// owns it. A hash match is confirmed by comparing the real keys (the caller reads the stored
// event back), so a collision can never drop an event. About 24 bytes per event at worst.

/** Two independent 32-bit hashes of a string (FNV-1a and a Murmur-style mix). */
export function hash64(s: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0xc2b2ae35);
  h2 ^= h2 >>> 16;
  return [h1 >>> 0, h2 >>> 0];
}

export class IdTable {
  private mask: number;
  private hi: Uint32Array;
  private lo: Uint32Array;
  /** Event index + 1; 0 = empty slot. */
  private owner: Uint32Array;
  private size = 0;
  private lastKey: string | undefined;
  private lastHash: [number, number] = [0, 0];

  constructor(initialSlots = 4096) {
    let slots = 16;
    while (slots < initialSlots) slots *= 2;
    this.mask = slots - 1;
    this.hi = new Uint32Array(slots);
    this.lo = new Uint32Array(slots);
    this.owner = new Uint32Array(slots);
  }

  get count(): number {
    return this.size;
  }

  /**
   * Adds `key` for event `index` unless an equal key is stored. `keyOf(j)` returns the key of a
   * stored event j; it is called only on a full 64-bit hash match. Returns false for a duplicate.
   */
  add(key: string, index: number, keyOf: (j: number) => string): boolean {
    const r = this.check(key, keyOf);
    if (r === 'duplicate') return false;
    this.insert(key, index);
    return true;
  }

  /**
   * Whether `key` is stored, without adding it. `keyOf(j)` may answer undefined when the key of
   * event j is not at hand synchronously (its line is on disk): the events whose full 64-bit hash
   * matches and whose key is unknown are returned, for the caller to compare asynchronously.
   */
  check(key: string, keyOf: (j: number) => string | undefined): 'new' | 'duplicate' | number[] {
    const [h1, h2] = this.hashOf(key);
    let slot = h1 & this.mask;
    let unsure: number[] | undefined;
    for (;;) {
      const o = this.owner[slot]!;
      if (o === 0) break;
      if (this.hi[slot] === h1 && this.lo[slot] === h2) {
        const k = keyOf(o - 1);
        if (k === key) return 'duplicate';
        if (k === undefined) (unsure ??= []).push(o - 1);
      }
      slot = (slot + 1) & this.mask;
    }
    return unsure ?? 'new';
  }

  /** Adds `key` for event `index`; the caller has checked that it is not stored. */
  insert(key: string, index: number): void {
    const [h1, h2] = this.hashOf(key);
    let slot = h1 & this.mask;
    while (this.owner[slot] !== 0) slot = (slot + 1) & this.mask;
    this.hi[slot] = h1;
    this.lo[slot] = h2;
    this.owner[slot] = index + 1;
    this.size++;
    if (this.size * 2 > this.mask + 1) this.rehash();
  }

  /** The hash of `key`; `check` then `insert` of the same key (the usual pair) hash it once. */
  private hashOf(key: string): [number, number] {
    if (key !== this.lastKey) {
      this.lastKey = key;
      this.lastHash = hash64(key);
    }
    return this.lastHash;
  }

  private rehash(): void {
    const { hi, lo, owner } = this;
    const slots = (this.mask + 1) * 2;
    this.mask = slots - 1;
    this.hi = new Uint32Array(slots);
    this.lo = new Uint32Array(slots);
    this.owner = new Uint32Array(slots);
    for (let s = 0; s < owner.length; s++) {
      const o = owner[s]!;
      if (o === 0) continue;
      const h = hi[s]!;
      let slot = h & this.mask;
      while (this.owner[slot] !== 0) slot = (slot + 1) & this.mask;
      this.hi[slot] = h;
      this.lo[slot] = lo[s]!;
      this.owner[slot] = o;
    }
  }
}
