// The webview side of a panel as the host sets it up: the panel's options, the page (scripts and
// styles from dist/ through asWebviewUri, a fresh CSP nonce) and the plain page shown when a
// panel cannot be restored.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { TIMELINE_VIEW_TYPE } from '../../shared/protocol';
import { timelineHtml } from '../../shared/timeline/html';

/** A new, empty timeline panel in the active column. */
export function createTimelinePanel(extensionUri: vscode.Uri, title: string): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, title, vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
    // Hidden panels keep their page. Re-creating it means re-sending every row (40+ MB of
    // columns at 1M events) through the webview channel, which code-server carries over its
    // socket: seconds, not the 1 s a tab switch may take. The page's memory lives in the
    // webview's renderer (about 50 MB at 1M events), not in the extension host. A reload or a
    // restored panel still starts from row 0 and says "loading k of n" meanwhile.
    retainContextWhenHidden: true,
  });
}

/** Loads the timeline page into `panel` (a new panel, or one VS Code restores after a reload). */
export function loadTimelinePage(panel: vscode.WebviewPanel, extensionUri: vscode.Uri): void {
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  const w = panel.webview;
  w.options = { enableScripts: true, localResourceRoots: [dist] };
  w.html = timelineHtml(
    {
      cspSource: w.cspSource,
      script: w.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      style: w.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
      codicons: w.asWebviewUri(vscode.Uri.joinPath(dist, 'codicons', 'codicon.css')).toString(),
    },
    randomBytes(18).toString('base64'),
  );
}

/** A page with one escaped sentence and no script (a panel that cannot be restored). */
export function unavailableHtml(message: string): string {
  const esc = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><p>${esc}</p></body></html>`;
}
