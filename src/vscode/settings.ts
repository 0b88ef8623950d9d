// The one typed reader of the extension's settings: hands what the configuration holds to the
// pure rules of core/settingsParse (machine-scoped settings are read from the user level only, a
// workspace value is ignored; numbers are range-checked) and writes np6.campaigns back.
import * as vscode from 'vscode';
import { parseSettings, type CampaignSetting, type Np6Settings } from '../core/settingsParse';

export type { CampaignSetting, ItemSetting, Np6Settings } from '../core/settingsParse';

const SECTION = 'np6';

export function readSettings(): Np6Settings {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  return parseSettings({
    // inspect(): only the user (global) value counts for machine-scoped settings.
    user: (key) => cfg.inspect<unknown>(key)?.globalValue,
    effective: (key) => cfg.get<unknown>(key),
  });
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
