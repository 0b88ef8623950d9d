// The Recent Queries view: the last 20 queries asked (pinned ones first), each re-runnable and
// pinnable from its inline buttons. The entries are read back from globalState through the query
// file checks; campaign names and item ids are outside text, shown as plain labels or code spans.
import * as vscode from 'vscode';
import { describeQuery } from '../../core/queryFile/describeQuery';
import type { RecentQuery } from '../../core/queryFile/recentQueries';
import { forIconLabel, markdownCode, oneLine } from '../../core/untrustedText';
import type { CampaignRef } from '../campaigns';
import type { RecentQueryStore } from '../query/recentQueryStore';
import { untrustedMarkdown } from '../untrustedUi';

export class RecentQueryNode extends vscode.TreeItem {
  readonly kind = 'recentQuery';
  constructor(
    readonly recent: RecentQuery,
    campaign: CampaignRef | undefined,
  ) {
    const f = recent.file;
    const name = f.title ?? campaign?.label ?? f.campaignId;
    super(forIconLabel(oneLine(name, 120)), vscode.TreeItemCollapsibleState.None);
    this.id = `recent:${recent.id}`;
    this.contextValue = `recentQuery${recent.pinned !== undefined ? '.pinned' : ''}`;
    this.iconPath = new vscode.ThemeIcon(recent.pinned !== undefined ? 'pinned' : 'history');
    const what = describeQuery(f);
    this.description = forIconLabel(
      oneLine(f.title !== undefined && campaign ? `${campaign.label} · ${what}` : what, 200),
    );
    const md = untrustedMarkdown();
    md.appendMarkdown(`**Query** ${markdownCode(name)}\n\n`);
    md.appendMarkdown(`Campaign: ${markdownCode(campaign?.label ?? f.campaignId)}`);
    if (!campaign) md.appendMarkdown(' (not configured: NP6: Add Campaign)');
    md.appendMarkdown(`\n\n${markdownCode(what, 500)}\n\n`);
    md.appendMarkdown(`Asked ${new Date(recent.at).toISOString()}`);
    if (recent.pinned !== undefined) md.appendMarkdown(`\n\nPinned to ${markdownCode(recent.pinned)}`);
    this.tooltip = md;
    this.accessibilityInformation = {
      label: `${recent.pinned !== undefined ? 'Pinned query' : 'Recent query'} ${oneLine(name)}, ${oneLine(what)}`,
      role: 'treeitem',
    };
  }
}

export class RecentQueriesTree implements vscode.TreeDataProvider<RecentQueryNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RecentQueryNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<RecentQueryNode>;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly store: RecentQueryStore,
    private readonly campaigns: () => CampaignRef[],
  ) {
    this.view = vscode.window.createTreeView('np6.recentQueries', { treeDataProvider: this });
    this.subscriptions.push(
      this.view,
      this.changed,
      store.onDidChange(() => this.changed.fire(undefined)),
    );
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: RecentQueryNode): vscode.TreeItem {
    return node;
  }

  getChildren(node?: RecentQueryNode): RecentQueryNode[] {
    if (node) return [];
    const all = this.campaigns();
    return this.store.list().map(
      (r) =>
        new RecentQueryNode(
          r,
          all.find((c) => c.id === r.file.campaignId),
        ),
    );
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
