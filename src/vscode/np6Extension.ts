// The extension's services, built once in activate() and handed to the commands. Owns every
// disposable it creates, and recomputes the view state (context keys, and the key/reachability
// state the tree shows) in one place. It does not know the tree: activate() builds the tree and
// feeds it onDidChangeAccess, so the services never import a view (no folder cycle).
import * as vscode from 'vscode';
import type { ResultSummary } from '../core/result';
import type { ResultStore } from '../core/resultStore';
import { ApiKeyStore } from './apiKeyStore';
import { campaignKey, type CampaignRef } from './campaigns';
import { Connection } from './connection';
import { setViewState } from './contextKeys';
import { DemoController } from './demo';
import { createLog } from './log';
import { defaultAnswers, type QueryAnswers } from '../core/query/queryAnswers';
import { RunningQueries } from './queryRunner';
import { Results } from './results';
import { onDidChangeSettings, readSettings } from './settings';
import { configuredCampaigns } from './configuredCampaigns';
import { showErrorMessage, showInformationMessage } from './untrustedUi';
import { reportWithNextSteps } from './nextSteps';
import { forIconLabel } from '../core/untrustedText';
import type {
  CampaignArg,
  CampaignLookup,
  ConnectionStatus,
  AnswerMemory,
  DemoAccess,
  ExtensionFiles,
  QueryAccess,
  Reporter,
  ResultsAccess,
} from './services';

const ANSWERS = 'np6.queryAnswers';

/** Whether a key is set and why NP6 could not be reached (if it could not): what the tree shows. */
export interface AccessState {
  hasKey: boolean;
  unreachable?: string;
}

export class Np6Extension
  implements
    vscode.Disposable,
    Reporter,
    CampaignLookup,
    ConnectionStatus,
    DemoAccess,
    ResultsAccess,
    QueryAccess,
    AnswerMemory,
    ExtensionFiles
{
  readonly log = createLog();
  readonly keys: ApiKeyStore;
  readonly demo: DemoController;
  /** Queries running now: their progress notifications' Cancel, also reachable from the API. */
  readonly running = new RunningQueries();
  readonly results: Results;
  readonly connection: Connection;
  private readonly accessChanged = new vscode.EventEmitter<AccessState>();
  /** Fired by updateState(); the tree follows it. */
  readonly onDidChangeAccess = this.accessChanged.event;
  private hasKey = false;
  private unreachable: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly context: vscode.ExtensionContext) {
    this.keys = new ApiKeyStore(context.secrets);
    this.demo = new DemoController(context.extensionUri.fsPath, this.log);
    this.results = new Results(context, readSettings().maxStorageBytes);
    this.connection = new Connection(this.keys, this.demo, this.log);
    this.disposables.push(
      this.log,
      this.keys,
      this.demo,
      this.results,
      this.accessChanged,
      // Another window (or Clear API Key) changed the key: re-read it.
      this.keys.onDidChange(() => void this.updateState()),
      this.demo.onDidChange(() => void this.updateState()),
      // "NP6 could not be reached" was about the old address: a new one starts unknown.
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('np6.baseUrl')) this.unreachable = undefined;
      }),
      onDidChangeSettings(() => {
        const s = readSettings();
        this.results.setBudget(s.maxStorageBytes);
        for (const p of s.campaignProblems) this.log.warn(`Settings: ${p}`);
        void this.updateState();
      }),
    );
  }

  async init(): Promise<void> {
    for (const p of readSettings().campaignProblems) this.log.warn(`Settings: ${p}`);
    await Promise.all([this.results.refresh(), this.updateState()]);
  }

  /** Recomputes the context keys and refreshes the tree. The only caller of setViewState. */
  async updateState(): Promise<void> {
    this.hasKey = await this.keys.has();
    setViewState({
      hasApiKey: this.hasKey,
      hasCampaigns: readSettings().campaigns.length > 0,
      demoRunning: this.demo.current !== undefined,
      unreachable: this.unreachable !== undefined,
    });
    this.accessChanged.fire({
      hasKey: this.hasKey,
      ...(this.unreachable ? { unreachable: this.unreachable } : {}),
    });
  }

  isUnreachable(): boolean {
    return this.unreachable !== undefined;
  }

  /** Records whether NP6 (not the demo) answered the last request. */
  async setReachable(reason: string | undefined): Promise<void> {
    if (reason === this.unreachable) return;
    this.unreachable = reason;
    await this.updateState();
  }

  /** Every campaign a command can name: the demo's first (while it runs), then the configured ones. */
  allCampaigns(): CampaignRef[] {
    return [...this.demo.campaigns(), ...configuredCampaigns()];
  }

  findCampaign(arg: CampaignArg | undefined): CampaignRef | undefined {
    if (arg === undefined) return undefined;
    if (typeof arg === 'object' && 'campaign' in arg) return arg.campaign;
    const id = typeof arg === 'string' ? arg : arg.campaignId;
    const demo = typeof arg === 'string' ? undefined : arg.demo;
    return this.allCampaigns().find((c) => c.id === id && (demo === undefined || c.demo === demo));
  }

  /** The campaign named by `arg`, or one picked by the user; undefined when cancelled/unknown. */
  async campaignFrom(arg: CampaignArg | undefined, placeHolder: string): Promise<CampaignRef | undefined> {
    if (arg !== undefined) {
      const c = this.findCampaign(arg);
      if (!c) {
        const id = typeof arg === 'string' ? arg : 'campaignId' in arg ? arg.campaignId : '?';
        void showErrorMessage(
          `NP6: no campaign "${id}" is configured${this.demo.current ? ' or in the demo' : ''}. Add it with "NP6: Add Campaign".`,
        );
      }
      return c;
    }
    const all = this.allCampaigns();
    if (all.length === 0) {
      void reportWithNextSteps(
        'NP6: no campaign yet. Add one, or try the demo.',
        { kind: 'noCampaign' },
        { log: this.log },
        showInformationMessage,
      );
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      all.map((c) => ({
        label: forIconLabel(c.label),
        description: forIconLabel(c.demo ? `demo · ${c.id}` : c.id),
        campaign: c,
      })),
      { placeHolder, title: 'NP6' },
    );
    return picked?.campaign;
  }

  get extensionUri(): vscode.Uri {
    return this.context.extensionUri;
  }

  answersFor(c: CampaignRef): QueryAnswers {
    const saved = this.context.globalState.get<Record<string, QueryAnswers>>(ANSWERS, {})[campaignKey(c)];
    return saved ? { ...defaultAnswers(), ...saved } : defaultAnswers();
  }

  async rememberAnswers(c: CampaignRef, a: QueryAnswers): Promise<void> {
    const all = this.context.globalState.get<Record<string, QueryAnswers>>(ANSWERS, {});
    await this.context.globalState.update(ANSWERS, { ...all, [campaignKey(c)]: a });
  }

  async lastResultStore(c: CampaignRef): Promise<ResultStore | undefined> {
    const id = this.results.lastResultId(c);
    return id === undefined ? undefined : this.results.get(id);
  }

  lastSummary(c: CampaignRef): ResultSummary | undefined {
    return this.results.lastSummary(c);
  }

  register(...d: vscode.Disposable[]): void {
    this.disposables.push(...d);
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
  }
}
