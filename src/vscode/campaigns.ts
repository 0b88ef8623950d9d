// The campaigns the tree and the commands work on: the configured ones (np6.campaigns) and, while the
// demo runs, the sandbox's. `demo` decides which server (and which key) a query goes to.
export interface ItemRef {
  id: string;
  channel: string;
  name?: string;
  /** Why this id cannot be sent (np6/ids.ts checkId), for ids from settings; never queried. */
  invalid?: string;
}

export interface CampaignRef {
  id: string;
  label: string;
  name?: string;
  items: ItemRef[];
  demo: boolean;
  /** Why this id cannot be sent (np6/ids.ts checkId), for ids from settings; never queried. */
  invalid?: string;
}

/** The key under which a campaign's last result and answers are remembered. */
export function campaignKey(c: { id: string; demo: boolean }): string {
  return `${c.demo ? 'demo' : 'np6'}:${c.id}`;
}
