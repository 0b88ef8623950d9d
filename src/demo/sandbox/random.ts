// Small, fast, seedable randomness. Everything the sandbox produces is a pure function of
// (seed, campaign, unit), so data can be regenerated on demand instead of being kept in memory.

/** Mixes integers into one 32-bit hash (a murmur3-style finaliser per input); order matters. */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    // Split so that values above 2^32 (timestamps, large seeds) still count in full.
    const lo = p >>> 0;
    const hi = Math.floor(p / 0x100000000) >>> 0;
    h = Math.imul(h ^ lo, 0x85ebca6b);
    h = (h << 13) | (h >>> 19);
    h = Math.imul(h ^ hi, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32: one 32-bit state, good enough statistically for test data and very cheap. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  reset(seed: number): void {
    this.state = seed >>> 0;
  }
  /** A 32-bit unsigned integer. */
  u32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }
  /** Exponentially distributed value with the given mean (for "time until the recipient reacts"). */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(v: number): string {
  return HEX[v >>> 24]! + HEX[(v >>> 16) & 255]! + HEX[(v >>> 8) & 255]! + HEX[v & 255]!;
}

/** Murmur3's 32-bit finaliser: a cheap bijective scramble. */
export function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** hash32 for exactly three 32-bit inputs, without the rest-argument allocation (hot path). */
export function hash3(a: number, b: number, c: number): number {
  let h = mix32((a >>> 0) ^ 0x9e3779b9);
  h = mix32(h ^ Math.imul(b >>> 0, 0xcc9e2d51));
  return mix32(h ^ Math.imul(c >>> 0, 0x1b873593) ^ 0x5bd1e995);
}

/**
 * A version-4-shaped uuid from three 32-bit inputs, deterministic and injective in (b, c) for a
 * given a: b and c each go, through a bijective scramble, into 32 bits no version/variant digit
 * overwrites, so two events of a campaign can never share an id (clients de-duplicate by id).
 */
export function uuidFrom(a: number, b: number, c: number): string {
  const salt = mix32((a >>> 0) ^ 0x68e31da4);
  const w1 = mix32((b >>> 0) ^ salt);
  const w2 = mix32((c >>> 0) ^ mix32(salt ^ w1));
  const w0 = mix32(w1 + w2 + salt);
  const f = hex32(w0);
  const g = hex32(mix32(w0 ^ 0x2c1b3c6d));
  return `${hex32(w1)}-${f.slice(0, 4)}-4${f.slice(4, 7)}-${'89ab'[w0 & 3]}${g.slice(0, 3)}-${hex32(w2)}${g.slice(3, 7)}`;
}

/** 32 hex digits, like the MD5 hashes NP6 puts in footprints. */
export function md5LikeFrom(a: number, b: number): string {
  const h = hash3(a, b, 0x3d5);
  return (
    hex32(mix32(h ^ 0x1b873593)) +
    hex32(mix32(h + 0x6b43a9b5)) +
    hex32(mix32(h ^ 0x7ed55d16)) +
    hex32(mix32(h + 0x165667b1))
  );
}

const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** NP6-style short ids ("000PE4", "000R4M0T"): zero-padded upper-case base 36 (hot: no toString). */
export function base36Id(n: number, width: number): string {
  let s = '';
  let v = Math.floor(Math.abs(n));
  while (v > 0 || s.length < width) {
    s = BASE36[v % 36]! + s;
    v = Math.floor(v / 36);
  }
  return s;
}
