// The typed messages between the timeline panel (host) and its webview. Two discriminated unions
// keyed by `type`; requests from the webview carry a `requestId` that the reply echoes. The host
// checks every message it receives with `isWebviewMessage` before its exhaustive switch.
// Event data travels only as batches (see src/shared/timeline/batch.ts) and single-event JSON on
// request; the API key never crosses this boundary.

import type { EventBatch } from './timeline/batch';
import type { ArrivalRange, TimelineFilter } from './timeline/filter';
import type { TimeWindow } from './timeline/scale';

export const TIMELINE_VIEW_TYPE = 'np6.timeline';

/** The query and result state, in data the webview formats itself (time zone is a UI choice). */
export interface ResultInfo {
  resultId: string;
  campaignLabel: string;
  campaignId: string;
  endpoint: 'campaign' | 'items';
  items: string[];
  /** "execution, hit (open/redirection)" */
  types: string;
  start?: number;
  end?: number;
  /** Events held by the store (the batches sent will reach this count). */
  count: number;
  bytes: number;
  /** True while the fetch is still running. */
  live: boolean;
  complete: boolean;
  /** "partial: 2 windows missing ..." or "complete"; undefined while live. */
  completeness: string;
  missingWindows: number;
  /** Why it is partial, without the word "partial" (the banner says it); undefined when complete or live. */
  whyPartial?: string;
  errorMessage?: string;
  /** The result's files are gone (Clear Results, deleted on disk): only Re-run can bring it back. */
  removed?: boolean;
  /** Personal data is masked (np6.maskPersonalData): the tables and event JSON hold pseudonyms. */
  masked?: boolean;
  /** Item names from the campaign's settings, by item id; an item without one is shown by its id. */
  itemNames?: Record<string, string>;
  /**
   * Set for a result opened from an events file: which file, when it was fetched, completeness as
   * the export said (outside text: shown as text only).
   */
  source?: string;
  /** False when the result cannot be fetched again (a file without a query): no Refresh/Resume/Re-run. */
  refetchable?: boolean;
}

/** UI state kept by `setState` and restored after a reload: never any event data. */
export interface TimelineUiState {
  resultId: string;
  /**
   * 'local' = the display zone the host sent (np6.timeZone, resolved on the host: never the
   * browser's zone, which differs under a remote extension host); 'UTC' = the switch to UTC.
   */
  timeZone: 'local' | 'UTC';
  filter: TimelineFilter;
  /** Zoomed window; undefined = the whole range. */
  window?: TimeWindow;
  /** Arrival index of the selected event. */
  selected?: number;
  /** The events the last Refresh added (marked "new"); kept until the next refresh. */
  newEvents?: ArrivalRange;
}

export type HostMessage =
  /**
   * Sent on every `ready`: the webview drops what it had and receives everything again.
   * `timeZone` is the display zone's IANA name ("Europe/Paris", "UTC"), np6.timeZone resolved by
   * the host (`resolveDisplayZone`), so the picker, the timeline and exports agree.
   * `total`: how many rows the batches after this init bring (the store's size at this moment).
   * Until the page holds them it says "loading k of total", never k alone as if it were the
   * result (a reload, a restored panel, a stored result opened again); while the fetch runs
   * (`info.live`) the count only grows and the page says so.
   */
  | { type: 'init'; info: ResultInfo; timeZone: string; total: number }
  /** np6.timeZone changed: the display zone's IANA name (see `init`). */
  | { type: 'timeZone'; timeZone: string }
  | { type: 'batch'; batch: EventBatch }
  | { type: 'info'; info: ResultInfo }
  | { type: 'eventJson'; requestId: number; index: number; json: string }
  | { type: 'requestFailed'; requestId: number; message: string }
  /** A refresh merged these new events into the store (their batches were sent before this). */
  | { type: 'newEvents'; from: number; to: number }
  /** A native context-menu command ran on event `index` of this page. */
  | { type: 'showRecipientOf'; index: number }
  /**
   * The class of each event [0, count) (src/shared/timeline/hitClasses.ts: one byte per event,
   * `reason << 4 | class`, NOT_A_HIT for non-hits). Sent once the fetch is over (never a guess
   * while it runs), again after a refresh added events or the extra rules changed.
   */
  | { type: 'classes'; count: number; codes: Uint8Array }
  /** Sets the Humans only switch (the extension tests' command; a no-op until the classes are known). */
  | { type: 'humansOnly'; on: boolean };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'getEvent'; requestId: number; index: number }
  | { type: 'copyEvent'; requestId: number; index: number }
  | { type: 'openEvent'; requestId: number; index: number }
  | { type: 'retry' }
  | { type: 'refresh' }
  | { type: 'openAsJson' }
  /** Save this result's query as a query file (*.np6query.json). */
  | { type: 'saveQuery' }
  /** The header's masking switch: np6.maskPersonalData turned over (every open result follows). */
  | { type: 'toggleMasking' }
  /** Statistics of the visible set (`indices` and `view` as for export; absent = everything). */
  | { type: 'statistics'; indices?: number[]; view?: ExportedView }
  /**
   * `indices` = arrival indices of the visible set, `view` = how it was cut (filters, zoom);
   * absent = everything.
   */
  | { type: 'export'; indices?: number[]; description: string; view?: ExportedView }
  /** Fetch the windows the result is missing into it (the partial banner's first action). */
  | { type: 'resume' }
  /** What the page shows after a render (events held, matching the filters, in the window). */
  | { type: 'status'; status: TimelineStatus };

