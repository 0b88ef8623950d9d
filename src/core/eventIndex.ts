// The compact in-memory index of a result: one entry per stored event, in arrival order, kept in
// typed-array columns so a million events cost a few tens of MB instead of a million JS objects.
// Strings (kinds, items, recipients, links, clients, user agents, recipient labels) are interned in
// tables; columns hold their codes. Everything the timeline, its filters and its detail summary
// show is captured here as the event is appended (or scanned when a result is re-opened), so
// nothing reads events.ndjson again to draw a result.

import {
  eventClient,
  eventItemId,
  eventKind,
  eventLink,
  eventRecipient,
  eventRecipientLabel,
  type Np6ClientInfo,
  type Np6Event,
} from '../np6/events';
import { ipv4Number, np6ClassOf } from './classify/np6Class';

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
  /** Code into `clients` ("iPhone / iOS · Safari": device, OS and browser, see `clientText`). */
  clientCode(i: number): number;
  /** Code into `agents` (the raw user-agent string). */
  agentCode(i: number): number;
  /** Code into `labels` (the recipient's label when it says more than the key, see `recipientLabelText`). */
  labelCode(i: number): number;
  /** The client's IPv4 address as a number (ipv4Number); 0 when it has none or another kind. */
  ipv4(i: number): number;
  /** The client's address when it is not an IPv4 one (IPv6), else undefined. */
  otherIp(i: number): string | undefined;
  /** NP6's own class code of event i (classify/np6Class.ts), undefined when NP6 said nothing. */
  np6Class(i: number): number | undefined;
  readonly kinds: readonly string[];
  readonly items: readonly string[];
  readonly recipients: readonly string[];
  readonly links: readonly string[];
  readonly clients: readonly string[];
  readonly agents: readonly string[];
  readonly labels: readonly string[];
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

  /**
   * Adds `s` with a new code without looking it up: for strings the caller knows to be new nearly
   * always (a duplicate costs one string; the lookup table would cost more for every string).
   */
  add(s: string): number {
    this.values.push(s);
    return this.values.length - 1;
  }
}

const INITIAL_CAPACITY = 1024;

function grown<T extends Float64Array | Uint32Array | Int32Array>(a: T, capacity: number): T {
  const next = new (a.constructor as new (n: number) => T)(capacity);
  next.set(a);
  return next;
}

/** Entries per chunk of a column: 16,384 (128 KB of Float64), so a small result stays small. */
const CHUNK_SHIFT = 14;
const CHUNK_MASK = (1 << CHUNK_SHIFT) - 1;

/**
 * A growable column of numbers in fixed-size typed-array chunks. Growing adds a chunk and copies
 * nothing: doubling one array per column copied every entry at once, holding the event loop
 * 30-40 ms at 1,048,576 events (10 columns), more on a busy machine.
 */
class Column {
  private readonly chunks: (Float64Array | Uint32Array | Uint8Array)[] = [];
  constructor(private readonly make: (n: number) => Float64Array | Uint32Array | Uint8Array) {}

  get(i: number): number {
    return this.chunks[i >>> CHUNK_SHIFT]![i & CHUNK_MASK]!;
  }

  /** Sets entry i; entries are set in order, so i is at most one past the last chunk. */
  set(i: number, v: number): void {
    const c = i >>> CHUNK_SHIFT;
    if (c === this.chunks.length) this.chunks.push(this.make(1 << CHUNK_SHIFT));
    this.chunks[c]![i & CHUNK_MASK] = v;
  }
}

/** A link's key in the links table: the destination URL, else its label, else its type. */
export function linkKey(e: Np6Event): string | undefined {
  const l = eventLink(e);
  return l ? (l.destination ?? l.label ?? l.source ?? l.type) : undefined;
}

/** "device / os · browser" of a client, the parts that exist; undefined when none does. */
function clientInfoText(c: Np6ClientInfo | undefined): string | undefined {
  if (!c) return undefined;
  const dev = [c.device, c.os].filter((p): p is string => !!p).join(' / ');
  const label = [dev, c.browser].filter((p): p is string => !!p).join(' · ');
  return label || undefined;
}

