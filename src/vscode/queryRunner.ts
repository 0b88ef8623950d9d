// Runs a query: a cancellable progress notification (window k/n, events, bytes), the events go into a
// result store on disk, which becomes the campaign's last result. API errors never throw here: they
// come back as the result's Completeness and are turned into a message with next steps.
import * as vscode from 'vscode';
import { describeCompleteness, type MissingWindow, type ResultSummary } from '../core/result';
import type { ResultStore } from '../core/resultStore';
import { windowedFetch } from '../core/windowedFetch';
import { describeQuery, type EventQuery } from '../np6/query';
import type { CampaignRef } from './campaigns';
import type { Connection } from './connection';
import type { Results } from './results';
import { forNotification } from '../core/untrustedText';
import { count } from '../shared/counts';
import { DoneIncrements, PacedProgress } from '../core/pacedProgress';

/** The abort controllers of the queries in flight, so they can be cancelled from outside the notification. */
export class RunningQueries {
  private readonly all = new Set<AbortController>();
  get size(): number {
    return this.all.size;
  }
  add(a: AbortController): void {
    this.all.add(a);
  }
  delete(a: AbortController): void {
    this.all.delete(a);
  }
  /** Cancels every query in flight, exactly as their Cancel buttons do; returns how many. */
  cancelAll(): number {
    const n = this.all.size;
    for (const a of this.all) a.abort();
    return n;
  }
}

export interface RunOptions {
  /** Where the query registers its cancellation while it runs. */
  running?: RunningQueries;
  /** Resume: fetch only these windows into an existing store. */
  resume?: { store: ResultStore; only: MissingWindow[] };
  /** Called once the store exists, before any event arrives (to open a progressive view). */
  onStore?: (store: ResultStore) => void;
}

export type RunOutcome =
  | { summary: ResultSummary; store: ResultStore }
  | { problem: string; kind: 'noKey' | 'badUrl' | 'noDemo' | 'failed' };

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export async function runQuery(
  connection: Connection,
  results: Results,
  log: vscode.LogOutputChannel,
  campaign: CampaignRef,
  query: EventQuery,
  o: RunOptions = {},
): Promise<RunOutcome> {
  const c = await connection.clientFor(campaign.demo);
  if ('problem' in c) return { problem: c.message, kind: c.problem };
  const store = o.resume?.store ?? (await results.create(campaign, query));
  o.onStore?.(store);
  log.info(`${o.resume ? 'Resuming' : 'Query'} ${describeQuery(query)} → result ${store.summary.id}`);
  const completeness = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `NP6: ${o.resume ? 'resuming' : 'querying'} ${forNotification(campaign.label)}`,
      cancellable: true,
    },
    async (shown, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      o.running?.add(abort);
      const progress = new PacedProgress(shown);
      const bar = new DoneIncrements();
      progress.report({ message: 'connecting…' });
      try {
        return await windowedFetch({
          client: c.client,
          query,
          store,
          signal: abort.signal,
          ...(o.resume ? { only: o.resume.only } : {}),
          onProgress: (p) =>
            progress.report({
              message: `window ${p.window} of about ${p.windows} · ${count(p.events, 'event')} · ${formatBytes(p.bytes)}`,
              ...bar.next(p.done),
            }),
        });
      } catch (e) {
        // windowedFetch throws only for programmer errors; keep what arrived and label it, with
        // everything it was asked for listed missing (Resume re-reads it; ids de-duplicate).
        const message = e instanceof Error ? e.message : String(e);
        log.error(`Query failed: ${message}`);
        const reason = `Not fetched: ${message}`;
        const missing = o.resume
          ? o.resume.only.map((w) => ({ ...w, reason }))
          : [{ start: query.start ?? 0, end: query.end ?? store.summary.startedAt, reason }];
        return { complete: false, error: { kind: 'internal', message }, missing };
      } finally {
        progress.dispose();
        sub.dispose();
        o.running?.delete(abort);
      }
    },
  );
  try {
    await store.finish(completeness);
  } catch (e) {
    log.error(`Could not write the result summary: ${e instanceof Error ? e.message : String(e)}`);
  }
  await results.finished(store);
  log.info(
    `Result ${store.summary.id}: ${count(store.summary.count, 'event')}, ${describeCompleteness(store.summary)}`,
  );
  return { summary: store.summary, store };
}
