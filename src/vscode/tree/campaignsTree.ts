// The Campaigns tree: the provider owns its TreeView, its emitter and its subscriptions. getChildren
// has no side effects and reads only in-memory state, so a refresh never wipes the tree.
import * as vscode from 'vscode';
import type { CampaignRef } from '../campaigns';
import type { DemoController } from '../demo';
import type { Results } from '../results';
import { configuredCampaigns } from '../configuredCampaigns';
import { readSettings } from '../settings';
import { CampaignNode, DemoGroupNode, ItemNode, type Np6Node } from './nodes';
import { resolveDisplayZone } from '../../shared/timeline/displayZone';

/**
 * The display zone's name, as the timeline and the query picker resolve it: np6.timeZone, where
 * "local" is this extension host's zone. A settings change refreshes the tree (Np6Extension).
 */
function displayZone(): string {
  return resolveDisplayZone(readSettings().timeZone, Intl.DateTimeFormat().resolvedOptions().timeZone);
}

export interface TreeState {
  hasKey: boolean;
  unreachable?: string;
}

export class CampaignsTree implements vscode.TreeDataProvider<Np6Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Np6Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<Np6Node>;
  private state: TreeState = { hasKey: false };
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly demo: DemoController,
    private readonly results: Results,
  ) {
    this.view = vscode.window.createTreeView('np6.campaigns', {
      treeDataProvider: this,
      showCollapseAll: true,
    });
    this.subscriptions.push(
      this.view,
      this.changed,
      demo.onDidChange(() => this.refresh()),
      results.onDidChange(() => this.refresh()),
    );
  }

  setState(s: TreeState): void {
    this.state = s;
    this.refresh();
  }

  refresh(): void {
    this.view.message = this.unreachableMessage();
    this.changed.fire(undefined);
  }

  /**
   * "NP6 could not be reached" above the campaigns. An empty view says it with its welcome content
   * instead (np6.welcome.unreachable, with Retry and Show Log buttons): VS Code hides the welcome
   * while the view has a message, which would leave the message without a button.
   */
  private unreachableMessage(): string | undefined {
    const s = this.state;
    if (!s.unreachable) return undefined;
    const hasRows = Boolean(this.demo.current) || (s.hasKey && this.configuredCampaigns().length > 0);
    if (!hasRows) return undefined;
    return `NP6 could not be reached (${s.unreachable}). Refresh (in the view's title bar) checks again; "NP6: Show Log" has the details.`;
  }

  /** Configured campaigns are listed once a key is set; the demo's whenever it runs. */
  configuredCampaigns(): CampaignRef[] {
    return configuredCampaigns();
  }

  getTreeItem(node: Np6Node): vscode.TreeItem {
    return node;
  }

  getChildren(node?: Np6Node): Np6Node[] {
    if (!node) {
      const roots: Np6Node[] = [];
      const sandbox = this.demo.current;
      if (sandbox) roots.push(new DemoGroupNode(sandbox.url));
      if (this.state.hasKey) roots.push(...this.configuredCampaigns().map((c) => this.campaignNode(c)));
      return roots;
    }
    if (node instanceof DemoGroupNode) return this.demo.campaigns().map((c) => this.campaignNode(c));
    if (node instanceof CampaignNode) return node.campaign.items.map((i) => new ItemNode(node.campaign, i));
    return [];
  }

  getParent(node: Np6Node): Np6Node | undefined {
    if (node instanceof ItemNode) return this.campaignNode(node.campaign);
    if (node instanceof CampaignNode && node.campaign.demo && this.demo.current) {
      return new DemoGroupNode(this.demo.current.url);
    }
    return undefined;
  }

  private campaignNode(c: CampaignRef): CampaignNode {
    return new CampaignNode(c, this.results.lastSummary(c), displayZone());
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
