// The Statistics panel of a result: its funnel, counts, links, clients and delays, for the whole
// result or the part a timeline shows, per item or two items side by side, with a Humans only
// switch and masking. Computed on the host from the store's index (src/core/stats, classify);
// the page is static HTML (statsHtml.ts). Copies and saves go through the same tables.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { maskerOf } from '../../core/mask';
import type { ResultStore } from '../../core/resultStore';
import { computeStatsSteps } from '../../core/stats/computeStats';
import { runSliced } from '../../shared/steps';
import { EventLoopSlice } from '../../np6/eventLoopSlice';
import { headline, humansOnlyView } from '../../core/stats/humansView';
import { maskStats } from '../../core/stats/maskStats';
import { selectionBitmap } from '../../core/stats/selection';
import { statsToJson, tablesToCsv, tablesToMarkdown } from '../../core/stats/statsFormat';
import { statsTables, type StatsScope } from '../../core/stats/statsTables';
import type { ResultStats } from '../../core/stats/statsTypes';
import type { VisibleSelection } from '../../core/exportFormat';
import { resultClasses } from '../resultClasses';
import { extraRules, maskPersonalData } from './statsSettings';
import { statsHtml } from './statsHtml';

export const STATS_VIEW_TYPE = 'np6.statistics';

interface Computed {
  length: number;
  stats: Promise<ResultStats>;
}

