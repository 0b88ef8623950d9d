// Campaigns the sandbox serves by default: small, realistic, deterministic. Their dates are fixed
// (relative to DEMO_BASE_DATE) so tests and docs see the same data; demo mode shifts them with
// `demoCampaignsRelativeTo(Date.now())` so that "last 7 days" has something to show.

import { CampaignModel } from './generator';
import type { CampaignSpec } from './types';

export const DEFAULT_SEED = 6;
/** The demo key. Only ever valid against the sandbox. */
export const DEMO_API_KEY = 'np6-sandbox-demo-key';
/** 2026-10-01T00:00:00Z: the demo campaigns' events end shortly before this. */
export const DEMO_BASE_DATE = Date.UTC(2026, 9, 1);

const DAY = 24 * 3600_000;
const at = (daysBefore: number, hourUtc: number) => DEMO_BASE_DATE - daysBefore * DAY + hourUtc * 3600_000;

export const DEMO_CAMPAIGNS: CampaignSpec[] = [
  {
    id: '5f0c7a52-3d1e-4b8a-9c61-2e7f4a9d0b13',
    name: 'Spring Sale',
    recipients: 340,
    items: 2,
    sendStart: at(9, 8),
    itemGapMs: 3 * DAY,
    sendsPerSecond: 5,
    itemNames: ['Spring Sale — teaser', 'Spring Sale — last chance'],
  },
  {
    id: 'a3b9e1d4-7c2f-4e65-8f10-6d4c2b7a9e58',
    name: 'Weekly Newsletter',
    recipients: 540,
    items: 3,
    sendStart: at(20, 7),
    itemGapMs: 7 * DAY,
    sendsPerSecond: 10,
    itemNames: ['Newsletter — week 38', 'Newsletter — week 39', 'Newsletter — week 40'],
  },
  {
    // Triggered one sign-up at a time over several days, with a few events of an undocumented type
    // ('delivery') and unknown fields, so that clients show they tolerate them.
    id: 'c81d4e2f-90ab-4c3d-b5e6-f7a8b9c0d1e2',
    name: 'Welcome Journey',
    recipients: 190,
    items: 1,
    sendStart: at(6, 0),
    sendsPerSecond: 1 / 2400,
    unknownTypes: true,
    itemNames: ['Welcome — your account is ready'],
  },
];

/**
 * The demo campaigns shifted (all by the same amount, keeping their story) so that their last
 * event falls less than an hour before `nowMs`.
 */
export function demoCampaignsRelativeTo(nowMs: number, seed = DEFAULT_SEED): CampaignSpec[] {
  let last = -Infinity;
  DEMO_CAMPAIGNS.forEach((spec, i) => {
    const m = new CampaignModel(seed, spec, i);
    m.measure();
    last = Math.max(last, m.end);
  });
  // Whole hours keep the sends at realistic times of day; the last event lands within the hour before now.
  const shift = Math.floor((nowMs - 60_000 - last) / 3600_000) * 3600_000;
  return DEMO_CAMPAIGNS.map((c) => ({ ...c, sendStart: c.sendStart + shift }));
}

/** Average events per unit (one item sent to one recipient) of the generator, for sizing. */
const EVENTS_PER_UNIT = 3.2;

/** A two-item campaign of about n events, sent fast (a large operation, for scale tests). */
export function LARGE_CAMPAIGN(n: number): CampaignSpec {
  const recipients = Math.max(1, Math.round(n / (2 * EVENTS_PER_UNIT)));
  return {
    name: `Large campaign (~${n.toLocaleString('en-US')} events)`,
    recipients,
    items: 2,
    sendStart: DEMO_BASE_DATE - 30 * DAY,
    sendsPerSecond: 200,
    itemNames: ['Black Friday — A', 'Black Friday — B'],
  };
}

/** The demo's Big Campaign: a stable id whatever its size. */
export const BIG_CAMPAIGN_ID = 'b16ca3e1-0f6e-4d2a-9b1c-5a7e3d9f1c00';

/**
 * LARGE_CAMPAIGN(n) as the demo serves it: named "Big Campaign" and shifted (by whole hours) so
 * that its last event falls within the hour before `nowMs`, like the small demo campaigns.
 */
export function bigDemoCampaign(nowMs: number, n: number, seed = DEFAULT_SEED): CampaignSpec {
  const spec: CampaignSpec = { ...LARGE_CAMPAIGN(n), id: BIG_CAMPAIGN_ID, name: 'Big Campaign' };
  // The index only shapes ids derived from the name; the demo gives an id, so any index will do.
  const m = new CampaignModel(seed, spec, 0);
  m.measure();
  const shift = Math.floor((nowMs - 60_000 - m.end) / 3600_000) * 3600_000;
  return { ...spec, sendStart: spec.sendStart + shift };
}
