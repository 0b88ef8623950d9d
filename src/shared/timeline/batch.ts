// The compact form events travel in from the host to the webview: one column per field in typed
// arrays (timestamps as Float64Array, string fields as signed integer codes, -1 = none, in the
// narrowest array their table's size allows: see codeColumn) plus, per
// string table, only the strings added since the previous batch. A million events are ~30 MB of
// columns instead of gigabytes of JSON, and no event object is ever built on either side.

// Shared by host and webview: imports neither side. The host's readers of events and of the
// result store's index that produce these batches live in src/core/timeline/eventRows.ts.

/** The string tables, in the order the columns reference them. */
export const TABLE_NAMES = ['kinds', 'items', 'recipients', 'links', 'clients', 'agents', 'labels'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

/**
 * Strings appended to one table: value j, code `from + j`, is `text` from `ends[j - 1]` (0 for the
 * first) to `ends[j]` (UTF-16 offsets). One string and one typed array rather than an array of
 * strings: VS Code hands a message to a webview through JSON.parse with a reviver called for
 * every value, on the workbench's own thread, and at a million events the table strings of one
 * batch (tens of thousands of new recipients and labels) held it 110-200 ms.
 */
export interface TableDelta {
  from: number;
  text: string;
  ends: Uint32Array;
}

/** The delta giving codes `from`, `from + 1`, … to `values`. */
export function packDelta(from: number, values: readonly string[]): TableDelta {
  const ends = new Uint32Array(values.length);
  let at = 0;
  values.forEach((v, j) => {
    at += v.length;
    ends[j] = at;
  });
  return { from, text: values.join(''), ends };
}

/** The strings of a delta, in code order. */
export function deltaValues(d: TableDelta): string[] {
  const out = new Array<string>(d.ends.length);
  let at = 0;
  for (let j = 0; j < d.ends.length; j++) {
    const end = d.ends[j] as number;
    out[j] = d.text.slice(at, end);
    at = end;
  }
  return out;
}

/**
 * A column of codes into one string table (-1 = none). Int8 or Int16 when the table is small
 * enough: a batch's kinds, items, links, clients and user agents fit in a byte for most results,
 * and at a million events the batches are about 21 MB instead of 36 (every byte of them is
 * copied by VS Code's IPC, compressed on the host's thread and decompressed on the workbench's).
 */
export type CodeColumn = Int8Array | Int16Array | Int32Array;

/** A code column for `count` rows whose codes are below `tableSize` (or -1). */
export function codeColumn(count: number, tableSize: number): CodeColumn {
  if (tableSize <= 0x7f) return new Int8Array(count);
  if (tableSize <= 0x7fff) return new Int16Array(count);
  return new Int32Array(count);
}

export interface EventBatch {
  /** Arrival index of the first row (the store's index position). */
  from: number;
  count: number;
  ts: Float64Array;
  kind: CodeColumn;
  item: CodeColumn;
  recipient: CodeColumn;
  link: CodeColumn;
  /**
   * Client label ("iPhone / iOS · Safari"), user agent and recipient label (the e-mail when the
   * recipient key is a contact id); -1 when the event has none.
   */
  client: CodeColumn;
  agent: CodeColumn;
  label: CodeColumn;
  tables: Partial<Record<TableName, TableDelta>>;
}

/** Interns strings into codes and remembers which ones the receiver has not seen yet. */
export class StringTable {
  private readonly codes = new Map<string, number>();
  readonly values: string[] = [];
  private sent = 0;
  code(s: string | undefined): number {
    if (s === undefined || s === '') return -1;
    let c = this.codes.get(s);
    if (c === undefined) {
      c = this.values.length;
      this.values.push(s);
      this.codes.set(s, c);
    }
    return c;
  }
  takeDelta(): TableDelta | undefined {
    if (this.sent === this.values.length) return undefined;
    const d = packDelta(this.sent, this.values.slice(this.sent));
    this.sent = this.values.length;
    return d;
  }
}

/** The strings one event contributes to the columns. */
export interface RowStrings {
  kind: string;
  item?: string;
  recipient?: string;
  link?: string;
  client?: string;
  agent?: string;
  label?: string;
}

/**
 * Builds batches from row strings (src/core/timeline/eventRows.ts reads them from events). One
 * builder per receiver: it remembers which strings were already sent. Codes are stable for the
 * builder's lifetime.
 */
export class BatchBuilder {
  private readonly tables: Record<TableName, StringTable> = {
    kinds: new StringTable(),
    items: new StringTable(),
    recipients: new StringTable(),
    links: new StringTable(),
    clients: new StringTable(),
    agents: new StringTable(),
    labels: new StringTable(),
  };
  private next = 0;
  private ts: number[] = [];
  private cols: Record<'kind' | 'item' | 'recipient' | 'link' | 'client' | 'agent' | 'label', number[]> = {
    kind: [],
    item: [],
    recipient: [],
    link: [],
    client: [],
    agent: [],
    label: [],
  };

  /** Rows added and not yet taken. */
  get pending(): number {
    return this.ts.length;
  }

  addRow(timestamp: number, r: RowStrings): void {
    this.ts.push(timestamp);
    this.cols.kind.push(this.tables.kinds.code(r.kind));
    this.cols.item.push(this.tables.items.code(r.item));
    this.cols.recipient.push(this.tables.recipients.code(r.recipient));
    this.cols.link.push(this.tables.links.code(r.link));
    this.cols.client.push(this.tables.clients.code(r.client));
    this.cols.agent.push(this.tables.agents.code(r.agent));
    this.cols.label.push(this.tables.labels.code(r.label));
  }

  /** The rows added since the last call, with the table strings the receiver lacks. */
  take(): EventBatch {
    const count = this.ts.length;
    const tables: Partial<Record<TableName, TableDelta>> = {};
    for (const name of TABLE_NAMES) {
      const d = this.tables[name].takeDelta();
      if (d) tables[name] = d;
    }
    const batch: EventBatch = {
      from: this.next,
      count,
      ts: Float64Array.from(this.ts),
      kind: Int32Array.from(this.cols.kind),
      item: Int32Array.from(this.cols.item),
      recipient: Int32Array.from(this.cols.recipient),
      link: Int32Array.from(this.cols.link),
      client: Int32Array.from(this.cols.client),
      agent: Int32Array.from(this.cols.agent),
      label: Int32Array.from(this.cols.label),
      tables,
    };
    this.next += count;
    this.ts = [];
    for (const k of Object.keys(this.cols) as (keyof typeof this.cols)[]) this.cols[k] = [];
    return batch;
  }
}
