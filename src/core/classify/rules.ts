// The classification rules: the shipped data file (rules.json) plus the user's extra rules from
// the setting np6.classification.extraRules, validated here (a bad rule is reported and skipped,
// never half-applied) and compiled once into matchers.

import shipped from './rules.json';
import { HIT_CLASSES, hitClassCode, type HitClass } from './hitClass';

export interface UserAgentMatch {
  contains?: string[];
  equals?: string[];
  /** A JavaScript regular expression, matched case-insensitively. */
  regex?: string;
}

export interface RuleSpec {
  id: string;
  class: HitClass;
  userAgent?: UserAgentMatch;
  /** IPv4 or IPv6 CIDR ranges ("17.0.0.0/8"). */
  ipRanges?: string[];
  /** Where the rule comes from (a URL), required so every rule can be checked. */
  source: string;
  evidence?: string;
}

export interface BehaviourSpec {
  scannerClickWithinMs: number;
  scannerBurstLinks: number;
  scannerBurstWithinMs: number;
}

export interface CompiledRule {
  readonly id: string;
  readonly code: number;
  readonly source: string;
  matchesAgent(ua: string): boolean;
  matchesIp(ip: string): boolean;
  /** The same for an IPv4 address as a number (ipv4Number): no parsing per hit. */
  matchesIpv4(ip: number): boolean;
}

export interface Rules {
  readonly userAgentRules: readonly CompiledRule[];
  readonly behaviour: BehaviourSpec;
  /** NP6 classification value (lower case) → class code. */
  readonly np6Values: ReadonlyMap<string, number>;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s.length > 0);
}

/** An IP address as a bigint and its width (32 or 128 bits); undefined when it is not one. */
export function parseIp(text: string): { value: bigint; bits: 32 | 128 } | undefined {
  const s = text.trim();
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { value: parts.reduce((a, p) => (a << 8n) | BigInt(p), 0n), bits: 32 };
  }
  if (!s.includes(':') || !/^[0-9a-fA-F:]+$/.test(s)) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { value: groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n), bits: 128 };
}

function cidrMatcher(cidr: string): ((ip: string) => boolean) | undefined {
  const [addr, len] = cidr.split('/');
  const base = addr === undefined ? undefined : parseIp(addr);
  const prefix = len === undefined ? base?.bits : Number(len);
  if (!base || prefix === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > base.bits) {
    return undefined;
  }
  const shift = BigInt(base.bits - prefix);
  const want = base.value >> shift;
  return (ip) => {
    const p = parseIp(ip);
    return p !== undefined && p.bits === base.bits && p.value >> shift === want;
  };
}

/** An IPv4 CIDR range as a base and a mask (unsigned 32-bit); undefined for IPv6 or a bad one. */
function ipv4Range(cidr: string): { base: number; mask: number } | undefined {
  const [addr, len] = cidr.split('/');
  const base = addr === undefined ? undefined : parseIp(addr);
  if (!base || base.bits !== 32) return undefined;
  const prefix = len === undefined ? 32 : Number(len);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return { base: (Number(base.value) & mask) >>> 0, mask };
}

