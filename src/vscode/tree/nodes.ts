// The nodes of the Campaigns tree: a small union of classes with stable ids, contextValues that the
// menus match (viewItem =~ /^campaign/, /^item/), theme icons and Markdown tooltips.
import * as vscode from 'vscode';
import { describeCompleteness, type ResultSummary } from '../../core/result';
import type { CampaignRef, ItemRef } from '../campaigns';

function lastResultMarkdown(md: vscode.MarkdownString, r: ResultSummary | undefined): void {
  if (!r) {
    md.appendMarkdown('\n\nNo result yet: use **Query Events...**');
    return;
  }
  const when = new Date(r.finishedAt ?? r.startedAt).toISOString();
  md.appendMarkdown(`\n\n**Last result** (${when}): ${r.count} events — `);
  md.appendText(describeCompleteness(r));
}

export class DemoGroupNode extends vscode.TreeItem {
  readonly kind = 'demo';
  constructor(url: string) {
    super('Demo', vscode.TreeItemCollapsibleState.Expanded);
    this.id = 'demo';
    this.contextValue = 'demoGroup';
    this.description = 'sandbox data';
    this.iconPath = new vscode.ThemeIcon('beaker');
    this.tooltip = new vscode.MarkdownString(
      `Demo campaigns served by the sandbox on \`${url}\`. No NP6 account is used. **NP6: Stop Demo** ends it.`,
    );
    this.accessibilityInformation = { label: 'Demo campaigns (sandbox data)', role: 'treeitem' };
  }
}

export class CampaignNode extends vscode.TreeItem {
  readonly kind = 'campaign';
  constructor(
    readonly campaign: CampaignRef,
    readonly lastResult: ResultSummary | undefined,
  ) {
    super(campaign.label, vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `${campaign.demo ? 'demo-' : ''}campaign:${campaign.id}`;
    this.contextValue = `campaign${campaign.demo ? '.demo' : ''}${lastResult ? '.hasResult' : ''}`;
    this.iconPath = new vscode.ThemeIcon('megaphone');
    this.description = lastResult
      ? `${lastResult.count} events${lastResult.complete ? '' : ' (partial)'}`
      : campaign.name
        ? undefined
        : 'no name';
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${escape(campaign.label)}**${campaign.demo ? ' (demo)' : ''}\n\n`);
    md.appendMarkdown(`Campaign id: \`${campaign.id}\` · ${campaign.items.length} item(s)`);
    lastResultMarkdown(md, lastResult);
    this.tooltip = md;
    this.accessibilityInformation = {
      label: `Campaign ${campaign.label}, ${campaign.items.length} items${lastResult ? `, last result ${lastResult.count} events` : ''}`,
      role: 'treeitem',
    };
  }
}

export class ItemNode extends vscode.TreeItem {
  readonly kind = 'item';
  constructor(
    readonly campaign: CampaignRef,
    readonly item: ItemRef,
  ) {
    super(item.name ?? item.id, vscode.TreeItemCollapsibleState.None);
    this.id = `${campaign.demo ? 'demo-' : ''}item:${campaign.id}/${item.id}`;
    this.contextValue = `item${campaign.demo ? '.demo' : ''}`;
    this.description = item.id;
    this.iconPath = new vscode.ThemeIcon(channelIcon(item.channel));
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${escape(item.name ?? item.id)}**\n\n`);
    md.appendMarkdown(
      `Item id: \`${item.id}\` · channel ${escape(item.channel)}\n\nCampaign: ${escape(campaign.label)}`,
    );
    this.tooltip = md;
    this.accessibilityInformation = {
      label: `Item ${item.name ?? item.id}, ${item.channel}`,
      role: 'treeitem',
    };
  }
}

export type Np6Node = DemoGroupNode | CampaignNode | ItemNode;

function channelIcon(channel: string): string {
  switch (channel) {
    case 'email':
      return 'mail';
    case 'sms':
      return 'comment';
    case 'notification':
      return 'bell';
    default:
      return 'symbol-event';
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
