// Statistics of a result in one pass over its compact index (no event is read back from disk):
// per message (item x recipient) roles and first times, per kind/link/client counters, then a
// short aggregation over messages. For the whole result, per item, and restricted to a selection
// (a bitmap of arrival indices, the timeline's filters and zoom). See stages.ts for the funnel.

import type { EventIndex } from '../eventIndex';
import { CLASS_HUMAN, NOT_A_HIT } from '../classify/hitClass';
import { splitClientText, type ClientParts } from './clientParts';
import * as stages from './stages';
import { FUNNEL_STAGES, kindRoles, RATE_BASE, SIDE_STAGES, STAGE_BIT, type StageName } from './stages';
import type { DelayFigure, Figure, NamedFigure, ResultStats, ScopeStats } from './statsTypes';
import { DELAY_BUCKETS, delayBucket as delayBucketOf } from './timeBuckets';
import { ROWS_PER_STEP, runAtOnce, type Steps } from '../../shared/steps';

// Module-local copies of the constants and helpers used per event: an imported binding may be a
// getter once compiled to CommonJS, which costs a call on every read in a million-event loop.
const R_ACTIVATION = stages.R_ACTIVATION;
const R_BOUNCE = stages.R_BOUNCE;
const R_CLICK = stages.R_CLICK;
const R_DELIVERED = stages.R_DELIVERED;
const R_HIT = stages.R_HIT;
const R_OPEN = stages.R_OPEN;
const R_COMPLAINT = stages.R_COMPLAINT;
const HIT_STAGE_BITS = stages.HIT_STAGE_BITS;
const isDelivered = stages.isDelivered;
const delayBucket = delayBucketOf;
const HUMAN = CLASS_HUMAN;
const UNCLASSIFIED = NOT_A_HIT;

/** Columns the statistics use when the index has them (optional until it does). */
export interface StatsColumns {
  /** 'hard' / 'soft' verdict of bounce i. */
  bounceVerdict?(i: number): string | undefined;
  /** Device, OS and browser of a client code (else split from the client text). */
  clientParts?(clientCode: number): ClientParts;
}

export interface StatsOptions {
  /** Bitmap of the arrival indices to count (as `ResultStore.records(order, only)` takes). */
  only?: Uint8Array;
  /** Per arrival index, the hit class code (classify/hitClass.ts); NOT_A_HIT for other events. */
  classes?: Uint8Array;
  columns?: StatsColumns;
  /** Links listed per scope (default 10). */
  topLinks?: number;
}

/** Pairs (item, recipient) are looked up in a flat table up to this many cells, else in a Map. */
const DENSE_PAIR_CELLS = 8 << 20;

/** Growable per-message columns. */
class Messages {
  n = 0;
  item = new Int32Array(1024);
  rec = new Int32Array(1024);
  bits = new Uint16Array(1024);
  humanBits = new Uint16Array(1024);
  activation = new Float64Array(1024);
  open = new Float64Array(1024);
  click = new Float64Array(1024);
  humanOpen = new Float64Array(1024);
  humanClick = new Float64Array(1024);

  add(item: number, rec: number): number {
    if (this.n === this.item.length) this.grow();
    const m = this.n++;
    this.item[m] = item;
    this.rec[m] = rec;
    this.activation[m] = Infinity;
    this.open[m] = Infinity;
    this.click[m] = Infinity;
    this.humanOpen[m] = Infinity;
    this.humanClick[m] = Infinity;
    return m;
  }

  private grow(): void {
    const c = this.item.length * 2;
    const g = <T extends Int32Array | Uint16Array | Float64Array>(a: T): T => {
      const next = new (a.constructor as new (n: number) => T)(c);
      next.set(a);
      return next;
    };
    this.item = g(this.item);
    this.rec = g(this.rec);
    this.bits = g(this.bits);
    this.humanBits = g(this.humanBits);
    this.activation = g(this.activation);
    this.open = g(this.open);
    this.click = g(this.click);
    this.humanOpen = g(this.humanOpen);
    this.humanClick = g(this.humanClick);
  }
}

/** Counters of one scope (an item, or the events without item); the whole result sums them. */
class ScopeCounters {
  events = 0;
  readonly kindAll: Float64Array;
  readonly kindHuman: Float64Array;
  readonly clientAll: Float64Array;
  readonly clientHuman: Float64Array;
  readonly linkClicks: Float64Array;
  readonly linkHumanClicks: Float64Array;
  bounceHard = 0;
  bounceSoft = 0;
  bounceUnknown = 0;
  complaints = 0;

