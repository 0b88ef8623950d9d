// The receiving side of the batches: growable columns, the string tables, and a time-sorted order
// kept up to date incrementally (each batch is sorted on its own and merged in place from the
// back), so the view after the last batch costs one O(n) merge, not an O(n log n) sort.

import { deltaValues, type EventBatch, type TableDelta, type TableName } from './batch';

type IntColumn = 'kind' | 'item' | 'recipient' | 'link' | 'client' | 'agent' | 'label';
const INT_COLUMNS: readonly IntColumn[] = ['kind', 'item', 'recipient', 'link', 'client', 'agent', 'label'];

function grow<T extends Float64Array | Int32Array | Uint32Array>(
  a: T,
  need: number,
  make: (n: number) => T,
): T {
  if (a.length >= need) return a;
  const b = make(Math.max(need, a.length * 2, 1024));
  b.set(a);
  return b;
}

export class EventTable {
  length = 0;
  ts = new Float64Array(0);
  kind = new Int32Array(0);
  item = new Int32Array(0);
  recipient = new Int32Array(0);
  link = new Int32Array(0);
  client = new Int32Array(0);
  agent = new Int32Array(0);
  label = new Int32Array(0);
  readonly tables: Record<TableName, string[]> = {
    kinds: [],
    items: [],
    recipients: [],
    links: [],
    clients: [],
    agents: [],
    labels: [],
  };
  /** Arrival indices in time order (ties keep arrival order); `sortedTs[k] = ts[order[k]]`. */
  order = new Uint32Array(0);
  sortedTs = new Float64Array(0);
  /** Bumped on every change, so views know when to recompute. */
  version = 0;
  /**
   * Bumped when rows already held change place in the time order (a batch with earlier times than
   * some held rows, or a clear). While it stays the same, appends only add positions after the
   * last one, so a view built over the first k positions can be extended by the new ones alone.
   */
  reorders = 0;
  /**
   * Events without a numeric timestamp (the store's index says NaN). They sort last, as +Infinity
   * in `sortedTs`, so no time window ever holds them; the header says how many there are.
   */
  untimed = 0;
  /**
   * The packed class of every row (hitClasses.ts), or null while they are not known: during the
   * fetch, and after rows arrived that the last classification did not cover. Never a guess.
   */
  classes: Uint8Array | null = null;

  get minTime(): number {
    return this.length > this.untimed ? (this.sortedTs[0] as number) : NaN;
  }
  get maxTime(): number {
    return this.length > this.untimed ? (this.sortedTs[this.length - 1 - this.untimed] as number) : NaN;
  }

  /** Drops everything (a refresh re-sends the data from the start). */
  clear(): void {
    this.length = 0;
    this.untimed = 0;
    this.classes = null;
    for (const t of Object.values(this.tables)) t.length = 0;
    this.version++;
    this.reorders++;
  }

  private applyDelta(name: TableName, d: TableDelta | undefined): void {
    if (!d) return;
    const t = this.tables[name];
    if (d.from > t.length) {
      throw new Error(`Table ${name}: strings from ${d.from} arrived but only ${t.length} are known.`);
    }
    const values = deltaValues(d);
    for (let j = 0; j < values.length; j++) t[d.from + j] = values[j] as string;
  }

  /**
   * Appends a batch. A batch for rows already held (a re-sent batch) is ignored; a gap is an error
   * (the host must re-send from `length`).
   */
  append(b: EventBatch): void {
    if (b.from + b.count <= this.length && b.count > 0) return;
    if (b.from !== this.length) {
      throw new Error(`Batch starts at event ${b.from} but ${this.length} are held.`);
    }
    for (const [name, d] of Object.entries(b.tables) as [TableName, TableDelta][]) this.applyDelta(name, d);
    const n = this.length + b.count;
    this.ts = grow(this.ts, n, (k) => new Float64Array(k));
    this.ts.set(b.ts.subarray(0, b.count), this.length);
    for (const c of INT_COLUMNS) {
      this[c] = grow(this[c], n, (k) => new Int32Array(k));
      this[c].set(b[c].subarray(0, b.count), this.length);
    }
    this.mergeSorted(this.length, n);
    this.length = n;
    // Classes of fewer rows than held would leave the new ones unclassified: not known until the
    // host classifies the whole result again.
    if (this.classes && this.classes.length < n) this.classes = null;
    this.version++;
  }

  /**
   * Takes the classes of rows [0, count). Ignored (returns false) unless they cover exactly the
   * rows held: classes of another state of the result would put a class on the wrong event.
   */
  setClasses(count: number, codes: Uint8Array): boolean {
    if (count !== this.length || codes.length < count) return false;
    this.classes = codes.length === count ? codes : codes.subarray(0, count);
    this.version++;
    return true;
  }

  /** Merges rows [from, to) into the sorted order, in place from the back. */
  private mergeSorted(from: number, to: number): void {
    const m = to - from;
    // Sort keys: a missing time (NaN) sorts as +Infinity, after every real time.
    const ts = new Float64Array(m);
    // A batch of a fetch in ascending windows is in time order already: then its arrival order is
    // its sorted order and the sort (a comparator call per comparison) is skipped.
    let ascending = true;
    for (let j = 0; j < m; j++) {
      const t = this.ts[from + j] as number;
      if (Number.isNaN(t)) this.untimed++;
      ts[j] = Number.isNaN(t) ? Infinity : t;
      if (j > 0 && (ts[j - 1] as number) > (ts[j] as number)) ascending = false;
    }
    const fresh = new Uint32Array(m);
    for (let j = 0; j < m; j++) fresh[j] = j;
    // Stable sort by time (arrival index breaks ties).
    if (!ascending) fresh.sort((a, b) => (ts[a] as number) - (ts[b] as number) || a - b);
    this.order = grow(this.order, to, (k) => new Uint32Array(k));
    this.sortedTs = grow(this.sortedTs, to, (k) => new Float64Array(k));
    const order = this.order;
    const sorted = this.sortedTs;
    let i = from - 1;
    let j = m - 1;
    let moved = false;
    for (let k = to - 1; k >= 0 && j >= 0; k--) {
      const fj = fresh[j] as number;
      const t = ts[fj] as number;
      if (i >= 0 && (sorted[i] as number) > t) {
        order[k] = order[i] as number;
        sorted[k] = sorted[i] as number;
        i--;
        moved = true;
      } else {
        order[k] = from + fj;
        sorted[k] = t;
        j--;
      }
    }
    if (moved) this.reorders++;
  }

  /** Strings of one row, for tooltips, the list and the detail summary. */
  row(i: number): {
    timestamp: number;
    kind: string;
    item?: string;
    recipient?: string;
    link?: string;
    client?: string;
    agent?: string;
    label?: string;
    /** The packed class (hitClasses.ts); undefined while the classes are not known. */
    cls?: number;
  } {
    const s = (name: TableName, code: number): string | undefined =>
      code >= 0 ? this.tables[name][code] : undefined;
    return {
      timestamp: this.ts[i] as number,
      kind: s('kinds', this.kind[i] as number) ?? '?',
      item: s('items', this.item[i] as number),
      recipient: s('recipients', this.recipient[i] as number),
      link: s('links', this.link[i] as number),
      client: s('clients', this.client[i] as number),
      agent: s('agents', this.agent[i] as number),
      label: s('labels', this.label[i] as number),
      cls: this.classes ? this.classes[i] : undefined,
    };
  }
}
