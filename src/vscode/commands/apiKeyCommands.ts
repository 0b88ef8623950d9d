// NP6: Set API Key / Clear API Key. The key goes from the password box (or the argument) straight
// into SecretStorage; it is never logged or shown.
import * as vscode from 'vscode';
import { checkApiKeyText } from '../../core/apiKeyText';
import type { ConnectionStatus, Reporter } from '../services';
import { configuredCampaigns } from '../configuredCampaigns';
import { readSettings } from '../settings';
import { verifyKey } from '../../np6/verifyKey';
import { forNotification } from '../../core/untrustedText';
import { showErrorMessage, showInformationMessage, showWarningMessage } from '../untrustedUi';
import { np6Message } from '../../core/np6Message';

export interface SetApiKeyOptions {
  /** Check the key with a small request before saving it (default: true when prompted, false with an argument). */
  verify?: boolean;
}

/** Returns true when a key was saved. */
async function setApiKey(
  ext: ConnectionStatus & Reporter,
  key?: string,
  options: SetApiKeyOptions = {},
): Promise<boolean> {
  const prompted = key === undefined;
  if (prompted) {
    key = await vscode.window.showInputBox({
      title: 'NP6: Set API Key',
      prompt:
        'Your NP6 API key: letters, digits and symbols (sent as the X-Key header to np6.baseUrl only; kept in VS Code’s secret storage)',
      password: true,
      ignoreFocusOut: true,
      validateInput: checkApiKeyText,
    });
    if (key === undefined) return false;
  }
  const problem = checkApiKeyText(key ?? '');
  if (problem) {
    void showErrorMessage(np6Message(problem));
    return false;
  }
  const value = (key ?? '').trim();
  if (options.verify ?? prompted) {
    const settings = readSettings();
    if ('error' in settings.baseUrl) {
      void showErrorMessage(np6Message(settings.baseUrl.error));
      return false;
    }
    const baseUrl = settings.baseUrl.url;
    const check = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `NP6: checking the key with ${forNotification(new URL(baseUrl).host)}…`,
      },
      () => verifyKey(baseUrl, value, configuredCampaigns()[0]?.id, settings.requestTimeoutMs),
    );
    if (!check.ok) {
      // The server's answer is outside text: the warning below goes through forNotification
      // (showWarningMessage of untrustedUi), so a link in it is shown as text, never clickable.
      ext.log.warn(`Key check: ${check.message}`);
      // A refused key is an answer: NP6 is reachable. Anything else says it may not be.
      await ext.setReachable(check.refused ? undefined : check.message);
      const save = 'Save Anyway';
      const again = 'Enter Again';
      const choice = await showWarningMessage(
        check.refused ? np6Message(check.message) : `NP6: the key could not be checked: ${check.message}`,
        save,
        again,
      );
      if (choice === again) return setApiKey(ext, undefined, options);
      if (choice !== save) return false;
    } else {
      await ext.setReachable(undefined);
    }
  }
  await ext.keys.set(value);
  await ext.updateState();
  ext.log.info('API key saved in secret storage.');
  if (prompted) void showInformationMessage('NP6: API key saved.');
  return true;
}

async function clearApiKey(ext: ConnectionStatus & Reporter): Promise<void> {
  await ext.keys.clear();
  await ext.updateState();
  ext.log.info('API key removed from secret storage.');
}

export function registerApiKeyCommands(ext: ConnectionStatus & Reporter): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('np6.setApiKey', (key?: unknown, options?: SetApiKeyOptions) =>
      setApiKey(ext, typeof key === 'string' ? key : undefined, options),
    ),
    vscode.commands.registerCommand('np6.clearApiKey', () => clearApiKey(ext)),
  ];
}
