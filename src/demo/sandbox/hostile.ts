// The hostile answers (issue 8, item 10): command links, redirects, the key echoed in five forms, an
// element that never ends, a whitespace drip, a huge error body. Each one is bounded in bytes and
// time and stops as soon as the client goes away, so a test that gives up never leaves a loop running.

import { type IncomingMessage, type ServerResponse } from 'node:http';

import {
  echoKeyHtmlPage,
  echoKeyJsonBody,
  echoLine,
  HOSTILE_EXPORT_TEXT,
  HOSTILE_TERMINAL_TEXT,
  hostileEventTexts,
} from './hostileTexts';
import type { HostileKind, HostileSettings } from './types';

export const HOSTILE_KINDS: readonly HostileKind[] = [
  'command-links',
  'redirect',
  'echo-key',
  'endless-element',
  'whitespace-drip',
  'huge-error-body',
];

export const REDIRECT_STATUSES: readonly number[] = [301, 302, 303, 307, 308];

const MIB = 1024 * 1024;
const DEFAULT_MAX_BYTES = 200 * MIB;
const DEFAULT_HUGE_BYTES = 50 * MIB;
const DEFAULT_DRIP_MS = 500;
const DEFAULT_MAX_DURATION_MS = 10 * 60_000;
/** Upper bounds of the settings, so a typo cannot make the sandbox itself unbounded. */
const LIMIT_BYTES = 1024 * MIB;
const LIMIT_DURATION_MS = 3600_000;
const CHUNK = 64 * 1024;
/** huge-error-body: pause between two chunks ("slowly-ish": 50 MiB take a few seconds). */
const HUGE_CHUNK_DELAY_MS = 2;

export function isHostileKind(v: unknown): v is HostileKind {
  return typeof v === 'string' && (HOSTILE_KINDS as readonly string[]).includes(v);
}

/** Validates the hostile fields of an object; returns an error message, or undefined when valid. */
export function hostileSettingsProblem(o: Record<string, unknown>): string | undefined {
  const status = (n: string, lo: number) =>
    o[n] !== undefined && (!Number.isInteger(o[n]) || (o[n] as number) < lo || (o[n] as number) > 599)
      ? `"${n}" must be an HTTP status (${lo}-599).`
      : undefined;
  const bounded = (n: string, lo: number, hi: number) =>
    o[n] !== undefined && (typeof o[n] !== 'number' || !Number.isFinite(o[n]) || o[n] < lo || o[n] > hi)
      ? `"${n}" must be a number from ${lo} to ${hi}.`
      : undefined;
  const problem =
    status('status', 200) ??
    status('keyCheckStatus', 200) ??
    bounded('maxBytes', 1, LIMIT_BYTES) ??
    bounded('hugeBytes', 1, LIMIT_BYTES) ??
    bounded('dripIntervalMs', 1, 60_000) ??
    bounded('maxDurationMs', 1, LIMIT_DURATION_MS);
  if (problem) return problem;
  if (o.redirectStatus !== undefined && !REDIRECT_STATUSES.includes(o.redirectStatus as number)) {
    return `"redirectStatus" must be one of ${REDIRECT_STATUSES.join(', ')}.`;
  }
  if (o.commandLink !== undefined && o.commandLink !== 'terminal' && o.commandLink !== 'export') {
    return '"commandLink" must be "terminal" or "export".';
  }
  if (o.echoKeyHtml !== undefined && typeof o.echoKeyHtml !== 'boolean') {
    return '"echoKeyHtml" must be true or false.';
  }
  if (o.redirectTo !== undefined) {
    if (typeof o.redirectTo !== 'string') return '"redirectTo" must be a URL.';
    let u: URL;
    try {
      u = new URL(o.redirectTo);
    } catch {
      return '"redirectTo" must be an absolute URL.';
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return '"redirectTo" must be an http(s) URL.';
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) {
      return '"redirectTo" must stay on loopback (127.0.0.1, localhost or [::1]).';
    }
  }
  return undefined;
}

/** One hostile answer to give. */
export interface HostilePlan {
  kind: HostileKind;
  settings: HostileSettings;
}

/** What a hostile answer did, for tests (`sandbox.hostileLog`). */
export interface HostileLogEntry {
  kind: HostileKind;
  status: number;
  /** Body bytes handed to the socket. */
  bytes: number;
  ms: number;
  end: 'done' | 'client-closed' | 'limit' | 'deadline';
}

export interface HostileContext {
  /** The sandbox's own port (default redirect target: http://localhost:PORT). */
  port: number;
  log(entry: HostileLogEntry): void;
}

