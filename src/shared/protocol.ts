// The typed messages between the timeline panel (host) and its webview. Two discriminated unions
// keyed by `type`; requests from the webview carry a `requestId` that the reply echoes. The host
// checks every message it receives with `isWebviewMessage` before its exhaustive switch.
// Event data travels only as batches (see src/core/timeline/batch.ts) and single-event JSON on
// request; the API key never crosses this boundary.

import type { ClientColumns, EventBatch } from '../core/timeline/batch';
import type { ArrivalRange, TimelineFilter } from '../core/timeline/filter';
import type { TimeWindow } from '../core/timeline/scale';

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
  errorMessage?: string;
}

/** UI state kept by `setState` and restored after a reload: never any event data. */
export interface TimelineUiState {
  resultId: string;
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
  /** Sent on every `ready`: the webview drops what it had and receives everything again. */
  | { type: 'init'; info: ResultInfo; hostTimeZone: string }
  | { type: 'batch'; batch: EventBatch }
  | { type: 'clientColumns'; columns: ClientColumns }
  | { type: 'info'; info: ResultInfo }
  | { type: 'eventJson'; requestId: number; index: number; json: string }
  | { type: 'requestFailed'; requestId: number; message: string }
  /** A refresh merged these new events into the store (their batches were sent before this). */
  | { type: 'newEvents'; from: number; to: number }
  /** A native context-menu command ran on event `index` of this page. */
  | { type: 'showRecipientOf'; index: number };

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'getEvent'; requestId: number; index: number }
  | { type: 'copyEvent'; requestId: number; index: number }
  | { type: 'openEvent'; requestId: number; index: number }
  | { type: 'retry' }
  | { type: 'refresh' }
  | { type: 'openAsJson' }
  /** `indices` = arrival indices of the visible set; absent = everything. */
  | { type: 'export'; indices?: number[]; description: string }
  /** What the page shows after a render (events held, matching the filters, in the window). */
  | { type: 'status'; status: TimelineStatus };

export interface TimelineStatus {
  rendered: number;
  filtered: number;
  inView: number;
  selected?: number;
  /** Events marked new by the last Refresh (absent when none were marked). */
  newEvents?: number;
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

/** Validates what the webview posted (it is a web page: treat its messages as untrusted). */
export function isWebviewMessage(v: unknown): v is WebviewMessage {
  if (!isObj(v) || typeof v.type !== 'string') return false;
  switch (v.type) {
    case 'ready':
    case 'retry':
    case 'refresh':
    case 'openAsJson':
      return true;
    case 'getEvent':
    case 'copyEvent':
    case 'openEvent':
      return isIndex(v.requestId) && isIndex(v.index);
    case 'export':
      return (
        typeof v.description === 'string' &&
        (v.indices === undefined || (Array.isArray(v.indices) && v.indices.every(isIndex)))
      );
    case 'status': {
      const st = v.status;
      return (
        isObj(st) &&
        isIndex(st.rendered) &&
        isIndex(st.filtered) &&
        isIndex(st.inView) &&
        (st.selected === undefined || isIndex(st.selected)) &&
        (st.newEvents === undefined || isIndex(st.newEvents))
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
  const f = v.filter;
  return (
    isObj(f) &&
    Array.isArray(f.hiddenKinds) &&
    f.hiddenKinds.every((k) => typeof k === 'string') &&
    Array.isArray(f.items) &&
    f.items.every((k) => typeof k === 'string') &&
    typeof f.text === 'string' &&
    (f.arrival === undefined || isRange(f.arrival)) &&
    (v.newEvents === undefined || isRange(v.newEvents))
  );
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
