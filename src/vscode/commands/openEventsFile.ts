// NP6: Open Events File… and "Open in NP6 Timeline" (explorer and editor title of .json/.ndjson):
// reads an export, a plain array or NDJSON (src/core/importEvents.ts) into a new stored result and
// shows it in the timeline. No API key is needed and no request is made: the events come from the
// file. Its text is outside text, so every message goes through untrustedUi.
import * as vscode from 'vscode';
import {
  importedCompleteness,
  importedFrom,
  importedQuery,
  openEventsFile,
  UnknownEventsFormatError,
  type EventsFile,
} from '../../core/importEvents';
import type { ResultSummary } from '../../core/result';
import type { ResultStore } from '../../core/resultStore';
import { resultInfo } from '../../core/timeline/resultInfo';
import { rerunArgs } from '../../core/timeline/rerunArgs';
import { forNotification } from '../../core/untrustedText';
import { formatBytes } from '../../np6/jsonArrayStream';
import type { ResultInfo } from '../../shared/protocol';
import { count } from '../../shared/counts';
import { PacedProgress } from '../../core/pacedProgress';
import type { Reporter, ResultsAccess } from '../services';
import { showErrorMessage, showInformationMessage, showWarningMessage } from '../untrustedUi';
import type { ResultViews } from './resultCommands';

export const OPEN_EVENTS_FILE_COMMAND = 'np6.openEventsFile';
/** The same, as the explorer's and the editor title's menus name it (given the file's Uri). */
export const OPEN_IN_TIMELINE_COMMAND = 'np6.openInTimeline';

/** What the command returns (scripts and tests read it): the stored result and the header's info. */
export interface OpenedEventsFile {
  summary: ResultSummary;
  info: ResultInfo;
}

/** Appended lines are written out at least this often, so memory stays bounded on huge files. */
const FLUSH_EVENTS = 50_000;

type Needs = ResultsAccess & Reporter;

async function pickFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Open in NP6 Timeline',
    title: 'NP6: Open Events File',
    filters: { 'NP6 events (export, JSON array, NDJSON)': ['json', 'ndjson'], 'All files': ['*'] },
  });
  return picked?.[0];
}

/** Streams the file's events into `store`; true when the user cancelled. */
async function readInto(
  file: EventsFile,
  store: ResultStore,
  shown: vscode.Progress<{ message?: string; increment?: number }>,
  token: vscode.CancellationToken,
): Promise<boolean> {
  const abort = new AbortController();
  const sub = token.onCancellationRequested(() => abort.abort());
  const progress = new PacedProgress(shown);
  try {
    let shownPercent = 0;
    let sinceFlush = 0;
    for await (const r of file.records(abort.signal)) {
      store.append(r);
      if (++sinceFlush >= FLUSH_EVENTS) {
        sinceFlush = 0;
        await store.flush();
        const p = file.progress;
        const percent = p.totalBytes > 0 ? Math.floor((100 * p.bytes) / p.totalBytes) : 0;
        progress.report({
          increment: Math.max(0, percent - shownPercent),
          message: `${count(p.events, 'event')} · ${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)}`,
        });
        shownPercent = Math.max(shownPercent, percent);
      }
      if (abort.signal.aborted) break;
    }
    await store.flush();
    return abort.signal.aborted;
  } finally {
    progress.dispose();
    sub.dispose();
  }
}

/** What the user is told once the file is read (the banner says it too when partial). */
function report(ext: Needs, file: EventsFile, s: ResultSummary, cancelled: boolean): void {
  const n = count(s.count, 'event');
  const skipped =
    file.progress.skipped > 0
      ? ` (${count(file.progress.skipped, 'value')} that are not events skipped)`
      : '';
  ext.log.info(
    `Opened ${file.path} (${file.format}): ${n}${skipped}; ${s.complete ? 'complete' : 'partial'}`,
  );
  if (cancelled) {
    void showInformationMessage(
      `NP6: opening ${file.fileName} was cancelled: the ${n} read before are shown, labelled partial.`,
    );
  } else if (file.problem) {
    void showWarningMessage(
      `NP6: ${file.fileName} is malformed at ${file.problem.message}. The ${n} read before it are shown, labelled partial.`,
    );
  } else if (skipped) {
    void showInformationMessage(`NP6: ${file.fileName}: ${n} read${skipped}.`);
  }
}

