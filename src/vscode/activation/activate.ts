// Wires the extension together: services, commands, the timeline (serializer, menu commands).
import * as vscode from 'vscode';
import { registerApiKeyCommands } from '../commands/apiKeyCommands';
import { registerCampaignCommands } from '../commands/campaignCommands';
import { registerDemoCommands } from '../commands/demoCommands';
import { registerOpenEventsFile } from '../commands/openEventsFile';
import { QueryCommands } from '../commands/queryCommands';
import { registerResultCommands, ResultViews } from '../commands/resultCommands';
import { Np6Extension } from '../np6Extension';
import type { CampaignSpec } from '../../demo/sandbox/types';
import type { CampaignRef } from '../campaigns';
import { registerTimeline } from '../timeline/timelinePanel';
import { activeTimeline, allOpenTimelines } from '../timeline/openTimelines';
import { registerStatistics } from '../stats/statisticsCommands';
import { CampaignsTree } from '../tree/campaignsTree';
import { QueryFileCodeLens, QUERY_FILE_SELECTOR } from '../query/queryFileCodeLens';
import { QueryFileCommands } from '../commands/queryFileCommands';
import { RecentQueryStore } from '../query/recentQueryStore';
import { RecentQueriesTree } from '../tree/recentQueriesTree';

/** What activate() returns: read-only views for scripts and the integration tests. No secrets. */
export interface Np6Api {
  /** The campaigns currently listed (configured, and the demo's while it runs). */
  campaigns(): CampaignRef[];
  /** The labels of the tree's nodes, top level and children, as the view would show them. */
  treeSnapshot(): {
    id: string;
    label: string;
    contextValue: string;
    children: { id: string; label: string }[];
  }[];
  /** The demo server's URL while the demo runs. */
  demoUrl(): string | undefined;
  hasApiKey(): Promise<boolean>;
  /** The message shown above the tree (e.g. NP6 unreachable), if any. */
  treeMessage(): string | undefined;
  /** Cancels every query and refresh in flight, exactly as their notifications' Cancel does; returns how many. */
  cancelQueries(): number;
  /** While the demo runs: the campaign specs and seed it serves (to compute expected events). */
  demoSpecs(): { specs: CampaignSpec[]; seed: number } | undefined;
  /** The Recent Queries view's rows, as shown (pinned first). */
  recentQueries(): { id: string; label: string; description: string; pinned: boolean; campaignId: string }[];
}

export function activateExtension(context: vscode.ExtensionContext): Np6Api {
  const ext = new Np6Extension(context);
  // Built here, not in Np6Extension: the services do not import the views. Subscribed before
  // init(), whose first updateState() gives the tree its first state.
  const tree = new CampaignsTree(ext.demo, ext.results);
  const views = new ResultViews(ext);
  const recent = new RecentQueryStore(context.globalState);
  const recentTree = new RecentQueriesTree(recent, () => ext.allCampaigns());
  const queries = new QueryCommands(ext, views, recent);
  const queryFiles = new QueryFileCommands(ext, queries, views, recent, context);
  queries.saver = (c, a) => queryFiles.saveAnswers(c, a);
  ext.register(
    tree,
    recent,
    recentTree,
    ext.onDidChangeAccess((s) => tree.setState(s)),
    // Campaign names shown in Recent Queries follow the settings and the demo.
    ext.onDidChangeAccess(() => recentTree.refresh()),
    ext.demo.onDidChange(() => recentTree.refresh()),
    ...registerApiKeyCommands(ext),
    ...registerCampaignCommands(ext),
    ...registerDemoCommands(ext),
    ...queries.register(),
    ...queryFiles.register(),
    vscode.languages.registerCodeLensProvider(
      QUERY_FILE_SELECTOR,
      new QueryFileCodeLens((u) => queryFiles.lastResultOf(u), queryFiles.onDidChangeLastResults),
    ),
    ...registerResultCommands(ext, views),
    ...registerOpenEventsFile(ext, views),
    registerTimeline(views, context.extensionMode),
    ...registerStatistics({
      currentResult: () => (activeTimeline() ?? allOpenTimelines().at(-1))?.store,
      openResult: (id) => views.openResult(id),
    }),
  );
  context.subscriptions.push(ext);
  void ext.init();
  const label = (t: vscode.TreeItem): string =>
    typeof t.label === 'string' ? t.label : (t.label?.label ?? '');
  return {
    campaigns: () => ext.allCampaigns(),
    treeSnapshot: () =>
      tree.getChildren().map((n) => ({
        id: n.id ?? '',
        label: label(n),
        contextValue: n.contextValue ?? '',
        children: tree.getChildren(n).map((c) => ({ id: c.id ?? '', label: label(c) })),
      })),
    demoUrl: () => ext.demo.current?.url,
    hasApiKey: () => ext.keys.has(),
    treeMessage: () => tree.view.message,
    cancelQueries: () => ext.running.cancelAll(),
    demoSpecs: () => {
      const d = ext.demo.current;
      return d ? { specs: d.specs, seed: d.seed } : undefined;
    },
    recentQueries: () =>
      recentTree.getChildren().map((n) => ({
        id: n.recent.id,
        label: label(n),
        description: typeof n.description === 'string' ? n.description : '',
        pinned: n.recent.pinned !== undefined,
        campaignId: n.recent.file.campaignId,
      })),
  };
}
