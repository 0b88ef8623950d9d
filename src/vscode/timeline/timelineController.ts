// The controller of one timeline panel, the host side of src/shared/protocol.ts: loads the page,
// waits for its `ready` (sent again whenever the webview is re-created) and then has the pump send
// the whole result; follows the store while a fetch appends to it; dispatches what the page asks
// (one event's JSON, re-run, resume, refresh, export) and turns errors into words for the user.
import * as vscode from 'vscode';
import { ResultRemovedError, type ResultStore } from '../../core/resultStore';
import { panelTitle } from '../../core/timeline/resultInfo';
import { rerunArgs } from '../../core/timeline/rerunArgs';
import {
  assertNever,
  isWebviewMessage,
  type ExportedView,
  type HostMessage,
  type TimelineStatus,
  type WebviewMessage,
} from '../../shared/protocol';
import type { VisibleSelection } from '../exportResult';
import type { Masker } from '../../core/mask';
import { activeMasker } from '../masking';
import { packClasses } from '../../shared/timeline/hitClasses';
import { resultClasses } from '../resultClasses';
import { showErrorMessage } from '../untrustedUi';
import { copyEventJson, openEventJson, prettyEventJson } from './eventJson';
import type { TimelineHost } from './timelineHost';
import { loadTimelinePage } from './timelinePage';
import { TimelinePump, type PumpSource } from './timelinePump';
import { displayZone } from './timelineSettings';

/**
 * While a fetch appends, batches go at most this often (each one makes the page merge and redraw);
 * the fetch's end sends the rest at once, without waiting for it.
 */
const LIVE_FLUSH_MS = 150;

/**
 * The visible set the page sent with an export or statistics request, by arrival index (events
 * without an id included) with how the view was cut; undefined when the page shows everything.
 */
function selectionOf(m: { indices?: number[]; view?: ExportedView }): VisibleSelection | undefined {
  if (!m.indices) return undefined;
  return {
    indices: m.indices,
    filters: { ...(m.view?.filters ?? {}) },
    ...(m.view?.range ? { range: m.view.range } : {}),
  };
}

export class TimelineController implements PumpSource {
  private readonly pump: TimelinePump;
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private appendSub: { dispose(): void } | undefined;
  private finishSub: { dispose(): void } | undefined;
  /** Keeps the shown result from the storage budget's eviction while this panel shows it. */
  private holdSub: { dispose(): void } | undefined;
  private removeSub: { dispose(): void } | undefined;
  private ready = false;
  private shown: ResultStore;
  private fetchRunning: boolean;
  /** The page's last report of what it shows (read by the test status command only). */
  status: TimelineStatus | undefined;
  /** How many pages said `ready` (each one was sent everything): a hidden tab shown again is not one. */
  pageLoads = 0;
  /** The last error this panel showed the user. */
  private lastErrorShown: string | undefined;