/** Reads `uri` into a new stored result and shows it; undefined when nothing was opened. */
export async function openEventsFileCommand(
  ext: Needs,
  views: ResultViews,
  arg?: unknown,
): Promise<OpenedEventsFile | undefined> {
  const uri = arg instanceof vscode.Uri ? arg : await pickFile();
  if (!uri) return undefined;
  if (uri.scheme !== 'file') {
    void showErrorMessage(`NP6: only files on disk can be opened in the timeline (not ${uri.scheme}:).`);
    return undefined;
  }
  let file: EventsFile;
  try {
    file = await openEventsFile(uri.fsPath);
  } catch (e) {
    const message =
      e instanceof UnknownEventsFormatError
        ? e.message
        : `could not read ${uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`;
    ext.log.warn(`Open Events File: ${message}`);
    void showErrorMessage(`NP6: ${message}`);
    return undefined;
  }
  const store = await ext.results.createImported(file.fileName, importedQuery(file));
  // The summary is the store's own state object: what is set here is written by finish().
  const summary = store.summary;
  summary.imported = importedFrom(file);
  const fetched = file.meta?.fetchedAt !== undefined ? Date.parse(file.meta.fetchedAt) : NaN;
  // An export keeps its fetch time (exported again, the file says the same `fetchedAt`).
  if (Number.isFinite(fetched)) summary.startedAt = fetched;
  let cancelled: boolean;
  try {
    cancelled = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `NP6: opening ${forNotification(file.fileName)}`,
        cancellable: true,
      },
      (progress, token) => readInto(file, store, progress, token),
    );
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await store
      .finish({
        complete: false,
        error: { kind: 'importFailed', message: `reading the file failed: ${message}` },
        missing: [],
      })
      .catch(() => undefined);
    await ext.results.finished(store);
    void showErrorMessage(`NP6: could not open ${file.fileName}: ${message}`);
    return undefined;
  }
  summary.imported = importedFrom(file);
  await store.finish(importedCompleteness(file, cancelled));
  await ext.results.finished(store);
  report(ext, file, store.summary, cancelled);
  if (!views.showLive(store, false)) await views.openJson(store);
  return { summary: store.summary, info: resultInfo(store, false) };
}

/**
 * Refresh, Resume or Re-run of a result opened from a file: its export's query is run again only
 * when it carried one and the user confirms (a key is then needed as for any query).
 */
export async function rerunImported(s: ResultSummary): Promise<void> {
  const f = s.imported;
  if (!f) return;
  if (!f.hasQuery) {
    void showInformationMessage(
      `NP6: this result was opened from ${f.fileName}, which holds no query: there is nothing to fetch again.`,
    );
    return;
  }
  const run = 'Run Query';
  const choice = await showWarningMessage(
    `Run the query of ${f.fileName} again against NP6?`,
    {
      modal: true,
      detail:
        'This result was opened from a file. Running its query fetches the events from NP6 again into a new result (the API key is needed, as for any query).',
    },
    run,
  );
  if (choice === run) await vscode.commands.executeCommand('np6.queryEvents', rerunArgs(s.query));
}

export function registerOpenEventsFile(ext: Needs, views: ResultViews): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(OPEN_EVENTS_FILE_COMMAND, (arg?: unknown) =>
      openEventsFileCommand(ext, views, arg),
    ),
    vscode.commands.registerCommand(OPEN_IN_TIMELINE_COMMAND, (arg?: unknown) =>
      // From the editor title without a Uri (some builds): the active editor's file.
      openEventsFileCommand(ext, views, arg ?? vscode.window.activeTextEditor?.document.uri),
    ),
  ];
}
