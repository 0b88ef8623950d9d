// Shared by the integration suites: the extension's API, settings written at the user level (and
// restored), and polling for asynchronous UI state.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ResultSummary } from '../../src/core/result';
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

/**
 * Starts the demo (no key set) and queries its first campaign over the last 30 days, sorted; the
 * result must be complete and hold more than 100 events. `show` as for np6.queryEvents.
 */
export async function queryDemoCampaign(
  show: 'none' | 'timeline',
): Promise<{ campaignId: string; summary: ResultSummary }> {
  const api = await extensionApi();
  await vscode.commands.executeCommand('np6.clearApiKey');
  const ids = await vscode.commands.executeCommand<string[]>('np6.tryDemo');
  const campaignId = ids[0]!;
  assert.ok(api.demoUrl());
  const s = await vscode.commands.executeCommand<ResultSummary | undefined>('np6.queryEvents', {
    campaignId,
    preset: 'last30Days',
    sort: 'asc',
    show,
  });
  assert.ok(s?.complete, JSON.stringify(s?.error));
  assert.ok(s.count > 100, `the demo campaign has events (${s.count})`);
  return { campaignId, summary: s };
}
