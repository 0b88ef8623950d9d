// The narrow views of the extension's services that the commands are handed: a command file names
// the ones it uses instead of taking the whole Np6Extension, which implements them all. Types only,
// at the top level of src/vscode, so the commands, the tree and the timeline can all import them.
import type * as vscode from 'vscode';
import type { ResultSummary } from '../core/result';
import type { ResultStore } from '../core/resultStore';
import type { QueryAnswers } from '../core/query/queryAnswers';
import type { ApiKeyStore } from './apiKeyStore';
import type { CampaignRef } from './campaigns';
import type { Connection } from './connection';
import type { DemoController } from './demo';
import type { RunningQueries } from './queryRunner';
import type { Results } from './results';

/**
 * What a command may be given to name a campaign: a tree node (a campaign's or an item's: both carry
 * `campaign`), an id, or { campaignId, demo? }. Structural, so the services need not import the tree.
 */
export type CampaignArg =
  { readonly campaign: CampaignRef } | string | { campaignId: string; demo?: boolean };

/** Where a command writes what happened: the "NP6" log. */
export interface Reporter {
  readonly log: vscode.LogOutputChannel;
}

/** Finding the campaign a command acts on: by argument, or by asking the user. */
export interface CampaignLookup {
  /** Every campaign a command can name: the demo's first (while it runs), then the configured ones. */
  allCampaigns(): CampaignRef[];
  findCampaign(arg: CampaignArg | undefined): CampaignRef | undefined;
  /** The campaign named by `arg`, or one picked by the user; undefined when cancelled/unknown. */
  campaignFrom(arg: CampaignArg | undefined, placeHolder: string): Promise<CampaignRef | undefined>;
}

/** The API key, whether NP6 answered, and the view state (context keys, tree) they decide. */
export interface ConnectionStatus {
  readonly keys: ApiKeyStore;
  /** Recomputes the context keys and the tree's state. */
  updateState(): Promise<void>;
  isUnreachable(): boolean;
  /** Records whether NP6 (not the demo) answered the last request. */
  setReachable(reason: string | undefined): Promise<void>;
}

/** The demo sandbox. */
export interface DemoAccess {
  readonly demo: DemoController;
}

/** The stored results and each campaign's last one. */
export interface ResultsAccess {
  readonly results: Results;
  lastResultStore(c: CampaignRef): Promise<ResultStore | undefined>;
  lastSummary(c: CampaignRef): ResultSummary | undefined;
}

/** A client for a campaign (the demo's or NP6's), and the queries running on it. */
export interface QueryAccess {
  readonly connection: Connection;
  /** Queries running now: their progress notifications' Cancel. */
  readonly running: RunningQueries;
}

/** The query flow's last answers per campaign (its defaults next time). */
export interface AnswerMemory {
  answersFor(c: CampaignRef): QueryAnswers;
  rememberAnswers(c: CampaignRef, a: QueryAnswers): Promise<void>;
}

/** Where the extension's files are (the webview's scripts and styles). */
export interface ExtensionFiles {
  readonly extensionUri: vscode.Uri;
}
