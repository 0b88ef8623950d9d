// The messages between demo mode (the parent) and the demo sandbox in its own Node process
// (dist/sandboxProcess.js, entry process.ts), over the IPC channel of child_process.fork. The key
// travels here, never in argv or the environment (both are visible to other users of the machine,
// e.g. in `ps` or /proc/<pid>/environ). Each side checks what it receives with the guards below.
// Pure Node (no vscode).

import type { CampaignSpec, FaultConfig, SandboxCampaign } from './types';

/** What the sandbox is started with (the first message the parent sends). */
export interface SandboxStart {
  apiKey: string;
  /** The demo's "now" (epoch ms): every campaign ends shortly before it. */
  now: number;
  seed: number;
  /** Also serve the Big Campaign of about this many events (0 = none). */
  bigEvents: number;
  /** Loopback port to listen on; 0 (the default) picks a free one. */
  port?: number;
}

export type ToSandboxProcess =
  { type: 'start'; start: SandboxStart } | { type: 'setFaults'; faults: FaultConfig } | { type: 'close' };

export interface SandboxReady {
  type: 'ready';
  url: string;
  apiKey: string;
  campaigns: SandboxCampaign[];
  /** What the server was started with: a test can start its twin to compute expected events. */
  specs: CampaignSpec[];
  seed: number;
}

export type FromSandboxProcess = SandboxReady | { type: 'error'; message: string } | { type: 'closed' };

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isStart(x: unknown): x is SandboxStart {
  return (
    isRecord(x) &&
    typeof x['apiKey'] === 'string' &&
    x['apiKey'].length > 0 &&
    Number.isFinite(x['now']) &&
    Number.isInteger(x['seed']) &&
    Number.isInteger(x['bigEvents']) &&
    (x['bigEvents'] as number) >= 0 &&
    (x['port'] === undefined ||
      (Number.isInteger(x['port']) && (x['port'] as number) >= 0 && (x['port'] as number) < 65536))
  );
}

/** What the process accepts from its parent. */
export function isToSandboxProcess(m: unknown): m is ToSandboxProcess {
  if (!isRecord(m)) return false;
  switch (m['type']) {
    case 'start':
      return isStart(m['start']);
    case 'setFaults':
      return isRecord(m['faults']) && typeof m['faults']['mode'] === 'string';
    case 'close':
      return true;
    default:
      return false;
  }
}

/** What the parent accepts from the process: a ready URL is always plain http on loopback. */
export function isFromSandboxProcess(m: unknown): m is FromSandboxProcess {
  if (!isRecord(m)) return false;
  switch (m['type']) {
    case 'ready':
      return (
        typeof m['url'] === 'string' &&
        /^http:\/\/127\.0\.0\.1:\d{1,5}$/.test(m['url']) &&
        typeof m['apiKey'] === 'string' &&
        Array.isArray(m['campaigns']) &&
        Array.isArray(m['specs']) &&
        Number.isInteger(m['seed'])
      );
    case 'error':
      return typeof m['message'] === 'string';
    case 'closed':
      return true;
    default:
      return false;
  }
}
