// The standing hostile profile's extra campaigns: one per behaviour (a few behaviours have variants),
// with fixed ids, so a CLI line or a workspace's settings can point a query at one behaviour.

import { DEMO_BASE_DATE } from './demo';
import { HOSTILE_CAMPAIGN_NAME, HOSTILE_ITEM_NAME } from './hostileTexts';
import type { CampaignSpec, HostileKind, HostileSettings } from './types';

export interface HostileCampaign {
  id: string;
  name: string;
  kind: HostileKind;
  /** Applied over the profile's hostileSettings. */
  settings: HostileSettings;
}

const id = (n: number) => `badc0de0-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const HOSTILE_CAMPAIGNS: readonly HostileCampaign[] = [
  { id: id(1), name: 'Hostile: command link in a 500', kind: 'command-links', settings: { status: 500 } },
  {
    id: id(2),
    name: 'Hostile: export link in a 400',
    kind: 'command-links',
    settings: { status: 400, commandLink: 'export' },
  },
  { id: id(3), name: HOSTILE_CAMPAIGN_NAME, kind: 'command-links', settings: { status: 200 } },
  { id: id(4), name: 'Hostile: redirect', kind: 'redirect', settings: {} },
  { id: id(5), name: 'Hostile: key echoed (JSON)', kind: 'echo-key', settings: {} },
  { id: id(6), name: 'Hostile: key echoed (HTML)', kind: 'echo-key', settings: { echoKeyHtml: true } },
  { id: id(7), name: 'Hostile: endless element', kind: 'endless-element', settings: {} },
  { id: id(8), name: 'Hostile: whitespace drip', kind: 'whitespace-drip', settings: {} },
  { id: id(9), name: 'Hostile: huge error body', kind: 'huge-error-body', settings: {} },
];

/** The campaign the key check asks for when no campaign is configured (src/vscode/verifyKey.ts). */
export const NIL_CAMPAIGN_ID = '00000000-0000-0000-0000-000000000000';

/** Tiny campaigns so the hostile ones also appear in GET /campaigns and in `sandbox.campaigns`. */
export function hostileCampaignSpecs(kinds: readonly HostileKind[]): CampaignSpec[] {
  return HOSTILE_CAMPAIGNS.filter((c) => kinds.includes(c.kind)).map((c) => ({
    id: c.id,
    name: c.name,
    recipients: 3,
    items: 1,
    sendStart: DEMO_BASE_DATE - 24 * 3600_000,
    itemNames: [c.kind === 'command-links' ? HOSTILE_ITEM_NAME : `${c.name} item`],
  }));
}
