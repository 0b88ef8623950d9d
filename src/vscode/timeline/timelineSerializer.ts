// Restores timeline panels after a window reload, from the result id kept in the page's UI state
// (never the events: they are read again from the store, which is fast).
import * as vscode from 'vscode';
import { isTimelineUiState, TIMELINE_VIEW_TYPE } from '../../shared/protocol';
import { addOpenTimeline, openTimelineOf } from './openTimelines';
import { TimelineController } from './timelineController';
import type { TimelineHost } from './timelineHost';
import { unavailableHtml } from './timelinePage';

export function registerTimelineSerializer(host: TimelineHost): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
      if (!isTimelineUiState(state)) {
        panel.webview.html = unavailableHtml(
          'This NP6 timeline cannot be restored: open the result again from the NP6 view.',
        );
        return;
      }
      const store = await host.openResult(state.resultId);
      if (!store) {
        panel.webview.html = unavailableHtml(
          'This NP6 result is no longer stored (removed or evicted by the storage budget): run the query again.',
        );
        return;
      }
      openTimelineOf(store.summary.id)?.panel.dispose();
      addOpenTimeline(new TimelineController(host, panel, store, false));
    },
  });
}
