// Demo mode: the NP6 sandbox server runs inside the extension host on a free loopback port, with a
// random key held only in memory. Settings and the user's key are never touched.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { demoCampaignsRelativeTo, startSandbox, type Sandbox } from '../../tools/sandbox/index';
import type { CampaignRef } from './campaigns';

export class DemoController implements vscode.Disposable {
  private sandbox: Sandbox | undefined;
  private starting: Promise<Sandbox> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly status: vscode.StatusBarItem;

  constructor() {
    this.status = vscode.window.createStatusBarItem('np6.demo', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'NP6 Demo';
    this.status.text = '$(beaker) NP6 Demo';
    this.status.command = 'np6.stopDemo';
  }

  get current(): Sandbox | undefined {
    return this.sandbox;
  }

  campaigns(): CampaignRef[] {
    return (this.sandbox?.campaigns ?? []).map((c) => ({
      id: c.id,
      label: c.name,
      name: c.name,
      items: c.items.map((i) => ({ id: i.id, channel: i.channel, name: i.name })),
      demo: true,
    }));
  }

  async start(): Promise<Sandbox> {
    if (this.sandbox) return this.sandbox;
    this.starting ??= startSandbox({
      port: 0,
      apiKey: randomBytes(24).toString('hex'),
      campaigns: demoCampaignsRelativeTo(Date.now()),
    });
    try {
      this.sandbox = await this.starting;
    } finally {
      this.starting = undefined;
    }
    this.status.tooltip = new vscode.MarkdownString(
      `NP6 demo server on \`${this.sandbox.url}\` (sandbox data, no NP6 account used).\n\nClick to stop the demo.`,
    );
    this.status.show();
    this.changed.fire();
    return this.sandbox;
  }

  async stop(): Promise<boolean> {
    const s = this.sandbox;
    if (!s) return false;
    this.sandbox = undefined;
    this.status.hide();
    this.changed.fire();
    await s.close();
    return true;
  }

  dispose(): void {
    void this.stop();
    this.status.dispose();
    this.changed.dispose();
  }
}