  constructor(kinds: number, clients: number, links: number) {
    this.kindAll = new Float64Array(kinds);
    this.kindHuman = new Float64Array(kinds);
    this.clientAll = new Float64Array(clients);
    this.clientHuman = new Float64Array(clients);
    this.linkClicks = new Float64Array(links);
    this.linkHumanClicks = new Float64Array(links);
  }
}

function isSelected(only: Uint8Array | undefined, i: number): boolean {
  return !only || ((only[i >> 3] ?? 0) & (1 << (i & 7))) !== 0;
}

function rate(part: number, base: number): number {
  return base > 0 ? part / base : 0;
}

/** The statistics at once (tests, benchmarks, the CLI). See computeStatsSteps. */
export function computeStats(index: EventIndex, opts: StatsOptions = {}): ResultStats {
  return runAtOnce(computeStatsSteps(index, opts));
}

/**
 * The statistics as steps (steps.ts), pausing every ROWS_PER_STEP rows, messages or recipients,
 * so the extension host computes them a slice at a time. Over the rows present at the start.
 */
export function* computeStatsSteps(index: EventIndex, opts: StatsOptions = {}): Steps<ResultStats> {
  const started = performance.now();
  const n = index.length;
  const { only, classes, columns } = opts;
  const K = index.items.length;
  const R = index.recipients.length;
  // The tables as they are now: rows appended while the steps pause (a refresh) are left out, and
  // so are the strings they added.
  const kinds = index.kinds.slice();
  const names: TableNames = { kinds, links: index.links.slice(), clients: index.clients.slice() };
  const roles = kinds.map(kindRoles);
  const nClients = index.clients.length;
  const nLinks = index.links.length;
  // Scope s = item code + 1 (0 = events without item).
  const scopes: ScopeCounters[] = [];
  for (let s = 0; s <= K; s++) scopes.push(new ScopeCounters(kinds.length, nClients, nLinks));

  const messages = new Messages();
  const cells = (K + 1) * R;
  const dense = cells <= DENSE_PAIR_CELLS ? new Uint32Array(cells) : undefined;
  const sparse = dense ? undefined : new Map<number, number>();
  const messageOf = (scope: number, rec: number): number => {
    const key = scope * R + rec;
    if (dense) {
      const m = dense[key]!;
      if (m !== 0) return m - 1;
      const added = messages.add(scope - 1, rec);
      dense[key] = added + 1;
      return added;
    }
    const m = sparse!.get(key);
    if (m !== undefined) return m;
    const added = messages.add(scope - 1, rec);
    sparse!.set(key, added);
    return added;
  };
  // Unique clickers per (link, scope, recipient), all and humans.
  const clickers = new Set<number>();
  const humanClickers = new Set<number>();
  const recSeen = new Uint8Array(R);

  let selected = 0;
  for (let i = 0; i < n; i++) {
    if (i % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    if (!isSelected(only, i)) continue;
    selected++;
    const kc = index.kindCode(i);
    const role = kc >= 0 ? roles[kc]! : 0;
    const scope = index.itemCode(i) + 1;
    const sc = scopes[scope]!;
    sc.events++;
    const isHit = (role & R_HIT) !== 0;
    const cls = classes ? classes[i]! : UNCLASSIFIED;
    // Hits are human unless classified otherwise; other events count in both figures.
    const human = !isHit || cls === UNCLASSIFIED || cls === HUMAN;
    if (kc >= 0) {
      sc.kindAll[kc]!++;
      if (human) sc.kindHuman[kc]!++;
    }
    if (role & R_BOUNCE) {
      const v = columns?.bounceVerdict?.(i);
      if (v === 'hard') sc.bounceHard++;
      else if (v === 'soft') sc.bounceSoft++;
      else sc.bounceUnknown++;
    }
    if (role & R_COMPLAINT) sc.complaints++;
    if (isHit) {
      const cc = index.clientCode(i);
      if (cc >= 0) {
        sc.clientAll[cc]!++;
        if (human) sc.clientHuman[cc]!++;
      }
    }
    const rec = index.recipientCode(i);
    if ((role & R_CLICK) !== 0) {
      const lc = index.linkCode(i);
      if (lc >= 0) {
        sc.linkClicks[lc]!++;
        if (human) sc.linkHumanClicks[lc]!++;
        if (rec >= 0) {
          const key = (lc * (K + 1) + scope) * R + rec;
          clickers.add(key);
          if (human) humanClickers.add(key);
        }
      }
    }
    if (rec < 0) continue;
    recSeen[rec] = 1;
    const m = messageOf(scope, rec);
    messages.bits[m] = messages.bits[m]! | role;
    if (human) messages.humanBits[m] = messages.humanBits[m]! | role;
    const t = index.timestamp(i);
    if (role & R_ACTIVATION && t < messages.activation[m]!) messages.activation[m] = t;
    if (role & R_OPEN) {
      if (t < messages.open[m]!) messages.open[m] = t;
      if (human && t < messages.humanOpen[m]!) messages.humanOpen[m] = t;
    }
    if (role & R_CLICK) {
      if (t < messages.click[m]!) messages.click[m] = t;
      if (human && t < messages.humanClick[m]!) messages.humanClick[m] = t;
    }
  }

  const topN = opts.topLinks ?? 10;
  const items: { item: string; stats: ScopeStats }[] = [];
  for (let k = 0; k < K; k++) {
    items.push({
      item: index.items[k]!,
      stats: yield* scopeStats(names, [k + 1], scopes, messages, clickers, humanClickers, topN, columns, R),
    });
  }
  const all = Array.from({ length: K + 1 }, (_, s) => s);
  const whole = yield* scopeStats(names, all, scopes, messages, clickers, humanClickers, topN, columns, R);
  let recipients = 0;
  for (let r = 0; r < R; r++) recipients += recSeen[r]!;
  whole.recipients = recipients;
  return {
    classified: classes !== undefined,
    selected,
    total: n,
    whole,
    items,
    elapsedMs: performance.now() - started,
  };
}

/** Aggregates the counters and messages of the scopes `ss` (item code + 1) into one ScopeStats. */
/** The index's string tables, as long as the counters are. */
interface TableNames {
  kinds: readonly string[];
  links: readonly string[];
  clients: readonly string[];
}

function* scopeStats(
  index: TableNames,
  ss: number[],
  scopes: ScopeCounters[],
  messages: Messages,
  clickers: Set<number>,
  humanClickers: Set<number>,
  topN: number,
  columns: StatsColumns | undefined,
  R: number,
): Steps<ScopeStats> {
  const inScope = new Uint8Array(scopes.length);
  for (const s of ss) inScope[s] = 1;
  const K1 = scopes.length;
  // Per recipient, the OR of its messages' roles in the scope (all, and from human events).
  const recBits = new Uint16Array(R);
  const recHuman = new Uint16Array(R);
  const openDelay = DELAY_BUCKETS.map(() => ({ all: 0, humans: 0 }));
  const clickDelay = DELAY_BUCKETS.map(() => ({ all: 0, humans: 0 }));
  for (let m = 0; m < messages.n; m++) {
    if (m % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    if (!inScope[messages.item[m]! + 1]) continue;
    let bits = messages.bits[m]!;
    if (isDelivered(bits)) bits |= R_DELIVERED;
    const r = messages.rec[m]!;
    recBits[r] = recBits[r]! | bits;
    // Humans differ only in the hit stages; the others are the same messages.
    recHuman[r] = recHuman[r]! | (bits & ~HIT_STAGE_BITS) | (messages.humanBits[m]! & HIT_STAGE_BITS);
    const a = messages.activation[m]!;
    if (a !== Infinity) {
      const bo = delayBucket(messages.open[m]! - a);
      if (bo >= 0) openDelay[bo]!.all++;
      const bho = delayBucket(messages.humanOpen[m]! - a);
      if (bho >= 0) openDelay[bho]!.humans++;
      const bc = delayBucket(messages.click[m]! - a);
      if (bc >= 0) clickDelay[bc]!.all++;
      const bhc = delayBucket(messages.humanClick[m]! - a);
      if (bhc >= 0) clickDelay[bhc]!.humans++;
    }
  }
  const stageCount = new Map<StageName, Figure>();
  let recipients = 0;
  for (const stage of [...FUNNEL_STAGES, ...SIDE_STAGES]) stageCount.set(stage, { all: 0, humans: 0 });
  const figures = [...stageCount.values()];
  const bits = [...stageCount.keys()].map((stage) => STAGE_BIT[stage]);
  const countAll = new Float64Array(bits.length);
  const countHumans = new Float64Array(bits.length);
  for (let r = 0; r < R; r++) {
    if (r % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    const b = recBits[r]!;
    if (b === 0) continue;
    recipients++;
    const h = recHuman[r]!;
    for (let j = 0; j < bits.length; j++) {
      const bit = bits[j]!;
      if (b & bit) countAll[j]!++;
      if (h & bit) countHumans[j]!++;
    }
  }
  figures.forEach((f, j) => {
    f.all = countAll[j]!;
    f.humans = countHumans[j]!;
  });
  const funnel = [...FUNNEL_STAGES, ...SIDE_STAGES].map((stage) => {
    const recipientsIn = stageCount.get(stage)!;
    const over = RATE_BASE[stage];
    if (!over) return { stage, recipients: recipientsIn };
    const base = stageCount.get(over)!;
    return {
      stage,
      recipients: recipientsIn,
      rate: { all: rate(recipientsIn.all, base.all), humans: rate(recipientsIn.humans, base.humans), over },
    };
  });

  const sum = (pick: (c: ScopeCounters) => Float64Array, j: number): number => {
    let t = 0;
    for (const s of ss) t += pick(scopes[s]!)[j]!;
    return t;
  };
  const byKind = index.kinds
    .map((kind, j) => ({ kind, all: sum((c) => c.kindAll, j), humans: sum((c) => c.kindHuman, j) }))
    .filter((k) => k.all > 0)
    .sort((a, b) => b.all - a.all || a.kind.localeCompare(b.kind));

  // Unique clickers per link in the scope: decode the keys (link, scope, recipient).
  const nLinks = index.links.length;
  const linkClickers = new Float64Array(nLinks);
  const linkHumanClickers = new Float64Array(nLinks);
  for (const [set, into] of [
    [clickers, linkClickers],
    [humanClickers, linkHumanClickers],
  ] as const) {
    let counted = 0;
    for (const key of set) {
      if (++counted % ROWS_PER_STEP === 0) yield;
      const ls = Math.floor(key / R);
      if (inScope[ls % K1]) into[Math.floor(ls / K1)]!++;
    }
  }
  const topLinks = index.links
    .map((link, j) => ({
      link,
      clickers: { all: linkClickers[j]!, humans: linkHumanClickers[j]! },
      clicks: { all: sum((c) => c.linkClicks, j), humans: sum((c) => c.linkHumanClicks, j) },
    }))
    .filter((l) => l.clicks.all > 0)
    .sort(
      (a, b) =>
        b.clickers.all - a.clickers.all || b.clicks.all - a.clicks.all || a.link.localeCompare(b.link),
    )
    .slice(0, topN);

  const clientTotals = index.clients.map((name, j) => ({
    name,
    all: sum((c) => c.clientAll, j),
    humans: sum((c) => c.clientHuman, j),
  }));
  const byPart = (part: keyof ClientParts): NamedFigure[] => {
    const m = new Map<string, Figure>();
    clientTotals.forEach((c, j) => {
      if (c.all === 0) return;
      const parts = columns?.clientParts?.(j) ?? splitClientText(c.name);
      const name = parts[part] ?? '(unknown)';
      const f = m.get(name) ?? { all: 0, humans: 0 };
      f.all += c.all;
      f.humans += c.humans;
      m.set(name, f);
    });
    return sortedNamed([...m].map(([name, f]) => ({ name, ...f })));
  };

  let events = 0;
  let hard = 0;
  let soft = 0;
  let unknown = 0;
  let complaints = 0;
  for (const s of ss) {
    const c = scopes[s]!;
    events += c.events;
    hard += c.bounceHard;
    soft += c.bounceSoft;
    unknown += c.bounceUnknown;
    complaints += c.complaints;
  }
  const delays = (d: Figure[]): DelayFigure[] =>
    d.map((f, b) => ({ bucket: DELAY_BUCKETS[b]!.label, all: f.all, humans: f.humans }));
  return {
    events,
    recipients,
    byKind,
    funnel,
    bounces: { all: hard + soft + unknown, hard, soft, unknown },
    complaints,
    topLinks,
    clients: sortedNamed(clientTotals.filter((c) => c.all > 0)),
    devices: byPart('device'),
    os: byPart('os'),
    browsers: byPart('browser'),
    timeToOpen: delays(openDelay),
    timeToClick: delays(clickDelay),
  };
}

function sortedNamed(list: NamedFigure[]): NamedFigure[] {
  return list.sort((a, b) => b.all - a.all || a.name.localeCompare(b.name));
}
