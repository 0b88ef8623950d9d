// The open timeline panels, one per result id: showTimeline reveals the panel a result already
// has, the serializer replaces it, the event menu finds the active one.
import type { TimelineController } from './timelineController';

const byResult = new Map<string, TimelineController>();

export function openTimelineOf(resultId: string): TimelineController | undefined {
  return byResult.get(resultId);
}

export function allOpenTimelines(): TimelineController[] {
  return [...byResult.values()];
}

/** The panel the user last acted in (a context menu is opened in the active panel). */
export function activeTimeline(): TimelineController | undefined {
  return allOpenTimelines().find((c) => c.panel.active);
}

/** Lists `c` under its result id until its panel closes. */
export function addOpenTimeline(c: TimelineController): void {
  const id = c.store.summary.id;
  byResult.set(id, c);
  c.panel.onDidDispose(() => {
    // A restored panel may have replaced this one under the same id meanwhile.
    if (byResult.get(id) === c) byResult.delete(id);
  });
}