/** The filters and zoom window of the view an export of the visible set was taken from. */
export interface ExportedView {
  filters: TimelineFilter;
  range?: TimeWindow;
}

export interface TimelineStatus {
  rendered: number;
  filtered: number;
  inView: number;
  selected?: number;
  /** Events marked new by the last Refresh (absent when none were marked). */
  newEvents?: number;
  /** Hits matching the filters (Humans only aside) and the human ones; absent until classified. */
  hits?: number;
  humans?: number;
  /** The Humans only switch is on and applies (the classes are known). */
  humansOnly?: boolean;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
function isRange(v: unknown): v is ArrivalRange {
  return isObj(v) && isIndex(v.from) && isIndex(v.to) && v.from <= v.to;
}
function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((k) => typeof k === 'string');
}
function isFilter(f: unknown): f is TimelineFilter {
  return (
    isObj(f) &&
    isStrings(f.hiddenKinds) &&
    isStrings(f.items) &&
    typeof f.text === 'string' &&
    (f.recipient === undefined || typeof f.recipient === 'string') &&
    (f.link === undefined || typeof f.link === 'string') &&
    (f.arrival === undefined || isRange(f.arrival)) &&
    (f.humansOnly === undefined || typeof f.humansOnly === 'boolean')
  );
}
function isTimeWindow(v: unknown): v is TimeWindow {
  return (
    isObj(v) &&
    typeof v.start === 'number' &&
    typeof v.end === 'number' &&
    Number.isFinite(v.start) &&
    Number.isFinite(v.end) &&
    v.start <= v.end
  );
}
function isExportedView(v: unknown): v is ExportedView {
  return isObj(v) && isFilter(v.filters) && (v.range === undefined || isTimeWindow(v.range));
}

/** Validates what the webview posted (it is a web page: treat its messages as untrusted). */
export function isWebviewMessage(v: unknown): v is WebviewMessage {
  if (!isObj(v) || typeof v.type !== 'string') return false;
  switch (v.type) {
    case 'ready':
    case 'retry':
    case 'resume':
    case 'refresh':
    case 'openAsJson':
    case 'saveQuery':
    case 'toggleMasking':
      return true;
    case 'statistics':
      return (
        (v.indices === undefined || (Array.isArray(v.indices) && v.indices.every(isIndex))) &&
        (v.view === undefined || isExportedView(v.view))
      );
    case 'getEvent':
    case 'copyEvent':
    case 'openEvent':
      return isIndex(v.requestId) && isIndex(v.index);
    case 'export':
      return (
        typeof v.description === 'string' &&
        (v.indices === undefined || (Array.isArray(v.indices) && v.indices.every(isIndex))) &&
        (v.view === undefined || isExportedView(v.view))
      );
    case 'status': {
      const st = v.status;
      return (
        isObj(st) &&
        isIndex(st.rendered) &&
        isIndex(st.filtered) &&
        isIndex(st.inView) &&
        (st.selected === undefined || isIndex(st.selected)) &&
        (st.newEvents === undefined || isIndex(st.newEvents)) &&
        (st.hits === undefined || isIndex(st.hits)) &&
        (st.humans === undefined || isIndex(st.humans)) &&
        (st.humansOnly === undefined || typeof st.humansOnly === 'boolean')
      );
    }
    default:
      return false;
  }
}

/** Validates the persisted UI state handed back by the serializer (it may come from an older version). */
export function isTimelineUiState(v: unknown): v is TimelineUiState {
  if (!isObj(v) || typeof v.resultId !== 'string' || (v.timeZone !== 'local' && v.timeZone !== 'UTC')) {
    return false;
  }
  return isFilter(v.filter) && (v.newEvents === undefined || isRange(v.newEvents));
}

/**
 * What a list row or the detail pane puts in `data-vscode-context`: VS Code passes it (plus
 * `webview`) to the webview/context menu commands. Only the arrival index, never event data.
 */
export interface EventMenuContext {
  webviewSection: 'event';
  np6EventIndex: number;
  preventDefaultContextMenuItems: boolean;
}

/**
 * `keepDefaults`: also show VS Code's Cut/Copy/Paste (the detail pane, whose text can be selected
 * and copied); a list row has nothing to copy but the event.
 */
export function eventMenuContext(index: number, keepDefaults = false): EventMenuContext {
  return { webviewSection: 'event', np6EventIndex: index, preventDefaultContextMenuItems: !keepDefaults };
}

/** The event index of a context-menu command's argument, or undefined. */
export function eventIndexOfMenuArg(v: unknown): number | undefined {
  return isObj(v) && isIndex(v.np6EventIndex) ? v.np6EventIndex : undefined;
}

/** The host's side of the exhaustive switch: a compile error when a message type is not handled. */
export function assertNever(x: never): never {
  throw new Error(`Unhandled message: ${JSON.stringify(x)}`);
}
