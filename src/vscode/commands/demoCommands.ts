// NP6: Try the Demo / Stop Demo / Show Log.
import * as vscode from 'vscode';
import type { DemoAccess, Reporter } from '../services';
import { reportWithNextSteps } from '../nextSteps';

async function tryDemo(ext: DemoAccess & Reporter): Promise<string[]> {
  try {
    const s = await ext.demo.start();
    ext.log.info(`Demo server started on ${s.url} with ${s.campaigns.length} campaigns (sandbox data).`);
    await vscode.commands.executeCommand('np6.campaigns.focus');
    vscode.window.setStatusBarMessage('NP6: demo campaigns are under "Demo" in the Campaigns view', 8000);
    return s.campaigns.map((c) => c.id);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    ext.log.error(`Demo server failed to start: ${message}`);
    void reportWithNextSteps(
      `NP6: the demo server could not start: ${message}`,
      { kind: 'demoFailed' },
      { log: ext.log },
    );
    return [];
  }
}

async function stopDemo(ext: DemoAccess & Reporter): Promise<void> {
  if (await ext.demo.stop()) ext.log.info('Demo server stopped.');
}

export function registerDemoCommands(ext: DemoAccess & Reporter): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('np6.tryDemo', () => tryDemo(ext)),
    vscode.commands.registerCommand('np6.stopDemo', () => stopDemo(ext)),
    vscode.commands.registerCommand('np6.showLog', () => ext.log.show()),
  ];
}
