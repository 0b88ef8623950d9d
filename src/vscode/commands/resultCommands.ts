// Results out of the store: Open Last Result (timeline), Open Last Result as JSON Document, Export
// Last Result..., Clear Results — and the TimelineHost the timeline panel calls back into.
import * as vscode from 'vscode';
import { describeCompleteness, type ResultSummary } from '../../core/result';
import type { ResultStore } from '../../core/resultStore';
import type { CampaignRef } from '../campaigns';
import { exportToFile, openAsJsonDocument, type ExportArgs, type VisibleSelection } from '../exportResult';
import type { CampaignArg, CampaignLookup, ExtensionFiles, Reporter, ResultsAccess } from '../services';
import type { TimelineHost } from '../timeline/timelinePanel';
import { refreshStoredResult, type RefreshOutcome, type RefreshServices } from '../refreshRunner';
import { showResult } from '../timeline/viewer';
import { showErrorMessage, showInformationMessage, showWarningMessage } from '../untrustedUi';
import { np6Message } from '../../core/np6Message';
import { count } from '../../shared/counts';
import { reportWithNextSteps } from '../nextSteps';
import { forIconLabel } from '../../core/untrustedText';
import { rerunImported } from './openEventsFile';

export type ExportCommandArgs = ExportArgs & Partial<{ campaignId: string; demo: boolean }>;

export class ResultViews implements TimelineHost {
  constructor(private readonly ext: RefreshServices & CampaignLookup & ExtensionFiles) {}

  get extensionUri(): vscode.Uri {
    return this.ext.extensionUri;
  }

