import type { CampaignSpec } from './types';

export const DEMO_API_KEY = 'demo-key-np6-sandbox';
export const DEMO_CAMPAIGNS: CampaignSpec[] = [];
export function demoCampaignsRelativeTo(_nowMs: number): CampaignSpec[] {
  return [];
}
export function LARGE_CAMPAIGN(n: number): CampaignSpec {
  return { name: `Large campaign (~${n} events)`, recipients: Math.ceil(n / 6), items: 2, sendStart: 0 };
}
