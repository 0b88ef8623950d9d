// Every state of the Campaigns view has a way out: "NP6 could not be reached" is cleared by Retry
// (np6.refresh) once NP6 answers, by a change of np6.baseUrl, and by an answer that refuses the key.
import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import * as vscode from 'vscode';
import { startSandbox, type RunningSandbox } from '../../src/demo/sandbox/index';
import { extensionApi, resetUserSettings, setUserSetting, waitFor } from './helpers';

const KEY = 'np6-welcome-KEY-0123456789';

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('welcome states', () => {
  let sandbox: RunningSandbox;
  let deadUrl: string;

  before(async () => {
    sandbox = await startSandbox({ port: 0, apiKey: KEY });
    deadUrl = `http://127.0.0.1:${await closedPort()}`;
    const c = sandbox.campaigns[0]!;
    await setUserSetting('campaigns', [{ id: c.id, name: c.name, items: [] }]);
    await vscode.commands.executeCommand('np6.setApiKey', KEY, { verify: false });
  });
  after(async () => {
    await vscode.commands.executeCommand('np6.clearApiKey');
    await resetUserSettings();
    await sandbox.close();
  });

  /** Runs a query against whatever np6.baseUrl is now; an unreachable server marks the view. */
  const query = async (): Promise<void> => {
    const c = sandbox.campaigns[0]!;
    await vscode.commands.executeCommand('np6.queryEvents', {
      campaignId: c.id,
      start: c.start,
      end: c.start + 1000,
      show: 'none',
    });
  };
  const unreachableMessage = async (): Promise<string | undefined> => (await extensionApi()).treeMessage();

  it('Retry (np6.refresh) keeps "unreachable" while NP6 is still down', async () => {
    await setUserSetting('baseUrl', deadUrl);
    await query();
    await waitFor('the unreachable message', unreachableMessage);
    await vscode.commands.executeCommand('np6.refresh');
    assert.ok(await unreachableMessage(), 'Retry with NP6 still down keeps the state');
  });

  it('changing np6.baseUrl clears "unreachable"', async () => {
    await setUserSetting('baseUrl', deadUrl);
    await query();
    await waitFor('the unreachable message', unreachableMessage);
    await setUserSetting('baseUrl', sandbox.url);
    await waitFor('the message to go', async () =>
      (await unreachableMessage()) === undefined ? true : undefined,
    );
  });

  it('Retry clears "unreachable" when NP6 answers, even with a refusal of the key', async () => {
    await setUserSetting('baseUrl', deadUrl);
    await query();
    await waitFor('the unreachable message', unreachableMessage);
    // The same URL now answers: a sandbox listening on the dead port, with another key (401).
    const port = Number(new URL(deadUrl).port);
    const revived = await startSandbox({ port, apiKey: 'another-key-0000' });
    try {
      await vscode.commands.executeCommand('np6.refresh');
      assert.equal(await unreachableMessage(), undefined, 'a 401 is an answer: NP6 is reachable');
    } finally {
      await revived.close();
    }
  });
});
