// The campaign model and the event generator.
//
// A campaign is R recipients x K items; one "unit" = one item sent to one recipient, numbered
// item-major (u = k * R + r) so that send times increase with u. Every event of a unit is a pure
// function of (seed, campaign key, u): the server can regenerate any event from a (unit, ordinal)
// pair, so it never keeps event objects in memory. `UnitEvents.fill` computes the cheap skeleton
// (timestamps, kinds, random parameters); `renderEvent` turns one skeleton entry into NP6 JSON text.

import {
  CANCELLATION_MESSAGES,
  CITIES,
  DOMAINS,
  FIRST_NAMES,
  HARD_BOUNCES,
  HUMAN_UA_JSON,
  IPV4_FIRST_OCTETS,
  LAST_NAMES,
  LINK_POOL,
  MTAS,
  ROBOT_UA_JSON,
  SEGMENTS,
  SHOP_HOST,
  SOFT_BOUNCES,
} from './catalog';
import { base36Id, hash3, hash32, md5LikeFrom, Rng, uuidFrom } from './random';
import type { CampaignSpec, SandboxCampaign, SandboxItem } from './types';

/** Every event of a unit happens within this long after its send time. */
export const MAX_SPAN_MS = 14 * 24 * 3600_000;
const DAY = 24 * 3600_000;
const HOUR = 3600_000;
const MINUTE = 60_000;
const SECOND = 1000;

/** Event kinds as codes (skeleton) and the NP6 `type` each renders to. */
export const KIND_TYPES = ['execution', 'cancellation', 'activation', 'bounce', 'hit', 'delivery'] as const;
export const K_EXECUTION = 0;
export const K_CANCELLATION = 1;
export const K_ACTIVATION = 2;
export const K_BOUNCE = 3;
export const K_HIT = 4;
export const K_DELIVERY = 5;
/** Hit subtypes as codes; rendered into `link.type`. */
export const SUBTYPES = ['open', 'form', 'unsubscribe', 'redirection', 'mirror'] as const;
const S_OPEN = 0;
const S_FORM = 1;
const S_UNSUB = 2;
const S_REDIRECTION = 3;
const S_MIRROR = 4;
/** Campaigns up to this many units are scanned at start-up (exact range, count and skip index). */
const MAX_SCANNED_UNITS = 4_000_000;
/** Upper bound of events per unit (the ordinal is kept in 6 bits of a reference). */
export const MAX_UNIT_EVENTS = 64;

const IDENTITY = '{"type":"customer","agency":"DEMO","customer":"028"}';

