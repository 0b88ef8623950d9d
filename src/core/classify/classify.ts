// Classifies every hit of a result in two passes over its compact index: who made it — a person,
// a privacy proxy, a security scanner or a robot. Order of evidence: NP6's own classification of
// the hit (when the event carries one), then the rules on user agent and address (rules.json and
// the user's extra rules, first match wins), then behaviour (clicks within seconds of delivery,
// several links within a second), else human. The user agent is matched once per distinct agent.

import type { EventIndex } from '../eventIndex';
import type { Np6Event } from '../../np6/events';
import { CLASS_HUMAN, CLASS_SCANNER, NOT_A_HIT } from './hitClass';
import { np6ClassOf as np6ClassOfEvent } from './np6Class';
import { REASON_BEHAVIOUR, REASON_NONE, REASON_NP6, REASON_RULE } from '../../shared/timeline/hitClasses';
import type { Rules } from './rules';
import { ROWS_PER_STEP, runAtOnce, type Steps } from '../../shared/steps';

/**
 * Other sources for what the index keeps (tests): by default NP6's class and the client's
 * address come from the index's own columns.
 */
export interface ClassifyColumns {
  /** The client's IP address of event i. */
  ip?(i: number): string | undefined;
  /** NP6's own class code of hit i (see `np6ClassOf`), or undefined when NP6 said nothing. */
  np6Class?(i: number): number | undefined;
}

export interface ClassifyResult {
  /** Per arrival index: class code for hits, NOT_A_HIT for other events. */
  classes: Uint8Array;
  /** Per arrival index: which evidence decided (0 none, 1 NP6, 2 rule, 3 behaviour). */
  reasons: Uint8Array;
  elapsedMs: number;
}

/** Messages (item x recipient) up to this many are kept in a flat table (8 bytes each). */
const DENSE_CELLS = 4 << 20;

// The reason codes live with the class codes (the timeline's page shows them too).
export { REASON_BEHAVIOUR, REASON_NONE, REASON_NP6, REASON_RULE };

/** NP6's own classification of a hit under `rules`' NP6 values (see np6Class.ts). */
export function np6ClassOf(e: Np6Event, rules: Rules): number | undefined {
  return np6ClassOfEvent(e, rules.np6Values);
}

/** The class the rules give a user agent, or -1 when none matches. */
export function classifyUserAgent(ua: string, rules: Rules): number {
  for (const r of rules.userAgentRules) if (r.matchesAgent(ua)) return r.code;
  return -1;
}

function classifyIp(ip: string, rules: Rules): number {
  for (const r of rules.userAgentRules) if (r.matchesIp(ip)) return r.code;
  return -1;
}

function classifyIpv4(ip: number, rules: Rules): number {
  for (const r of rules.userAgentRules) if (r.matchesIpv4(ip)) return r.code;
  return -1;
}

/** Classifies every hit at once (tests, benchmarks). See classifySteps. */
export function classifyIndex(
  index: EventIndex,
  rules: Rules,
  columns: ClassifyColumns = {},
): ClassifyResult {
  return runAtOnce(classifySteps(index, rules, columns));
}

/**
 * The classification as steps (steps.ts): pauses every ROWS_PER_STEP rows, so the extension host
 * can run it a slice at a time, over the first `length` rows. `elapsedMs` is the time from the
 * first step to the last, pauses included.
 */
