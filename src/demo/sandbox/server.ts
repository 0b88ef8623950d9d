// The sandbox HTTP server: node:http on 127.0.0.1, the two campaign-events endpoints with NP6's
// documented semantics, chunked streaming in uneven chunks, fault injection and a control endpoint.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Np6Event } from '../../np6/events';
import { requestBody, type EventQuery } from '../../np6/query';
import { DEFAULT_SEED, DEMO_API_KEY, DEMO_CAMPAIGNS } from './demo';
import { FaultState, HTML_ERROR_PAGE, parseFaultConfig, type FaultPlan } from './faults';
import { compileSelection, parseItemsEvents, parseRangeAndSort, type RangeAndSort } from './filters';
import { CampaignModel } from './generator';
import { answerHostile, type HostileLogEntry } from './hostile';
import { hostileCampaignSpecs } from './hostileCampaigns';
import { StandingHostility } from './hostileProfile';
import { Rng } from './random';
import { renderArrayToFile } from './renderFile';
import { eventTexts } from './selection';
import { RawJson } from './rawJson';
import { streamArray } from './stream';
import type { FaultConfig, Sandbox, SandboxOptions } from './types';

const MAX_BODY_BYTES = 1 << 20;
const EVENTS_ROUTE = /^\/campaigns\/([^/]+)\/(events|items\/events)$/;
const CAMPAIGN_ROUTE = /^\/campaigns\/([^/]+)$/;

/** A started sandbox; `renderToFile` writes a response body without HTTP (for benchmarks). */
export interface RunningSandbox extends Sandbox {
  /** Writes exactly the body the server sends for this query (sorted ascending when sort is none). */
  renderToFile(campaignId: string, q: EventQuery, path: string): Promise<{ events: number; bytes: number }>;
  /** Every hostile answer given so far, as it ended (for tests of hostile mode). */
  readonly hostileLog: readonly HostileLogEntry[];
}

