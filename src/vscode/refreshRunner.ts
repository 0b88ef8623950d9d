// Refresh of a stored result whose range reaches "now": re-reads the trailing settle window
// (refreshResult in src/core/refresh.ts) under a cancellable progress notification, merges by id
// into the same store and says how many events are new. Completeness stays honest on every path:
// refreshResult marks the re-read window missing before it starts, and records the outcome (the
// old holes minus what was re-read, plus whatever failed or was cancelled) when it ends.
import * as vscode from 'vscode';
import { reachesNow, refreshResult } from '../core/refresh';
import type { ResultStore } from '../core/resultStore';
import type { DemoAccess, QueryAccess, Reporter, ResultsAccess } from './services';
import { forNotification } from '../core/untrustedText';
import { count } from '../shared/counts';
import { DoneIncrements, PacedProgress } from '../core/pacedProgress';

export type RefreshOutcome =
  | { refreshed: true; newFrom: number; newTo: number; store: ResultStore }
  | {
      refreshed: false;
      why: 'gone' | 'past' | 'noClient' | 'failed';
      message: string;
      /** With 'noClient': why no client (the buttons of errorActions.ts depend on it). */
      problem?: 'noKey' | 'badUrl' | 'noDemo';
    };

/** A result can be refreshed when its range reaches "now" (see reachesNow); otherwise Re-run. */
export function refreshable(store: ResultStore, now: number): boolean {
  return reachesNow(store, now);
}

/** One refresh per result at a time: a second request joins the one in flight. */
const inFlight = new Map<string, Promise<RefreshOutcome>>();

/** What a refresh uses of the extension's services. */
export type RefreshServices = ResultsAccess & DemoAccess & QueryAccess & Reporter;

export function refreshStoredResult(ext: RefreshServices, resultId: string): Promise<RefreshOutcome> {
  let p = inFlight.get(resultId);
  if (!p) {
    p = run(ext, resultId).finally(() => inFlight.delete(resultId));
    inFlight.set(resultId, p);
  }
  return p;
}

async function run(ext: RefreshServices, resultId: string): Promise<RefreshOutcome> {
  const store = await ext.results.get(resultId);
  if (!store) {
    return { refreshed: false, why: 'gone', message: 'The result no longer exists (cleared or evicted).' };
  }
  if (!refreshable(store, Date.now())) {
    return {
      refreshed: false,
      why: 'past',
      message:
        'The range of this result ended more than 30 minutes ago, so its late events have settled: re-run the query to ask again (a preset such as "last 24 hours" is resolved anew).',
    };
  }
  const q = store.summary.query;
  // The client of the campaign the result came from: the demo's while it serves that campaign.
  const demo = ext.results.ownerOf(resultId)?.demo ?? ext.demo.campaigns().some((c) => c.id === q.campaignId);
  const c = await ext.connection.clientFor(demo);
  if ('problem' in c) return { refreshed: false, why: 'noClient', message: c.message, problem: c.problem };
  const label = store.summary.campaignLabel;
  ext.log.info(`Refresh of result ${resultId} (${label})`);
  const r = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `NP6: refreshing ${forNotification(label)}`,
      cancellable: true,
    },
    async (shown, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      ext.running.add(abort);
      const progress = new PacedProgress(shown);
      const bar = new DoneIncrements();
      try {
        return await refreshResult({
          client: c.client,
          store,
          signal: abort.signal,
          onProgress: (p) =>
            progress.report({ message: `${count(p.events, 'event')} re-read`, ...bar.next(p.done) }),
        });
      } finally {
        progress.dispose();
        sub.dispose();
        ext.running.delete(abort);
      }
    },
  );
  await ext.results.finished(store);
  return { refreshed: true, newFrom: r.newFrom, newTo: r.newTo, store };
}
