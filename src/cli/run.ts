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
// A partial array/ndjson result goes to `<out>.partial` with a sidecar (partialFiles.ts).

import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { writeExport, type ExportFormat, type ExportRecord } from '../core/exportFormat';
import { storeExportRecords } from '../core/storeByteRanges';
import {
  describeCompleteness,
  type Completeness,
  type MissingWindow,
  type ResultSummary,
} from '../core/result';
import { ResultStore } from '../core/resultStore';
import { windowedFetch } from '../core/windowedFetch';
import { NotRegularFileError } from '../core/atomicFile';
import { Np6Client, type Np6ClientOptions, type RequestLogEntry } from '../np6/client';
import { errorWithHint, isNp6Error, type Np6Error } from '../np6/errors';
import type { EventQuery } from '../np6/query';
import { parseCommandLine, UsageError, type CliCommand, type EventsRequest } from './args';
import { makeSpoolDir, removeSpoolDir, sweepStaleSpools } from './cleanup';
import {
  describeStop,
  EXIT_COMPLETE,
  EXIT_FAILED,
  EXIT_PARTIAL,
  EXIT_USAGE,
  exitCodeFor,
  isStopSignal,
  type StopSignal,
} from './exitCodes';
import { bodyDamage, ExportFileError, openResumeSource, type ResumeSource } from './exportFile';
import { HELP } from './help';
import {
  checkOutputTarget,
  Messages,
  partialPath,
  sidecarPath,
  writeOutput,
  writeSmallFile,
  type Stderr,
} from './output';
import { removePartialPair, sidecarText } from './partialFiles';
import { Progress } from './progress';
import { errorInfo, missingAfterBreak, singleFetch } from './singleFetch';

export interface CliEnvironment {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: Stderr;
  /** Aborted on SIGINT/SIGTERM/SIGHUP (the reason is the signal's name): the fetch stops, what arrived is written. */
  signal: AbortSignal;
  version: string;
}

/** The stop signal that aborted the run (SIGINT when the reason is something else). */
function stopSignal(signal: AbortSignal): StopSignal {
  const reason: unknown = signal.reason;
  return isStopSignal(reason) ? reason : 'SIGINT';
}

function stopInfo(s: StopSignal): NonNullable<Completeness['error']> {
  const what = describeStop(s);
  return {
    kind: 'cancelled',
    message: `${what[0]!.toUpperCase()}${what.slice(1)} before the end: run np6-events events --resume FILE to fetch the rest.`,
  };
}

