// The commands of the native context menu on a list row or the detail pane (webview/context in
// package.json): Copy Event as JSON, Open Event as JSON, Show Events of This Recipient.
import * as vscode from 'vscode';
import { eventIndexOfMenuArg } from '../../shared/protocol';
import { showErrorMessage } from '../untrustedUi';
import { copyEventJson, openEventJson } from './eventJson';
import { activeTimeline, openTimelineOf } from './openTimelines';
import type { TimelineController } from './timelineController';

export const EVENT_MENU_COMMANDS = {
  copy: 'np6.timeline.copyEventJson',
  open: 'np6.timeline.openEventJson',
  recipient: 'np6.timeline.showRecipientEvents',
} as const;

interface MenuTarget {
  c: TimelineController;
  index: number;
}

/**
 * The menu's argument is the element's data-vscode-context (an arrival index) plus the view type;
 * the panel is the active one, since the menu was opened in it. With `acceptResultId` (extension
 * tests only: they cannot right-click in the page) the argument may name the result instead
 * (`np6ResultId`).
 */
function menuTarget(arg: unknown, acceptResultId: boolean): MenuTarget {
  const index = eventIndexOfMenuArg(arg);
  const named = acceptResultId ? (arg as { np6ResultId?: unknown } | undefined)?.np6ResultId : undefined;
  const c = typeof named === 'string' ? openTimelineOf(named) : activeTimeline();
  if (index === undefined || !c) {
    throw new Error('Right-click an event in the list or the detail pane of an NP6 timeline.');
  }
  return { c, index };
}

export function registerEventMenuCommands(opts: { acceptResultId: boolean }): vscode.Disposable[] {
  const run =
    (f: (c: TimelineController, index: number) => Thenable<unknown>) =>
    async (arg: unknown): Promise<void> => {
      let target: MenuTarget | undefined;
      try {
        target = menuTarget(arg, opts.acceptResultId);
        await f(target.c, target.index);
      } catch (e) {
        const message = target ? target.c.userMessage(e) : e instanceof Error ? e.message : String(e);
        void showErrorMessage(`NP6 timeline: ${message}`);
      }
    };
  return [
    vscode.commands.registerCommand(
      EVENT_MENU_COMMANDS.copy,
      run((c, i) => copyEventJson(c.store, i)),
    ),
    vscode.commands.registerCommand(
      EVENT_MENU_COMMANDS.open,
      run((c, i) => openEventJson(c.store, i)),
    ),
    vscode.commands.registerCommand(
      EVENT_MENU_COMMANDS.recipient,
      run((c, i) => c.showRecipientOf(i)),
    ),
  ];
}
