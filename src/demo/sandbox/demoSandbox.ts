// Starts the demo's sandbox as demo mode serves it: the demo campaigns ending shortly before `now`,
// plus the Big Campaign, on a loopback port with the given key. Shared by the process entry
// (process.ts, what demo mode runs).
// Pure Node (no vscode).

import { bigDemoCampaign, demoCampaignsRelativeTo } from './demo';
import type { SandboxReady, SandboxStart } from './processProtocol';
import { startSandbox, type RunningSandbox } from './server';

export async function startDemoSandbox(
  s: SandboxStart,
): Promise<{ sandbox: RunningSandbox; ready: SandboxReady }> {
  const specs = demoCampaignsRelativeTo(s.now, s.seed);
  if (s.bigEvents > 0) specs.push(bigDemoCampaign(s.now, s.bigEvents, s.seed));
  const sandbox = await startSandbox({ port: s.port ?? 0, apiKey: s.apiKey, seed: s.seed, campaigns: specs });
  return {
    sandbox,
    ready: {
      type: 'ready',
      url: sandbox.url,
      apiKey: sandbox.apiKey,
      campaigns: sandbox.campaigns,
      specs,
      seed: s.seed,
    },
  };
}