/** A header-safe x-request-id: printable ASCII only (a header can carry nothing else safely). */
export function safeHeader(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

/** The x-request-id of an echo: the received key in its five forms. */
export function echoRequestId(key: string): string {
  return safeHeader(`req-${echoLine(key)}`);
}

export async function answerHostile(
  req: IncomingMessage,
  res: ServerResponse,
  plan: HostilePlan,
  ctx: HostileContext,
): Promise<void> {
  req.resume(); // the request body is not needed; let it drain
  const s = plan.settings;
  const started = Date.now();
  const out = new BoundedWriter(res, s.maxDurationMs ?? DEFAULT_MAX_DURATION_MS);
  let status = 200;
  let end: HostileLogEntry['end'] = 'done';
  const key = firstHeader(req.headers['x-key']) ?? '';
  try {
    switch (plan.kind) {
      case 'command-links': {
        const text = s.commandLink === 'export' ? HOSTILE_EXPORT_TEXT : HOSTILE_TERMINAL_TEXT;
        status = s.status ?? 500;
        res.setHeader('x-request-id', text);
        const body =
          status === 200
            ? `[${hostileEventTexts(timestampFor(req)).join(',')}]`
            : JSON.stringify({ error: text, message: text });
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
        await out.write(body);
        break;
      }
      case 'redirect': {
        status = s.redirectStatus ?? 302;
        const base = (s.redirectTo ?? `http://localhost:${ctx.port}`).replace(/\/+$/, '');
        res.writeHead(status, { Location: base + (req.url ?? '/') });
        break;
      }
      case 'echo-key': {
        res.setHeader('x-request-id', echoRequestId(key));
        if (s.echoKeyHtml) {
          status = s.status ?? 502;
          res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
          await out.write(echoKeyHtmlPage(key));
        } else {
          status = s.status ?? 500;
          res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
          await out.write(echoKeyJsonBody(key));
        }
        break;
      }
      case 'endless-element': {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
        const t = timestampFor(req);
        await out.write(`[{"type":"hit","id":"a","timestamp":${t}},{"id":"b","timestamp":${t},"x":"`);
        const filler = Buffer.alloc(CHUNK, 'x');
        const max = s.maxBytes ?? DEFAULT_MAX_BYTES;
        while (out.open && out.bytes < max) {
          await out.write(filler.subarray(0, Math.min(CHUNK, max - out.bytes)));
        }
        end = out.open ? 'limit' : out.end;
        break;
      }
      case 'whitespace-drip': {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
        res.flushHeaders();
        const every = s.dripIntervalMs ?? DEFAULT_DRIP_MS;
        for (;;) {
          await out.sleep(every);
          if (!out.open) break;
          await out.write(' ');
        }
        end = out.end;
        break;
      }
      case 'huge-error-body': {
        status = 500;
        res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
        const total = s.hugeBytes ?? DEFAULT_HUGE_BYTES;
        const head = '{"error":"Internal server error","trace":"';
        const tail = '"}';
        await out.write(head);
        const line = '    at com.np6.api.events.Handler.handle(Handler.java:42)\\n';
        const filler = Buffer.from(line.repeat(Math.ceil(CHUNK / line.length)).slice(0, CHUNK));
        while (out.open && out.bytes < total - tail.length) {
          await out.write(filler.subarray(0, Math.min(CHUNK, total - tail.length - out.bytes)));
          await out.sleep(HUGE_CHUNK_DELAY_MS);
        }
        if (out.open) await out.write(tail);
        break;
      }
    }
  } finally {
    if (end === 'done' && !out.open) end = out.end;
    out.finish(end);
    ctx.log({ kind: plan.kind, status, bytes: out.bytes, ms: Date.now() - started, end });
  }
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** A timestamp inside the requested range when there is one (epoch ms or ISO), so no filter drops it. */
function timestampFor(req: IncomingMessage): number {
  const start = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('start');
  const t = start === null ? NaN : /^\d+$/.test(start) ? Number(start) : Date.parse(start);
  return Number.isFinite(t) ? t : Date.UTC(2026, 8, 30);
}

/**
 * Writes with back-pressure; knows when the client went away; destroys the response at the
 * deadline (so a client that stops reading cannot keep a write waiting for ever).
 */
class BoundedWriter {
  bytes = 0;
  end: 'client-closed' | 'deadline' = 'client-closed';
  private closed = false;
  private wakeDrain: (() => void) | undefined;
  private wakeSleep: (() => void) | undefined;
  private readonly deadline: NodeJS.Timeout;

  constructor(
    private readonly res: ServerResponse,
    maxMs: number,
  ) {
    res.on('close', () => {
      this.closed = true;
      this.wakeDrain?.();
      this.wakeSleep?.();
    });
    res.on('drain', () => this.wakeDrain?.());
    this.deadline = setTimeout(() => {
      if (this.closed) return;
      this.end = 'deadline';
      res.destroy();
    }, maxMs);
    this.deadline.unref();
  }

  get open(): boolean {
    return !this.closed && !this.res.destroyed;
  }

  async write(chunk: string | Buffer): Promise<void> {
    if (!this.open) return;
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.bytes += buf.length;
    if (!this.res.write(buf) && this.open) await new Promise<void>((r) => (this.wakeDrain = r));
    this.wakeDrain = undefined;
  }

  /** Waits `ms`, or less when the client goes away. */
  async sleep(ms: number): Promise<void> {
    if (!this.open) return;
    await new Promise<void>((r) => {
      const t = setTimeout(r, ms);
      this.wakeSleep = () => {
        clearTimeout(t);
        r();
      };
    });
    this.wakeSleep = undefined;
  }

  /** Ends a complete answer; an unfinished one (the limit was reached) is cut, never completed. */
  finish(end: HostileLogEntry['end']): void {
    clearTimeout(this.deadline);
    if (!this.open) return;
    if (end === 'limit') this.res.destroy();
    else this.res.end();
  }
}
