// The Statistics panel's commands: open it for a result, the panel's title-bar actions (compare
// two items, Humans only, masking, copy as Markdown, save as CSV or JSON). Registered from
// activate() with the two things the panel needs from the rest of the extension; this folder
// imports no other src/vscode subfolder, so the timeline can open the panel without a cycle.
import * as vscode from 'vscode';
import type { VisibleSelection } from '../../core/exportFormat';
import type { ResultStore } from '../../core/resultStore';
import { showInformationMessage } from '../untrustedUi';
import { activeStatistics, showStatistics, type StatisticsPanel } from './statisticsPanel';
import { maskPersonalData, setMaskPersonalData } from './statsSettings';

export interface StatisticsDeps {
  /** The result of the timeline the user looks at (or last looked at), if any. */
  currentResult(): ResultStore | undefined;
  /** The stored result with this id. */
  openResult(id: string): Promise<ResultStore | undefined>;
}

/** Arguments of np6.statistics.show: a result id, and the timeline's visible set to follow. */
export interface ShowStatisticsArgs {
  resultId?: string;
  selection?: VisibleSelection;
}

function isShowArgs(v: unknown): v is ShowStatisticsArgs {
  if (v === undefined) return true;
  if (v === null || typeof v !== 'object') return false;
  const a = v as Record<string, unknown>;
  const sel = a.selection as Record<string, unknown> | undefined;
  return (
    (a.resultId === undefined || typeof a.resultId === 'string') &&
    (sel === undefined ||
      (typeof sel === 'object' &&
        sel !== null &&
        Array.isArray(sel.indices) &&
        sel.indices.every((i) => Number.isInteger(i))))
  );
}

async function withPanel(f: (p: StatisticsPanel) => Promise<void> | void): Promise<void> {
  const p = activeStatistics();
  if (!p) {
    await showInformationMessage('NP6: open a Statistics panel first (NP6: Show Statistics).');
    return;
  }
  await f(p);
}

async function saveText(p: StatisticsPanel, text: string, ext: 'csv' | 'json'): Promise<void> {
  const target = await vscode.window.showSaveDialog({
    filters: ext === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    saveLabel: 'Save Statistics',
    title: `Save the statistics of ${p.store.summary.campaignLabel}`,
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
}

export function registerStatistics(deps: StatisticsDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('np6.statistics.show', async (args?: unknown) => {
      if (!isShowArgs(args)) throw new Error('np6.statistics.show takes { resultId?, selection? }.');
      const store = args?.resultId ? await deps.openResult(args.resultId) : deps.currentResult();
      if (!store) {
        await showInformationMessage('NP6: open a result in the timeline first, then show its statistics.');
        return;
      }
      showStatistics(store, args?.selection);
    }),
    vscode.commands.registerCommand('np6.statistics.compareItems', () =>
      withPanel(async (p) => {
        const items = p.store.index.items;
        if (items.length < 2) {
          await showInformationMessage('NP6: this result has fewer than two items to compare.');
          return;
        }
        // Item ids come from NP6: `$(` is broken so a QuickPick cannot turn one into an icon.
        const picks = await vscode.window.showQuickPick(
          items.map((id) => ({ label: id.replace(/\$\(/g, '$\u200b('), id })),
          {
            canPickMany: true,
            title: 'Compare two items (A/B)',
            placeHolder: 'Pick two items (none: back to the whole result)',
          },
        );
        if (!picks) return;
        p.compare = picks.length === 2 ? [picks[0]!.id, picks[1]!.id] : undefined;
        p.render();
      }),
    ),
    vscode.commands.registerCommand('np6.statistics.toggleHumansOnly', () =>
      withPanel((p) => {
        p.humansOnly = !p.humansOnly;
        p.render();
      }),
    ),
    vscode.commands.registerCommand('np6.toggleMaskPersonalData', () =>
      setMaskPersonalData(!maskPersonalData()),
    ),
    vscode.commands.registerCommand('np6.statistics.copyMarkdown', () =>
      withPanel(async (p) => {
        await vscode.env.clipboard.writeText(await p.markdown());
      }),
    ),
    vscode.commands.registerCommand('np6.statistics.saveCsv', () =>
      withPanel(async (p) => saveText(p, await p.csv(), 'csv')),
    ),
    vscode.commands.registerCommand('np6.statistics.saveJson', () =>
      withPanel(async (p) => saveText(p, await p.json(), 'json')),
    ),
  ];
}
