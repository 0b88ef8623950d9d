// The timeline's entry point for the rest of the extension: open (or reveal) the panel of a
// result, and register what the timeline contributes (the serializer that restores panels after
// a reload, the event context-menu commands, and — under the extension tests only — the test
// commands). The parts: timelineController (one panel: page, ready handshake, messages),
// timelinePump (batches from the store index, info), timelineSerializer, eventMenuCommands,
// testCommands.
import * as vscode from 'vscode';
import type { ResultStore } from '../../core/resultStore';
import { panelTitle } from '../../core/timeline/resultInfo';
import { registerEventMenuCommands } from './eventMenuCommands';
import { addOpenTimeline, openTimelineOf } from './openTimelines';
import { registerTimelineTestCommands } from './testCommands';
import { TimelineController } from './timelineController';
import type { TimelineHost } from './timelineHost';
import { createTimelinePanel } from './timelinePage';
import { registerTimelineSerializer } from './timelineSerializer';
import { displayZone } from './timelineSettings';

export type { TimelineHost } from './timelineHost';
export type { TimelinePanelStatus } from './testCommands';

/**
 * Opens (or reveals) the panel of `store`. With `live`, the panel follows the store while the
 * fetch appends and labels the result once `finish` has written its summary.
 */
export function showTimeline(host: TimelineHost, store: ResultStore, live = false): vscode.WebviewPanel {
  const existing = openTimelineOf(store.summary.id);
  if (existing) {
    existing.attach(store, live);
    existing.panel.reveal();
    return existing.panel;
  }
  const panel = createTimelinePanel(host.extensionUri, panelTitle(store, displayZone()));
  addOpenTimeline(new TimelineController(host, panel, store, live));
  return panel;
}

/**
 * Registers the serializer and the event menu commands. The test commands, and the menu
 * commands' argument naming a result, exist only when VS Code runs the extension for its tests
 * (`extensionMode` Test: `--extensionTestsPath`, as tools/vscode-test and `npx vscode-test` do).
 */
export function registerTimeline(host: TimelineHost, mode: vscode.ExtensionMode): vscode.Disposable {
  const underTest = mode === vscode.ExtensionMode.Test;
  return vscode.Disposable.from(
    registerTimelineSerializer(host),
    ...registerEventMenuCommands({ acceptResultId: underTest }),
    ...(underTest ? registerTimelineTestCommands() : []),
  );
}
