// Shared set-up of the scale tests: temporary folders, the real sandbox, a client with no waits.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Np6Client, type EventRecord } from '../../../src/np6/client';
import type { Np6Event } from '../../../src/np6/events';
import { allEmailEvents, type EventQuery } from '../../../src/np6/query';
import type { ResultStore } from '../../../src/core/resultStore';
import type { Sandbox, SandboxCampaign } from '../../../src/demo/sandbox';

export function tempDir(prefix = 'np6-scale-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A client on the sandbox that never sleeps between retries (tests stay fast). */
export function sandboxClient(sb: Sandbox, maxRetries = 0, timeoutMs = 10_000): Np6Client {
  return new Np6Client({
    baseUrl: sb.url,
    apiKey: sb.apiKey,
    timeoutMs,
    retry: { maxRetries, baseDelayMs: 0, maxDelayMs: 0 },
    sleep: () => Promise.resolve(),
  });
}

export function campaignQuery(c: SandboxCampaign, range?: { start?: number; end?: number }): EventQuery {
  return {
    campaignId: c.id,
    endpoint: 'campaign',
    itemsEvents: [allEmailEvents()],
    start: range ? range.start : c.start,
    end: range ? range.end : c.end,
    sort: 'none',
  };
}

/** A canonical, order-independent form of a list of events: JSON texts sorted by (timestamp, id). */
export function canonical(events: Iterable<Np6Event>): string[] {
  return [...events]
    .sort((a, b) => a.timestamp - b.timestamp || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((e) => JSON.stringify(e));
}

export async function storedEvents(
  store: ResultStore,
  order: 'time' | 'arrival' = 'time',
): Promise<Np6Event[]> {
  const out: Np6Event[] = [];
  for await (const r of store.records(order)) out.push(r.event);
  return out;
}

export function record(event: Np6Event): EventRecord {
  return { event, json: JSON.stringify(event) };
}

/** The UTC ISO text of an instant as it appears (URL-encoded) in a request path. */
export function pathStart(ms: number): string {
  return `start=${encodeURIComponent(new Date(ms).toISOString())}`;
}
