// np6-events, as a function of its command line, environment and streams (main.ts wires the real
// process; tests run the built dist/cli.js as a child process).
//
// Two paths:
//  - array/ndjson without --window: events go straight from the network to the output as they
//    arrive (nothing to know in advance, nothing held).
//  - export (metadata first: count and completeness must be known), --window and --resume: events
//    go to a result store in a temporary folder (the same store the extension uses), then the
//    output is written from it with writeExport — so the CLI and the extension's "Export..." write
//    the same bytes for the same stored result.

import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeExport, type ExportRecord } from '../core/exportFormat';
import { describeCompleteness, type Completeness, type ResultSummary } from '../core/result';
import { ResultStore } from '../core/resultStore';
import { windowedFetch } from '../core/windowedFetch';
import { Np6Client, type RequestLogEntry } from '../np6/client';
import { errorWithHint, isNp6Error, type Np6Error } from '../np6/errors';
import type { EventQuery } from '../np6/query';
import { parseCommandLine, UsageError, type CliCommand, type EventsRequest } from './args';
import { EXIT_COMPLETE, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_PARTIAL, EXIT_USAGE } from './exitCodes';
import { ExportFileError, openExportFile, type ExportFile } from './exportFile';
import { HELP } from './help';
import { checkOutputTarget, Messages, writeOutput, type Stderr } from './output';
import { Progress } from './progress';
import { singleFetch } from './singleFetch';

export interface CliEnvironment {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: Stderr;
  /** Aborted on Ctrl+C: the fetch stops, what arrived is written. */
  signal: AbortSignal;
  version: string;
}

const INTERRUPTED: NonNullable<Completeness['error']> = {
  kind: 'cancelled',
  message: 'Interrupted (Ctrl+C) before the end: run np6-events events --resume FILE to fetch the rest.',
};

export async function runCli(e: CliEnvironment): Promise<number> {
  const msg = new Messages(e.stderr);
  let cmd: CliCommand;
  try {
    cmd = parseCommandLine(e.argv, Date.now());
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    msg.line(err.message);
    return EXIT_USAGE;
  }
  if (cmd.kind === 'help') {
    e.stdout.write(HELP);
    return EXIT_COMPLETE;
  }
  if (cmd.kind === 'version') {
    e.stdout.write(`${e.version}\n`);
    return EXIT_COMPLETE;
  }
  const r = cmd.request;
  const key = e.env.NP6_API_KEY?.trim() ?? '';
  if (!key) {
    msg.line('NP6_API_KEY is not set: export NP6_API_KEY=<your NP6 API key> and run the command again.');
    return EXIT_USAGE;
  }
  msg.setSecret(key);
  let file: ExportFile | undefined;
  try {
    await checkOutputTarget(r.out);
    if (r.mode === 'resume') file = await openExportFile(r.resumeFile);
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof ExportFileError)) throw err;
    msg.line(err.message);
    return EXIT_USAGE;
  }

  const progress = new Progress(msg);
  const client = new Np6Client({
    baseUrl: r.baseUrl,
    apiKey: key,
    timeoutMs: r.timeoutMs,
    ...(r.verbose ? { log: (l: RequestLogEntry) => msg.line(formatLog(l)) } : {}),
  });
  const ctx: RunContext = { e, r, msg, progress, client };
  try {
    if (r.mode === 'query' && r.windowMs === undefined && r.format !== 'export') {
      return await streamDirect(ctx, r.query);
    }
    return await viaStore(ctx, file);
  } catch (err) {
    progress.done();
    if (isNp6Error(err)) return failed(msg, err);
    msg.line(`Could not write the output: ${(err as Error).message}`);
    return EXIT_FAILED;
  }
}

interface RunContext {
  e: CliEnvironment;
  r: EventsRequest;
  msg: Messages;
  progress: Progress;
  client: Np6Client;
}

function failed(msg: Messages, err: Np6Error): number {
  msg.line(errorWithHint(err));
  msg.line('Nothing was written.');
  return EXIT_FAILED;
}

function formatLog(l: RequestLogEntry): string {
  const parts = [`${l.method} ${l.path}`, l.status !== undefined ? `→ ${l.status}` : '→ no answer'];
  parts.push(`${l.durationMs} ms, ${l.events} events, ${l.bytes} bytes, attempt ${l.attempt}`);
  if (l.requestId) parts.push(`request id ${l.requestId}`);
  if (l.error) parts.push(l.error);
  return parts.join(' ');
}

const where = (out: string): string => (out === '-' ? 'standard output' : out);

