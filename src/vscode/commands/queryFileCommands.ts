// Query files, links and Recent Queries: NP6: Run Query File, Open Last Result (of a file), Save
// Query…, Copy Link to Query, Open Query Link (also what the UriHandler calls), and the Recent
// Queries' Run, Pin and Remove. A file or a link is outside text: it is read through the pure checks
// of src/core/queryFile, shown only through the escapes of untrustedText.ts, and a link is never run
// without the user confirming every step of the prefilled flow.
import * as vscode from 'vscode';
import type { ResultSummary } from '../../core/result';
import {
  answersOf,
  parseQueryFile,
  parseQueryFileText,
  queryFileOf,
  queryFileName,
  queryFileOfEventQuery,
  queryFileText,
  QUERY_FILE_SUFFIX,
  type Parsed,
  type QueryFile,
} from '../../core/queryFile/queryFile';
import { parseQueryLink, queryLink } from '../../core/queryFile/queryLink';
import type { QueryAnswers } from '../../core/query/queryAnswers';
import { queryDisplayZone } from '../query/queryFlow';
import { readSettings } from '../settings';
import { forIconLabel, oneLine } from '../../core/untrustedText';
import type { CampaignRef } from '../campaigns';
import type { QueryCommands, Show } from './queryCommands';
import type { ResultViews } from './resultCommands';
import type { CampaignLookup, Reporter, ResultsAccess } from '../services';
import { RecentQueryNode } from '../tree/recentQueriesTree';
import { showErrorMessage, showInformationMessage, showWarningMessage } from '../untrustedUi';
import type { RecentQueryStore } from '../query/recentQueryStore';

const LAST_RESULTS = 'np6.queryFileResults';
const MAX_REMEMBERED_FILES = 100;
/** Where pinned queries are written, inside the first workspace folder. */
export const PINNED_FOLDER = 'np6-queries';

type Needs = CampaignLookup & ResultsAccess & Reporter;

/** What names a query: a recent entry, a query file, a result, or nothing (the most recent query). */
type QueryRef = RecentQueryNode | vscode.Uri | { recentId: string } | { resultId: string } | undefined;

export interface SaveArgs {
  resultId?: string;
  recentId?: string;
  /** Where to write (scripts and tests); without it a save dialog asks. */
  target?: string;
  title?: string;
}

function isQueryFileUri(u: vscode.Uri): boolean {
  return u.path.toLowerCase().endsWith(QUERY_FILE_SUFFIX);
}

function fileLabel(u: vscode.Uri): string {
  return vscode.workspace.asRelativePath(u, false);
}

export class QueryFileCommands {
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeLastResults = this.lensesChanged.event;

  constructor(
    private readonly ext: Needs,
    private readonly queries: QueryCommands,
    private readonly views: ResultViews,
    private readonly recent: RecentQueryStore,
    private readonly context: vscode.ExtensionContext,
  ) {}

  register(): vscode.Disposable[] {
    return [
      this.lensesChanged,
      vscode.commands.registerCommand('np6.runQueryFile', (u?: vscode.Uri, o?: { show?: Show }) =>
        this.runQueryFile(u, o?.show),
      ),
      vscode.commands.registerCommand('np6.openQueryFileLastResult', (u?: vscode.Uri) =>
        this.openLastResult(u),
      ),
      vscode.commands.registerCommand('np6.saveQuery', (a?: RecentQueryNode | vscode.Uri | SaveArgs) =>
        this.save(a),
      ),
      vscode.commands.registerCommand('np6.copyQueryLink', (a?: QueryRef) => this.copyLink(a)),
      vscode.commands.registerCommand('np6.openQueryLink', (l?: string | vscode.Uri) => this.openLink(l)),
      vscode.commands.registerCommand(
        'np6.runRecentQuery',
        (n?: RecentQueryNode | { recentId: string; show?: Show }) => this.runRecent(n),
      ),
      vscode.commands.registerCommand('np6.pinRecentQuery', (n?: RecentQueryNode | { recentId: string }) =>
        this.pin(n),
      ),
      vscode.commands.registerCommand('np6.removeRecentQuery', (n?: RecentQueryNode) =>
        n ? this.recent.remove(n.recent.id) : undefined,
      ),
      vscode.commands.registerCommand('np6.clearRecentQueries', () => this.recent.clear()),
      vscode.window.registerUriHandler({ handleUri: (u) => void this.openLink(u) }),
    ];
  }

