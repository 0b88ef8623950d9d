// NP6: Query Events..., Re-run Last Query, Resume. The prompts (or the arguments) become an EventQuery,
// runQuery fetches it into a result store, and the outcome becomes a message with next steps.
import * as vscode from 'vscode';
import { describeCompleteness, type ResultSummary } from '../../core/result';
import type { ResultStore } from '../../core/resultStore';
import type { CampaignRef } from '../campaigns';
import type {
  AnswerMemory,
  CampaignArg,
  CampaignLookup,
  ConnectionStatus,
  DemoAccess,
  QueryAccess,
  Reporter,
  ResultsAccess,
} from '../services';

/** What the query commands use of the extension's services. */
export type QueryServices = CampaignLookup &
  ResultsAccess &
  QueryAccess &
  AnswerMemory &
  DemoAccess &
  Reporter &
  Pick<ConnectionStatus, 'setReachable'>;
import { askQuery, queryDisplayZone } from '../query/queryFlow';
import type { QueryRecorder } from '../query/recentQueryStore';
import {
  answersFromArgs,
  buildQuery,
  defaultAnswers,
  type QueryAnswers,
  type QueryArgs,
} from '../../core/query/queryAnswers';
import { runQuery, type RunOptions } from '../queryRunner';
import { readSettings } from '../settings';
import { CampaignNode, ItemNode } from '../tree/nodes';
import type { ResultViews } from './resultCommands';
import { showErrorMessage, showInformationMessage, showWarningMessage } from '../untrustedUi';
import { np6Message } from '../../core/np6Message';
import { forIconLabel, oneLine } from '../../core/untrustedText';
import { checkId, checkItemId } from '../../np6/ids';
import { count } from '../../shared/counts';
import { reportWithNextSteps } from '../nextSteps';

export type Show = NonNullable<QueryArgs['show']>;

/** Recent Queries: records what was asked (src/vscode/query/recentQueryStore.ts). */

function isQueryArgs(a: unknown): a is QueryArgs {
  return (
    typeof a === 'object' &&
    a !== null &&
    !(a instanceof CampaignNode) &&
    !(a instanceof ItemNode) &&
    'campaignId' in a
  );
}

export class QueryCommands {
  /**
   * Saves answers as a query file (the flow's "Run and Save Query…" button). Set by activate():
   * the query file commands are built after these.
   */
  saver: ((campaign: CampaignRef, answers: QueryAnswers) => Promise<unknown>) | undefined;

