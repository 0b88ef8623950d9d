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

/** A version-4-shaped uuid from four hashes of the inputs: deterministic, unique in practice. */
export function uuidFrom(...parts: number[]): string {
  const a = hash32(...parts, 1);
  const b = hash32(...parts, 2);
  const c = hash32(...parts, 3);
  const d = hash32(...parts, 4);
  const h = hex32(b);
  const v = hex32(((c & 0x0fffffff) | 0x80000000) >>> 0);
  return `${hex32(a)}-${h.slice(0, 4)}-4${h.slice(5, 8)}-${v.slice(0, 4)}-${v.slice(4)}${hex32(d)}`;
}

/** 32 hex digits, like the MD5 hashes NP6 puts in footprints. */
export function md5LikeFrom(...parts: number[]): string {
  return (
    hex32(hash32(...parts, 11)) +
    hex32(hash32(...parts, 12)) +
    hex32(hash32(...parts, 13)) +
    hex32(hash32(...parts, 14))
  );
}

/** NP6-style short ids ("000PE4", "000R4M0T"): zero-padded upper-case base 36. */
export function base36Id(n: number, width: number): string {
  return n.toString(36).toUpperCase().padStart(width, '0');
}
