// Commands for the extension tests only (test/integration), registered only when VS Code runs
// the extension in Test mode (see registerTimeline): they are in no menu or palette, and a user's
// VS Code never has them. The tests cannot reach into the page, so they read what the panels show
// and press Refresh through these.
import * as vscode from 'vscode';
import type { TimelineStatus } from '../../shared/protocol';
import { allOpenTimelines, openTimelineOf } from './openTimelines';
import type { TimelineController } from './timelineController';

/** One line per open timeline: what the host sent and what the page says it shows. */
export interface TimelinePanelStatus {
  resultId: string;
  title: string;
  storeCount: number;
  page?: TimelineStatus;
  /** The result's files are on disk. */
  stored: boolean;
  /** The panel shows the result as removed (Clear Results, deleted on disk). */
  removed: boolean;
  /** The last error message the panel showed the user. */
  lastError?: string;
  /** Pages loaded into the panel so far (each was sent the whole result). */
  pageLoads: number;
  /** The page was sent masked strings (np6.maskPersonalData) since its last restart. */
  masked: boolean;
}

/** → TimelinePanelStatus[], one per open timeline. */
export const TIMELINE_STATUS_COMMAND = 'np6.timeline.status';
/** (resultId) → what the panel's Refresh button does for that result. */
export const TIMELINE_REFRESH_COMMAND = 'np6.timeline.refresh';
/** (resultId, on) → sets the panel's Humans only switch, as a click on it does. */
export const TIMELINE_HUMANS_ONLY_COMMAND = 'np6.timeline.humansOnly';

async function describe(c: TimelineController): Promise<TimelinePanelStatus> {
  const stored = await c.store.checkStillStored();
  return {
    resultId: c.store.summary.id,
    title: c.panel.title,
    storeCount: c.store.index.length,
    page: c.status,
    stored,
    removed: c.store.isRemoved,
    pageLoads: c.pageLoads,
    masked: c.masked,
    ...(c.lastError !== undefined ? { lastError: c.lastError } : {}),
  };
}

export function registerTimelineTestCommands(): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(TIMELINE_STATUS_COMMAND, (): Promise<TimelinePanelStatus[]> =>
      Promise.all(allOpenTimelines().map(describe)),
    ),
    vscode.commands.registerCommand(TIMELINE_REFRESH_COMMAND, async (resultId: unknown) => {
      const c = typeof resultId === 'string' ? openTimelineOf(resultId) : undefined;
      if (!c) throw new Error(`No timeline is open for result ${String(resultId)}.`);
      await c.refresh(resultId as string);
    }),
    vscode.commands.registerCommand(TIMELINE_HUMANS_ONLY_COMMAND, async (resultId: unknown, on: unknown) => {
      const c = typeof resultId === 'string' ? openTimelineOf(resultId) : undefined;
      if (!c) throw new Error(`No timeline is open for result ${String(resultId)}.`);
      await c.setHumansOnly(on === true);
    }),
  ];
}
