// The two settings a timeline panel shows: the display zone and the names of a campaign's items.
import * as vscode from 'vscode';
import { resolveDisplayZone } from '../../shared/timeline/displayZone';
import { readSettings } from '../settings';

/**
 * The display zone's NAME: np6.timeZone, where "local" is this extension host's zone (not the
 * browser's: under a remote host they differ). The query picker uses the same rule.
 */
export function displayZone(): string {
  return resolveDisplayZone(
    vscode.workspace.getConfiguration('np6').get<string>('timeZone'),
    Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
}

/** Names of a campaign's items from np6.campaigns, by item id (items without a name are left out). */
export function itemNamesOf(campaignId: string): Record<string, string> {
  const campaign = readSettings().campaigns.find((c) => c.id === campaignId);
  const named = (campaign?.items ?? []).filter((i) => !!i.name);
  return Object.fromEntries(named.map((i) => [i.id, i.name as string]));
}