export async function startSandbox(o: SandboxOptions = {}): Promise<RunningSandbox> {
  const seed = o.seed ?? DEFAULT_SEED;
  const apiKey = o.apiKey ?? DEMO_API_KEY;
  const standing = new StandingHostility(o.hostile, o.hostileSettings);
  const specs = [...(o.campaigns ?? DEMO_CAMPAIGNS), ...hostileCampaignSpecs(standing.kinds)];
  const models = specs.map((spec, i) => {
    const m = new CampaignModel(seed, spec, i);
    m.measure();
    return m;
  });
  const byId = new Map(models.map((m) => [m.id, m]));
  const faults = new FaultState();
  if (o.faults) faults.set(o.faults);
  let requestNumber = 0;
  const hostileLog: HostileLogEntry[] = [];
  let port = 0;
  const logHostile = (e: HostileLogEntry): void => {
    if (hostileLog.length >= 1000) hostileLog.shift(); // bounded, like everything in hostile mode
    hostileLog.push(e);
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      // A bug, not a client error: answer 500 if still possible, never leave the socket hanging.
      if (!res.headersSent) {
        send(res, 500, { message: `Sandbox error: ${e instanceof Error ? e.message : String(e)}` });
      } else res.destroy();
    });
  });
  // Small writes (slow drip) must leave at once rather than wait for Nagle.
  server.on('connection', (s) => s.setNoDelay(true));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('x-request-id', randomUUID());
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const events = EVENTS_ROUTE.exec(path);
    const campaign = CAMPAIGN_ROUTE.exec(path);
    const known = events || campaign || path === '/campaigns' || path === '/_sandbox/faults';
    if (!known) return drainAndSend(req, res, 404);
    if (events && req.method === 'POST') {
      // Hostile faults come before the key check: a hostile server does not care about the key.
      const plan = faults.takeHostile(req.url ?? path);
      if (plan) return answerHostile(req, res, plan, { port, log: logHostile });
    }
    if (path !== '/_sandbox/faults') standing.decorate(req, res);
    if (req.headers['x-key'] !== apiKey) return drainAndSend(req, res, 401, standing.errorBody(req, 401));

    if (path === '/_sandbox/faults') {
      if (req.method === 'GET') return send(res, 200, faults.current);
      if (req.method !== 'POST') return drainAndSend(req, res, 405, undefined, 'GET, POST');
      const body = await readJson(req, res);
      if (body === undefined) return;
      const f = parseFaultConfig(body.value);
      if ('error' in f) return send(res, 400, { message: f.error }); // the control endpoint stays plain
      faults.set(f.ok);
      res.writeHead(204).end();
      return;
    }
    if (!events) {
      // GET /campaigns and GET /campaigns/{id}: not documented for 8.1.0 (see np6-api.md §2.2), offered
      // in the documented campaign shape so a demo can list what the sandbox holds.
      if (req.method !== 'GET') return drainAndSend(req, res, 405, undefined, 'GET');
      if (!campaign) return send(res, 200, models.map(campaignJson));
      const m = byId.get(safeDecode(campaign[1]!));
      return m ? send(res, 200, campaignJson(m)) : send(res, 404);
    }

    if (req.method !== 'POST') return drainAndSend(req, res, 405, undefined, 'POST');
    const standingPlan = standing.planFor(safeDecode(events[1]!));
    if (standingPlan) return answerHostile(req, res, standingPlan, { port, log: logHostile });
    const m = byId.get(safeDecode(events[1]!));
    if (!m) return drainAndSend(req, res, 404);
    const itemsEndpoint = events[2] === 'items/events';
    const body = await readJson(req, res);
    if (body === undefined) return;
    const selection = parseItemsEvents(body.value, itemsEndpoint);
    if ('error' in selection) return send(res, 400, standing.errorBody(req, 400, selection.error));
    const range = parseRangeAndSort(url.searchParams);
    if ('error' in range) return send(res, 400, standing.errorBody(req, 400, range.error));

    const n = requestNumber++;
    const fault = faults.take(req.url ?? path);
    if (fault && answerFault(res, fault)) return;
    const texts = eventTexts(m, compileSelection(m, selection.ok), range.ok, n);
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
    await streamArray(res, texts, new Rng(n * 7919 + seed), fault);
  }

  /** Reads and parses a JSON body, answering 415/413/400 itself (then returns undefined). */
  async function readJson(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<{ value: unknown } | undefined> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json' && !type.endsWith('+json')) {
      drainAndSend(req, res, 415);
      return undefined;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        send(res, 413, { message: 'The request body is larger than 1 MiB.' });
        return undefined;
      }
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      return { value: JSON.parse(text) as unknown };
    } catch (e) {
      send(
        res,
        400,
        standing.errorBody(
          req,
          400,
          `The body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
      return undefined;
    }
  }

  function answerFault(res: ServerResponse, { mode, config }: FaultPlan): boolean {
    const wait = config.retryAfterSeconds ?? 1;
    switch (mode) {
      case '429': {
        const headers: Record<string, string> = { 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '0' };
        // X-RateLimit-Reset is an absolute time in epoch seconds (the common convention; NP6 does not say).
        if (config.useRateLimitReset) {
          headers['X-RateLimit-Reset'] = String(Math.ceil(Date.now() / 1000 + wait));
        } else headers['Retry-After'] = String(wait);
        res.writeHead(429, headers).end();
        return true;
      }
      case '500':
        send(res, 500, { message: 'Internal server error (sandbox fault injection).' });
        return true;
      case '503':
        res.setHeader('Retry-After', String(wait));
        send(res, 503, { message: 'Service unavailable (sandbox fault injection).' });
        return true;
      case 'html':
        res.writeHead(502, { 'Content-Type': 'text/html; charset=utf-8' }).end(HTML_ERROR_PAGE);
        return true;
      default:
        return false; // slow, cut, malformed: applied while streaming
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  function modelOf(campaignId: string): CampaignModel {
    const m = byId.get(campaignId);
    if (!m) throw new Error(`The sandbox has no campaign "${campaignId}".`);
    return m;
  }
  function compileQuery(q: EventQuery): { table: Uint8Array; range: RangeAndSort; m: CampaignModel } {
    const m = modelOf(q.campaignId);
    const selection = parseItemsEvents(requestBody(q), q.endpoint === 'items');
    if ('error' in selection) throw new Error(`The server would answer 400: ${selection.error}`);
    const range: RangeAndSort = { start: q.start, end: q.end, sort: q.sort === 'none' ? 'asc' : q.sort };
    return { m, table: compileSelection(m, selection.ok), range };
  }

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    campaigns: models.map((m) => m.describe()),
    hostileLog,
    setFaults(f: FaultConfig): void {
      faults.set(f);
    },
    expectedEvents(campaignId: string, q: EventQuery): Iterable<Np6Event> {
      const { m, table, range } = compileQuery({ ...q, campaignId });
      return (function* () {
        for (const text of eventTexts(m, table, range, 0)) yield JSON.parse(text) as Np6Event;
      })();
    },
    renderToFile(campaignId: string, q: EventQuery, path: string) {
      const { m, table, range } = compileQuery({ ...q, campaignId });
      return renderArrayToFile(eventTexts(m, table, range, 0), path);
    },
    close(): Promise<void> {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function campaignJson(m: CampaignModel): unknown {
  return {
    id: m.id,
    name: m.name,
    description: `Sandbox campaign: ${m.items.length} item(s), ~${m.approxEvents} events`,
    startDate: new Date(m.start).toISOString(),
    endDate: new Date(m.end).toISOString(),
    creationDate: new Date(m.sendStart - 7 * 24 * 3600_000).toISOString(),
    updateDate: new Date(m.sendStart - 3600_000).toISOString(),
    items: m.items.map((i) => ({ type: i.channel, id: i.id, name: i.name })),
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Answers without a body when none is given: NP6 sends 401/404 with an empty body. A RawJson body is
 * sent as it is (hostile bodies whose exact text matters).
 */
function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = body instanceof RawJson ? body.text : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(text);
}

/** Answers before reading the body; the body is discarded so the connection can be reused. */
function drainAndSend(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body?: unknown,
  allow?: string,
): void {
  req.resume();
  if (allow) res.setHeader('Allow', allow);
  send(res, status, body);
}