/** "device / os · browser", the parts that exist; undefined when the event names no client. */
export function clientText(e: Np6Event): string | undefined {
  return clientInfoText(eventClient(e));
}

/** The raw user agent, when there is a non-empty one. */
export function userAgentText(e: Np6Event): string | undefined {
  return eventClient(e)?.userAgent || undefined;
}

/** The recipient label when it says more than the key `recipient` (an e-mail for a contact id). */
export function recipientLabelText(e: Np6Event, recipient = eventRecipient(e)): string | undefined {
  const label = eventRecipientLabel(e);
  return label !== recipient ? label || undefined : undefined;
}

/**
 * The client text of the last event seen with one user agent: events of one agent nearly always
 * carry the same parsed device, OS and browser, so comparing three short strings replaces
 * building and hashing the text again for every event (the costliest of the new columns).
 */
interface ClientMemo {
  device: string | undefined;
  os: string | undefined;
  browser: string | undefined;
  code: number;
}

/**
 * The growable index behind a result store. Codes are stored +1 in unsigned columns so that 0
 * means "none" without signed arrays; byte offsets are Float64 because files can pass 4 GB.
 */
export class IndexBuilder implements EventIndex {
  private n = 0;
  private readonly ts = new Column((k) => new Float64Array(k));
  private readonly kind = new Column((k) => new Uint32Array(k));
  private readonly item = new Column((k) => new Uint32Array(k));
  private readonly recipient = new Column((k) => new Uint32Array(k));
  private readonly link = new Column((k) => new Uint32Array(k));
  private readonly client = new Column((k) => new Uint32Array(k));
  private readonly agent = new Column((k) => new Uint32Array(k));
  private readonly label = new Column((k) => new Uint32Array(k));
  private readonly offsets = new Column((k) => new Float64Array(k));
  private readonly lengths = new Column((k) => new Uint32Array(k));
  // For the hit classification: the client's address (IPv4 as a number, 4 bytes an event; other
  // addresses, rare, by event) and NP6's own class (+1; 0 = none).
  private readonly ip4 = new Column((k) => new Uint32Array(k));
  private readonly otherIps = new Map<number, string>();
  private readonly np6Cls = new Column((k) => new Uint8Array(k));
  private readonly kindTable = new StringTable();
  private readonly itemTable = new StringTable();
  private readonly recipientTable = new StringTable();
  private readonly linkTable = new StringTable();
  private readonly clientTable = new StringTable();
  private readonly agentTable = new StringTable();
  private readonly labelTable = new StringTable();
  /** By agent code. */
  private readonly clientMemo: (ClientMemo | undefined)[] = [];
  /** By recipient code: the code + 1 of the label last seen with that recipient (0: none yet). */
  private labelOfRecipient = new Uint32Array(INITIAL_CAPACITY);

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
  get clients(): readonly string[] {
    return this.clientTable.values;
  }
  get agents(): readonly string[] {
    return this.agentTable.values;
  }
  get labels(): readonly string[] {
    return this.labelTable.values;
  }

  timestamp(i: number): number {
    return this.ts.get(this.check(i));
  }
  kindCode(i: number): number {
    return this.kind.get(this.check(i)) - 1;
  }
  itemCode(i: number): number {
    return this.item.get(this.check(i)) - 1;
  }
  recipientCode(i: number): number {
    return this.recipient.get(this.check(i)) - 1;
  }
  linkCode(i: number): number {
    return this.link.get(this.check(i)) - 1;
  }
  clientCode(i: number): number {
    return this.client.get(this.check(i)) - 1;
  }
  agentCode(i: number): number {
    return this.agent.get(this.check(i)) - 1;
  }
  labelCode(i: number): number {
    return this.label.get(this.check(i)) - 1;
  }
  ipv4(i: number): number {
    return this.ip4.get(this.check(i));
  }
  otherIp(i: number): string | undefined {
    return this.otherIps.get(this.check(i));
  }
  np6Class(i: number): number | undefined {
    const c = this.np6Cls.get(this.check(i));
    return c === 0 ? undefined : c - 1;
  }
  /** Byte offset of the event's line in events.ndjson. */
  offset(i: number): number {
    return this.offsets.get(this.check(i));
  }
  /** Byte length of the event's JSON text (without the newline). */
  byteLength(i: number): number {
    return this.lengths.get(this.check(i));
  }