/** array/ndjson straight from the network: events are written as they arrive. */
async function streamDirect(ctx: RunContext, q: EventQuery): Promise<number> {
  const { e, r, msg, progress, client } = ctx;
  let received = 0;
  let broke: Np6Error | undefined;
  async function* records(): AsyncGenerator<ExportRecord> {
    try {
      for await (const rec of client.streamRecords(q, {
        signal: e.signal,
        onProgress: (p) => progress.update({ events: received, bytes: p.bytes }),
      })) {
        received++;
        yield rec;
      }
    } catch (err) {
      // Before any event it is a plain failure (nothing written); after, keep what arrived.
      if (isNp6Error(err) && (received > 0 || err.kind === 'cancelled')) broke = err;
      else throw err;
    }
  }
  const meta: ResultSummary = {
    id: 'direct',
    campaignLabel: q.campaignId,
    query: q,
    startedAt: Date.now(),
    complete: true,
    missing: [],
    count: 0,
    bytes: 0,
  };
  await writeOutput(r.out, e.stdout, async (w) => {
    await writeExport(w, r.format, meta, records());
  });
  progress.done();
  const failure = broke;
  if (!failure) {
    if (msg.isTTY || r.verbose) msg.line(`${received} events written to ${where(r.out)} (complete).`);
    return EXIT_COMPLETE;
  }
  const interrupted = failure.kind === 'cancelled';
  msg.line(
    `partial: ${received} events written to ${where(r.out)}; ${interrupted ? 'interrupted (Ctrl+C) before the end.' : `the answer broke: ${errorWithHint(failure)}`}`,
  );
  return interrupted ? EXIT_INTERRUPTED : EXIT_PARTIAL;
}

/** Fetch (one request, windows, or the missing windows of a file) into a store, then write from it. */
async function viaStore(ctx: RunContext, file: ExportFile | undefined): Promise<number> {
  const { e, r, msg, progress, client } = ctx;
  const query = file ? file.query : (r as Extract<EventsRequest, { mode: 'query' }>).query;
  const windowMs = r.mode === 'query' ? r.windowMs : undefined;
  const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'np6-events-'));
  let store: ResultStore | undefined;
  try {
    store = await ResultStore.create(path.join(tmp, 'result'), {
      id: randomUUID(),
      campaignLabel: query.campaignId,
      query,
    });
    const s = store;
    const onWindowProgress = (p: { window: number; windows: number; events: number; bytes: number }): void =>
      progress.update(p);
    let c: Completeness;
    if (file?.header.complete && r.out === (r as Extract<EventsRequest, { mode: 'resume' }>).resumeFile) {
      msg.line(`${r.out} is already complete: nothing to fetch.`);
      return EXIT_COMPLETE;
    }
    if (file) {
      for await (const rec of file.records()) s.append(rec);
      c = file.header.complete
        ? { complete: true, missing: [] }
        : await resumeFetch(ctx, file, s, onWindowProgress);
    } else if (windowMs !== undefined) {
      c = await windowedFetch({
        client,
        query,
        store: s,
        windowMs,
        signal: e.signal,
        onProgress: onWindowProgress,
      });
    } else {
      c = await singleFetch(client, query, s, e.signal, (p) => progress.update(p));
    }
    progress.done();
    if (e.signal.aborted) c = { ...c, complete: false, cancelled: true, error: INTERRUPTED };
    if (!c.complete && !c.cancelled && s.index.length === 0 && !file) {
      msg.line(`${c.error?.message ?? describeCompleteness(c)}`);
      msg.line('Nothing was written.');
      return EXIT_FAILED;
    }
    await s.finish(c);
    const order = file || windowMs !== undefined ? 'time' : 'arrival';
    let written = 0;
    await writeOutput(r.out, e.stdout, async (w) => {
      written = (await writeExport(w, r.format, s.summary, s.records(order))).count;
    });
    if (c.complete) {
      if (msg.isTTY || r.verbose) msg.line(`${written} events written to ${where(r.out)} (complete).`);
      return EXIT_COMPLETE;
    }
    msg.line(`${written} events written to ${where(r.out)}; ${describeCompleteness(c)}`);
    if (r.format === 'export' && r.out !== '-') {
      msg.line(`To fetch the rest: np6-events events --resume ${r.out}`);
    }
    return c.cancelled ? EXIT_INTERRUPTED : EXIT_PARTIAL;
  } finally {
    await store?.close();
    await fsp.rm(tmp, { recursive: true, force: true });
  }
}

/** Fetches only the missing windows of an earlier export, one request per window where possible. */
async function resumeFetch(
  ctx: RunContext,
  file: ExportFile,
  store: ResultStore,
  onProgress: (p: { window: number; windows: number; events: number; bytes: number }) => void,
): Promise<Completeness> {
  const fetchedAt = Date.parse(file.header.fetchedAt);
  const only =
    file.header.missing.length > 0
      ? file.header.missing
      : [
          {
            start: file.query.start ?? 0,
            end: file.query.end ?? (Number.isFinite(fetchedAt) ? fetchedAt : Date.now()),
            reason: 'The earlier export is incomplete and does not say what is missing.',
          },
        ];
  // Each hole as one request (the window planner would otherwise start at one day and grow):
  // a hole was a single answer's worth before; the planner still cuts it if it is too large.
  const longest = Math.max(...only.map((w) => w.end - w.start));
  ctx.msg.line(`Resuming: fetching ${only.length} missing window${only.length === 1 ? '' : 's'}.`);
  return windowedFetch({
    client: ctx.client,
    query: file.query,
    store,
    only,
    windowMs: longest,
    policy: { maxWindowMs: Math.max(longest, 1000) },
    signal: ctx.e.signal,
    onProgress,
  });
}
