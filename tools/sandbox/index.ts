// The NP6 sandbox: a real loopback HTTP server that behaves like the documented campaign-events API,
// fed by a deterministic, lazily evaluated generator. Pure Node (no vscode): the extension's demo
// mode bundles it, the tests and the benchmark start it in-process.

export type {
  CampaignSpec,
  FaultConfig,
  FaultMode,
  Sandbox,
  SandboxCampaign,
  SandboxItem,
  SandboxOptions,
} from './types';
export { startSandbox, type RunningSandbox } from './server';
export {
  BIG_CAMPAIGN_ID,
  bigDemoCampaign,
  DEFAULT_SEED,
  DEMO_API_KEY,
  DEMO_BASE_DATE,
  DEMO_CAMPAIGNS,
  demoCampaignsRelativeTo,
  LARGE_CAMPAIGN,
} from './demo';
