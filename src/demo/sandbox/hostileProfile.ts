// The standing hostile profile (`startSandbox({ hostile })`, `--hostile`): decorations on ordinary
// answers (x-request-id, 401 and 400 bodies) and the plan for the hostile campaigns and the key check.

import type { IncomingMessage, ServerResponse } from 'node:http';

import {
  echoRequestId,
  HOSTILE_KINDS,
  hostileSettingsProblem,
  isHostileKind,
  type HostilePlan,
} from './hostile';
import { HOSTILE_CAMPAIGNS, NIL_CAMPAIGN_ID } from './hostileCampaigns';
import { echoKeyJsonBody, HOSTILE_TERMINAL_TEXT } from './hostileTexts';
import { RawJson } from './rawJson';
import type { HostileKind, HostileSettings } from './types';

export class StandingHostility {
  readonly kinds: readonly HostileKind[];
  private readonly settings: HostileSettings;

  constructor(hostile: 'all' | HostileKind[] | undefined, settings: HostileSettings = {}) {
    if (hostile !== undefined && hostile !== 'all') {
      const bad = hostile.find((k) => !isHostileKind(k));
      if (bad !== undefined) {
        throw new Error(`Unknown hostile behaviour "${String(bad)}": use ${HOSTILE_KINDS.join(', ')}.`);
      }
    }
    const problem = hostileSettingsProblem(settings as Record<string, unknown>);
    if (problem) throw new Error(`hostileSettings: ${problem}`);
    this.kinds = hostile === 'all' ? HOSTILE_KINDS : [...new Set(hostile ?? [])];
    this.settings = { ...settings };
  }

  private has(k: HostileKind): boolean {
    return this.kinds.includes(k);
  }

  /** Sets the hostile x-request-id of an ordinary answer. */
  decorate(req: IncomingMessage, res: ServerResponse): void {
    const parts: string[] = [];
    if (this.has('command-links')) parts.push(HOSTILE_TERMINAL_TEXT);
    if (this.has('echo-key')) parts.push(echoRequestId(receivedKey(req)));
    if (parts.length) res.setHeader('x-request-id', parts.join(' '));
  }

  /** The body of a 401 (undefined = NP6's empty body) or a 400 (`{message}` unless hostile). */
  errorBody(req: IncomingMessage, status: 401): unknown;
  errorBody(req: IncomingMessage, status: 400, message: string): unknown;
  errorBody(req: IncomingMessage, status: 400 | 401, message?: string): unknown {
    if (status === 401 && this.has('echo-key')) return new RawJson(echoKeyJsonBody(receivedKey(req)));
    if (!this.has('command-links')) return message === undefined ? undefined : { message };
    return {
      error: HOSTILE_TERMINAL_TEXT,
      message: message === undefined ? HOSTILE_TERMINAL_TEXT : `${message} ${HOSTILE_TERMINAL_TEXT}`,
    };
  }

  /** The hostile answer an event request for this campaign gets, if any. */
  planFor(campaignId: string): HostilePlan | undefined {
    const c = HOSTILE_CAMPAIGNS.find((h) => h.id === campaignId && this.has(h.kind));
    if (c) return { kind: c.kind, settings: { ...this.settings, ...c.settings } };
    if (campaignId === NIL_CAMPAIGN_ID) {
      // The key check (src/vscode/verifyKey.ts): an error answer whose body and request id are hostile.
      const kind = this.has('command-links')
        ? 'command-links'
        : this.has('echo-key')
          ? 'echo-key'
          : undefined;
      if (kind) return { kind, settings: { ...this.settings, status: this.settings.keyCheckStatus ?? 401 } };
    }
    return undefined;
  }
}

function receivedKey(req: IncomingMessage): string {
  const v = req.headers['x-key'];
  return (Array.isArray(v) ? v[0] : v) ?? '';
}