export class StatisticsPanel {
  humansOnly = false;
  /** Two item ids side by side, or undefined for the whole result with one table per item. */
  compare: [string, string] | undefined;
  private computed: Computed | undefined;
  private renders = 0;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly store: ResultStore,
    private selection: VisibleSelection | undefined,
  ) {
    this.subs.push(
      store.onDidFinish(() => this.render()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('np6.maskPersonalData') || e.affectsConfiguration('np6.classification')) {
          this.computed = undefined;
          this.render();
        }
      }),
    );
    panel.onDidDispose(() => {
      for (const d of this.subs) d.dispose();
    });
  }

  select(selection: VisibleSelection | undefined): void {
    this.selection = selection;
    this.computed = undefined;
    this.render();
  }

  /**
   * The statistics (recomputed when the store grew or a setting changed), masked when asked.
   * Computed a slice at a time (1M events: about half a second of work) so that the extension
   * host keeps answering; callers asking meanwhile share the computation.
   */
  async stats(): Promise<ResultStats> {
    const index = this.store.index;
    if (!this.computed || this.computed.length !== index.length) {
      const length = index.length;
      const only = this.selection ? selectionBitmap(this.selection.indices, length) : undefined;
      const stats = (async () => {
        // Shared with the timeline (its class badges and Humans only switch): computed once.
        const { classes } = await resultClasses(index);
        return runSliced(computeStatsSteps(index, { classes, only }), new EventLoopSlice());
      })();
      this.computed = { length, stats };
    }
    const s = await this.computed.stats;
    return maskPersonalData() ? maskStats(s, maskerOf(this.store)) : s;
  }

  scopes(stats: ResultStats): StatsScope[] {
    const view = (s: StatsScope): StatsScope =>
      this.humansOnly ? { ...s, stats: humansOnlyView(s.stats) } : s;
    if (this.compare) {
      const pick = (id: string): StatsScope | undefined => {
        const i = stats.items.find((x) => x.item === id);
        return i ? { label: id, stats: i.stats } : undefined;
      };
      const pair = this.compare.map(pick).filter((s): s is StatsScope => !!s);
      if (pair.length === 2) return pair.map(view);
    }
    return [view({ label: 'whole result', stats: stats.whole })];
  }

  /** The tables shown and copied: the whole result (then each item), or the A/B pair. */
  tables(stats: ResultStats): { heading: string; tables: ReturnType<typeof statsTables> }[] {
    const classified = stats.classified && !this.humansOnly;
    const scopes = this.scopes(stats);
    const out = [
      { heading: scopes.map((s) => s.label).join(' vs '), tables: statsTables(scopes, classified) },
    ];
    if (!this.compare && stats.items.length > 1) {
      for (const i of stats.items) {
        const s = this.humansOnly ? humansOnlyView(i.stats) : i.stats;
        out.push({
          heading: `item ${i.item}`,
          tables: statsTables([{ label: i.item, stats: s }], classified),
        });
      }
    }
    return out;
  }

  notes(stats: ResultStats): string[] {
    const n = [
      this.selection
        ? `${stats.selected.toLocaleString('en-US')} of ${stats.total.toLocaleString('en-US')} events: the timeline's filters and zoom.`
        : `All ${stats.total.toLocaleString('en-US')} events of the result.`,
      this.humansOnly
        ? 'Humans only: hits classified as privacy proxy, security scanner or robot are left out.'
        : 'Each figure with its humans-only figure beside it.',
      `Computed in ${Math.round(stats.elapsedMs)} ms.`,
    ];
    if (maskPersonalData()) n.push('Personal data masked (np6.maskPersonalData).');
    if (!this.store.summary.complete) {
      n.push('The result is incomplete: these figures cover what was fetched.');
    }
    const problems = extraRules().problems;
    if (problems.length > 0) n.push(`Extra classification rules left out: ${problems.join(' / ')}`);
    return n;
  }

  /** Draws the panel again; a later call wins over one still computing. */
  render(): void {
    const generation = ++this.renders;
    this.draw(generation).catch((e: unknown) => {
      console.warn(`NP6 statistics: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  private async draw(generation: number): Promise<void> {
    const stats = await this.stats();
    if (generation !== this.renders) return;
    const main = this.scopes(stats)[0]!;
    const title = `Statistics: ${this.store.summary.campaignLabel}`;
    this.panel.title = title;
    this.panel.webview.html = statsHtml(
      {
        title,
        notes: this.notes(stats),
        headline: headline(main.stats, stats.classified && !this.humansOnly),
        tables: this.tables(stats).flatMap((t) =>
          t.tables.map((x) => ({ ...x, title: `${t.heading}: ${x.title}` })),
        ),
      },
      randomBytes(18).toString('base64'),
    );
  }

  async markdown(): Promise<string> {
    const stats = await this.stats();
    return this.tables(stats)
      .map((t) => tablesToMarkdown(t.tables, `${this.store.summary.campaignLabel}: ${t.heading}`))
      .join('\n');
  }

  async csv(): Promise<string> {
    return tablesToCsv(
      this.tables(await this.stats()).flatMap((t) =>
        t.tables.map((x) => ({ ...x, title: `${t.heading}: ${x.title}` })),
      ),
    );
  }

  async json(): Promise<string> {
    return statsToJson(await this.stats(), {
      campaignLabel: this.store.summary.campaignLabel,
      ...(this.selection
        ? {
            subset: {
              filters: this.selection.filters,
              ...(this.selection.range ? { range: this.selection.range } : {}),
            },
          }
        : {}),
      masked: maskPersonalData(),
    });
  }
}

const panels = new Map<string, StatisticsPanel>();
let lastActive: StatisticsPanel | undefined;

export function activeStatistics(): StatisticsPanel | undefined {
  return [...panels.values()].find((p) => p.panel.active) ?? lastActive;
}

/** Opens (or reveals and updates) the Statistics panel of `store`, for `selection` when given. */
export function showStatistics(store: ResultStore, selection?: VisibleSelection): StatisticsPanel {
  const id = store.summary.id;
  const existing = panels.get(id);
  if (existing) {
    existing.select(selection);
    existing.panel.reveal();
    return existing;
  }
  const panel = vscode.window.createWebviewPanel(STATS_VIEW_TYPE, 'Statistics', vscode.ViewColumn.Beside, {
    enableScripts: false,
    localResourceRoots: [],
  });
  const hold = store.hold();
  const p = new StatisticsPanel(panel, store, selection);
  panels.set(id, p);
  lastActive = p;
  panel.onDidChangeViewState((e) => {
    if (e.webviewPanel.active) lastActive = p;
  });
  panel.onDidDispose(() => {
    hold.dispose();
    if (panels.get(id) === p) panels.delete(id);
    if (lastActive === p) lastActive = undefined;
  });
  p.render();
  return p;
}
