// The compact in-memory index of a result: one entry per stored event, in arrival order, kept in
// typed-array columns so a million events cost a few tens of MB instead of a million JS objects.
// Strings (kinds, items, recipients, links) are interned in tables; columns hold their codes.

import { eventItemId, eventKind, eventLink, eventRecipient, type Np6Event } from '../np6/events';

/** Read-only view of the index the timeline, counts and filters use. Code -1 means "none". */
export interface EventIndex {
  readonly length: number;
  /** Epoch ms; NaN when the event had no numeric timestamp. */
  timestamp(i: number): number;
  /** Code into `kinds` ('execution', 'hit:open', ...). */
  kindCode(i: number): number;
  itemCode(i: number): number;
  recipientCode(i: number): number;
  linkCode(i: number): number;
  readonly kinds: readonly string[];
  readonly items: readonly string[];
  readonly recipients: readonly string[];
  readonly links: readonly string[];
}

/** Strings seen once each, numbered in order of first appearance. */
class StringTable {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();

  /** The code of `s` (-1 for undefined), adding it when new. */
  intern(s: string | undefined): number {
    if (s === undefined) return -1;
    let code = this.codes.get(s);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(s);
      this.codes.set(s, code);
    }
    return code;
  }
}

const INITIAL_CAPACITY = 1024;

function grown<T extends Float64Array | Uint32Array | Int32Array>(a: T, capacity: number): T {
  const next = new (a.constructor as new (n: number) => T)(capacity);
  next.set(a);
  return next;
}

/** A link's key in the links table: the destination URL, else its label, else its type. */
export function linkKey(e: Np6Event): string | undefined {
  const l = eventLink(e);
  return l ? (l.destination ?? l.label ?? l.source ?? l.type) : undefined;
}

/**
 * The growable index behind a result store. Codes are stored +1 in unsigned columns so that 0
 * means "none" without signed arrays; byte offsets are Float64 because files can pass 4 GB.
 */
export class IndexBuilder implements EventIndex {
  private n = 0;
  private capacity = INITIAL_CAPACITY;
  private ts = new Float64Array(INITIAL_CAPACITY);
  private kind = new Uint32Array(INITIAL_CAPACITY);
  private item = new Uint32Array(INITIAL_CAPACITY);
  private recipient = new Uint32Array(INITIAL_CAPACITY);
  private link = new Uint32Array(INITIAL_CAPACITY);
  private offsets = new Float64Array(INITIAL_CAPACITY);
  private lengths = new Uint32Array(INITIAL_CAPACITY);
  private readonly kindTable = new StringTable();
  private readonly itemTable = new StringTable();
  private readonly recipientTable = new StringTable();
  private readonly linkTable = new StringTable();

  get length(): number {
    return this.n;
  }
  get kinds(): readonly string[] {
    return this.kindTable.values;
  }
  get items(): readonly string[] {
    return this.itemTable.values;
  }
  get recipients(): readonly string[] {
    return this.recipientTable.values;
  }
  get links(): readonly string[] {
    return this.linkTable.values;
  }

  timestamp(i: number): number {
    return this.ts[this.check(i)]!;
  }
  kindCode(i: number): number {
    return this.kind[this.check(i)]! - 1;
  }
  itemCode(i: number): number {
    return this.item[this.check(i)]! - 1;
  }
  recipientCode(i: number): number {
    return this.recipient[this.check(i)]! - 1;
  }
  linkCode(i: number): number {
    return this.link[this.check(i)]! - 1;
  }
  /** Byte offset of the event's line in events.ndjson. */
  offset(i: number): number {
    return this.offsets[this.check(i)]!;
  }
  /** Byte length of the event's JSON text (without the newline). */
  byteLength(i: number): number {
    return this.lengths[this.check(i)]!;
  }

  /** Adds one event stored at [offset, offset + byteLength) and returns its index. */
  add(e: Np6Event, offset: number, byteLength: number): number {
    if (this.n === this.capacity) this.grow();
    const i = this.n;
    const ts = (e as { timestamp?: unknown }).timestamp;
    this.ts[i] = typeof ts === 'number' && Number.isFinite(ts) ? ts : NaN;
    const type = (e as { type?: unknown }).type;
    this.kind[i] = this.kindTable.intern(typeof type === 'string' ? eventKind(e) : '(no type)') + 1;
    this.item[i] = this.itemTable.intern(eventItemId(e)) + 1;
    this.recipient[i] = this.recipientTable.intern(eventRecipient(e)) + 1;
    this.link[i] = this.linkTable.intern(linkKey(e)) + 1;
    this.offsets[i] = offset;
    this.lengths[i] = byteLength;
    this.n = i + 1;
    return i;
  }

  /**
   * Indexes of the events in timestamp order (stable: ties keep arrival order; events without a
   * timestamp come last). Skips the sort when arrival order already is time order (windows are
   * fetched in ascending order, so it usually is).
   */
  timeOrder(): Uint32Array {
    const n = this.n;
    const order = new Uint32Array(n);
    let sorted = true;
    for (let i = 0; i < n; i++) {
      order[i] = i;
      if (i > 0 && sorted && !(this.ts[i - 1]! <= this.ts[i]!)) {
        // NaN followed by NaN keeps order; anything else out of place needs the sort.
        if (!(Number.isNaN(this.ts[i - 1]) && Number.isNaN(this.ts[i]))) sorted = false;
      }
    }
    if (sorted) return order;
    const ts = this.ts;
    order.sort((a, b) => {
      const ta = ts[a]!;
      const tb = ts[b]!;
      const na = Number.isNaN(ta);
      const nb = Number.isNaN(tb);
      if (na || nb) return na === nb ? a - b : na ? 1 : -1;
      return ta - tb || a - b;
    });
    return order;
  }

  private check(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.n) {
      throw new RangeError(`Event index ${i} is out of range (0..${this.n - 1}).`);
    }
    return i;
  }

  private grow(): void {
    const c = this.capacity * 2;
    this.ts = grown(this.ts, c);
    this.kind = grown(this.kind, c);
    this.item = grown(this.item, c);
    this.recipient = grown(this.recipient, c);
    this.link = grown(this.link, c);
    this.offsets = grown(this.offsets, c);
    this.lengths = grown(this.lengths, c);
    this.capacity = c;
  }
}