export function* classifySteps(
  index: EventIndex,
  rules: Rules,
  columns: ClassifyColumns = {},
  length = index.length,
): Steps<ClassifyResult> {
  const started = performance.now();
  // The first `length` rows (rows appended while the steps pause are not classified).
  const n = Math.min(length, index.length);
  const classes = new Uint8Array(n).fill(NOT_A_HIT);
  const reasons = new Uint8Array(n);
  const kinds = index.kinds;
  const isHit = kinds.map((k) => k === 'hit' || k.startsWith('hit:'));
  const isClick = kinds.map((k) => k === 'hit:redirection' || k === 'hit:form');
  const isActivation = kinds.map((k) => k === 'activation');
  const agentClass = new Int16Array(index.agents.length).fill(-2);
  const R = index.recipients.length;
  const messageKey = (i: number): number => {
    const r = index.recipientCode(i);
    return r < 0 ? -1 : (index.itemCode(i) + 1) * R + r;
  };

  // Pass 1: first activation per message (for "clicked seconds after delivery"), in a flat
  // table when messages are few enough, else in a Map.
  const cells = (index.items.length + 1) * R;
  const dense = cells <= DENSE_CELLS ? new Float64Array(cells).fill(Infinity) : undefined;
  const sparse = dense ? undefined : new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (i % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    const kc = index.kindCode(i);
    if (kc < 0 || !isActivation[kc]) continue;
    const key = messageKey(i);
    if (key < 0) continue;
    const t = index.timestamp(i);
    if (dense) {
      if (t < dense[key]!) dense[key] = t;
    } else if (!(t >= (sparse!.get(key) ?? Infinity))) sparse!.set(key, t);
  }
  const activationOf = (key: number): number => (dense ? dense[key]! : (sparse!.get(key) ?? Infinity));

  // Pass 2: NP6's class, rules, then the per-click behaviour; bursts are settled afterwards.
  const { scannerClickWithinMs, scannerBurstLinks, scannerBurstWithinMs } = rules.behaviour;
  const clicksByMessage = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (i % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    const kc = index.kindCode(i);
    if (kc < 0 || !isHit[kc]) continue;
    const np6 = columns.np6Class ? columns.np6Class(i) : index.np6Class(i);
    if (np6 !== undefined) {
      classes[i] = np6;
      reasons[i] = REASON_NP6;
      continue;
    }
    let cls = -1;
    const ac = index.agentCode(i);
    if (ac >= 0) {
      if (agentClass[ac] === -2) agentClass[ac] = classifyUserAgent(index.agents[ac]!, rules);
      cls = agentClass[ac]!;
    }
    if (cls < 0 && columns.ip) {
      const ip = columns.ip(i);
      if (ip) cls = classifyIp(ip, rules);
    } else if (cls < 0) {
      const v4 = index.ipv4(i);
      if (v4 !== 0) cls = classifyIpv4(v4, rules);
      else {
        const other = index.otherIp(i);
        if (other !== undefined) cls = classifyIp(other, rules);
      }
    }
    if (cls >= 0) {
      classes[i] = cls;
      reasons[i] = REASON_RULE;
      continue;
    }
    classes[i] = CLASS_HUMAN;
    if (!isClick[kc]) continue;
    const key = messageKey(i);
    if (key < 0) continue;
    const dt = index.timestamp(i) - activationOf(key);
    if (dt >= 0 && dt <= scannerClickWithinMs) {
      classes[i] = CLASS_SCANNER;
      reasons[i] = REASON_BEHAVIOUR;
    }
    const list = clicksByMessage.get(key);
    if (list) list.push(i);
    else clicksByMessage.set(key, [i]);
  }

  // Several different links of one message clicked within the burst window: a scanner.
  let settled = 0;
  for (const list of clicksByMessage.values()) {
    if (++settled % ROWS_PER_STEP === 0) yield;
    if (list.length < scannerBurstLinks) continue;
    list.sort((x, y) => index.timestamp(x) - index.timestamp(y));
    let from = 0;
    for (let to = 0; to < list.length; to++) {
      const tEnd = index.timestamp(list[to]!);
      while (tEnd - index.timestamp(list[from]!) > scannerBurstWithinMs) from++;
      if (to - from + 1 < scannerBurstLinks) continue;
      const links = new Set<number>();
      for (let j = from; j <= to; j++) links.add(index.linkCode(list[j]!));
      if (links.size < scannerBurstLinks) continue;
      for (let j = from; j <= to; j++) {
        const i = list[j]!;
        if (reasons[i] === REASON_NONE || reasons[i] === REASON_BEHAVIOUR) {
          classes[i] = CLASS_SCANNER;
          reasons[i] = REASON_BEHAVIOUR;
        }
      }
    }
  }
  return { classes, reasons, elapsedMs: performance.now() - started };
}
