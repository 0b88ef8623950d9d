// The NP6 sandbox: a real loopback HTTP server that behaves like the documented campaign-events API,
// fed by a deterministic, lazily evaluated generator. Pure Node (no vscode): the extension's demo
// mode bundles it, the tests and the benchmark start it in-process.

export type {
  CampaignSpec,
  FaultConfig,
  FaultMode,
  HostileKind,
  HostileSettings,
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
export { HOSTILE_KINDS, REDIRECT_STATUSES, type HostileLogEntry } from './hostile';
export { HOSTILE_CAMPAIGNS, NIL_CAMPAIGN_ID, type HostileCampaign } from './hostileCampaigns';
export {
  ECHO_HTML_TEXT_BEFORE_KEY,
  HOSTILE_CAMPAIGN_NAME,
  HOSTILE_EXPORT_TARGET,
  HOSTILE_EXPORT_TEXT,
  HOSTILE_ITEM_NAME,
  HOSTILE_LINK_URL,
  HOSTILE_MARKERS,
  HOSTILE_TERMINAL_TEXT,
  HOSTILE_TEXTS,
  HOSTILE_USER_AGENT,
  keyEncodings,
  type KeyEncodings,
} from './hostileTexts';
