// Demo mode: the NP6 sandbox server runs in a worker thread of the extension host (dist/
// sandboxWorker.js) on a free loopback port, with a random key held only in memory. Generating and
// sorting the Big Campaign's million events happens in that thread, so the extension host's event
// loop never waits on it. Settings and the user's key are never touched.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { DEFAULT_SEED } from '../demo/sandbox/demo';
import type { CampaignSpec, FaultConfig, SandboxCampaign } from '../demo/sandbox/types';
import type { FromSandboxWorker, SandboxWorkerData, ToSandboxWorker } from '../demo/sandbox/worker';
import type { CampaignRef } from './campaigns';
import { markdownCode } from '../core/untrustedText';
import { untrustedMarkdown } from './untrustedUi';

/** Size of the demo's Big Campaign (the scale the extension is built for). */
export const BIG_CAMPAIGN_EVENTS = 1_000_000;

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
  private sandbox: (DemoServer & { worker: Worker }) | undefined;
  private starting: Promise<DemoServer & { worker: Worker }> | undefined;
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

  /** Starts the worker and waits for its 'ready' (it measures the campaigns, nothing more). */
  private spawn(): Promise<DemoServer & { worker: Worker }> {
    const file = path.join(this.extensionPath, 'dist', 'sandboxWorker.js');
    const data: SandboxWorkerData = {
      apiKey: randomBytes(24).toString('hex'),
      now: Date.now(),
      seed: DEFAULT_SEED,
      bigEvents: BIG_CAMPAIGN_EVENTS,
    };
    const worker = new Worker(file, { workerData: data, name: 'NP6 demo sandbox' });
    return new Promise((resolve, reject) => {
      const failed = (message: string): void => {
        void worker.terminate();
        reject(new Error(message));
      };
      worker.once('error', (e) => failed(`the sandbox worker failed: ${e.message}`));
      worker.once('exit', (code) => failed(`the sandbox worker exited (code ${code}) before it was ready`));
      worker.once('message', (m: FromSandboxWorker) => {
        if (m.type !== 'ready') return failed(m.type === 'error' ? m.message : `unexpected "${m.type}"`);
        worker.removeAllListeners();
        worker.on('error', (e) => this.lost(worker, e.message));
        worker.on('exit', (code) => this.lost(worker, `exit code ${code}`));
        const post = (x: ToSandboxWorker): void => worker.postMessage(x);
        resolve({
          url: m.url,
          apiKey: m.apiKey,
          campaigns: m.campaigns,
          specs: m.specs,
          seed: m.seed,
          setFaults: (faults) => post({ type: 'setFaults', faults }),
          worker,
        });
      });
    });
  }

  /** The worker died on its own (a bug or out of memory): say so and leave demo mode. */
  private lost(worker: Worker, why: string): void {
    if (this.sandbox?.worker !== worker) return;
    this.log.error(`The demo server stopped unexpectedly (${why}). Start it again with "NP6: Try the Demo".`);
    this.sandbox = undefined;
    this.status.hide();
    this.changed.fire();
  }

  async stop(): Promise<boolean> {
    const s = this.sandbox;
    if (!s) return false;
    this.sandbox = undefined;
    this.status.hide();
    this.changed.fire();
    s.worker.removeAllListeners();
    // Close the server (its sockets) first, then end the thread; never wait more than 2 s for it.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      s.worker.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      s.worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      s.worker.postMessage({ type: 'close' } satisfies ToSandboxWorker);
    });
    await s.worker.terminate();
    return true;
  }

  dispose(): void {
    void this.stop();
    this.status.dispose();
    this.changed.dispose();
  }
}
