// Shared by the integration suites: the extension's API, settings written at the user level (and
// restored), and polling for asynchronous UI state.
import * as vscode from 'vscode';
import type { Np6Api } from '../../src/vscode/activation/activate';
import type { Sandbox } from '../../src/demo/sandbox/index';

export const EXTENSION_ID = 'np6-event-explorer.np6-event-explorer';

export async function extensionApi(): Promise<Np6Api> {
  const ext = vscode.extensions.getExtension<Np6Api>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed in this VS Code`);
  return ext.activate();
}

export async function setUserSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('np6').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Points the extension at `sandbox` (base URL, its campaigns) and stores `key` after verifying it. */
export async function configureForSandbox(sandbox: Sandbox, key: string): Promise<boolean> {
  await setUserSetting('baseUrl', sandbox.url);
  await setUserSetting(
    'campaigns',
    sandbox.campaigns.map((c) => ({
      id: c.id,
      name: c.name,
      items: c.items.map((i) => ({ id: i.id, channel: i.channel, name: i.name })),
    })),
  );
  return (await vscode.commands.executeCommand('np6.setApiKey', key, { verify: true })) === true;
}

export async function resetUserSettings(): Promise<void> {
  for (const key of [
    'baseUrl',
    'campaigns',
    'timeZone',
    'requestTimeoutSeconds',
    'export.maxDocumentSizeMB',
  ]) {
    await setUserSetting(key, undefined);
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
