// Where a result is shown. The one switch between the timeline webview and the JSON document.
import type * as vscode from 'vscode';
import type { ResultStore } from '../../core/resultStore';
import { showTimeline, type TimelineHost } from './timelinePanel';

export function showResult(host: TimelineHost, store: ResultStore, live: boolean): vscode.WebviewPanel {
  return showTimeline(host, store, live);
}
