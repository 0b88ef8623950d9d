// One stored event as pretty JSON: for the detail pane, the clipboard, or a JSON document beside.
// While np6.maskPersonalData is on, personal fields are pseudonymised (the result's one masker).
import * as vscode from 'vscode';
import type { Masker } from '../../core/mask';
import type { ResultStore } from '../../core/resultStore';
import { eventJsonText } from '../../core/timeline/eventJsonText';
import { activeMasker } from '../masking';

export function prettyEventJson(
  store: ResultStore,
  index: number,
  masker: Masker | undefined = activeMasker(store),
): Promise<string> {
  return eventJsonText(store, index, masker);
}

export async function copyEventJson(store: ResultStore, index: number): Promise<void> {
  await vscode.env.clipboard.writeText(await prettyEventJson(store, index));
  void vscode.window.setStatusBarMessage('NP6: event JSON copied', 3000);
}

export async function openEventJson(store: ResultStore, index: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({
    language: 'json',
    content: await prettyEventJson(store, index),
  });
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}