  /** Adds one event stored at [offset, offset + byteLength) and returns its index. */
  add(e: Np6Event, offset: number, byteLength: number): number {
    const i = this.n;
    const ts = (e as { timestamp?: unknown }).timestamp;
    this.ts.set(i, typeof ts === 'number' && Number.isFinite(ts) ? ts : NaN);
    const type = (e as { type?: unknown }).type;
    this.kind.set(i, this.kindTable.intern(typeof type === 'string' ? eventKind(e) : '(no type)') + 1);
    this.item.set(i, this.itemTable.intern(eventItemId(e)) + 1);
    const recipient = eventRecipient(e);
    const recipientCode = this.recipientTable.intern(recipient);
    this.recipient.set(i, recipientCode + 1);
    this.link.set(i, this.linkTable.intern(linkKey(e)) + 1);
    const c = eventClient(e);
    const agent = this.agentTable.intern(c?.userAgent || undefined);
    this.agent.set(i, agent + 1);
    this.client.set(i, this.clientCodeOf(c, agent) + 1);
    this.label.set(i, this.labelCodeOf(recipientLabelText(e, recipient), recipientCode) + 1);
    const ip = c?.ip;
    const v4 = ip ? ipv4Number(ip) : 0;
    this.ip4.set(i, v4);
    // Anything else that could be an address (IPv6 is at most 45 characters) is kept as text.
    if (ip && v4 === 0 && ip.length <= 45 && ip.includes(':')) this.otherIps.set(i, ip);
    const np6 = np6ClassOf(e);
    this.np6Cls.set(i, np6 === undefined ? 0 : np6 + 1);
    this.offsets.set(i, offset);
    this.lengths.set(i, byteLength);
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
      if (i > 0 && sorted && !(this.ts.get(i - 1) <= this.ts.get(i))) {
        // NaN followed by NaN keeps order; anything else out of place needs the sort.
        if (!(Number.isNaN(this.ts.get(i - 1)) && Number.isNaN(this.ts.get(i)))) sorted = false;
      }
    }
    if (sorted) return order;
    const ts = new Float64Array(n);
    for (let i = 0; i < n; i++) ts[i] = this.ts.get(i);
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

  /** The client text's code for client `c`, whose user agent has code `agent`. */
  private clientCodeOf(c: Np6ClientInfo | undefined, agent: number): number {
    if (!c) return -1;
    const memo = agent >= 0 ? this.clientMemo[agent] : undefined;
    if (memo && memo.device === c.device && memo.os === c.os && memo.browser === c.browser) return memo.code;
    const code = this.clientTable.intern(clientInfoText(c));
    if (agent >= 0) this.clientMemo[agent] = { device: c.device, os: c.os, browser: c.browser, code };
    return code;
  }

  /**
   * The code of `label`, the label of the recipient with code `recipient`. A label belongs to one
   * recipient (its e-mail): a recipient's first label is added without a lookup, and later events
   * of that recipient compare with it. A table keyed by label, one entry per recipient, would be
   * about 10 MB at a million events for nothing; a recipient whose label changes still goes
   * through the interning table, so labels never grow with the events.
   */
  private labelCodeOf(label: string | undefined, recipient: number): number {
    if (label === undefined) return -1;
    if (recipient < 0) return this.labelTable.intern(label);
    if (recipient >= this.labelOfRecipient.length) {
      this.labelOfRecipient = grown(
        this.labelOfRecipient,
        Math.max(recipient + 1, this.labelOfRecipient.length * 2),
      );
    }
    const known = this.labelOfRecipient[recipient]! - 1;
    if (known >= 0 && this.labelTable.values[known] === label) return known;
    const code = known < 0 ? this.labelTable.add(label) : this.labelTable.intern(label);
    this.labelOfRecipient[recipient] = code + 1;
    return code;
  }

  private check(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.n) {
      throw new RangeError(`Event index ${i} is out of range (0..${this.n - 1}).`);
    }
    return i;
  }
}
