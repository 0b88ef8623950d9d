// The results of this extension: stored on disk by ResultLibrary (globalStorage, byte budget), with
// the id of each campaign's last result remembered in globalState so it reopens after a reload.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ResultSummary } from '../core/result';
import { ResultLibrary } from '../core/resultLibrary';
import type { ResultStore } from '../core/resultStore';
import type { EventQuery } from '../np6/query';
import { campaignKey, type CampaignRef } from './campaigns';

const LAST_RESULTS = 'np6.lastResults';

export interface LastResultEntry {
  resultId: string;
  campaignId: string;
  demo: boolean;
}

export class Results implements vscode.Disposable {
  private library: ResultLibrary;
  /** Open stores, shared by the query runner, the timeline and the exports. */
  private readonly open = new Map<string, Promise<ResultStore>>();
  private summaries = new Map<string, ResultSummary>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    budgetBytes: number,
  ) {
    this.library = new ResultLibrary(context.globalStorageUri.fsPath, budgetBytes);
  }

  setBudget(budgetBytes: number): void {
    if (budgetBytes !== this.library.budgetBytes) {
      this.library = new ResultLibrary(this.context.globalStorageUri.fsPath, budgetBytes);
    }
  }

  /** Reads the stored summaries (after activation, a clear, or a run). Never throws. */
  async refresh(): Promise<void> {
    try {
      await vscode.workspace.fs.createDirectory(this.context.globalStorageUri);
      const list = await this.library.list();
      this.summaries = new Map(list.map((s) => [s.id, s]));
    } catch {
      this.summaries = new Map();
    }
    this.changed.fire();
  }

  private lastMap(): Record<string, LastResultEntry> {
    return this.context.globalState.get<Record<string, LastResultEntry>>(LAST_RESULTS, {});
  }

  lastResultId(c: CampaignRef): string | undefined {
    const id = this.lastMap()[campaignKey(c)]?.resultId;
    // A result evicted by the budget (or cleared) is no longer a "last result".
    return id !== undefined && this.summaries.has(id) ? id : undefined;
  }

  lastSummary(c: CampaignRef): ResultSummary | undefined {
    const id = this.lastResultId(c);
    return id === undefined ? undefined : this.summaries.get(id);
  }

  summary(id: string): ResultSummary | undefined {
    return this.summaries.get(id);
  }

  /** Which campaign a result belongs to (for re-run and resume from the timeline). */
  ownerOf(resultId: string): LastResultEntry | undefined {
    return Object.values(this.lastMap()).find((e) => e.resultId === resultId);
  }

  async create(c: CampaignRef, query: EventQuery): Promise<ResultStore> {
    await vscode.workspace.fs.createDirectory(this.context.globalStorageUri);
    const id = `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
    const store = this.library.create({ id, campaignLabel: c.label, query });
    this.open.set(id, store);
    const s = await store;
    const map = { ...this.lastMap(), [campaignKey(c)]: { resultId: id, campaignId: c.id, demo: c.demo } };
    await this.context.globalState.update(LAST_RESULTS, map);
    this.summaries.set(id, s.summary);
    return s;
  }

  /**
   * A result that is no campaign's "last result": one read from an events file (Open Events
   * File…). Listed, shown, exported and evicted like any other.
   */
  async createImported(label: string, query: EventQuery): Promise<ResultStore> {
    await vscode.workspace.fs.createDirectory(this.context.globalStorageUri);
    const id = `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`;
    const store = this.library.create({ id, campaignLabel: label, query });
    this.open.set(id, store);
    const s = await store;
    this.summaries.set(id, s.summary);
    return s;
  }

  /** Ids of the results something holds open (a timeline tab, an export): never evicted. */
  private async heldIds(): Promise<string[]> {
    const out: string[] = [];
    for (const [id, p] of this.open) {
      const s = await p.catch(() => undefined);
      if (s?.held) out.push(id);
    }
    return out;
  }

  /** Called when a run ends: the summary is final, old results may be evicted. */
  async finished(store: ResultStore): Promise<void> {
    this.summaries.set(store.summary.id, store.summary);
    // Never evicted: the campaigns' last results, the one just fetched, and any result open in a
    // timeline tab or being exported.
    const keep = [
      ...Object.values(this.lastMap()).map((e) => e.resultId),
      store.summary.id,
      ...(await this.heldIds()),
    ];
    try {
      const evicted = await this.library.enforceBudget(keep);
      for (const id of evicted) await this.forget(id);
    } catch {
      // The budget is housekeeping: a failure here must not fail the query that just succeeded.
    }
    await this.refresh();
  }

  /** Opens (or returns the already open) store of a result; undefined when it is gone. */
  async get(id: string): Promise<ResultStore | undefined> {
    let p = this.open.get(id);
    if (!p) {
      p = this.library.open(id);
      this.open.set(id, p);
    }
    try {
      const store = await p;
      // Opening may have found the file damaged: the tree's tooltip says so from now on.
      const before = this.summaries.get(id);
      if (before && (before.complete !== store.summary.complete || before.count !== store.summary.count)) {
        this.summaries.set(id, store.summary);
        this.changed.fire();
      }
      return store;
    } catch {
      this.open.delete(id);
      return undefined;
    }
  }

  private async forget(id: string): Promise<void> {
    const p = this.open.get(id);
    this.open.delete(id);
    this.summaries.delete(id);
    if (p) {
      await p
        .then(async (s) => {
          // Its tab (if any) shows it as removed, with Re-run.
          s.markRemoved();
          await s.close();
        })
        .catch(() => undefined);
    }
  }

  async clear(): Promise<void> {
    for (const id of [...this.open.keys()]) await this.forget(id);
    await this.library.clear();
    await this.context.globalState.update(LAST_RESULTS, {});
    await this.refresh();
  }

  dispose(): void {
    for (const p of this.open.values()) void p.then((s) => s.close()).catch(() => undefined);
    this.open.clear();
    this.changed.dispose();
  }
}
