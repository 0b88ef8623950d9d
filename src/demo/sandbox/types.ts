// The sandbox's public shapes (contract B). Kept in one small file so the extension's demo mode,
// the tests and the benchmark can code against them without pulling in the server.

import type { Np6Event } from '../../np6/events';
import type { EventQuery } from '../../np6/query';

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

/**
 * The hostile behaviours (issue 8, item 10): what an attacker-controlled or broken server could send.
 * Each is also a FaultMode, so a test can switch one on for the next request(s).
 */
export type HostileKind =
  'command-links' | 'redirect' | 'echo-key' | 'endless-element' | 'whitespace-drip' | 'huge-error-body';

export type FaultMode = 'none' | '429' | '500' | '503' | 'html' | 'slow' | 'cut' | 'malformed' | HostileKind;

/** Tuning of the hostile behaviours; every field has a bounded default (see README "Hostile mode"). */
export interface HostileSettings {
  /**
   * command-links: the answer's status (default 500; 400, 401, 403... give that error with the hostile
   * body; 200 gives a small array of events whose fields hold the hostile texts).
   * echo-key: the error status (default 500 with JSON, 502 with `echoKeyHtml`).
   */
  status?: number;
  /** command-links: which command link the body holds (default 'terminal'). */
  commandLink?: 'terminal' | 'export';
  /** redirect: 301, 302, 303, 307 or 308 (default 302). */
  redirectStatus?: number;
  /**
   * redirect: a loopback http(s) URL (e.g. a catcher's); the request's path and query are appended to
   * it. Default: http://localhost:<sandbox port> (same machine, plain http, another origin).
   */
  redirectTo?: string;
  /** echo-key: an HTML error page with the key as `&#NN;` entities after 290 characters of text. */
  echoKeyHtml?: boolean;
  /** endless-element: bytes sent before the server gives up and closes (default 200 MiB). */
  maxBytes?: number;
  /** huge-error-body: body size (default 50 MiB). */
  hugeBytes?: number;
  /** whitespace-drip: time between two spaces (default 500 ms). */
  dripIntervalMs?: number;
  /** Every hostile answer stops by itself after this long (default 10 minutes). */
  maxDurationMs?: number;
  /** Standing profile: the status of the answer to the key check (nil campaign; default 401). */
  keyCheckStatus?: number;
}

export interface FaultConfig extends HostileSettings {
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
  /**
   * A standing hostile profile: hostile decorations on every answer (x-request-id, error bodies, the
   * key check) and one extra campaign per behaviour whose event requests get that behaviour.
   */
  hostile?: 'all' | HostileKind[];
  /** Tuning of the standing hostile profile. */
  hostileSettings?: HostileSettings;
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
