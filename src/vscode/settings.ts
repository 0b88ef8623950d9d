// The one typed reader of the extension's settings. What decides where the API key is sent
// (np6.baseUrl) and what bounds this machine's resources (np6.requestTimeoutSeconds,
// np6.results.maxStorageMB) is machine-scoped and read from the user level only: a workspace value
// is ignored, so a cloned repository can neither redirect the key to its own server nor make a
// request wait for ever or fill the disk. Every number is range-checked; a value out of range falls
// back to the default and is reported (the NP6 log).
import * as vscode from 'vscode';
import { checkTimeZone } from '../core/dates';
import { checkBaseUrl, DEFAULT_BASE_URL } from '../np6/baseUrl';
import { checkId, checkItemId } from '../np6/ids';
import { checkNumberSetting, NUMBER_SETTINGS, type NumberSetting } from '../core/numberSettings';

export { DEFAULT_BASE_URL };

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

const SECTION = 'np6';

/** The base URL from the user's settings (a workspace value is ignored), checked like the CLI's. */
export function baseUrlFromSettings(raw: unknown): { url: string } | { error: string } {
  const r = checkBaseUrl(typeof raw === 'string' ? raw : '');
  return 'error' in r ? { error: `np6.baseUrl (user settings) is refused. ${r.error}` } : r;
}

/** A time zone the platform knows ('local', 'UTC', IANA); an unknown one falls back to 'local'. */
export function displayTimeZone(tz: string): string {
  return checkTimeZone(tz) === undefined ? tz : 'local';
}

function parseCampaigns(value: unknown): { campaigns: CampaignSetting[]; problems: string[] } {
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
    if (seen.has(r.id)) return void problems.push(`np6.campaigns[${i}]: campaign "${r.id}" is listed twice`);
    // Kept (the tree shows it as invalid, with the reason) but never sent: see campaignsTree.
    const idProblem = checkId(r.id.trim(), 'campaign');
    if (idProblem) problems.push(`np6.campaigns[${i}]: ${idProblem}`);
    seen.add(r.id);
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
          id,
          channel: typeof o.channel === 'string' && o.channel ? o.channel : 'email',
          ...(typeof o.name === 'string' && o.name ? { name: o.name } : {}),
        });
      });
    }
    campaigns.push({
      id: r.id.trim(),
      ...(typeof r.name === 'string' && r.name ? { name: r.name } : {}),
      items,
    });
  });
  return { campaigns, problems };
}

export function readSettings(): Np6Settings {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  // inspect(): only the user (global) value or the default counts for machine-scoped settings.
  const base = cfg.inspect<unknown>('baseUrl');
  const { campaigns, problems } = parseCampaigns(cfg.get<unknown>('campaigns', []));
  const num = (key: NumberSetting): number => {
    const info = cfg.inspect<unknown>(key);
    const raw = NUMBER_SETTINGS[key].userOnly ? info?.globalValue : cfg.get<unknown>(key);
    const r = checkNumberSetting(key, raw);
    if (r.problem) problems.push(r.problem);
    return r.value;
  };
  return {
    baseUrl: baseUrlFromSettings(base?.globalValue ?? DEFAULT_BASE_URL),
    campaigns,
    campaignProblems: problems,
    timeZone: displayTimeZone(cfg.get<string>('timeZone', 'local')),
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

/** Writes np6.campaigns where it is defined now (workspace if set there, else user settings). */
export async function writeCampaigns(campaigns: CampaignSetting[]): Promise<void> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const info = cfg.inspect<unknown>('campaigns');
  // In Restricted Mode the workspace's np6.campaigns is ignored (package.json
  // restrictedConfigurations): edits go to the user settings, the list the tree shows.
  const target = !vscode.workspace.isTrusted
    ? vscode.ConfigurationTarget.Global
    : info?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : info?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await cfg.update('campaigns', campaigns, target);
}

export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) listener();
  });
}
