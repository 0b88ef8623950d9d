// Editing np6.campaigns from the tree or the palette: Add Campaign, Add Item, Rename, Remove, Copy ID.
// Each prompt can be skipped by giving its answer as an argument.
import * as vscode from 'vscode';
import type { CampaignLookup, ConnectionStatus, Reporter, ResultsAccess } from '../services';
import { configuredCampaigns } from '../configuredCampaigns';
import { readSettings, writeCampaigns, type CampaignSetting } from '../settings';
import { CampaignNode, ItemNode } from '../tree/nodes';
import { verifyKey } from '../../np6/verifyKey';
import { showErrorMessage, showWarningMessage } from '../untrustedUi';
import { np6Message } from '../../core/np6Message';

export interface AddCampaignArgs {
  id: string;
  name?: string;
  items?: { id: string; channel?: string; name?: string }[];
}
export interface ItemArgs {
  campaignId: string;
  id?: string;
  itemId?: string;
  channel?: string;
  name?: string;
}

/** What the campaign commands use of the services: Refresh re-reads results and re-checks NP6. */
type CampaignCommandNeeds = CampaignLookup & ConnectionStatus & Reporter & Pick<ResultsAccess, 'results'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkId(text: string, what: string): string | undefined {
  const t = text.trim();
  if (!t) return `The ${what} id is empty.`;
  if (/[\s/?#%]/.test(t)) return `The ${what} id must not contain spaces, "/", "?", "#" or "%".`;
  return undefined;
}

function fail(message: string): undefined {
  void showErrorMessage(np6Message(message));
  return undefined;
}

async function addCampaign(ext: CampaignCommandNeeds, args?: AddCampaignArgs): Promise<string | undefined> {
  const campaigns = readSettings().campaigns;
  let id = args?.id;
  let name = args?.name;
  if (id === undefined) {
    id = await vscode.window.showInputBox({
      title: 'NP6: Add Campaign (1/2)',
      prompt: 'Campaign id (a uuid, as NP6 shows it)',
      ignoreFocusOut: true,
      validateInput: (t) =>
        checkId(t, 'campaign') ??
        (campaigns.some((c) => c.id === t.trim())
          ? 'This campaign is already in np6.campaigns.'
          : UUID.test(t.trim())
            ? undefined
            : {
                message: 'NP6 campaign ids are uuids; this one is not (kept as typed).',
                severity: vscode.InputBoxValidationSeverity.Warning,
              }),
    });
    if (id === undefined) return undefined;
    name = await vscode.window.showInputBox({
      title: 'NP6: Add Campaign (2/2)',
      prompt: 'A name to show in the tree (optional)',
      ignoreFocusOut: true,
    });
    if (name === undefined) return undefined;
  }
  id = id.trim();
  const bad = checkId(id, 'campaign');
  if (bad) return fail(bad);
  if (campaigns.some((c) => c.id === id)) return fail(`Campaign ${id} is already configured.`);
  const entry: CampaignSetting = {
    id,
    ...(name?.trim() ? { name: name.trim() } : {}),
    items: (args?.items ?? []).map((i) => ({
      id: i.id,
      channel: i.channel ?? 'email',
      ...(i.name ? { name: i.name } : {}),
    })),
  };
  await writeCampaigns([...campaigns, entry]);
  await ext.updateState();
  return id;
}

function campaignIdOf(arg: CampaignNode | ItemNode | ItemArgs | undefined): string | undefined {
  if (arg instanceof CampaignNode || arg instanceof ItemNode) {
    return arg.campaign.demo ? undefined : arg.campaign.id;
  }
  return arg?.campaignId;
}

async function pickConfigured(
  ext: CampaignCommandNeeds,
  arg: CampaignNode | ItemNode | ItemArgs | undefined,
  placeHolder: string,
): Promise<string | undefined> {
  if ((arg instanceof CampaignNode || arg instanceof ItemNode) && arg.campaign.demo) {
    return fail('Demo campaigns come from the sandbox and cannot be edited.');
  }
  const id = campaignIdOf(arg);
  if (id !== undefined) return id;
  const c = await ext.campaignFrom(undefined, placeHolder);
  if (c?.demo) return fail('Demo campaigns come from the sandbox and cannot be edited.');
  return c?.id;
}

async function addItem(
  ext: CampaignCommandNeeds,
  arg?: CampaignNode | ItemArgs,
): Promise<string | undefined> {
  const campaignId = await pickConfigured(ext, arg, 'Campaign to add an item to');
  if (campaignId === undefined) return undefined;
  const campaigns = readSettings().campaigns;
  const campaign = campaigns.find((c) => c.id === campaignId);
  if (!campaign) return fail(`No campaign "${campaignId}" in np6.campaigns.`);
  const given = arg instanceof CampaignNode ? undefined : arg;
  let id = given?.id;
  let name = given?.name;
  const channel = given?.channel ?? 'email';
  if (id === undefined) {
    id = await vscode.window.showInputBox({
      title: `NP6: Add Item to ${campaign.name ?? campaign.id} (1/2)`,
      prompt: 'Item (action) id, e.g. 000PE4',
      ignoreFocusOut: true,
      validateInput: (t) =>
        checkId(t, 'item') ??
        (campaign.items.some((i) => i.id === t.trim()) ? 'This item is already listed.' : undefined),
    });
    if (id === undefined) return undefined;
    name = await vscode.window.showInputBox({
      title: 'NP6: Add Item (2/2)',
      prompt: 'A name for the item (optional)',
      ignoreFocusOut: true,
    });
    if (name === undefined) return undefined;
  }
  id = id.trim();
  const bad = checkId(id, 'item');
  if (bad) return fail(bad);
  if (campaign.items.some((i) => i.id === id)) {
    return fail(`Item ${id} is already in campaign ${campaign.name ?? campaign.id}.`);
  }
  campaign.items.push({ id, channel, ...(name?.trim() ? { name: name.trim() } : {}) });
  await writeCampaigns(campaigns);
  return id;
}

async function rename(ext: CampaignCommandNeeds, arg?: CampaignNode | ItemNode | ItemArgs): Promise<boolean> {
  const campaignId = await pickConfigured(ext, arg, 'Campaign to rename');
  if (campaignId === undefined) return false;
  const itemId =
    arg instanceof ItemNode ? arg.item.id : arg instanceof CampaignNode ? undefined : arg?.itemId;
  const campaigns = readSettings().campaigns;
  const campaign = campaigns.find((c) => c.id === campaignId);
  if (!campaign) return Boolean(fail(`No campaign "${campaignId}" in np6.campaigns.`));
  const item = itemId === undefined ? undefined : campaign.items.find((i) => i.id === itemId);
  if (itemId !== undefined && !item) {
    return Boolean(fail(`No item "${itemId}" in campaign ${campaign.name ?? campaign.id}.`));
  }
  let name = arg instanceof CampaignNode || arg instanceof ItemNode ? undefined : arg?.name;
  if (name === undefined) {
    name = await vscode.window.showInputBox({
      title: `NP6: Rename ${item ? `item ${item.id}` : `campaign ${campaign.id}`}`,
      prompt: 'New name (empty = show the id)',
      value: (item ? item.name : campaign.name) ?? '',
      ignoreFocusOut: true,
    });
    if (name === undefined) return false;
  }
  const target: { name?: string } = item ?? campaign;
  if (name.trim()) target.name = name.trim();
  else delete target.name;
  await writeCampaigns(campaigns);
  return true;
}

async function remove(
  ext: CampaignCommandNeeds,
  arg?: CampaignNode | ItemNode | (ItemArgs & { confirm?: boolean }),
): Promise<boolean> {
  const campaignId = await pickConfigured(ext, arg, 'Campaign to remove');
  if (campaignId === undefined) return false;
  const itemId =
    arg instanceof ItemNode ? arg.item.id : arg instanceof CampaignNode ? undefined : arg?.itemId;
  const campaigns = readSettings().campaigns;
  const campaign = campaigns.find((c) => c.id === campaignId);
  if (!campaign) return Boolean(fail(`No campaign "${campaignId}" in np6.campaigns.`));
  const what =
    itemId !== undefined
      ? `item ${itemId} from ${campaign.name ?? campaign.id}`
      : `campaign ${campaign.name ?? campaign.id}`;
  const confirmed =
    arg instanceof CampaignNode || arg instanceof ItemNode || arg === undefined ? undefined : arg.confirm;
  if (confirmed === undefined) {
    const ok = await showWarningMessage(
      `Remove ${what} from np6.campaigns? Stored results stay until cleared.`,
      { modal: true },
      'Remove',
    );
    if (ok !== 'Remove') return false;
  } else if (!confirmed) return false;
  if (itemId !== undefined) {
    const before = campaign.items.length;
    campaign.items = campaign.items.filter((i) => i.id !== itemId);
    if (campaign.items.length === before) {
      return Boolean(fail(`No item "${itemId}" in campaign ${campaign.name ?? campaign.id}.`));
    }
    await writeCampaigns(campaigns);
  } else {
    await writeCampaigns(campaigns.filter((c) => c.id !== campaignId));
  }
  await ext.updateState();
  return true;
}

async function copyId(node?: CampaignNode | ItemNode): Promise<void> {
  if (!node) return;
  const id = node instanceof ItemNode ? node.item.id : node.campaign.id;
  await vscode.env.clipboard.writeText(id);
  vscode.window.setStatusBarMessage(`Copied ${id}`, 3000);
}

/** Re-reads settings, key and stored results; after a failed request to NP6, checks it again (Retry). */
async function refresh(ext: CampaignCommandNeeds): Promise<void> {
  await ext.results.refresh();
  await ext.updateState();
  const settings = readSettings();
  const key = await ext.keys.get();
  if (!ext.isUnreachable()) return;
  // Nothing to check with: the unreachable state is stale (it only shows with a key and a valid URL).
  if (!key || 'error' in settings.baseUrl) return ext.setReachable(undefined);
  const baseUrl = settings.baseUrl.url;
  const check = await vscode.window.withProgress(
    { location: { viewId: 'np6.campaigns' }, title: 'Checking NP6…' },
    () => verifyKey(baseUrl, key, configuredCampaigns()[0]?.id, settings.requestTimeoutMs),
  );
  // A refused key still means NP6 answered.
  await ext.setReachable(check.ok || check.refused ? undefined : check.message);
  if (!check.ok) ext.log.warn(`NP6 check: ${check.message}`);
}

export function registerCampaignCommands(ext: CampaignCommandNeeds): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('np6.addCampaign', (a?: AddCampaignArgs) => addCampaign(ext, a)),
    vscode.commands.registerCommand('np6.addItem', (a?: CampaignNode | ItemArgs) => addItem(ext, a)),
    vscode.commands.registerCommand('np6.rename', (a?: CampaignNode | ItemNode | ItemArgs) => rename(ext, a)),
    vscode.commands.registerCommand('np6.remove', (a?: CampaignNode | ItemNode | ItemArgs) => remove(ext, a)),
    vscode.commands.registerCommand('np6.copyId', (n?: CampaignNode | ItemNode) => copyId(n)),
    vscode.commands.registerCommand('np6.refresh', () => refresh(ext)),
  ];
}
