// Recent Queries in globalState: the last 20 queries asked, as query files (no key, no URL), and
// which of them were pinned to a file in the workspace. The list logic is pure
// (src/core/queryFile/recentQueries.ts); this class reads, writes and tells the view.
import * as vscode from 'vscode';
import type { QueryAnswers } from '../../core/query/queryAnswers';
import { queryFileOf } from '../../core/queryFile/queryFile';
import {
  addRecent,
  parseRecent,
  pinRecent,
  recentOrder,
  removeRecent,
  type RecentQuery,
} from '../../core/queryFile/recentQueries';
import type { CampaignRef } from '../campaigns';
import { queryDisplayZone } from './queryFlow';
import { readSettings } from '../settings';

const KEY = 'np6.recentQueries';

/** Told of each query asked (the flow's answers), to keep the recent ones. */
export interface QueryRecorder {
  /** `title`: the query file's, when one was run. */
  record(campaign: CampaignRef, answers: QueryAnswers, title?: string): Promise<void>;
}

export class RecentQueryStore implements QueryRecorder, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  /** Pinned first, then the most recent. */
  list(): RecentQuery[] {
    return recentOrder(parseRecent(this.state.get<unknown>(KEY)));
  }

  find(id: string): RecentQuery | undefined {
    return this.list().find((r) => r.id === id);
  }

  async record(campaign: CampaignRef, answers: QueryAnswers, title?: string): Promise<void> {
    const f = queryFileOf(campaign.id, answers, Date.now(), queryDisplayZone(readSettings().timeZone), title);
    // Answers that cannot make a file (a bad date the query itself refuses) are not kept.
    if ('error' in f) return;
    await this.write(addRecent(parseRecent(this.state.get<unknown>(KEY)), f.value, Date.now()));
  }

  async pin(id: string, relativePath: string): Promise<void> {
    await this.write(pinRecent(parseRecent(this.state.get<unknown>(KEY)), id, relativePath));
  }

  async remove(id: string): Promise<void> {
    await this.write(removeRecent(parseRecent(this.state.get<unknown>(KEY)), id));
  }

  async clear(): Promise<void> {
    await this.write([]);
  }

  private async write(list: RecentQuery[]): Promise<void> {
    await this.state.update(KEY, list);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
