// The one typed reader of the extension's settings. Everything that decides where the API key is
// sent (np6.baseUrl) is read from the user/machine level only: a workspace value is ignored, so a
// cloned repository can never redirect the key to its own server.
import * as vscode from 'vscode';
import { checkTimeZone } from '../core/dates';

export const DEFAULT_BASE_URL = 'https://api-cm.np6.com';

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
  /** Problems found in np6.campaigns (entries skipped), shown in the tree's tooltip and the log. */
  campaignProblems: string[];
  timeZone: string;
  requestTimeoutMs: number;
  maxDocumentBytes: number;
  maxStorageBytes: number;
}

const SECTION = 'np6';

/** https only, except loopback (a local proxy or the sandbox) where http is allowed. */
export function checkBaseUrl(raw: string): { url: string } | { error: string } {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return {
      error: `np6.baseUrl "${raw}" is not a URL: set it to ${DEFAULT_BASE_URL} in your user settings.`,
    };
  }
  const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
    return {
      error: `np6.baseUrl "${u.origin}" is refused: only https is allowed (http only on loopback), so the API key is never sent in clear.`,
    };
  }
  if (u.username || u.password) {
    return { error: 'np6.baseUrl must not contain a user name or password.' };
  }
  return { url: u.toString().replace(/\/+$/, '') };
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
  // inspect(): only the user (global) value or the default counts for the base URL.
  const base = cfg.inspect<string>('baseUrl');
  const baseRaw = base?.globalValue ?? base?.defaultValue ?? DEFAULT_BASE_URL;
  const { campaigns, problems } = parseCampaigns(cfg.get<unknown>('campaigns', []));
  const num = (key: string, def: number, min: number): number => {
    const v = cfg.get<number>(key, def);
    return typeof v === 'number' && Number.isFinite(v) && v >= min ? v : def;
  };
  return {
    baseUrl: checkBaseUrl(baseRaw),
    campaigns,
    campaignProblems: problems,
    timeZone: displayTimeZone(cfg.get<string>('timeZone', 'local')),
    requestTimeoutMs: num('requestTimeoutSeconds', 60, 1) * 1000,
    maxDocumentBytes: num('export.maxDocumentSizeMB', 50, 1) * 1024 * 1024,
    maxStorageBytes: num('results.maxStorageMB', 1024, 16) * 1024 * 1024,
  };
}

/** Writes np6.campaigns where it is defined now (workspace if set there, else user settings). */
export async function writeCampaigns(campaigns: CampaignSetting[]): Promise<void> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const info = cfg.inspect<unknown>('campaigns');
  const target =
    info?.workspaceFolderValue !== undefined
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
