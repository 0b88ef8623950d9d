// One stored event as pretty JSON: for the detail pane, the clipboard, or a JSON document beside.
import * as vscode from 'vscode';
import { ResultRemovedError, type ResultStore } from '../../core/resultStore';

export async function prettyEventJson(store: ResultStore, index: number): Promise<string> {
  if (store.isRemoved) throw new ResultRemovedError(store.summary.id);
  if (index >= store.index.length) throw new Error(`Event ${index} is not in this result.`);
  return JSON.stringify(await store.readEvent(index), null, 2);
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
