// The sandbox in a node:worker_threads Worker (dist/sandboxWorker.js): demo mode starts it so that
// measuring, generating and sorting up to a million events runs off the extension host's event
// loop. The host sends { type: 'close' } or { type: 'setFaults' }; the worker answers 'ready'
// (url, key, campaigns), 'error' or 'closed'. Pure Node (no vscode).

import { parentPort, workerData } from 'node:worker_threads';

import { bigDemoCampaign, demoCampaignsRelativeTo } from './demo';
import { startSandbox } from './server';
import type { CampaignSpec, FaultConfig, SandboxCampaign } from './types';

export interface SandboxWorkerData {
  apiKey: string;
  /** The demo's "now" (epoch ms): every campaign ends shortly before it. */
  now: number;
  seed: number;
  /** Also serve the Big Campaign of about this many events (0 = none). */
  bigEvents: number;
}

export type ToSandboxWorker = { type: 'close' } | { type: 'setFaults'; faults: FaultConfig };
export type FromSandboxWorker =
  | {
      type: 'ready';
      url: string;
      apiKey: string;
      campaigns: SandboxCampaign[];
      /** What the server was started with: a test can start its twin to compute expected events. */
      specs: CampaignSpec[];
      seed: number;
    }
  | { type: 'error'; message: string }
  | { type: 'closed' };

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('sandboxWorker.js must run in a worker thread.');
  const d = workerData as SandboxWorkerData;
  const post = (m: FromSandboxWorker): void => port.postMessage(m);
  try {
    const campaigns = demoCampaignsRelativeTo(d.now, d.seed);
    if (d.bigEvents > 0) campaigns.push(bigDemoCampaign(d.now, d.bigEvents, d.seed));
    const s = await startSandbox({ port: 0, apiKey: d.apiKey, seed: d.seed, campaigns });
    port.on('message', (m: ToSandboxWorker) => {
      if (m.type === 'setFaults') s.setFaults(m.faults);
      else void s.close().then(() => post({ type: 'closed' }));
    });
    post({
      type: 'ready',
      url: s.url,
      apiKey: s.apiKey,
      campaigns: s.campaigns,
      specs: campaigns,
      seed: d.seed,
    });
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}

void main();