  constructor(
    private readonly ext: QueryServices,
    private readonly views: ResultViews,
    /** Told of every query asked through the flow, a command or a query file (Recent Queries). */
    private readonly asked?: QueryRecorder,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('np6.queryEvents', (a?: CampaignNode | ItemNode | QueryArgs) =>
        this.query(a),
      ),
      vscode.commands.registerCommand('np6.rerunLastQuery', (a?: CampaignArg & { show?: Show }) =>
        this.rerun(a),
      ),
      vscode.commands.registerCommand('np6.resume', (a?: CampaignArg & { show?: Show; resultId?: string }) =>
        this.resume(a),
      ),
    ];
  }

  /** Returns the result's summary (scripts and tests read it), or undefined when nothing ran. */
  async query(arg?: CampaignNode | ItemNode | QueryArgs): Promise<ResultSummary | undefined> {
    const settings = readSettings();
    let campaign: CampaignRef | undefined;
    let answers: QueryAnswers;
    if (isQueryArgs(arg)) {
      campaign = this.ext.findCampaign({ campaignId: arg.campaignId });
      if (!campaign) {
        void showErrorMessage(
          `NP6: no campaign "${arg.campaignId}" is configured${this.ext.demo.current ? ' or in the demo' : ''}: add it first (NP6: Add Campaign).`,
        );
        return undefined;
      }
      // Scripts get the same answer for the same arguments: what they leave out is the default, not
      // whatever was asked last.
      const a = answersFromArgs(arg, defaultAnswers());
      if ('error' in a) {
        void showErrorMessage(np6Message(a.error));
        return undefined;
      }
      answers = a;
    } else {
      const given = arg?.campaign;
      const all = this.ext.allCampaigns();
      if (!given && all.length === 0) {
        await this.ext.campaignFrom(undefined, '');
        return undefined;
      }
      const answersFor = (c: CampaignRef): QueryAnswers => {
        const a = this.ext.answersFor(c);
        // Remembered items that are no longer configured are dropped, not queried.
        a.items = a.items.filter((id) => c.items.some((i) => i.id === id));
        // Started from an item: that item is the default selection.
        return arg instanceof ItemNode && c === arg.campaign ? { ...a, items: [arg.item.id] } : a;
      };
      const r = await askQuery(all, given, answersFor, settings.timeZone);
      if (!r) return undefined;
      campaign = r.campaign;
      answers = r.answers;
      if (r.save) await this.saver?.(campaign, answers);
    }
    return this.runAnswers(campaign, answers, isQueryArgs(arg) ? (arg.show ?? 'timeline') : 'timeline');
  }

  /**
   * Shows the flow prefilled with `answers` for `campaign` (a query link, a recent query): the user
   * confirms or changes each step; nothing is sent unless they reach the end. `onConfirmed` learns the
   * answers chosen (undefined when cancelled) before the query runs.
   */
  async confirmAndRun(
    campaign: CampaignRef,
    answers: QueryAnswers,
    show: Show = 'timeline',
    onConfirmed?: (a: QueryAnswers | undefined) => void,
    title?: string,
  ): Promise<ResultSummary | undefined> {
    const prefilled = (): QueryAnswers => ({
      ...answers,
      items: [...answers.items],
      types: [...answers.types],
      subtypes: [...answers.subtypes],
    });
    const r = await askQuery(this.ext.allCampaigns(), campaign, prefilled, readSettings().timeZone);
    onConfirmed?.(r?.answers);
    if (!r) return undefined;
    if (r.save) await this.saver?.(r.campaign, r.answers);
    return this.runAnswers(r.campaign, r.answers, show, title);
  }

  /** Builds the query of these answers (relative dates resolved now) and runs it. */
  async runAnswers(
    campaign: CampaignRef,
    answers: QueryAnswers,
    show: Show,
    title?: string,
  ): Promise<ResultSummary | undefined> {
    if (campaign.invalid !== undefined) {
      // An id from settings that cannot be sent (np6/ids.ts): the tree shows it as invalid.
      void showErrorMessage(`NP6: ${campaign.invalid} (fix it in np6.campaigns; nothing was sent)`);
      return undefined;
    }
    const settings = readSettings();
    const built = buildQuery(campaign, answers, Date.now(), queryDisplayZone(settings.timeZone));
    if ('error' in built) {
      void showErrorMessage(np6Message(built.error));
      return undefined;
    }
    await this.ext.rememberAnswers(campaign, answers);
    await this.asked?.record(campaign, answers, title);
    return this.run(campaign, built.query, show);
  }

  async rerun(arg?: CampaignArg & { show?: Show }): Promise<ResultSummary | undefined> {
    const campaign = await this.ext.campaignFrom(arg, 'Campaign whose last query to run again');
    if (!campaign) return undefined;
    const last = this.ext.lastSummary(campaign);
    if (!last) {
      void reportWithNextSteps(
        `NP6: ${campaign.label} has no last query yet.`,
        { kind: 'noResult' },
        { log: this.ext.log, campaign: { campaignId: campaign.id, demo: campaign.demo } },
        showInformationMessage,
      );
      return undefined;
    }
    // Presets ("last 24 hours") are resolved again, so a re-run means the same question asked now.
    const settings = readSettings();
    const built = buildQuery(
      campaign,
      this.ext.answersFor(campaign),
      Date.now(),
      queryDisplayZone(settings.timeZone),
    );
    const query = 'query' in built ? built.query : last.query;
    return this.run(campaign, query, showOf(arg));
  }

  /**
   * Fetches the missing windows of a result: the one named by `resultId` (a timeline tab's own
   * result), else the campaign's last one.
   */
  async resume(arg?: CampaignArg & { show?: Show; resultId?: string }): Promise<ResultSummary | undefined> {
    const campaign = await this.ext.campaignFrom(arg, 'Campaign whose last result to complete');
    if (!campaign) return undefined;
    const resultId = typeof arg === 'object' && 'resultId' in arg ? arg.resultId : undefined;
    const store =
      resultId !== undefined
        ? await this.ext.results.get(resultId)
        : await this.ext.lastResultStore(campaign);
    if (!store) {
      void showInformationMessage(`NP6: ${campaign.label} has no stored result to resume.`);
      return undefined;
    }
    const s = store.summary;
    if (s.complete || s.missing.length === 0) {
      void showInformationMessage(
        s.complete
          ? `NP6: the last result of ${campaign.label} is already complete.`
          : `NP6: nothing to resume (no missing window recorded); re-run the query instead.`,
      );
      return s;
    }
    return this.run(campaign, s.query, showOf(arg), { resume: { store, only: s.missing } });
  }

  private async run(
    campaign: CampaignRef,
    query: ResultSummary['query'],
    show: Show,
    o: RunOptions = {},
  ): Promise<ResultSummary | undefined> {
    // An id from settings that cannot be sent (np6/ids.ts): say why, send nothing.
    const badId =
      checkId(query.campaignId, 'campaign') ??
      query.itemsEvents
        .flatMap((e) => e.items ?? [])
        .map(checkItemId)
        .find((p) => p !== undefined);
    if (badId !== undefined) {
      void showErrorMessage(`NP6: ${badId} (fix it in np6.campaigns; nothing was sent)`);
      return undefined;
    }
    let opened = false;
    const outcome = await runQuery(this.ext.connection, this.ext.results, this.ext.log, campaign, query, {
      ...o,
      running: this.ext.running,
      onStore: (store) => {
        // The timeline renders progressively as events are appended.
        if (show === 'timeline') opened = this.views.showLive(store);
      },
    });
    if ('problem' in outcome) {
      void reportWithNextSteps(
        np6Message(outcome.problem),
        { kind: 'noClient', problem: outcome.kind },
        { log: this.ext.log, campaign: { campaignId: campaign.id, demo: campaign.demo } },
      );
      return undefined;
    }
    const { summary, store } = outcome;
    if (!campaign.demo) {
      const kind = summary.error?.kind;
      await this.ext.setReachable(
        kind === 'network' || kind === 'timeout' ? summary.error?.message : undefined,
      );
    }
    if (show === 'json' || (show === 'timeline' && !opened)) await this.views.openJson(store);
    this.report(campaign, summary, store);
    return summary;
  }

  /** Complete: a short note. Otherwise: what is missing and why, with the next steps as buttons. */
  private report(campaign: CampaignRef, s: ResultSummary, store: ResultStore): void {
    if (s.complete) {
      // Our own icon, then the name as text ($(…) in it stays text).
      vscode.window.setStatusBarMessage(
        `$(check) NP6: ${count(s.count, 'event')} from ${forIconLabel(campaign.label)}`,
        8000,
      );
      return;
    }
    const kept =
      s.count > 0
        ? `${count(s.count, 'event')} arrived and ${s.count === 1 ? 'is' : 'are'} kept`
        : 'no event arrived';
    const text = `NP6: the result of ${oneLine(campaign.label, 100)} is partial (${kept}). ${oneLine(describeCompleteness(s), 400)}${s.error?.requestId ? ` (x-request-id ${oneLine(s.error.requestId, 100)})` : ''}`;
    void reportWithNextSteps(
      text,
      {
        kind: 'partial',
        ...(s.error ? { error: s.error } : {}),
        ...(s.cancelled ? { cancelled: true } : {}),
        missing: s.missing.length,
        count: s.count,
      },
      {
        log: this.ext.log,
        campaign: { campaignId: campaign.id, demo: campaign.demo },
        resultId: s.id,
        showArrived: () => this.views.showLive(store),
      },
      s.cancelled ? showWarningMessage : showErrorMessage,
    );
  }
}

function showOf(arg: unknown): Show {
  if (typeof arg === 'object' && arg !== null && 'show' in arg) {
    const s = (arg as { show?: unknown }).show;
    if (s === 'timeline' || s === 'json' || s === 'none') return s;
  }
  return 'timeline';
}
