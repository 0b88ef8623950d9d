// The sandbox's public shapes (contract B). Kept in one small file so the extension's demo mode,
// the tests and the benchmark can code against them without pulling in the server.

import type { Np6Event } from '../../src/np6/events';
import type { EventQuery } from '../../src/np6/query';

export interface SandboxItem {
  id: string;
  channel: 'email';
  name: string;
}

export interface SandboxCampaign {
  /** A uuid. */
  id: string;
  name: string;
  items: SandboxItem[];
  /** Epoch ms range [start, end) holding every event of the campaign. */
  start: number;
  end: number;
  approxEvents: number;
}

export type FaultMode = 'none' | '429' | '500' | '503' | 'html' | 'slow' | 'cut' | 'malformed';

export interface FaultConfig {
  mode: FaultMode;
  /** Fail this many (matching) requests, then recover. Default: every request. */
  times?: number;
  retryAfterSeconds?: number;
  /** 429 only: send X-RateLimit-Reset (epoch seconds) instead of Retry-After. */
  useRateLimitReset?: boolean;
  /** 'cut' and 'malformed': how many whole events are sent before the stream breaks (default 10). */
  cutAfterEvents?: number;
  /** 'slow': delay between chunks (default 200 ms). */
  slowChunkDelayMs?: number;
  /** Only requests whose path (with query string) contains this text are affected. */
  pathIncludes?: string;
}

export interface CampaignSpec {
  id?: string;
  name: string;
  /** Recipients per item: every recipient receives every item, one send wave per item. */
  recipients: number;
  items: number;
  /** Epoch ms of the first send. */
  sendStart: number;
  /** Extension: time between two items' send waves (default: one day, or longer if a wave needs it). */
  itemGapMs?: number;
  /** Extension: sends per second within a wave (default 40). */
  sendsPerSecond?: number;
  /** Extension: mix in a few events of an undocumented type ('delivery') and unknown fields. */
  unknownTypes?: boolean;
  /** Extension: item names (default: "<campaign name> #n"). */
  itemNames?: string[];
}

export interface SandboxOptions {
  /** 0 (default) = a free port. The server binds 127.0.0.1 only. */
  port?: number;
  apiKey?: string;
  seed?: number;
  campaigns?: CampaignSpec[];
  faults?: FaultConfig;
}

export interface Sandbox {
  /** http://127.0.0.1:PORT */
  url: string;
  apiKey: string;
  campaigns: SandboxCampaign[];
  setFaults(f: FaultConfig): void;
  /** Exactly what the server would return for this query (ascending when q.sort is 'none'). */
  expectedEvents(campaignId: string, q: EventQuery): Iterable<Np6Event>;
  close(): Promise<void>;
}