  // ---- Query files ----------------------------------------------------------------------------

  /** Reads a query file (unsaved edits included); shows what is wrong and returns undefined. */
  private async readQueryFile(u: vscode.Uri): Promise<QueryFile | undefined> {
    let text: string;
    try {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === u.toString());
      text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(u));
    } catch (e) {
      void showErrorMessage(
        `NP6: could not read ${fileLabel(u)}: ${e instanceof Error ? e.message : String(e)}`,
      );
      return undefined;
    }
    const f = parseQueryFileText(text);
    if ('error' in f) {
      void showErrorMessage(`NP6: ${fileLabel(u)} is not a query NP6 can run: ${f.error} Nothing was sent.`);
      return undefined;
    }
    return f.value;
  }

  /** The file given, the active editor's, or one picked among the workspace's query files. */
  private async pickQueryFile(): Promise<vscode.Uri | undefined> {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active && isQueryFileUri(active)) return active;
    const files = await vscode.workspace.findFiles(`**/*${QUERY_FILE_SUFFIX}`, '**/node_modules/**', 500);
    if (files.length === 0) {
      void showInformationMessage(
        `NP6: no query file (*${QUERY_FILE_SUFFIX}) in this workspace. Save one with "NP6: Save Query…" after a query.`,
      );
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      files
        .sort((a, b) => a.path.localeCompare(b.path))
        .map((uri) => ({ label: forIconLabel(fileLabel(uri)), uri })),
      { title: 'NP6: Run Query File', placeHolder: 'Query file to run' },
    );
    return picked?.uri;
  }

  async runQueryFile(u?: vscode.Uri, show: Show = 'timeline'): Promise<ResultSummary | undefined> {
    const uri = u instanceof vscode.Uri ? u : await this.pickQueryFile();
    if (!uri) return undefined;
    const f = await this.readQueryFile(uri);
    if (!f) return undefined;
    const campaign = await this.campaignOf(f);
    if (!campaign) return undefined;
    const summary = await this.queries.runAnswers(campaign, answersOf(f), show, f.title);
    if (summary) await this.rememberResult(uri, summary.id);
    return summary;
  }

  lastResultOf(u: vscode.Uri): string | undefined {
    return this.context.workspaceState.get<Record<string, string>>(LAST_RESULTS, {})[u.toString()];
  }

  private async rememberResult(u: vscode.Uri, resultId: string): Promise<void> {
    const map = { ...this.context.workspaceState.get<Record<string, string>>(LAST_RESULTS, {}) };
    delete map[u.toString()];
    map[u.toString()] = resultId;
    const keys = Object.keys(map);
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_REMEMBERED_FILES))) delete map[k];
    await this.context.workspaceState.update(LAST_RESULTS, map);
    this.lensesChanged.fire();
  }

  async openLastResult(u?: vscode.Uri): Promise<boolean> {
    const uri = u instanceof vscode.Uri ? u : vscode.window.activeTextEditor?.document.uri;
    if (!uri) return false;
    const id = this.lastResultOf(uri);
    const store = id !== undefined ? await this.views.openResult(id) : undefined;
    if (!store) {
      void showInformationMessage(`NP6: ${fileLabel(uri)} has no stored result yet: run it first.`);
      return false;
    }
    if (!this.views.showLive(store, false)) await this.views.openJson(store);
    return true;
  }

  // ---- Save Query… ----------------------------------------------------------------------------

  /** The query a command names; the most recent one when none is named. */
  private async queryOf(a: QueryRef | SaveArgs): Promise<QueryFile | undefined> {
    if (a instanceof RecentQueryNode) return a.recent.file;
    if (a instanceof vscode.Uri) return this.readQueryFile(a);
    const resultId = a && 'resultId' in a ? a.resultId : undefined;
    if (resultId !== undefined) {
      const summary = this.ext.results.summary(resultId);
      const f: Parsed<QueryFile> = summary
        ? queryFileOfEventQuery(summary.query)
        : { error: 'This result is no longer stored.' };
      if ('error' in f) {
        void showErrorMessage(`NP6: ${f.error}`);
        return undefined;
      }
      return f.value;
    }
    const recentId = a && 'recentId' in a ? a.recentId : undefined;
    const r =
      recentId !== undefined
        ? this.recent.find(recentId)
        : [...this.recent.list()].sort((x, y) => y.at - x.at)[0];
    if (!r) {
      void showInformationMessage('NP6: no query asked yet: run "NP6: Query Events..." first.');
      return undefined;
    }
    return r.file;
  }

  /** The flow's "Run and Save Query…": the answers as they are, relative dates kept relative. */
  async saveAnswers(campaign: CampaignRef, answers: QueryAnswers): Promise<vscode.Uri | undefined> {
    const f = queryFileOf(campaign.id, answers, Date.now(), queryDisplayZone(readSettings().timeZone));
    if ('error' in f) {
      void showErrorMessage(`NP6: the query cannot be saved: ${f.error}`);
      return undefined;
    }
    return this.save(f.value);
  }

  async save(a?: RecentQueryNode | vscode.Uri | SaveArgs | QueryFile): Promise<vscode.Uri | undefined> {
    // A query handed by a script is checked like a file.
    const given = a && 'campaignId' in a ? parseQueryFile(a) : undefined;
    if (given && 'error' in given) {
      void showErrorMessage(`NP6: the query cannot be saved: ${given.error}`);
      return undefined;
    }
    const f = given ? given.value : await this.queryOf(a);
    if (!f) return undefined;
    const args: SaveArgs =
      a && !(a instanceof RecentQueryNode) && !(a instanceof vscode.Uri) && !('campaignId' in a) ? a : {};
    let title = args.title ?? f.title;
    let target: vscode.Uri | undefined = args.target !== undefined ? vscode.Uri.file(args.target) : undefined;
    if (!target) {
      const typed = await vscode.window.showInputBox({
        title: 'NP6: Save Query…',
        prompt: 'A title for this query (optional; shown in Recent Queries)',
        value: title ?? '',
        ignoreFocusOut: true,
        validateInput: (t) => (t.length > 200 ? 'At most 200 characters.' : undefined),
      });
      if (typed === undefined) return undefined;
      title = typed.trim() || undefined;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const name = queryFileName(title, 'query');
      target = await vscode.window.showSaveDialog({
        title: 'NP6: Save Query…',
        saveLabel: 'Save Query',
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
        // "json", not "np6query.json": VS Code's file dialog compares the last extension only, and
        // added ".np6query.json" again to "x.np6query.json". The suffix is enforced just below.
        filters: { 'NP6 query files': ['json'] },
      });
      if (!target) return undefined;
    }
    if (!isQueryFileUri(target)) {
      target = target.with({ path: target.path.replace(/(\.json)?$/i, QUERY_FILE_SUFFIX) });
    }
    const { title: _old, ...rest } = f;
    void _old;
    // The title may come from a script's or a menu's arguments: the whole file is checked again.
    const final = parseQueryFile({ ...rest, ...(typeof title === 'string' && title ? { title } : {}) });
    if ('error' in final) {
      void showErrorMessage(`NP6: the query cannot be saved: ${final.error}`);
      return undefined;
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(queryFileText(final.value)));
    this.ext.log.info(`Saved a query file to ${target.fsPath}`);
    if (args.target === undefined) await vscode.window.showTextDocument(target);
    return target;
  }

  // ---- Links ----------------------------------------------------------------------------------

  async copyLink(a?: QueryRef): Promise<string | undefined> {
    const f = await this.queryOf(
      a ??
        (vscode.window.activeTextEditor && isQueryFileUri(vscode.window.activeTextEditor.document.uri)
          ? vscode.window.activeTextEditor.document.uri
          : undefined),
    );
    if (!f) return undefined;
    const link = queryLink(vscode.env.uriScheme, this.context.extension.id, f);
    await vscode.env.clipboard.writeText(link);
    vscode.window.setStatusBarMessage(
      '$(link) NP6: link to the query copied (it holds no key and no address)',
      6000,
    );
    return link;
  }

  /**
   * Opens a query link: the flow prefilled with its fields, for the user to confirm each step.
   * Never runs by itself. A link naming an unknown campaign offers to add it first.
   */
  async openLink(l?: string | vscode.Uri): Promise<ResultSummary | undefined> {
    let uri: vscode.Uri | undefined = l instanceof vscode.Uri ? l : undefined;
    if (l === undefined) {
      const typed = await vscode.window.showInputBox({
        title: 'NP6: Open Query Link…',
        prompt: `Paste a link that starts with ${vscode.env.uriScheme}://${this.context.extension.id}/query?`,
        ignoreFocusOut: true,
      });
      if (!typed) return undefined;
      l = typed.trim();
    }
    if (typeof l === 'string') {
      try {
        uri = vscode.Uri.parse(l, true);
      } catch {
        void showErrorMessage('NP6: this is not a link the extension can open.');
        return undefined;
      }
      if (uri.authority.toLowerCase() !== this.context.extension.id.toLowerCase()) {
        void showErrorMessage(
          `NP6: this link is not for this extension (it should start with ${vscode.env.uriScheme}://${this.context.extension.id}/query?).`,
        );
        return undefined;
      }
    }
    if (!uri) return undefined;
    const f = parseQueryLink(uri.path, uri.query);
    if ('error' in f) {
      void showErrorMessage(
        `NP6: this query link cannot be opened: ${oneLine(f.error, 400)} Nothing was sent.`,
      );
      return undefined;
    }
    const campaign = await this.campaignOf(f.value);
    if (!campaign) return undefined;
    this.ext.log.info(
      `Opened a query link for campaign ${oneLine(campaign.id, 100)}: waiting for the user to confirm`,
    );
    return this.queries.confirmAndRun(campaign, answersOf(f.value), 'timeline', undefined, f.value.title);
  }

  /** The query's campaign; an unknown one is offered to be added (NP6: Add Campaign), never added silently. */
  private async campaignOf(f: QueryFile): Promise<CampaignRef | undefined> {
    const found = this.ext.findCampaign({ campaignId: f.campaignId });
    if (found) return found;
    const add = 'Add Campaign';
    const choice = await showWarningMessage(
      `NP6: the query names campaign ${oneLine(f.campaignId, 80)}, which is not configured. Add it to np6.campaigns?`,
      add,
    );
    if (choice !== add) return undefined;
    await vscode.commands.executeCommand('np6.addCampaign', {
      id: f.campaignId,
      ...(f.title ? { name: f.title } : {}),
    });
    return this.ext.findCampaign({ campaignId: f.campaignId });
  }

  // ---- Recent Queries -------------------------------------------------------------------------

  private recentOf(n?: RecentQueryNode | { recentId: string }): RecentQueryNode['recent'] | undefined {
    if (n instanceof RecentQueryNode) return n.recent;
    return n && typeof n.recentId === 'string' ? this.recent.find(n.recentId) : undefined;
  }

  async runRecent(
    n?: RecentQueryNode | { recentId: string; show?: Show },
  ): Promise<ResultSummary | undefined> {
    const r = this.recentOf(n);
    if (!r) return undefined;
    const campaign = await this.campaignOf(r.file);
    if (!campaign) return undefined;
    const show = n && !(n instanceof RecentQueryNode) && 'show' in n && n.show ? n.show : 'timeline';
    return this.queries.runAnswers(campaign, answersOf(r.file), show, r.file.title);
  }

  /** Saves the query in the workspace (np6-queries/) and keeps it at the top of Recent Queries. */
  async pin(n?: RecentQueryNode | { recentId: string }): Promise<vscode.Uri | undefined> {
    const r = this.recentOf(n);
    if (!r) return undefined;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!folder) {
      void showInformationMessage(
        'NP6: open a folder to pin a query: pinning saves it there as a query file. "Save Query…" can save it anywhere.',
      );
      return undefined;
    }
    const dir = vscode.Uri.joinPath(folder, PINNED_FOLDER);
    await vscode.workspace.fs.createDirectory(dir);
    const base = queryFileName(r.file.title, `query-${r.id}`).slice(0, -QUERY_FILE_SUFFIX.length);
    let target = vscode.Uri.joinPath(dir, `${base}${QUERY_FILE_SUFFIX}`);
    for (let i = 2; await exists(target); i++) {
      target = vscode.Uri.joinPath(dir, `${base}-${i}${QUERY_FILE_SUFFIX}`);
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(queryFileText(r.file)));
    await this.recent.pin(r.id, vscode.workspace.asRelativePath(target, false));
    vscode.window.setStatusBarMessage(
      `$(pinned) NP6: query pinned to ${forIconLabel(fileLabel(target))}`,
      6000,
    );
    return target;
  }
}

async function exists(u: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(u);
    return true;
  } catch {
    return false;
  }
}