/** Checks one rule; returns the problems (empty when the rule is usable). */
export function ruleProblems(v: unknown): string[] {
  if (!isObj(v)) return ['a rule must be an object'];
  const p: string[] = [];
  if (typeof v.id !== 'string' || !v.id) p.push('"id" must be a non-empty string');
  if (typeof v.class !== 'string' || !(HIT_CLASSES as readonly string[]).includes(v.class)) {
    p.push(`"class" must be one of ${HIT_CLASSES.join(', ')}`);
  }
  if (typeof v.source !== 'string' || !/^https?:\/\/\S+$/.test(v.source)) {
    p.push('"source" must be the URL the rule comes from');
  }
  const ua = v.userAgent;
  if (ua === undefined && v.ipRanges === undefined) p.push('a rule needs "userAgent" or "ipRanges"');
  if (ua !== undefined) {
    if (!isObj(ua)) p.push('"userAgent" must be an object');
    else {
      if (ua.contains !== undefined && !isStringList(ua.contains)) {
        p.push('"userAgent.contains" must be a list of strings');
      }
      if (ua.equals !== undefined && !isStringList(ua.equals)) {
        p.push('"userAgent.equals" must be a list of strings');
      }
      if (ua.regex !== undefined) {
        if (typeof ua.regex !== 'string' || ua.regex.length > 2000) {
          p.push('"userAgent.regex" must be a string');
        } else {
          try {
            new RegExp(ua.regex, 'i');
          } catch (e) {
            p.push(`"userAgent.regex" is not a valid regular expression (${(e as Error).message})`);
          }
        }
      }
      if (ua.contains === undefined && ua.equals === undefined && ua.regex === undefined) {
        p.push('"userAgent" needs "contains", "equals" or "regex"');
      }
    }
  }
  if (v.ipRanges !== undefined) {
    if (!isStringList(v.ipRanges)) p.push('"ipRanges" must be a list of CIDR strings');
    else for (const r of v.ipRanges) if (!cidrMatcher(r)) p.push(`"${r}" is not a CIDR range`);
  }
  return p;
}

function compile(spec: RuleSpec): CompiledRule {
  const contains = (spec.userAgent?.contains ?? []).map((s) => s.toLowerCase());
  const equals = new Set(spec.userAgent?.equals ?? []);
  const regex = spec.userAgent?.regex !== undefined ? new RegExp(spec.userAgent.regex, 'i') : undefined;
  const ranges = (spec.ipRanges ?? []).map((r) => cidrMatcher(r)!);
  const v4 = (spec.ipRanges ?? []).map(ipv4Range).filter((r) => r !== undefined);
  return {
    id: spec.id,
    code: hitClassCode(spec.class),
    source: spec.source,
    matchesAgent(ua) {
      if (equals.has(ua.trim())) return true;
      if (contains.length > 0) {
        const lower = ua.toLowerCase();
        if (contains.some((c) => lower.includes(c))) return true;
      }
      return regex !== undefined && regex.test(ua);
    },
    matchesIp(ip) {
      return ranges.some((m) => m(ip));
    },
    matchesIpv4(ip) {
      return v4.some((r) => (ip & r.mask) >>> 0 === r.base);
    },
  };
}

export interface ExtraRulesCheck {
  rules: RuleSpec[];
  /** One line per rule left out, saying why (for a warning the user can act on). */
  problems: string[];
}

/** Validates the setting's value (a list of rules); bad rules are left out and reported. */
export function checkExtraRules(value: unknown): ExtraRulesCheck {
  if (value === undefined || value === null) return { rules: [], problems: [] };
  if (!Array.isArray(value)) {
    return { rules: [], problems: ['np6.classification.extraRules must be a list of rules'] };
  }
  const rules: RuleSpec[] = [];
  const problems: string[] = [];
  value.forEach((v: unknown, i) => {
    const p = ruleProblems(v);
    if (p.length === 0) rules.push(v as RuleSpec);
    else {
      problems.push(
        `rule ${i + 1}${isObj(v) && typeof v.id === 'string' ? ` (${v.id})` : ''}: ${p.join('; ')}`,
      );
    }
  });
  return { rules, problems };
}

/** The shipped rules (checked like extra rules: a broken data file fails loudly in the tests). */
export function shippedRuleSpecs(): RuleSpec[] {
  return shipped.userAgentRules as RuleSpec[];
}

/** Compiles the shipped rules with `extra` (from the setting, already checked) first. */
export function loadRules(extra: readonly RuleSpec[] = []): Rules {
  const np6Values = new Map<string, number>();
  for (const [k, v] of Object.entries(shipped.np6Classification.values)) np6Values.set(k, hitClassCode(v));
  const { scannerClickWithinMs, scannerBurstLinks, scannerBurstWithinMs } = shipped.behaviour;
  return {
    userAgentRules: [...extra, ...shippedRuleSpecs()].map(compile),
    behaviour: { scannerClickWithinMs, scannerBurstLinks, scannerBurstWithinMs },
    np6Values,
  };
}