/** Hashes a string (campaign id) to 32 bits, so a campaign's data does not depend on its position. */
export function stringKey(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

interface ItemModel extends SandboxItem {
  /** Pre-rendered `link` objects of the item's tracked links (redirection hits). */
  links: string[];
  formLink: string;
  unsubscribeLink: string;
  mirrorLink: string;
  openLink: string;
}

export class CampaignModel {
  readonly id: string;
  readonly name: string;
  readonly key: number;
  readonly recipients: number;
  readonly itemCount: number;
  readonly units: number;
  readonly items: ItemModel[];
  readonly sendStart: number;
  readonly itemGapMs: number;
  readonly sendIntervalMs: number;
  readonly unknownTypes: boolean;
  /** Filled by `measure()`: exact when the campaign is small enough to scan, bounds otherwise. */
  start = 0;
  end = 0;
  approxEvents = 0;

  constructor(
    readonly seed: number,
    spec: CampaignSpec,
    index: number,
  ) {
    this.id = spec.id ?? uuidFrom(hash32(seed, stringKey(spec.name)), index, 0xca);
    this.name = spec.name;
    this.key = hash32(seed, stringKey(this.id));
    this.recipients = Math.max(1, Math.floor(spec.recipients));
    this.itemCount = Math.max(1, Math.floor(spec.items));
    this.units = this.recipients * this.itemCount;
    this.sendStart = spec.sendStart;
    this.sendIntervalMs = Math.max(1, Math.round(1000 / (spec.sendsPerSecond ?? 40)));
    const wave = this.recipients * this.sendIntervalMs;
    this.itemGapMs = spec.itemGapMs ?? Math.max(DAY, wave + HOUR);
    if (this.itemGapMs < wave + this.sendIntervalMs) {
      // Waves must not overlap: send times have to grow with the unit number (range lookups rely on it).
      this.itemGapMs = wave + this.sendIntervalMs;
    }
    this.unknownTypes = spec.unknownTypes ?? false;
    this.items = [];
    const rng = new Rng(hash32(this.key, 0x17e5));
    for (let k = 0; k < this.itemCount; k++) {
      const id = base36Id(30000 + (hash32(this.key, k, 0x1d) % 1_500_000), 6);
      const name = spec.itemNames?.[k] ?? `${spec.name} #${k + 1}`;
      const linkCount = rng.int(3, 5);
      const start = rng.int(0, LINK_POOL.length - 1);
      const links: string[] = [];
      for (let l = 0; l < linkCount; l++) {
        const spec = LINK_POOL[(start + l) % LINK_POOL.length]!;
        links.push(
          JSON.stringify({
            type: 'redirection',
            label: spec.label,
            source: 'html',
            destination: SHOP_HOST + spec.path,
          }),
        );
      }
      const tracking = `https://t.np6-mail.example/${id.toLowerCase()}`;
      this.items.push({
        id,
        channel: 'email',
        name,
        links,
        openLink: JSON.stringify({ type: 'open', label: 'open', source: 'html' }),
        mirrorLink: JSON.stringify({
          type: 'mirror',
          label: 'mirror',
          source: 'html',
          destination: `${tracking}/mirror`,
        }),
        formLink: JSON.stringify({
          type: 'form',
          label: 'preferences',
          source: 'html',
          destination: `${tracking}/form/preferences`,
        }),
        unsubscribeLink: JSON.stringify({
          type: 'unsubscribe',
          label: 'unsubscribe',
          source: 'html',
          destination: `${tracking}/unsubscribe`,
        }),
      });
    }
  }

  itemOf(u: number): number {
    return Math.floor(u / this.recipients);
  }
  recipientOf(u: number): number {
    return u % this.recipients;
  }
  /** Nominal send time of unit u (the execution is within one send interval after it). */
  sendTime(u: number): number {
    const k = Math.floor(u / this.recipients);
    return this.sendStart + k * this.itemGapMs + (u - k * this.recipients) * this.sendIntervalMs;
  }

  /** Units that may hold events in [start, end): [first, last). */
  unitRange(start: number | undefined, end: number | undefined): [number, number] {
    const lowest =
      start === undefined ? 0 : this.firstUnitSentAtOrAfter(start - MAX_SPAN_MS - this.sendIntervalMs);
    const highest = end === undefined ? this.units : this.firstUnitSentAtOrAfter(end);
    return [lowest, Math.max(lowest, highest)];
  }

  private firstUnitSentAtOrAfter(t: number): number {
    let lo = 0;
    let hi = this.units;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sendTime(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Per unit, seconds from its send time to just after its last event (4 bytes a unit, about 1.3
   * bytes an event): lets a narrow time window skip the units that cannot reach it without
   * regenerating them. Undefined for campaigns too large to scan at start-up.
   */
  private lastEventSec: Uint32Array | undefined;

  /** Computes start/end/approxEvents (and the skip index): exactly by a scan, by sampling when huge. */
  measure(): void {
    const ev = new UnitEvents();
    const exact = this.units <= MAX_SCANNED_UNITS;
    const stride = exact ? 1 : Math.ceil(this.units / 50_000);
    const last = exact ? new Uint32Array(this.units) : undefined;
    let count = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let u = 0; u < this.units; u += stride) {
      ev.fill(this, u);
      count += ev.count;
      let unitMax = -Infinity;
      for (let j = 0; j < ev.count; j++) {
        const t = ev.ts[j]!;
        if (t < min) min = t;
        if (t > unitMax) unitMax = t;
      }
      if (unitMax > max) max = unitMax;
      if (last) last[u] = Math.ceil((unitMax - this.sendTime(u)) / 1000) + 1;
    }
    this.lastEventSec = last;
    this.approxEvents = Math.round(count * stride);
    this.start = exact ? min : this.sendTime(0);
    this.end = exact ? max + 1 : this.sendTime(this.units - 1) + this.sendIntervalMs + MAX_SPAN_MS;
  }

  /** False when unit u certainly has no event at or after `start` (true when unknown). */
  mayReach(u: number, start: number | undefined): boolean {
    if (start === undefined || !this.lastEventSec) return true;
    return this.sendTime(u) + this.lastEventSec[u]! * 1000 > start;
  }

  describe(): SandboxCampaign {
    return {
      id: this.id,
      name: this.name,
      items: this.items.map((i) => ({ id: i.id, channel: i.channel, name: i.name })),
      start: this.start,
      end: this.end,
      approxEvents: this.approxEvents,
    };
  }
}

/**
 * The skeleton of one unit's events, in ordinal order (not time order). Reused between units so
 * that generating millions of them allocates nothing.
 */
export class UnitEvents {
  readonly ts = new Float64Array(MAX_UNIT_EVENTS);
  readonly kind = new Uint8Array(MAX_UNIT_EVENTS);
  readonly sub = new Uint8Array(MAX_UNIT_EVENTS);
  /** Per-event random bits for the renderer (link, IP, robot, bounce reason ...). */
  readonly param = new Uint32Array(MAX_UNIT_EVENTS);
  count = 0;
  unit = -1;
  model: CampaignModel | undefined;
  private readonly rng = new Rng(0);
  private limit = 0;

  fill(m: CampaignModel, u: number): void {
    if (this.model === m && this.unit === u) return;
    this.model = m;
    this.unit = u;
    this.count = 0;
    const rng = this.rng;
    rng.reset(hash3(m.key, u, 0x5eed));
    const t0 = m.sendTime(u) + rng.int(0, m.sendIntervalMs - 1);
    this.limit = t0 + MAX_SPAN_MS - 1;
    this.add(K_EXECUTION, 0, t0);
    if (rng.chance(0.012)) {
      this.add(K_CANCELLATION, 0, t0 + rng.int(200, 3000));
      return;
    }
    const tA = t0 + rng.int(2 * SECOND, 9 * SECOND);
    this.add(K_ACTIVATION, 0, tA);
    if (m.unknownTypes && rng.chance(0.06)) this.add(K_DELIVERY, 0, tA + rng.int(500, 4000));
    const b = rng.next();
    if (b < 0.015) {
      this.add(K_BOUNCE, 0, tA + rng.int(SECOND, MINUTE)); // hard: refused at once
      return;
    }
    if (b < 0.04) {
      this.add(K_BOUNCE, 1, tA + rng.int(10 * MINUTE, 8 * HOUR)); // soft: deferred, then given up
      return;
    }
    // Privacy proxies fetch the open pixel seconds after delivery, whether or not a person reads.
    if (rng.chance(0.14)) this.add(K_HIT, S_OPEN, tA + rng.int(SECOND, 5 * SECOND), 1);
    else if (rng.chance(0.03)) this.add(K_HIT, S_OPEN, tA + rng.int(1500, 5 * SECOND), 2);
    if (rng.chance(0.02)) {
      // A mail gateway's link scanner follows each tracked link once, seconds after delivery.
      const links = m.items[m.itemOf(u)]!.links.length;
      for (let l = 0; l < links; l++) {
        this.add(K_HIT, S_REDIRECTION, tA + rng.int(2 * SECOND, 8 * SECOND), 3, l);
      }
    }
    if (!rng.chance(0.38)) return;
    // A reader: opens hours (sometimes days) later, maybe several times, maybe clicks.
    const firstOpen = tA + 30 * SECOND + Math.min(rng.exp(5 * HOUR), 10 * DAY);
    let lastOpen = firstOpen;
    this.add(K_HIT, S_OPEN, firstOpen);
    if (rng.chance(0.3)) {
      const more = rng.int(1, 3);
      for (let i = 0; i < more; i++) {
        lastOpen += MINUTE + Math.min(rng.exp(DAY), 3 * DAY);
        this.add(K_HIT, S_OPEN, lastOpen);
      }
    }
    if (rng.chance(0.04)) this.add(K_HIT, S_MIRROR, firstOpen + rng.int(10 * SECOND, 2 * MINUTE));
    if (rng.chance(0.42)) {
      const clicks = rng.int(1, 3);
      let t = firstOpen;
      for (let i = 0; i < clicks; i++) {
        t += rng.int(5 * SECOND, 10 * MINUTE);
        this.add(K_HIT, S_REDIRECTION, t);
      }
      if (rng.chance(0.12)) this.add(K_HIT, S_FORM, t + rng.int(30 * SECOND, 15 * MINUTE));
    }
    if (rng.chance(0.02)) this.add(K_HIT, S_UNSUB, lastOpen + rng.int(10 * SECOND, 5 * MINUTE));
  }

  /**
   * `robot`: 0 person, 1 Apple privacy proxy, 2 Google image proxy, 3 link scanner.
   * `link`: the tracked link to use, or -1 for a random one.
   */
  private add(kind: number, sub: number, t: number, robot = 0, link = -1): void {
    const j = this.count++;
    this.kind[j] = kind;
    this.sub[j] = sub;
    this.ts[j] = Math.min(Math.floor(t), this.limit);
    // Low 2 bits: robot kind; bits 4+: random choices for the renderer (bits 4-7 pick the link).
    const bits = this.rng.u32() & ~3;
    this.param[j] = (link < 0 ? bits | robot : (bits & ~0xf0) | (link << 4) | robot) >>> 0;
  }
}

interface RecipientText {
  r: number;
  p: number;
  email: string;
  domain: string;
  contactId: string;
  footprint: string;
  /** One reader, one device for all their opens and clicks. */
  ua: string;
}

interface UnitText {
  u: number;
  activation: string;
  activationById: string;
  /** Built on demand: only executions and cancellations need it. */
  execution: string;
  ip: string;
}

/**
 * Strings shared by the events of a recipient or a unit, in small direct-mapped caches: in time
 * order a unit's execution, activation and robot open come close together, so most lookups hit.
 */
class TextCache {
  private static readonly SIZE = 64;
  private model: CampaignModel | undefined;
  private recipients: (RecipientText | undefined)[] = [];
  private units: (UnitText | undefined)[] = [];

  private use(m: CampaignModel): void {
    if (this.model === m) return;
    this.model = m;
    this.recipients = new Array<RecipientText | undefined>(TextCache.SIZE);
    this.units = new Array<UnitText | undefined>(TextCache.SIZE);
  }

  recipient(m: CampaignModel, r: number): RecipientText {
    this.use(m);
    const slot = r & (TextCache.SIZE - 1);
    const hit = this.recipients[slot];
    if (hit && hit.r === r) return hit;
    // Recipient r is the same person in every item of the campaign (same contact id and address).
    const p = hash3(m.key, r, 0x9e);
    const first = FIRST_NAMES[p % FIRST_NAMES.length]!;
    const last = LAST_NAMES[(p >>> 8) % LAST_NAMES.length]!;
    const domain = DOMAINS[(p >>> 16) % DOMAINS.length]!;
    const email = `${first[1]}.${last[1]}${r}@${domain}`;
    const contactId = base36Id(1_600_000_000 + (hash3(m.key, r, 0xc0) % 1_000_000_000), 8);
    const hash = md5LikeFrom(m.key, r);
    const t: RecipientText = {
      r,
      p,
      email,
      domain,
      contactId,
      footprint: `{"type":"footprint","id":"${contactId}","unicity":"${email}","hash":"${hash}"}`,
      ua: HUMAN_UA_JSON[(p >>> 20) % HUMAN_UA_JSON.length]!,
    };
    this.recipients[slot] = t;
    return t;
  }

  unit(m: CampaignModel, u: number): UnitText {
    this.use(m);
    const slot = u & (TextCache.SIZE - 1);
    const hit = this.units[slot];
    if (hit && hit.u === u) return hit;
    const itemId = m.items[m.itemOf(u)]!.id;
    const rt = this.recipient(m, m.recipientOf(u));
    const stamp = `{"time":${m.sendTime(u)},"id":"${uuidFrom(m.key, u, 0x53)}","thread":"${uuidFrom(m.key, u, 0x54)}"}`;
    const tail = `"stamp":${stamp},"recipient":"${rt.email}"}`;
    const q = hash3(m.key, u, 0x1b);
    const t: UnitText = {
      u,
      activation: `{"id":"${itemId}","kind":"message","receiver":${rt.footprint},${tail}`,
      activationById: `{"id":"${itemId}","kind":"message","receiver":{"type":"id","value":"${rt.contactId}"},${tail}`,
      execution: '',
      ip:
        (q & 15) === 0
          ? `{"type":"v6","value":"2a01:cb1${q % 10}:${(q >>> 4) & 0xfff}:${(q >>> 16) & 0xff}00::${(q >>> 8) & 0xff}"}`
          : `{"type":"v4","value":"${IPV4_FIRST_OCTETS[q % IPV4_FIRST_OCTETS.length]}.${(q >>> 8) & 255}.${(q >>> 16) & 255}.${1 + ((q >>> 24) % 254)}"}`,
    };
    this.units[slot] = t;
    return t;
  }

  execution(m: CampaignModel, u: number): string {
    const t = this.unit(m, u);
    if (t.execution) return t.execution;
    const k = m.itemOf(u);
    const rt = this.recipient(m, m.recipientOf(u));
    const p = rt.p;
    const first = FIRST_NAMES[p % FIRST_NAMES.length]!;
    const last = LAST_NAMES[(p >>> 8) % LAST_NAMES.length]!;
    const city = CITIES[(p >>> 4) % CITIES.length]!;
    const segment = SEGMENTS[(p >>> 12) % SEGMENTS.length]!;
    // Free key/values passed at execution: nested objects and arrays, multi-byte text, null.
    const data =
      `{"firstname":"${first[0]}","lastname":"${last[0]}","city":"${city}","segment":"${segment}",` +
      `"score":${p % 100},"optin":${(p & 1) === 0},"tags":["${segment}","wave-${k + 1}"],` +
      `"offer":{"code":"NP6-${base36Id(p % 46656, 3)}","label":"−${5 * (1 + (p % 6))} % 🌸","expires":null}}`;
    const stamp = `{"time":${m.sendTime(u)},"id":"${uuidFrom(m.key, u, 0x51)}","thread":"${uuidFrom(m.key, u, 0x52)}"}`;
    t.execution = `{"id":"${m.items[k]!.id}","kind":"message","recipient":${rt.footprint},"data":${data},"stamp":${stamp}}`;
    return t.execution;
  }
}

const texts = new TextCache();

/** The JSON text of event `j` of the unit `ev` was filled with (one line, compact, NP6-shaped). */
export function renderEvent(m: CampaignModel, ev: UnitEvents, j: number): string {
  const u = ev.unit;
  const kind = ev.kind[j]!;
  const param = ev.param[j]!;
  const head = `{"type":"${KIND_TYPES[kind]}","id":"${uuidFrom(m.key, u, j)}","timestamp":${ev.ts[j]},"identity":${IDENTITY},`;
  // Undocumented fields, only in campaigns that ask for them: clients must keep them verbatim.
  const extra =
    m.unknownTypes && (param & 0x70) === 0 ? `"trace":{"pipeline":"v2","shard":${(param >>> 8) & 15}},` : '';
  switch (kind) {
    case K_EXECUTION:
      return `${head}${extra}"source":{"type":"email","detail":{"execution":${texts.execution(m, u)}}}}`;
    case K_CANCELLATION: {
      const message = JSON.stringify(CANCELLATION_MESSAGES[(param >>> 4) % CANCELLATION_MESSAGES.length]);
      return `${head}${extra}"source":{"type":"email","detail":{"execution":${texts.execution(m, u)},"cancellation":{"type":"user defined policy","value":{"type":"render","message":${message}}}}}}`;
    }
    case K_ACTIVATION:
      return `${head}${extra}"source":{"type":"email","detail":{"activation":${texts.unit(m, u).activation}}}}`;
    case K_DELIVERY:
      return `${head}${extra}"source":{"type":"email","detail":{"activation":${texts.unit(m, u).activation},"delivery":{"mta":"${MTAS[(param >>> 4) % MTAS.length]}","dsn":"2.0.0","tls":true}},"x-experimental":{"latencyMs":${(param >>> 8) % 4000}}}}`;
    case K_BOUNCE: {
      const soft = ev.sub[j] === 1;
      const list = soft ? SOFT_BOUNCES : HARD_BOUNCES;
      const b = list[(param >>> 4) % list.length]!;
      const rt = texts.recipient(m, m.recipientOf(u));
      const diagnostic = JSON.stringify(
        b.diagnostic.replace('{email}', rt.email).replace('{domain}', rt.domain),
      );
      const mta = MTAS[(param >>> 8) % MTAS.length]!;
      const bounce = `{"status":{"type":"${soft ? 'async' : 'sync'}","code":{"enhanced":"${b.code}"},"diagnostic":${diagnostic},"mta":"${mta}"},"analysis":{"verdict":"${soft ? 'soft' : 'hard'}","subject":${JSON.stringify(b.subject)}}}`;
      return `${head}${extra}"source":{"type":"email","detail":{"activation":${texts.unit(m, u).activationById},"bounce":${bounce}}}}`;
    }
    default: {
      const item = m.items[m.itemOf(u)]!;
      const sub = ev.sub[j]!;
      const link =
        sub === S_OPEN
          ? item.openLink
          : sub === S_REDIRECTION
            ? item.links[((param >>> 4) & 15) % item.links.length]!
            : sub === S_FORM
              ? item.formLink
              : sub === S_UNSUB
                ? item.unsubscribeLink
                : item.mirrorLink;
      const robot = param & 3;
      let client: string;
      if (robot === 1) {
        client = `{"type":"web","ip":{"type":"v4","value":"17.58.${(param >>> 4) & 255}.${(param >>> 12) & 255}"},"ua":${ROBOT_UA_JSON[0]}}`;
      } else if (robot === 3) {
        client = `{"type":"web","ip":{"type":"v4","value":"205.139.${110 + ((param >>> 8) & 3)}.${(param >>> 12) & 255}"},"ua":${ROBOT_UA_JSON[2]}}`;
      } else if (robot === 2) {
        client = `{"type":"web","ip":{"type":"v4","value":"66.249.${(param >>> 4) & 255}.${(param >>> 12) & 255}"},"ua":${ROBOT_UA_JSON[1]}}`;
      } else {
        const ut = texts.unit(m, u);
        client = `{"type":"web","ip":${ut.ip},"ua":${texts.recipient(m, m.recipientOf(u)).ua}}`;
      }
      return `${head}${extra}"source":{"type":"email","detail":{"activation":${texts.unit(m, u).activation},"link":${link},"client":${client}}}}`;
    }
  }
}
