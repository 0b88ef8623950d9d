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

/** One open-addressing table: a 64-bit hash in two halves and the owner (event index + 1; 0 = empty). */
interface Slots {
  mask: number;
  hi: Uint32Array;
  lo: Uint32Array;
  owner: Uint32Array;
}

function emptySlots(slots: number): Slots {
  return {
    mask: slots - 1,
    hi: new Uint32Array(slots),
    lo: new Uint32Array(slots),
    owner: new Uint32Array(slots),
  };
}

/** Stores (h1, h2) for `owner` in the first free slot of its probe sequence. */
function place(t: Slots, h1: number, h2: number, owner: number): void {
  let slot = h1 & t.mask;
  while (t.owner[slot] !== 0) slot = (slot + 1) & t.mask;
  t.hi[slot] = h1;
  t.lo[slot] = h2;
  t.owner[slot] = owner;
}

/**
 * Old slots copied into the grown table per insert. Growing is incremental: copying a million
 * entries at once held the event loop 68 ms at 524,288 events in the pipeline benchmark (165 ms in
 * the workbench, on a busy machine); in steps of this size the copy is spread over the next
 * (old slots / MIGRATE_STEP) inserts, far fewer than it takes to fill the grown table again.
 */
const MIGRATE_STEP = 4096;

export class IdTable {
  /** Where inserts go. */
  private table: Slots;
  /**
   * While growing: the previous table, left unchanged (so its probe sequences stay valid) until
   * every slot below `migrated` has been copied into `table`; lookups search both meanwhile.
   */
  private old: Slots | undefined;
  private migrated = 0;
  private size = 0;
  private lastKey: string | undefined;
  private lastHash: [number, number] = [0, 0];

  constructor(initialSlots = 4096) {
    let slots = 16;
    while (slots < initialSlots) slots *= 2;
    this.table = emptySlots(slots);
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
    let unsure = this.probe(this.table, h1, h2, key, keyOf, undefined);
    if (unsure !== 'duplicate' && this.old) unsure = this.probe(this.old, h1, h2, key, keyOf, unsure);
    return unsure ?? 'new';
  }

  /** Looks for `key` in one table; `unsure` gathers the events to compare asynchronously. */
  private probe(
    t: Slots,
    h1: number,
    h2: number,
    key: string,
    keyOf: (j: number) => string | undefined,
    unsure: number[] | undefined,
  ): number[] | 'duplicate' | undefined {
    let slot = h1 & t.mask;
    for (;;) {
      const o = t.owner[slot]!;
      if (o === 0) return unsure;
      // An entry already copied from the old table is met twice: ask about it once.
      if (t.hi[slot] === h1 && t.lo[slot] === h2 && !unsure?.includes(o - 1)) {
        const k = keyOf(o - 1);
        if (k === key) return 'duplicate';
        if (k === undefined) (unsure ??= []).push(o - 1);
      }
      slot = (slot + 1) & t.mask;
    }
  }

  /** Adds `key` for event `index`; the caller has checked that it is not stored. */
  insert(key: string, index: number): void {
    const [h1, h2] = this.hashOf(key);
    place(this.table, h1, h2, index + 1);
    this.size++;
    if (this.old) this.migrate(MIGRATE_STEP);
    if (this.size * 2 > this.table.mask + 1) this.grow();
  }

  /** The hash of `key`; `check` then `insert` of the same key (the usual pair) hash it once. */
  private hashOf(key: string): [number, number] {
    if (key !== this.lastKey) {
      this.lastKey = key;
      this.lastHash = hash64(key);
    }
    return this.lastHash;
  }

  /** Starts copying into a table twice as large; the copy goes on a step per insert. */
  private grow(): void {
    // A growth still under way finishes first (not reached in practice: see MIGRATE_STEP).
    if (this.old) this.migrate(Infinity);
    this.old = this.table;
    this.migrated = 0;
    this.table = emptySlots((this.table.mask + 1) * 2);
    this.migrate(MIGRATE_STEP);
  }

  /** Copies up to `n` more slots of the old table into the current one. */
  private migrate(n: number): void {
    const old = this.old;
    if (!old) return;
    const end = Math.min(old.mask + 1, this.migrated + n);
    for (let s = this.migrated; s < end; s++) {
      const o = old.owner[s]!;
      if (o !== 0) place(this.table, old.hi[s]!, old.lo[s]!, o);
    }
    this.migrated = end;
    if (end === old.mask + 1) this.old = undefined;
  }
}
