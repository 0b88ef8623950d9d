// Demo mode: the NP6 sandbox server runs in its own Node process (dist/sandboxProcess.js, forked by
// processLauncher.ts) on a free loopback port, with a random key held only in memory and passed over
// the IPC channel. Generating and serving the Big Campaign's million events costs the extension host
// neither event-loop time nor memory. The process ends with the demo (Stop Demo, deactivation) and
// with the window: it exits when its IPC channel to this host disconnects. Settings and the user's
// key are never touched.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_SEED } from '../demo/sandbox/demo';
import { launchSandboxProcess, type SandboxProcess } from '../demo/sandbox/processLauncher';
import type { CampaignSpec, FaultConfig, SandboxCampaign } from '../demo/sandbox/types';
import type { CampaignRef } from './campaigns';
import { markdownCode } from '../core/untrustedText';
import { reportWithNextSteps } from './nextSteps';
import { untrustedMarkdown } from './untrustedUi';

/** Size of the demo's Big Campaign (the scale the extension is built for). */
export const BIG_CAMPAIGN_EVENTS = 1_000_000;

/**
 * The demo's server stands in for NP6's, which runs on NP6's machines: here it shares the user's
 * cores with the editor (generating the Big Campaign's 750 MB takes about 5-10 s of a core), so it
 * runs at a lower priority, in a scheduler group of its own on Linux (with autogroup, a nice value
 * in the extension host's group would only rank it against the host: its CPU would still come out
 * of the host's share), and the workbench and the extension host are served first.
 */
const DEMO_NICENESS = 10;

/** The running demo server, as the host sees it. */
export interface DemoServer {
  url: string;
  apiKey: string;
  campaigns: SandboxCampaign[];
  /** The specs and seed it serves (tests start an in-process twin to know the expected events). */
  specs: CampaignSpec[];
  seed: number;
  setFaults(f: FaultConfig): void;
}

export class DemoController implements vscode.Disposable {
  private sandbox: (DemoServer & { process: SandboxProcess }) | undefined;
  private starting: Promise<DemoServer & { process: SandboxProcess }> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly status: vscode.StatusBarItem;

  constructor(
    private readonly extensionPath: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.status = vscode.window.createStatusBarItem('np6.demo', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'NP6 Demo';
    this.status.text = '$(beaker) NP6 Demo';
    this.status.command = 'np6.stopDemo';
  }

  get current(): DemoServer | undefined {
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

  async start(): Promise<DemoServer> {
    if (this.sandbox) return this.sandbox;
    this.starting ??= this.spawn();
    try {
      this.sandbox = await this.starting;
      const p = this.sandbox.process;
      // Here rather than at the fork: a process that dies before it is current is reported too.
      p.onLost((why) => this.lost(p, why));
    } finally {
      this.starting = undefined;
    }
    this.status.tooltip = untrustedMarkdown(
      `NP6 demo server on ${markdownCode(this.sandbox.url)} (sandbox data, no NP6 account used).\n\nClick to stop the demo.`,
    );
    this.status.show();
    this.changed.fire();
    return this.sandbox;
  }

  /** Forks the sandbox's process and waits for its 'ready' (it measures the campaigns, nothing more). */
  private async spawn(): Promise<DemoServer & { process: SandboxProcess }> {
    const p = await launchSandboxProcess(
      path.join(this.extensionPath, 'dist', 'sandboxProcess.js'),
      {
        apiKey: randomBytes(24).toString('hex'),
        now: Date.now(),
        seed: DEFAULT_SEED,
        bigEvents: BIG_CAMPAIGN_EVENTS,
      },
      { niceness: DEMO_NICENESS, ownSchedulerGroup: true },
    );
    const { url, apiKey, campaigns, specs, seed } = p.ready;
    return { url, apiKey, campaigns, specs, seed, setFaults: (f) => p.setFaults(f), process: p };
  }

  /**
   * The process died on its own (a bug, out of memory, killed): leave demo mode, so no tree node or
   * query points at a dead URL, and say so.
   */
  private lost(p: SandboxProcess, why: string): void {
    if (this.sandbox?.process !== p) return;
    this.log.error(`The demo server stopped unexpectedly (${why}). Start it again with "NP6: Try the Demo".`);
    const tail = p.stderrTail();
    if (tail) this.log.error(`The demo server's last output:\n${tail}`);
    this.sandbox = undefined;
    this.status.hide();
    this.changed.fire();
    void reportWithNextSteps(
      `NP6: the demo server stopped unexpectedly (${why}); its campaigns are gone until you start the demo again.`,
      { kind: 'demoFailed' },
      { log: this.log },
    );
  }

  async stop(): Promise<boolean> {
    const s = this.sandbox;
    if (!s) return false;
    this.sandbox = undefined;
    this.status.hide();
    this.changed.fire();
    // Closes the server (its sockets), then the process ends; killed if that takes over 2 s.
    await s.process.stop();
    return true;
  }

  dispose(): void {
    void this.stop();
    this.status.dispose();
    this.changed.dispose();
  }
}