  constructor(
    private readonly host: TimelineHost,
    readonly panel: vscode.WebviewPanel,
    store: ResultStore,
    live: boolean,
  ) {
    this.shown = store;
    this.fetchRunning = live;
    this.pump = new TimelinePump(this, (m) => this.post(m));
    loadTimelinePage(panel, host.extensionUri);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('np6.timeZone')) this.panel.title = panelTitle(this.store, displayZone());
        // Before `ready` the page gets both with `init`.
        if (!this.ready) return;
        if (e.affectsConfiguration('np6.timeZone')) {
          void this.post({ type: 'timeZone', timeZone: displayZone() });
        }
        if (e.affectsConfiguration('np6.campaigns')) this.pump.forgetItemNames();
        if (e.affectsConfiguration('np6.classification')) {
          this.pump.forgetClasses();
          void this.pump.pump();
        }
        if (e.affectsConfiguration('np6.maskPersonalData')) {
          // Everything again, masked or not: the page must not hold strings of both kinds.
          this.pump.restart();
        } else if (e.affectsConfiguration('np6.campaigns')) {
          void this.pump.sendInfo();
        }
      }),
      // Deleted by hand while the tab was in the background: say so when it is looked at again.
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible) void this.store.checkStillStored();
      }),
    );
    this.attach(store, live);
  }

  /** The result this panel shows. */
  get store(): ResultStore {
    return this.shown;
  }

  /** A fetch (or a refresh) still appends to the shown result. */
  get live(): boolean {
    return this.fetchRunning;
  }

  /** The last error message this panel showed the user. */
  get lastError(): string | undefined {
    return this.lastErrorShown;
  }

  /** The shown result's masker while np6.maskPersonalData is on (the pump reads it at each restart). */
  masker(): Masker | undefined {
    return activeMasker(this.store);
  }

  /**
   * The class of each hit, once the fetch is over (a stored or imported result at once): the
   * same cached computation as the Statistics panel's (resultClasses).
   */
  async classes(): Promise<Uint8Array | undefined> {
    if (this.fetchRunning) return undefined;
    const { classes, reasons } = await resultClasses(this.store.index);
    return packClasses(classes, reasons);
  }

  /** The page was sent masked strings since its last restart (tests read it). */
  get masked(): boolean {
    return this.pump.masked;
  }

  /** Shows another store (or the same one, fetched again) in this panel. */
  attach(store: ResultStore, live: boolean): void {
    if (store === this.shown && this.appendSub) {
      // The same store (shown again from the tree, resumed, refreshed): it only ever grows, so
      // what the page holds stays true; send what is new instead of everything from row 0.
      this.fetchRunning ||= live;
      if (this.ready) void this.pump.pump();
      return;
    }
    this.appendSub?.dispose();
    this.finishSub?.dispose();
    this.holdSub?.dispose();
    this.removeSub?.dispose();
    this.shown = store;
    this.pump.forgetItemNames();
    this.fetchRunning = live;
    this.panel.title = panelTitle(store, displayZone());
    this.appendSub = store.onDidAppend(() => this.scheduleFlush());
    // The store says when the fetch is over (its summary written): the last rows and the final
    // info go at once, no timer in the way.
    this.finishSub = store.onDidFinish(() => this.fetchFinished());
    this.holdSub = store.hold();
    this.removeSub = store.onDidRemove(() => {
      this.fetchRunning = false;
      void this.pump.sendInfo();
    });
    if (this.ready) this.pump.restart();
  }

  private post(m: HostMessage): Thenable<boolean> {
    return this.panel.webview.postMessage(m);
  }

  /** The fetch is over: whatever it appended since the last flush, then the final info. */
  private fetchFinished(): void {
    this.fetchRunning = false;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    // Before `ready` there is no page yet: its restart will send everything.
    if (this.ready) void this.pump.pump();
  }

  private scheduleFlush(): void {
    if (this.flushTimer || !this.ready) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.pump.pump();
    }, LIVE_FLUSH_MS);
  }

  private async receive(m: unknown): Promise<void> {
    if (!isWebviewMessage(m)) return;
    try {
      await this.handle(m);
    } catch (e) {
      const message = this.userMessage(e);
      if ('requestId' in m) void this.post({ type: 'requestFailed', requestId: m.requestId, message });
      void showErrorMessage(`NP6 timeline: ${message}`);
    }
  }

  /** An error in words for the user: a file-system error means the result's files are gone. */
  userMessage(e: unknown): string {
    const message = this.wordsFor(e);
    this.lastErrorShown = message;
    return message;
  }

  private wordsFor(e: unknown): string {
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    if (e instanceof ResultRemovedError || code === 'ENOENT') {
      this.store.markRemoved();
      return new ResultRemovedError(this.store.summary.id).message;
    }
    if (typeof code === 'string') {
      return `the stored result could not be read (${code}): run the query again.`;
    }
    return e instanceof Error ? e.message : String(e);
  }

  /** Sets the page's Humans only switch (the extension tests' command; as a click on it). */
  setHumansOnly(on: boolean): Thenable<boolean> {
    return this.post({ type: 'humansOnly', on });
  }

  /** The page selects the recipient of event `index` and filters the list to their events. */
  showRecipientOf(index: number): Thenable<boolean> {
    return this.post({ type: 'showRecipientOf', index });
  }

  /**
   * Refresh: a result reaching "now" re-reads its settle window into the same store and the page
   * marks what is new; a result of a past range cannot gain events that way, so it runs again.
   */
  async refresh(id: string): Promise<void> {
    // While the settle window is re-read the store says "interrupted" (in case the window dies):
    // the page shows it as loading, not as a partial result.
    const wasLive = this.fetchRunning;
    this.fetchRunning = true;
    let r: { newFrom: number; newTo: number } | undefined;
    try {
      r = await this.host.refresh(id);
    } finally {
      this.fetchRunning = wasLive;
    }
    if (!r) {
      await this.host.rerun(id);
      return;
    }
    // The new rows' batches go first (the pump chain keeps order), then the mark.
    await this.pump.pump();
    await this.post({ type: 'newEvents', from: r.newFrom, to: r.newTo });
  }

  private async handle(m: WebviewMessage): Promise<void> {
    const id = this.store.summary.id;
    // Of a removed result, only Re-run still works: everything else would read its files.
    const needsFiles =
      m.type === 'export' || m.type === 'openAsJson' || m.type === 'refresh' || m.type === 'resume';
    if (needsFiles && (this.store.isRemoved || !(await this.store.checkStillStored()))) {
      throw new ResultRemovedError(id);
    }
    switch (m.type) {
      case 'ready':
        // Sent by every new page (first load, reload, a restored panel; a hidden tab keeps its
        // page, see createTimelinePanel): all from row 0.
        this.ready = true;
        this.pageLoads++;
        this.pump.restart();
        return;
      case 'getEvent':
        await this.post({
          type: 'eventJson',
          requestId: m.requestId,
          index: m.index,
          json: await prettyEventJson(this.store, m.index),
        });
        return;
      case 'copyEvent':
        await copyEventJson(this.store, m.index);
        return;
      case 'openEvent':
        await openEventJson(this.store, m.index);
        return;
      case 'retry':
        // A removed result has no "last query" to re-run any more: ask its own query again.
        if (this.store.isRemoved) {
          await vscode.commands.executeCommand('np6.queryEvents', rerunArgs(this.store.summary.query));
        } else await this.host.rerun(id);
        return;
      case 'resume':
        if (this.host.resume) await this.host.resume(id);
        else {
          await vscode.commands.executeCommand('np6.resume', {
            campaignId: this.store.summary.query.campaignId,
          });
        }
        return;
      case 'refresh':
        await this.refresh(id);
        return;
      case 'openAsJson':
        await this.host.openAsJson(id);
        return;
      case 'saveQuery':
        // Through the command (src/vscode/commands/queryFileCommands.ts): the timeline does not
        // import the commands layer.
        await vscode.commands.executeCommand('np6.saveQuery', { resultId: id });
        return;
      case 'toggleMasking':
        // The same setting as the command's (user level): the open timelines are sent again.
        await vscode.commands.executeCommand('np6.toggleMaskPersonalData');
        return;
      case 'statistics': {
        const selection = selectionOf(m);
        await vscode.commands.executeCommand('np6.statistics.show', {
          resultId: id,
          ...(selection ? { selection } : {}),
        });
        return;
      }
      case 'status':
        this.status = m.status;
        return;
      case 'export':
        await this.host.exportResult(id, selectionOf(m));
        return;
      default:
        assertNever(m);
    }
  }

  dispose(): void {
    this.pump.stop();
    this.appendSub?.dispose();
    this.finishSub?.dispose();
    this.holdSub?.dispose();
    this.removeSub?.dispose();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
  }
}
