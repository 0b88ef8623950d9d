// The nodes of the Campaigns tree: a small union of classes with stable ids, contextValues that the
// menus match (viewItem =~ /^campaign/, /^item/), theme icons and Markdown tooltips.
import * as vscode from 'vscode';
import { count } from '../../shared/counts';
import { formatInstant } from '../../core/dates';
import { lastResultDescription, lastResultRange, lastResultSpoken } from '../../core/lastResultText';
import { describeCompleteness, type ResultSummary } from '../../core/result';
import { forIconLabel, markdownCode, oneLine } from '../../core/untrustedText';
import type { CampaignRef, ItemRef } from '../campaigns';
import { untrustedMarkdown } from '../untrustedUi';

/** `zone`: the display zone's name (np6.timeZone resolved), for the range and the time. */
function lastResultMarkdown(md: vscode.MarkdownString, r: ResultSummary | undefined, zone: string): void {
  if (!r) {
    md.appendMarkdown('\n\nNo result yet: use **Query Events...**');
    return;
  }
  const when = formatInstant(r.finishedAt ?? r.startedAt, zone);
  md.appendMarkdown(`\n\n**Last result**: ${count(r.count, 'event')}, fetched ${when}\n\n`);
  // Our own words and numbers; the zone is a name the platform knows (np6.timeZone is checked).
  // appendText all the same: no character of it can become Markdown.
  md.appendMarkdown('Range: ');
  md.appendText(lastResultRange(r, zone));
  md.appendMarkdown('\n\n');
  // The reasons of missing windows may quote an NP6 error: a code span, never Markdown.
  md.appendMarkdown(markdownCode(describeCompleteness(r), 500));
}

export class DemoGroupNode extends vscode.TreeItem {
  readonly kind = 'demo';
  constructor(url: string) {
    super('Demo', vscode.TreeItemCollapsibleState.Expanded);
    this.id = 'demo';
    this.contextValue = 'demoGroup';
    this.description = 'sandbox data';
    this.iconPath = new vscode.ThemeIcon('beaker');
    this.tooltip = untrustedMarkdown(
      `Demo campaigns served by the sandbox on ${markdownCode(url)}. No NP6 account is used. **NP6: Stop Demo** ends it.`,
    );
    this.accessibilityInformation = { label: 'Demo campaigns (sandbox data)', role: 'treeitem' };
  }
}

export class CampaignNode extends vscode.TreeItem {
  readonly kind = 'campaign';
  constructor(
    readonly campaign: CampaignRef,
    readonly lastResult: ResultSummary | undefined,
    zone = 'UTC',
  ) {
    // Names and ids come from settings a workspace may set: never an icon, even where one renders.
    super(forIconLabel(campaign.label), vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `${campaign.demo ? 'demo-' : ''}campaign:${campaign.id}`;
    this.contextValue = `campaign${campaign.demo ? '.demo' : ''}${lastResult ? '.hasResult' : ''}`;
    this.iconPath = new vscode.ThemeIcon(campaign.invalid ? 'warning' : 'megaphone');
    this.description = campaign.invalid
      ? 'invalid id'
      : lastResult
        ? lastResultDescription(lastResult, zone)
        : campaign.name
          ? undefined
          : 'no name';
    // Outside values only as code spans: marked would autolink a URL even in appendText.
    const md = untrustedMarkdown();
    md.appendMarkdown(`**Campaign** ${markdownCode(campaign.label)}${campaign.demo ? ' (demo)' : ''}\n\n`);
    md.appendMarkdown(`Campaign id: ${markdownCode(campaign.id)} · ${count(campaign.items.length, 'item')}`);
    if (campaign.invalid) md.appendMarkdown(`\n\n**Invalid id**: ${markdownCode(campaign.invalid)}`);
    lastResultMarkdown(md, lastResult, zone);
    this.tooltip = md;
    this.accessibilityInformation = {
      label: `Campaign ${oneLine(campaign.label)}, ${count(campaign.items.length, 'item')}${lastResult ? `, ${lastResultSpoken(lastResult, zone)}` : ''}`,
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
    super(forIconLabel(item.name ?? item.id), vscode.TreeItemCollapsibleState.None);
    this.id = `${campaign.demo ? 'demo-' : ''}item:${campaign.id}/${item.id}`;
    this.contextValue = `item${campaign.demo ? '.demo' : ''}`;
    this.description = forIconLabel(item.invalid ? `${item.id} (invalid id)` : item.id);
    this.iconPath = new vscode.ThemeIcon(item.invalid ? 'warning' : channelIcon(item.channel));
    const md = untrustedMarkdown();
    md.appendMarkdown(`**Item** ${markdownCode(item.name ?? item.id)}\n\n`);
    md.appendMarkdown(
      `Item id: ${markdownCode(item.id)} · channel ${markdownCode(item.channel)}\n\nCampaign: ${markdownCode(campaign.label)}`,
    );
    if (item.invalid) md.appendMarkdown(`\n\n**Invalid id**: ${markdownCode(item.invalid)}`);
    this.tooltip = md;
    this.accessibilityInformation = {
      label: `Item ${oneLine(item.name ?? item.id)}, ${oneLine(item.channel)}`,
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