export async function runCli(e: CliEnvironment): Promise<number> {
  const msg = new Messages(e.stderr);
  // Known from the start, so that even a usage error quoting a value pasted by mistake is scrubbed.
  const key = e.env.NP6_API_KEY?.trim() ?? '';
  msg.setSecret(key);
  try {
    return await runCommand(e, msg, key);
  } catch (err) {
    msg.line(`unexpected error: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT_FAILED;
  }
}

/** Where and how the result is written, once the command line and a resumed file are read. */
interface Output {
  format: ExportFormat;
  /** A path, or '-' for standard output. */
  out: string;
  allowPartial: boolean;
  /** --bom: a UTF-8 byte order mark before CSV output. */
  bom?: boolean;
}

async function runCommand(e: CliEnvironment, msg: Messages, key: string): Promise<number> {
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
  if (!key) {
    msg.line('NP6_API_KEY is not set: export NP6_API_KEY=<your NP6 API key> and run the command again.');
    return EXIT_USAGE;
  }
  let source: ResumeSource | undefined;
  let output: Output;
  try {
    if (r.mode === 'resume') {
      source = await openResumeSource(r.resumeFile);
      output = resumeOutput(r, source);
    } else output = { format: r.format, out: r.out, allowPartial: r.allowPartial, bom: r.bom === true };
    await checkOutputTarget(output.out, output.format !== 'export');
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof ExportFileError)) throw err;
    msg.line(err.message);
    return EXIT_USAGE;
  }
  // Spool folders of earlier runs that were killed (SIGKILL, a crash) are removed here.
  await sweepStaleSpools();

  const progress = new Progress(msg);
  const options: Np6ClientOptions = {
    baseUrl: r.baseUrl,
    apiKey: key,
    timeoutMs: r.timeoutMs,
    ...(r.verbose ? { log: (l: RequestLogEntry) => msg.line(formatLog(l)) } : {}),
    ...(r.retries !== undefined ? { retry: { maxRetries: r.retries } } : {}),
    maxElementBytes: r.maxElementBytes,
    deadlineMs: r.deadlineMs,
    ...(r.minBytesPerSecond !== undefined ? { minBytesPerSecond: r.minBytesPerSecond } : {}),
  };
  const client = new Np6Client(options);
  const ctx: RunContext = { e, r, output, msg, progress, client };
  try {
    if (r.mode === 'query' && r.windowMs === undefined && output.format !== 'export') {
      return await streamDirect(ctx, r.query);
    }
    return await viaStore(ctx, source);
  } catch (err) {
    progress.done();
    if (isNp6Error(err)) return failed(msg, err);
    if (err instanceof NotRegularFileError) {
      msg.line(err.message);
      return EXIT_USAGE;
    }
    msg.line(`Could not write the output: ${(err as Error).message}`);
    return EXIT_FAILED;
  }
}

/** The output of a resume: the format and name the resumed file implies, unless the command line says otherwise. */
function resumeOutput(r: Extract<EventsRequest, { mode: 'resume' }>, s: ResumeSource): Output {
  if (r.format !== undefined && r.format !== s.format) {
    throw new UsageError(
      `--resume ${r.resumeFile} continues a ${s.format} ${s.kind === 'export' ? 'document' : 'run'}: remove --format or use --format ${s.format}.`,
    );
  }
  return { format: s.format, out: r.out ?? s.defaultOut, allowPartial: r.allowPartial };
}

interface RunContext {
  e: CliEnvironment;
  r: EventsRequest;
  output: Output;
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

/** The key scrubbed from every text of a completeness before it goes into a file. */
function scrubbed(c: Completeness, msg: Messages): Completeness {
  const out: Completeness = {
    ...c,
    missing: c.missing.map((w) => ({ ...w, reason: msg.scrub(w.reason) })),
  };
  if (c.error) {
    out.error = { ...c.error, message: msg.scrub(c.error.message) };
    if (c.error.requestId !== undefined) out.error.requestId = msg.scrub(c.error.requestId);
  }
  return out;
}

/** A partial array/ndjson result goes to `<out>.partial` (with a sidecar) unless --allow-partial. */
function partialTarget(o: Output): string | undefined {
  return o.format !== 'export' && !o.allowPartial && o.out !== '-' ? partialPath(o.out) : undefined;
}

/**
 * After a write: for a partial result under the .partial name, the sidecar; for a complete one, the
 * .partial pair an earlier run left (it is superseded). Then the closing message and exit code.
 */
async function finishOutput(
  ctx: RunContext,
  written: string,
  summary: ResultSummary,
  count: number,
  source?: ResumeSource,
): Promise<number> {
  const { e, output, msg } = ctx;
  const { out, format } = output;
  if (summary.complete) {
    if (out !== '-') {
      const pairs = [[partialPath(out), sidecarPath(out)]];
      if (source?.sidecarFile) pairs.push([source.bodyFile, source.sidecarFile]);
      for (const [body, side] of pairs) {
        for (const f of await removePartialPair(body!, side!)) {
          msg.line(`removed ${f} (superseded by ${out}).`);
        }
      }
    }
    if (msg.isTTY || ctx.r.verbose) msg.line(`${count} events written to ${where(written)} (complete).`);
    return EXIT_COMPLETE;
  }
  msg.line(`${count} events written to ${where(written)}; ${describeCompleteness(summary)}`);
  if (format !== 'export' && written === partialPath(out)) {
    await writeSmallFile(sidecarPath(out), sidecarText(summary, format, written), msg);
    msg.line(
      `${out} was not written: the result is partial. ${sidecarPath(out)} lists what is missing; to fetch it: np6-events events --resume ${written}`,
    );
  } else if (format === 'export' && out !== '-') {
    msg.line(`To fetch the rest: np6-events events --resume ${out}`);
  }
  return summary.cancelled ? exitCodeFor(stopSignal(e.signal)) : EXIT_PARTIAL;
}

/** array/ndjson straight from the network: events are written as they arrive. */
async function streamDirect(ctx: RunContext, q: EventQuery): Promise<number> {
  const { e, output, msg, progress, client } = ctx;
  const startedAt = Date.now();
  let received = 0;
  let lastTimestamp: number | undefined;
  let broke: Np6Error | undefined;
  async function* records(): AsyncGenerator<ExportRecord> {
    try {
      for await (const rec of client.streamRecords(q, {
        signal: e.signal,
        onProgress: (p) => progress.update({ events: received, bytes: p.bytes }),
      })) {
        received++;
        if (typeof rec.event.timestamp === 'number') lastTimestamp = rec.event.timestamp;
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
    startedAt,
    complete: true,
    missing: [],
    count: 0,
    bytes: 0,
  };
  const written = await writeOutput(output.out, e.stdout, async (w) => {
    await writeExport(w, output.format, meta, records(), undefined, { bom: output.bom === true });
    const partial = broke ? partialTarget(output) : undefined;
    return partial ? { target: partial } : undefined;
  });
  progress.done();
  let c: Completeness = { complete: true, missing: [] };
  if (broke) {
    const cancelled = broke.kind === 'cancelled';
    const error = cancelled ? stopInfo(stopSignal(e.signal)) : errorInfo(broke);
    c = {
      complete: false,
      error,
      missing: [missingAfterBreak(q, lastTimestamp, startedAt, error.message)],
      ...(cancelled ? { cancelled: true } : {}),
    };
  }
  return finishOutput(ctx, written, { ...meta, ...scrubbed(c, msg), count: received }, received);
}

/** The whole range of a query (to fetch again when a file cannot say what it lacks). */
function wholeRange(q: EventQuery, fetchedAt: string, reason: string): MissingWindow {
  const at = Date.parse(fetchedAt);
  return { start: q.start ?? 0, end: q.end ?? (Number.isFinite(at) ? at : Date.now()), reason };
}

/** Fetch (one request, windows, or the missing windows of a file) into a store, then write from it. */
async function viaStore(ctx: RunContext, source: ResumeSource | undefined): Promise<number> {
  const { e, r, output, msg, progress, client } = ctx;
  const query = source ? source.query : (r as Extract<EventsRequest, { mode: 'query' }>).query;
  const windowMs = r.mode === 'query' ? r.windowMs : undefined;
  const tmp = await makeSpoolDir();
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
    if (source) {
      for await (const rec of source.records()) s.append(rec);
      const damage = bodyDamage(source);
      let only: MissingWindow[];
      if (damage !== undefined) {
        // The file cannot say which events it lost: keep what it holds, fetch the whole range again
        // (events are merged by id, so nothing is doubled).
        const reason = `${source.bodyFile} is damaged: ${damage}`;
        msg.line(
          `${reason}. Its ${source.body.events} readable events are kept and the whole range is fetched again.`,
        );
        only = [wholeRange(query, source.header.fetchedAt, reason)];
      } else if (source.header.complete) {
        if (output.out === source.bodyFile) {
          msg.line(
            `${output.out} is already complete (${source.body.events} events, checked): nothing to fetch.`,
          );
          return EXIT_COMPLETE;
        }
        only = [];
      } else {
        only =
          source.header.missing.length > 0
            ? source.header.missing
            : [
                wholeRange(
                  query,
                  source.header.fetchedAt,
                  'The earlier result is incomplete and does not say what is missing.',
                ),
              ];
      }
      c =
        only.length === 0
          ? { complete: true, missing: [] }
          : await resumeFetch(ctx, query, only, s, onWindowProgress);
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
    if (e.signal.aborted) {
      c = { ...c, complete: false, cancelled: true, error: stopInfo(stopSignal(e.signal)) };
    }
    if (!c.complete && !c.cancelled && s.index.length === 0 && !source) {
      msg.line(`${c.error?.message ?? describeCompleteness(c)}`);
      msg.line('Nothing was written.');
      return EXIT_FAILED;
    }
    // Scrubbed before the store's summary and the export's metadata are written from it.
    await s.finish(scrubbed(c, msg));
    const order = source || windowMs !== undefined ? 'time' : 'arrival';
    let written = 0;
    const partial = c.complete ? undefined : partialTarget(output);
    const file = await writeOutput(output.out, e.stdout, async (w) => {
      // Byte ranges of the stored file when it is in time order (a copy), else record by record.
      const events = storeExportRecords(s, order);
      written = (
        await writeExport(w, output.format, s.summary, events, undefined, { bom: output.bom === true })
      ).count;
      return partial ? { target: partial } : undefined;
    });
    return await finishOutput(ctx, file, s.summary, written, source);
  } finally {
    await store?.close();
    await removeSpoolDir(tmp);
  }
}

/** Fetches only the given windows of a query, one request per window where possible. */
async function resumeFetch(
  ctx: RunContext,
  query: EventQuery,
  only: MissingWindow[],
  store: ResultStore,
  onProgress: (p: { window: number; windows: number; events: number; bytes: number }) => void,
): Promise<Completeness> {
  // Each hole as one request (the window planner would otherwise start at one day and grow):
  // a hole was a single answer's worth before; the planner still cuts it if it is too large.
  const longest = Math.max(...only.map((w) => w.end - w.start));
  ctx.msg.line(`Resuming: fetching ${only.length} missing window${only.length === 1 ? '' : 's'}.`);
  return windowedFetch({
    client: ctx.client,
    query,
    store,
    only,
    windowMs: longest,
    policy: { maxWindowMs: Math.max(longest, 1000) },
    signal: ctx.e.signal,
    onProgress,
  });
}
