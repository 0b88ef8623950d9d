// The timeline panel: one WebviewPanel per result. The host side of src/shared/protocol.ts: on
// every `ready` it re-sends the result from the store's index in compact batches, follows the
// store while the fetch is live (onDidAppend), then reads client details from disk once, and
// answers single-event requests with store.readEvent.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { ResultRemovedError, type ResultStore } from '../../core/resultStore';
import type { VisibleSelection } from '../exportResult';
import { ClientColumnsBuilder } from '../../shared/timeline/batch';
import { batchFromIndex, clientRow, type SentTables } from '../../core/timeline/eventRows';
import { timelineHtml } from '../../shared/timeline/html';
import { panelTitle, resultInfo } from '../../core/timeline/resultInfo';
import { rerunArgs } from '../../core/timeline/rerunArgs';
import {
  assertNever,
  eventIndexOfMenuArg,
  isTimelineUiState,
  isWebviewMessage,
  TIMELINE_VIEW_TYPE,
  type HostMessage,
  type TimelineStatus,
  type WebviewMessage,
} from '../../shared/protocol';
import { resolveDisplayZone } from '../../shared/timeline/displayZone';
import { readSettings } from '../settings';
import { readEventRange } from './readEvents';
import { EventLoopSlice } from '../../core/eventLoopSlice';
import { showErrorMessage } from '../untrustedUi';

export interface TimelineHost {
  extensionUri: vscode.Uri;
  /** The stored result with this id, or undefined when it no longer exists. */
  openResult(id: string): Promise<ResultStore | undefined>;
  /** Runs the result's query again (Re-run of a partial result, Refresh of a past range). */
  rerun(resultId: string): Promise<void>;
  /**
   * Fetches the windows the result is missing into it (the partial banner's first action).
   * Without it, the panel runs the `np6.resume` command for the result's campaign.
   */
  resume?(resultId: string): Promise<void>;
  /**
   * Re-reads the trailing settle window of a result whose range reaches "now", merging by id into
   * the same store; returns the index range [newFrom, newTo) of the events that are new, or
   * undefined when the result cannot be refreshed (its range ends in the past: re-run it instead).
   */
  refresh(resultId: string): Promise<{ newFrom: number; newTo: number } | undefined>;
  /**
   * Exports the result; `visibleIds` = only part of it: the timeline passes the arrival indices
   * of what its filters and zoom show, with the view's cut (the export's `subset`).
   */
  exportResult(resultId: string, visibleIds?: readonly string[] | VisibleSelection): Promise<void>;
  openAsJson(resultId: string): Promise<void>;
}

/** Rows per batch: big enough to amortise a message, small enough to paint progressively. */
const BATCH_ROWS = 50_000;
const LIVE_FLUSH_MS = 150;
const LIVE_POLL_MS = 500;
/** Events parsed per read for the client columns (bounds the buffer to a few MB). */
const CLIENT_READ_ROWS = 10_000;

const controllers = new Map<string, TimelineController>();

/**
 * The display zone's NAME: np6.timeZone, where "local" is this extension host's zone (not the
 * browser's: under a remote host they differ). The query picker uses the same rule.
 */