  /** Opens the result's viewer; returns false when none could be opened (the caller falls back to JSON). */
  showLive(store: ResultStore, live = true): boolean {
    try {
      showResult(this, store, live);
      return true;
    } catch (e) {
      this.ext.log.error(`Could not open the timeline: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  }

  async openJson(store: ResultStore): Promise<vscode.TextDocument | undefined> {
    try {
      return await openAsJsonDocument(store, async () => {
        await this.exportStore(store, {});
      });
    } catch (e) {
      void showErrorMessage(
        `NP6: could not open the result as a document: ${e instanceof Error ? e.message : String(e)}`,
      );
      return undefined;
    }
  }

  /** Returns the file written, or undefined (cancelled or failed, with a message). */
  async exportStore(store: ResultStore, args: ExportArgs): Promise<vscode.Uri | undefined> {
    try {
      const r = await exportToFile(store, args);
      if (!r) return undefined;
      this.ext.log.info(`Exported ${count(r.count, 'event')} (${count(r.bytes, 'byte')}) to ${r.uri.fsPath}`);
      if (args.target === undefined) {
        void showInformationMessage(
          `NP6: exported ${count(r.count, 'event')} to ${r.uri.fsPath}.`,
          'Open File',
        ).then((c) => {
          if (c) void vscode.window.showTextDocument(r.uri);
        });
      }
      return r.uri;
    } catch (e) {
      void showErrorMessage(`NP6: export failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  /** The summary of a result opened from an events file (Open Events File…), else undefined. */
  private importedSummary(resultId: string): ResultSummary | undefined {
    const s = this.ext.results.summary(resultId);
    return s?.imported ? s : undefined;
  }

  // TimelineHost
  openResult(id: string): Promise<ResultStore | undefined> {
    return this.ext.results.get(id);
  }
  async rerun(resultId: string): Promise<void> {
    const imported = this.importedSummary(resultId);
    if (imported) return rerunImported(imported);
    const owner = this.ext.results.ownerOf(resultId);
    if (owner) {
      await vscode.commands.executeCommand('np6.rerunLastQuery', {
        campaignId: owner.campaignId,
        demo: owner.demo,
      });
    }
  }
  /** Fetches the missing windows of this result (not of the campaign's last one). */
  async resume(resultId: string): Promise<void> {
    const imported = this.importedSummary(resultId);
    if (imported) return rerunImported(imported);
    const owner = this.ext.results.ownerOf(resultId);
    if (owner) {
      await vscode.commands.executeCommand('np6.resume', {
        campaignId: owner.campaignId,
        demo: owner.demo,
        resultId,
      });
    }
  }
  /**
   * Re-reads the trailing settle window of a result whose range reaches now; the index range of
   * the events that are new, or undefined when it cannot be refreshed (the caller re-runs instead).
   */
  async refresh(resultId: string): Promise<{ newFrom: number; newTo: number } | undefined> {
    // Read from a file: nothing to re-read; the panel then asks for a re-run (rerunImported).
    if (this.importedSummary(resultId)) return undefined;
    const r = await this.refreshAndReport(resultId);
    return r.refreshed ? { newFrom: r.newFrom, newTo: r.newTo } : undefined;
  }

  /** Refreshes and tells the user the outcome (new events, what is still missing). Never throws. */
  async refreshAndReport(resultId: string): Promise<RefreshOutcome> {
    let r: RefreshOutcome;
    try {
      r = await refreshStoredResult(this.ext, resultId);
    } catch (e) {
      // Only an internal failure (e.g. the disk) lands here; the summary already says the
      // re-read window is missing (interrupted), so the result stays honest.
      const message = e instanceof Error ? e.message : String(e);
      this.ext.log.error(`Refresh failed: ${message}`);
      void showErrorMessage(`NP6: refresh failed: ${message}`);
      return { refreshed: false, why: 'failed', message };
    }
    if (!r.refreshed) return r;
    const s = r.store.summary;
    const n = r.newTo - r.newFrom;
    const news = count(n, 'new event');
    this.ext.log.info(
      `Refreshed result ${s.id}: ${news}; ${count(s.count, 'event')}, ${describeCompleteness(s)}`,
    );
    if (s.complete) {
      vscode.window.setStatusBarMessage(
        `$(check) NP6: ${forIconLabel(s.campaignLabel)} refreshed, ${news}`,
        8000,
      );
    } else {
      const owner = this.ext.results.ownerOf(s.id);
      void reportWithNextSteps(
        `NP6: ${s.campaignLabel} refreshed with ${news}, but the result is ${describeCompleteness(s)}`,
        { kind: 'refreshedPartial', missing: s.missing.length, resumable: owner !== undefined },
        {
          log: this.ext.log,
          ...(owner ? { campaign: { campaignId: owner.campaignId, demo: owner.demo } } : {}),
          resultId: s.id,
        },
        showWarningMessage,
      );
    }
    return r;
  }
  async exportResult(resultId: string, visibleIds?: readonly string[] | VisibleSelection): Promise<void> {
    const store = await this.ext.results.get(resultId);
    if (store) await this.exportStore(store, visibleIds ? { visibleIds } : {});
  }
  async openAsJson(resultId: string): Promise<void> {
    const store = await this.ext.results.get(resultId);
    if (store) await this.openJson(store);
  }
}

/** What the result commands use of the services (the views, given apart, use more). */
type ResultCommandNeeds = CampaignLookup & ResultsAccess & Reporter;

async function lastStore(
  ext: ResultCommandNeeds,
  arg: CampaignArg | undefined,
  verb: string,
): Promise<{ c: CampaignRef; store: ResultStore } | undefined> {
  const c = await ext.campaignFrom(arg, `Campaign whose last result to ${verb}`);
  if (!c) return undefined;
  const store = await ext.lastResultStore(c);
  if (!store) {
    void reportWithNextSteps(
      `NP6: ${c.label} has no stored result yet (or it was cleared).`,
      { kind: 'noResult' },
      { log: ext.log, campaign: { campaignId: c.id, demo: c.demo } },
      showInformationMessage,
    );
    return undefined;
  }
  return { c, store };
}

function campaignArg(a: ExportCommandArgs | CampaignArg | undefined): CampaignArg | undefined {
  if (a && typeof a === 'object' && 'campaignId' in a && typeof a.campaignId === 'string') {
    return { campaignId: a.campaignId, ...(typeof a.demo === 'boolean' ? { demo: a.demo } : {}) };
  }
  return a as CampaignArg | undefined;
}

export function registerResultCommands(ext: ResultCommandNeeds, views: ResultViews): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('np6.openLastResult', async (a?: CampaignArg) => {
      const r = await lastStore(ext, a, 'open');
      if (r && !views.showLive(r.store, false)) await views.openJson(r.store);
    }),
    vscode.commands.registerCommand('np6.openLastResultAsJson', async (a?: CampaignArg) => {
      const r = await lastStore(ext, a, 'open as JSON');
      return r ? views.openJson(r.store) : undefined;
    }),
    vscode.commands.registerCommand('np6.exportLastResult', async (a?: ExportCommandArgs | CampaignArg) => {
      const r = await lastStore(ext, campaignArg(a), 'export');
      if (!r) return undefined;
      const args: ExportArgs = a && typeof a === 'object' && !('campaign' in a) ? (a as ExportArgs) : {};
      return views.exportStore(r.store, {
        ...(args.target !== undefined ? { target: args.target } : {}),
        ...(args.format !== undefined ? { format: args.format } : {}),
        ...(args.bom !== undefined ? { bom: args.bom } : {}),
        ...(args.overwrite !== undefined ? { overwrite: args.overwrite } : {}),
      });
    }),
    vscode.commands.registerCommand('np6.refreshResult', async (a?: CampaignArg) => {
      const r = await lastStore(ext, a, 'refresh');
      if (!r) return undefined;
      const out = await views.refreshAndReport(r.store.summary.id);
      if (out.refreshed) return { newFrom: out.newFrom, newTo: out.newTo, summary: out.store.summary };
      // 'failed' was already reported by refreshAndReport.
      if (out.why !== 'failed') {
        void reportWithNextSteps(
          np6Message(out.message),
          { kind: 'refreshRefused', why: out.why, ...(out.problem ? { problem: out.problem } : {}) },
          { log: ext.log, campaign: { campaignId: r.c.id, demo: r.c.demo } },
          // A settled range is not an error: re-running is the normal next step.
          out.why === 'past' ? showInformationMessage : showErrorMessage,
        );
      }
      return undefined;
    }),
    vscode.commands.registerCommand('np6.clearResults', async (a?: { confirm?: boolean }) => {
      if (a?.confirm === undefined) {
        const ok = await showWarningMessage(
          'Delete every stored NP6 result from disk?',
          { modal: true },
          'Delete',
        );
        if (ok !== 'Delete') return false;
      } else if (!a.confirm) return false;
      await ext.results.clear();
      ext.log.info('Stored results cleared.');
      return true;
    }),
  ];
}
