// Fault injection: the failures a client of the real API must survive, switchable per test or
// from another process (POST /_sandbox/faults).

import { HOSTILE_KINDS, hostileSettingsProblem, isHostileKind, type HostilePlan } from './hostile';
import type { FaultConfig, FaultMode } from './types';

const MODES: readonly FaultMode[] = [
  'none',
  '429',
  '500',
  '503',
  'html',
  'slow',
  'cut',
  'malformed',
  ...HOSTILE_KINDS,
];

/** What to do to one request, decided when it arrives. */
export interface FaultPlan {
  mode: Exclude<FaultMode, 'none'>;
  config: FaultConfig;
}

export class FaultState {
  private config: FaultConfig = { mode: 'none' };
  private remaining = Infinity;

  set(f: FaultConfig): void {
    this.config = { ...f };
    this.remaining = f.times === undefined ? Infinity : Math.max(0, Math.floor(f.times));
  }

  get current(): FaultConfig {
    return { ...this.config };
  }

  /** The fault for a request to `path`, consuming one of `times` when it applies (hostile modes aside). */
  take(path: string): FaultPlan | undefined {
    const c = this.config;
    if (c.mode === 'none' || isHostileKind(c.mode) || this.remaining <= 0) return undefined;
    if (c.pathIncludes !== undefined && !path.includes(c.pathIncludes)) return undefined;
    this.remaining--;
    return { mode: c.mode, config: c };
  }

  /** The hostile fault for a request to `path` (an event request), consuming one of `times`. */
  takeHostile(path: string): HostilePlan | undefined {
    const c = this.config;
    if (!isHostileKind(c.mode) || this.remaining <= 0) return undefined;
    if (c.pathIncludes !== undefined && !path.includes(c.pathIncludes)) return undefined;
    this.remaining--;
    return { kind: c.mode, settings: c };
  }
}

/** Validates a FaultConfig received as JSON; returns an error message a tester can act on. */
export function parseFaultConfig(v: unknown): { ok: FaultConfig } | { error: string } {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return { error: 'Send a JSON object like {"mode":"429"}.' };
  }
  const o = v as Record<string, unknown>;
  if (typeof o.mode !== 'string' || !(MODES as readonly string[]).includes(o.mode)) {
    return { error: `"mode" must be one of ${MODES.join(', ')}.` };
  }
  const numbers = ['times', 'retryAfterSeconds', 'cutAfterEvents', 'slowChunkDelayMs'] as const;
  for (const n of numbers) {
    if (o[n] !== undefined && (typeof o[n] !== 'number' || !Number.isFinite(o[n]) || o[n] < 0)) {
      return { error: `"${n}" must be a non-negative number.` };
    }
  }
  if (o.useRateLimitReset !== undefined && typeof o.useRateLimitReset !== 'boolean') {
    return { error: '"useRateLimitReset" must be true or false.' };
  }
  if (o.pathIncludes !== undefined && typeof o.pathIncludes !== 'string') {
    return { error: '"pathIncludes" must be a string.' };
  }
  const hostile = hostileSettingsProblem(o);
  if (hostile) return { error: hostile };
  return { ok: o as unknown as FaultConfig };
}

export const HTML_ERROR_PAGE = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>
`;