function displayZone(): string {
  return resolveDisplayZone(
    vscode.workspace.getConfiguration('np6').get<string>('timeZone'),
    Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
}

/** Names of a campaign's items from np6.campaigns, by item id (items without a name are left out). */
function itemNamesOf(campaignId: string): Record<string, string> {
  const campaign = readSettings().campaigns.find((c) => c.id === campaignId);
  const named = (campaign?.items ?? []).filter((i) => !!i.name);
  return Object.fromEntries(named.map((i) => [i.id, i.name as string]));
}

class TimelineController {
  private generation = 0;
  private sent = 0;
  private sentTables: SentTables = { kinds: 0, items: 0, recipients: 0, links: 0 };
  private pumpChain: Promise<void> = Promise.resolve();
  /** Client, user agent and recipient label: read from disk for rows [0, clientSent), sent. */
  private clientBuilder = new ClientColumnsBuilder();
  private clientSent = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private appendSub: { dispose(): void } | undefined;
  /** Keeps the shown result from the storage budget's eviction while this panel shows it. */
  private holdSub: { dispose(): void } | undefined;
  private removeSub: { dispose(): void } | undefined;
  private ready = false;
  private lastInfo = '';
  /** When a live fetch was attached: a summary finished before that belongs to an earlier run. */
  private attachedAt = 0;
  /** The page's last report of what it shows. */
  status: TimelineStatus | undefined;
  /** The last error this panel showed the user (for the status command). */
  private lastError: string | undefined;

  constructor(
    private readonly host: TimelineHost,
    readonly panel: vscode.WebviewPanel,
    private store: ResultStore,
    private live: boolean,
  ) {
    const dist = vscode.Uri.joinPath(host.extensionUri, 'dist');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    const w = panel.webview;
    panel.webview.html = timelineHtml(
      {
        cspSource: w.cspSource,
        script: w.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
        style: w.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
        codicons: w.asWebviewUri(vscode.Uri.joinPath(dist, 'codicons', 'codicon.css')).toString(),
      },
      randomBytes(18).toString('base64'),
    );
    this.disposables.push(
      w.onDidReceiveMessage((m: unknown) => void this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('np6.timeZone')) this.panel.title = panelTitle(this.store, displayZone());
        // Before `ready` the page gets both with `init`.
        if (!this.ready) return;
        if (e.affectsConfiguration('np6.timeZone')) {
          void this.post({ type: 'timeZone', timeZone: displayZone() });
        }
        if (e.affectsConfiguration('np6.campaigns')) {
          this.itemNames = undefined;
          void this.sendInfo();
        }
      }),
      // Deleted by hand while the tab was in the background: say so when it is looked at again.
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible) void this.store.checkStillStored();
      }),
    );
    this.attach(store, live);
  }

  /** Shows another store (or the same one, fetched again) in this panel. */
  attach(store: ResultStore, live: boolean): void {
    this.appendSub?.dispose();
    this.holdSub?.dispose();
    this.removeSub?.dispose();
    this.store = store;
    this.itemNames = undefined;
    this.live = live;
    this.attachedAt = Date.now();
    this.panel.title = panelTitle(store, displayZone());
    this.appendSub = store.onDidAppend(() => this.scheduleFlush());
    this.holdSub = store.hold();
    this.removeSub = store.onDidRemove(() => {
      this.live = false;
      void this.sendInfo();
    });
    if (live) this.startPolling();
    if (this.ready) this.restart();
  }

  private post(m: HostMessage): Thenable<boolean> {
    return this.panel.webview.postMessage(m);
  }

  private startPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = setInterval(() => {
      const finishedAt = this.store.summary.finishedAt;
      const finished = finishedAt !== undefined && finishedAt >= this.attachedAt;
      this.scheduleFlush();
      if (finished) {
        this.live = false;
        clearInterval(this.pollTimer);
        this.pollTimer = undefined;
        void this.pump();
      }
    }, LIVE_POLL_MS);
  }

  private scheduleFlush(): void {
    if (this.flushTimer || !this.ready) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.pump();
    }, LIVE_FLUSH_MS);
  }

  /** Everything again, from row 0 (a new or re-created webview). */
  private restart(): void {
    this.generation++;
    this.sent = 0;
    this.sentTables = { kinds: 0, items: 0, recipients: 0, links: 0 };
    this.clientBuilder = new ClientColumnsBuilder();
    this.clientSent = 0;
    this.lastInfo = '';
    void this.post({ type: 'init', info: this.info(), timeZone: displayZone() }).then(() => this.pump());
  }

  /**
   * Sends the rows not sent yet, one batch at a time, then their client columns (also while the
   * fetch runs, so the text filter finds user agents and e-mails at once), then the current
   * info. Calls are chained, so
   * a pump asked for while another runs (a restart, a live flush) runs after it, never alongside.
   */
  private pump(): Promise<void> {
    this.pumpChain = this.pumpChain
      .then(() => this.pumpOnce())
      .catch((e: unknown) => {
        console.warn(`NP6 timeline: could not send events: ${e instanceof Error ? e.message : String(e)}`);
      });
    return this.pumpChain;
  }

  private async pumpOnce(): Promise<void> {
    const gen = this.generation;
    const index = this.store.index;
    while (gen === this.generation && this.sent < index.length) {
      const to = Math.min(index.length, this.sent + BATCH_ROWS);
      const batch = batchFromIndex(index, this.sent, to, this.sentTables);
      this.sent = to;
      await this.post({ type: 'batch', batch });
    }
    if (gen === this.generation) await this.sendClientColumns(gen);
    if (gen === this.generation) await this.sendInfo();
  }

  /** The item names of the shown campaign, read from the settings once (cleared when they change). */
  private itemNames: Record<string, string> | undefined;

  private info(): ReturnType<typeof resultInfo> {
    this.itemNames ??= itemNamesOf(this.store.summary.query.campaignId);
    return resultInfo(this.store, this.live, this.itemNames);
  }

  private async sendInfo(): Promise<void> {
    const info = this.info();
    const key = JSON.stringify(info);
    if (key === this.lastInfo) return;
    this.lastInfo = key;
    await this.post({ type: 'info', info });
  }

  /**
   * Client, user agent and recipient label are not in the store's index: read the rows sent since
   * the last call from disk (one contiguous read per CLIENT_READ_ROWS) and send their columns.
   */
  private async sendClientColumns(gen: number): Promise<void> {
    try {
      while (gen === this.generation && this.clientSent < this.sent) {
        const from = this.clientSent;
        const to = Math.min(this.sent, from + CLIENT_READ_ROWS);
        const events = await readEventRange(this.store, from, to);
        if (gen !== this.generation) return;
        const slice = new EventLoopSlice();
        for (let k = 0; k < events.length; k++) {
          if ((k & 127) === 0) await slice.maybeYield();
          this.clientBuilder.addRow(clientRow(events[k]!));
        }
        if (gen !== this.generation) return;
        this.clientSent = from + events.length;
        if (events.length === 0) break;
        if (this.clientBuilder.pending >= BATCH_ROWS || this.clientSent >= this.sent) {
          await this.post({ type: 'clientColumns', columns: this.clientBuilder.take() });
        }
      }
    } catch (e) {
      // Only the free-text search over clients is affected; the timeline is complete without it.
      console.warn(
        `NP6 timeline: could not read client details: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
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
    this.lastError = message;
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

  private async prettyEvent(index: number): Promise<string> {
    if (this.store.isRemoved) throw new ResultRemovedError(this.store.summary.id);
    if (index >= this.store.index.length) throw new Error(`Event ${index} is not in this result.`);
    return JSON.stringify(await this.store.readEvent(index), null, 2);
  }

  async copyEvent(index: number): Promise<void> {
    await vscode.env.clipboard.writeText(await this.prettyEvent(index));
    void vscode.window.setStatusBarMessage('NP6: event JSON copied', 3000);
  }

  async openEvent(index: number): Promise<void> {
    const doc = await vscode.workspace.openTextDocument({
      language: 'json',
      content: await this.prettyEvent(index),
    });
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

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
    const wasLive = this.live;
    this.live = true;
    let r: { newFrom: number; newTo: number } | undefined;
    try {
      r = await this.host.refresh(id);
    } finally {
      this.live = wasLive;
    }
    if (!r) {
      await this.host.rerun(id);
      return;
    }
    // The new rows' batches go first (the pump chain keeps order), then the mark.
    await this.pump();
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
        this.ready = true;
        this.restart();
        return;
      case 'getEvent':
        await this.post({
          type: 'eventJson',
          requestId: m.requestId,
          index: m.index,
          json: await this.prettyEvent(m.index),
        });
        return;
      case 'copyEvent':
        await this.copyEvent(m.index);
        return;
      case 'openEvent':
        await this.openEvent(m.index);
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
      case 'status':
        this.status = m.status;
        return;
      case 'export': {
        if (!m.indices) {
          await this.host.exportResult(id);
          return;
        }
        // By arrival index (events without an id included), with how the view was cut.
        const selection: VisibleSelection = {
          indices: m.indices,
          filters: { ...(m.view?.filters ?? {}) },
          ...(m.view?.range ? { range: m.view.range } : {}),
        };
        await this.host.exportResult(id, selection);
        return;
      }
      default:
        assertNever(m);
    }
  }

  async describe(): Promise<TimelinePanelStatus> {
    const stored = await this.store.checkStillStored();
    return {
      resultId: this.store.summary.id,
      title: this.panel.title,
      storeCount: this.store.index.length,
      page: this.status,
      stored,
      removed: this.store.isRemoved,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  dispose(): void {
    this.generation++;
    this.appendSub?.dispose();
    this.holdSub?.dispose();
    this.removeSub?.dispose();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
    if (controllers.get(this.store.summary.id) === this) controllers.delete(this.store.summary.id);
  }
}

/**
 * Opens (or reveals) the panel of `store`. With `live`, the panel follows the store while the
 * fetch appends and labels the result once `finish` has written its summary.
 */
export function showTimeline(host: TimelineHost, store: ResultStore, live = false): vscode.WebviewPanel {
  const id = store.summary.id;
  const existing = controllers.get(id);
  if (existing) {
    existing.attach(store, live);
    existing.panel.reveal();
    return existing.panel;
  }
  const panel = vscode.window.createWebviewPanel(
    TIMELINE_VIEW_TYPE,
    panelTitle(store, displayZone()),
    vscode.ViewColumn.Active,
    {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(host.extensionUri, 'dist')],
      // Restoring is fast (the index is in the store), so hidden panels do not keep their page.
      retainContextWhenHidden: false,
    },
  );
  controllers.set(id, new TimelineController(host, panel, store, live));
  return panel;
}

function unavailableHtml(message: string): string {
  const esc = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><p>${esc}</p></body></html>`;
}

/** One line per open timeline: what the host sent and what the page says it shows. */
export interface TimelinePanelStatus {
  resultId: string;
  title: string;
  storeCount: number;
  page?: TimelineStatus;
  /** The result's files are on disk. */
  stored: boolean;
  /** The panel shows the result as removed (Clear Results, deleted on disk). */
  removed: boolean;
  /** The last error message the panel showed the user. */
  lastError?: string;
}

/** Internal command (not in the palette): lets the integration tests see what the panels show. */
export const TIMELINE_STATUS_COMMAND = 'np6.timeline.status';

/**
 * Restores timeline panels after a window reload, from the result id kept in the UI state; also
 * registers the internal status command.
 */
export function registerTimelineSerializer(host: TimelineHost): vscode.Disposable {
  const status = vscode.commands.registerCommand(
    TIMELINE_STATUS_COMMAND,
    (): Promise<TimelinePanelStatus[]> => Promise.all([...controllers.values()].map((c) => c.describe())),
  );
  // Internal too: what the Refresh button does, for the integration tests (the page is out of reach).
  const refresh = vscode.commands.registerCommand(TIMELINE_REFRESH_COMMAND, async (resultId: unknown) => {
    const c = typeof resultId === 'string' ? controllers.get(resultId) : undefined;
    if (!c) throw new Error(`No timeline is open for result ${String(resultId)}.`);
    await c.refresh(resultId as string);
  });
  return vscode.Disposable.from(status, refresh, registerSerializer(host), ...registerEventMenuCommands());
}

/** Internal command: the panel's Refresh button for one result id (integration tests). */
export const TIMELINE_REFRESH_COMMAND = 'np6.timeline.refresh';

/** The commands of the native context menu on a list row or the detail pane (webview/context). */
export const EVENT_MENU_COMMANDS = {
  copy: 'np6.timeline.copyEventJson',
  open: 'np6.timeline.openEventJson',
  recipient: 'np6.timeline.showRecipientEvents',
} as const;

/**
 * The menu's argument is the element's data-vscode-context (an arrival index) plus the view type;
 * the panel is the active one, since the menu was opened in it.
 */
function menuTarget(arg: unknown): { c: TimelineController; index: number } {
  const index = eventIndexOfMenuArg(arg);
  // The integration tests name the result (`np6ResultId`): they cannot right-click in the page.
  const named = (arg as { np6ResultId?: unknown } | undefined)?.np6ResultId;
  const c =
    typeof named === 'string'
      ? controllers.get(named)
      : [...controllers.values()].find((x) => x.panel.active);
  if (index === undefined || !c) {
    throw new Error('Right-click an event in the list or the detail pane of an NP6 timeline.');
  }
  return { c, index };
}

function registerEventMenuCommands(): vscode.Disposable[] {
  const run =
    (f: (c: TimelineController, index: number) => Thenable<unknown>) =>
    async (arg: unknown): Promise<void> => {
      let target: { c: TimelineController; index: number } | undefined;
      try {
        target = menuTarget(arg);
        await f(target.c, target.index);
      } catch (e) {
        const message = target ? target.c.userMessage(e) : e instanceof Error ? e.message : String(e);
        void showErrorMessage(`NP6 timeline: ${message}`);
      }
    };
  return [
    vscode.commands.registerCommand(
      EVENT_MENU_COMMANDS.copy,
      run((c, i) => c.copyEvent(i)),
    ),
    vscode.commands.registerCommand(
      EVENT_MENU_COMMANDS.open,
      run((c, i) => c.openEvent(i)),
    ),
    vscode.commands.registerCommand(
      EVENT_MENU_COMMANDS.recipient,
      run((c, i) => c.showRecipientOf(i)),
    ),
  ];
}

function registerSerializer(host: TimelineHost): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      if (!isTimelineUiState(state)) {
        panel.webview.html = unavailableHtml(
          'This NP6 timeline cannot be restored: open the result again from the NP6 view.',
        );
        return;
      }
      const store = await host.openResult(state.resultId);
      if (!store) {
        panel.webview.html = unavailableHtml(
          'This NP6 result is no longer stored (removed or evicted by the storage budget): run the query again.',
        );
        return;
      }
      const existing = controllers.get(store.summary.id);
      if (existing) existing.panel.dispose();
      controllers.set(store.summary.id, new TimelineController(host, panel, store, false));
    },
  });
}
