// The rules that turn raw np6.* setting values into the extension's typed settings, without the
// VS Code API (src/vscode/settings.ts hands in what the configuration holds), so they are unit
// tested. What decides where the API key is sent (np6.baseUrl) and what bounds this machine's
// resources (the `userOnly` numbers) is machine-scoped: only the user's value counts, a workspace
// value is ignored, so a cloned repository can neither redirect the key to its own server nor
// make a request wait for ever or fill the disk. Every number is range-checked; a value out of
// range falls back to the default and is reported (the NP6 log).
import { checkTimeZone } from './dates';
import { checkNumberSetting, NUMBER_SETTINGS, type NumberSetting } from './numberSettings';
import { checkBaseUrl, DEFAULT_BASE_URL } from '../np6/baseUrl';
import { checkId, checkItemId } from '../np6/ids';

export interface ItemSetting {
  id: string;
  channel: string;
  name?: string;
}
export interface CampaignSetting {
  id: string;
  name?: string;
  items: ItemSetting[];
}

export interface Np6Settings {
  baseUrl: { url: string } | { error: string };
  campaigns: CampaignSetting[];
  /**
   * Problems found in the settings (np6.campaigns entries skipped or with an invalid id, numbers
   * out of range), written to the NP6 log.
   */
  campaignProblems: string[];
  timeZone: string;
  requestTimeoutMs: number;
  maxDocumentBytes: number;
  maxStorageBytes: number;
  /** Bounds of one request (np6.limits.*), handed to the client. */
  limits: { maxElementBytes: number; deadlineMs: number; minBytesPerSecond: number };
}

/** What the reader sees of the np6 section; keys are relative to it ('baseUrl', 'limits.…'). */
export interface SettingsSource {
  /** The value in the user (global) settings only, undefined when the user has not set it. */
  user(key: string): unknown;
  /** The value that applies here (workspace folder over workspace over user over the default). */
  effective(key: string): unknown;
}

/** The base URL from the user's settings (a workspace value is ignored), checked like the CLI's. */
export function baseUrlFromSettings(raw: unknown): { url: string } | { error: string } {
  const r = checkBaseUrl(typeof raw === 'string' ? raw : '');
  return 'error' in r ? { error: `np6.baseUrl (user settings) is refused. ${r.error}` } : r;
}

/** A time zone the platform knows ('local', 'UTC', IANA); an unknown one falls back to 'local'. */
export function displayTimeZone(tz: string): string {
  return checkTimeZone(tz) === undefined ? tz : 'local';
}

/**
 * The campaigns of np6.campaigns, and what is wrong with the value. Entries without an id, not
 * objects or listed twice are skipped; a campaign or item whose id NP6 would refuse is kept (the
 * tree shows it as invalid, with the reason, and never sends it) and reported.
 */
export function parseCampaigns(value: unknown): { campaigns: CampaignSetting[]; problems: string[] } {
  const campaigns: CampaignSetting[] = [];
  const problems: string[] = [];
  if (!Array.isArray(value)) {
    return { campaigns, problems: value === undefined ? [] : ['np6.campaigns is not an array'] };
  }
  const seen = new Set<string>();
  value.forEach((c: unknown, i) => {
    if (!c || typeof c !== 'object') return void problems.push(`np6.campaigns[${i}] is not an object`);
    const r = c as Record<string, unknown>;
    if (typeof r.id !== 'string' || !r.id.trim()) {
      return void problems.push(`np6.campaigns[${i}] has no "id"`);
    }
    // Compared trimmed, as the id is stored and sent: " X" and "X" are the same campaign.
    const campaignId = r.id.trim();
    if (seen.has(campaignId)) {
      return void problems.push(`np6.campaigns[${i}]: campaign "${campaignId}" is listed twice`);
    }
    // Kept (the tree shows it as invalid, with the reason) but never sent: see campaignsTree.
    const idProblem = checkId(campaignId, 'campaign');
    if (idProblem) problems.push(`np6.campaigns[${i}]: ${idProblem}`);
    seen.add(campaignId);
    const items: ItemSetting[] = [];
    if (Array.isArray(r.items)) {
      r.items.forEach((it: unknown, j) => {
        const o = (it && typeof it === 'object' ? it : {}) as Record<string, unknown>;
        const id = typeof o.id === 'number' ? String(o.id) : o.id;
        if (typeof id !== 'string' || !id.trim()) {
          problems.push(`np6.campaigns[${i}].items[${j}] has no "id"`);
          return;
        }
        const itemProblem = checkItemId(id.trim());
        if (itemProblem) problems.push(`np6.campaigns[${i}].items[${j}]: ${itemProblem}`);
        items.push({
          id: id.trim(),
          channel: typeof o.channel === 'string' && o.channel ? o.channel : 'email',
          ...(typeof o.name === 'string' && o.name ? { name: o.name } : {}),
        });
      });
    }
    campaigns.push({
      id: campaignId,
      ...(typeof r.name === 'string' && r.name ? { name: r.name } : {}),
      items,
    });
  });
  return { campaigns, problems };
}

/** All the settings, read from `source` by the rules above; problems list campaigns first, then numbers. */
export function parseSettings(source: SettingsSource): Np6Settings {
  const { campaigns, problems } = parseCampaigns(source.effective('campaigns'));
  const num = (key: NumberSetting): number => {
    const raw = NUMBER_SETTINGS[key].userOnly ? source.user(key) : source.effective(key);
    const r = checkNumberSetting(key, raw);
    if (r.problem) problems.push(r.problem);
    return r.value;
  };
  return {
    baseUrl: baseUrlFromSettings(source.user('baseUrl') ?? DEFAULT_BASE_URL),
    campaigns,
    campaignProblems: problems,
    // A value that is not a string is refused by Intl like an unknown name: 'local' is used.
    timeZone: displayTimeZone((source.effective('timeZone') ?? 'local') as string),
    requestTimeoutMs: num('requestTimeoutSeconds') * 1000,
    maxDocumentBytes: num('export.maxDocumentSizeMB') * 1024 * 1024,
    maxStorageBytes: num('results.maxStorageMB') * 1024 * 1024,
    limits: {
      maxElementBytes: num('limits.maxEventSizeMB') * 1024 * 1024,
      deadlineMs: num('limits.requestDeadlineMinutes') * 60_000,
      minBytesPerSecond: num('limits.minThroughputKBps') * 1024,
    },
  };
}
