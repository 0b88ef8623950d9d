// The webview's state: the received columns, the derived view, the time window, the filter and
// the selection. Parts of the page subscribe and are redrawn once per animation frame.

import { EventTable } from '../src/shared/timeline/eventTable';
import { EMPTY_FILTER, type ArrivalRange, type TimelineFilter } from '../src/shared/timeline/filter';
import { clampWindow, dataExtent, type TimeWindow } from '../src/shared/timeline/scale';
import { buildView, windowRange, type TimelineView } from '../src/shared/timeline/view';
import type { ResultInfo, TimelineUiState } from '../src/shared/protocol';
import { zoneName, type DisplayZone } from './time';

export interface Changes {
  /** The data or the filter changed: the view was rebuilt. */
  data: boolean;
  window: boolean;
  selection: boolean;
  info: boolean;
  zone: boolean;
}

export class Model {
  table = new EventTable();
  view: TimelineView = { order: new Uint32Array(0), ts: new Float64Array(0), lanes: [], newCount: 0 };
  info: ResultInfo | undefined;
  /**
   * Rows the host said it is sending (init's `total`, raised by later infos' counts): until the
   * table holds them, the page is loading and says "k of n", never k as if it were the result.
   */
  expected = 0;
  filter: TimelineFilter = { ...EMPTY_FILTER };
  zone: DisplayZone = 'local';
  /** The display zone's IANA name sent by the host (np6.timeZone); UTC until it arrives. */
  hostZone = 'UTC';
  /** The zoomed window; undefined = follow the whole data extent. */
  zoom: TimeWindow | undefined;
  selected: number | undefined;
  /** Events the last Refresh added: a "new" badge, highlighted marks and a chip. */
  newEvents: ArrivalRange | undefined;
  private viewVersion = -1;
  private viewFilter = '';
  private pending: Changes = { data: false, window: false, selection: false, info: false, zone: false };
  private frame = 0;
  private readonly listeners: ((c: Changes) => void)[] = [];
  onStateChange: (() => void) | undefined;

  subscribe(l: (c: Changes) => void): void {
    this.listeners.push(l);
  }

  /** The full range of the data (what "reset zoom" shows). */
  get extent(): TimeWindow {
    return dataExtent(this.table.minTime, this.table.maxTime);
  }

  get window(): TimeWindow {
    const ext = this.extent;
    return this.zoom ? clampWindow(this.zoom, ext) : ext;
  }

  /** The visible set: [lo, hi) of view.order. */
  get visible(): { lo: number; hi: number } {
    return windowRange(this.view, this.window);
  }

  uiState(): TimelineUiState | undefined {
    if (!this.info) return undefined;
    return {
      resultId: this.info.resultId,
      timeZone: this.zone,
      filter: this.filter,
      window: this.zoom,
      selected: this.selected,
      newEvents: this.newEvents,
    };
  }

  restore(s: TimelineUiState): void {
    this.zone = s.timeZone;
    this.filter = { ...EMPTY_FILTER, ...s.filter };
    this.zoom = s.window;
    this.selected = s.selected;
    this.newEvents = s.newEvents;
    this.invalidate({ data: true, window: true, selection: true, zone: true });
  }

  setFilter(f: TimelineFilter): void {
    this.filter = f;
    this.invalidate({ data: true });
  }

  /** Marks [from, to) as new; a filter to the previous new events moves to these. */
  markNew(r: ArrivalRange | undefined): void {
    this.newEvents = r;
    if (this.filter.arrival) this.filter = { ...this.filter, arrival: r };
    this.invalidate({ data: true });
  }

  /** Whether arrival index i is marked new. */
  isNew(i: number): boolean {
    const r = this.newEvents;
    return !!r && i >= r.from && i < r.to;
  }

  setZoom(w: TimeWindow | undefined): void {
    this.zoom = w;
    this.invalidate({ window: true });
  }

  select(i: number | undefined): void {
    if (i === this.selected) return;
    this.selected = i;
    this.invalidate({ selection: true });
  }

  /** The zone times are formatted in now: the host's display zone, or UTC after the switch. */
  get timeZone(): string {
    return zoneName(this.zone, this.hostZone);
  }

  setHostZone(name: string): void {
    if (name === this.hostZone) return;
    this.hostZone = name;
    this.invalidate({ zone: true });
  }

  setZone(z: DisplayZone): void {
    this.zone = z;
    this.invalidate({ zone: true });
  }

  /** Rows still to arrive before the page shows the whole result (0 once it does). */
  get stillLoading(): number {
    return Math.max(0, this.expected - this.table.length);
  }

  setInfo(info: ResultInfo): void {
    this.info = info;
    this.expected = Math.max(this.expected, info.count);
    this.invalidate({ info: true });
  }

  dataArrived(): void {
    this.invalidate({ data: true });
  }

  invalidate(c: Partial<Changes>): void {
    Object.assign(this.pending, Object.fromEntries(Object.entries(c).filter(([, v]) => v)));
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  /** Runs the pending redraw now (tests and the benchmark call it through the rAF). */
  flush(): void {
    const started = performance.now();
    this.frame = 0;
    const c = this.pending;
    this.pending = { data: false, window: false, selection: false, info: false, zone: false };
    const key = JSON.stringify([this.filter, this.newEvents]);
    if (c.data || this.viewVersion !== this.table.version || this.viewFilter !== key) {
      this.view = buildView(this.table, this.filter, this.newEvents);
      this.viewVersion = this.table.version;
      this.viewFilter = key;
      c.data = true;
      c.window = true;
    }
    for (const l of this.listeners) l(c);
    if (c.data || c.window || c.selection || c.zone) this.onStateChange?.();
    // Read by the benchmark: the script time of this frame's redraw.
    document.body.dataset.flushMs = (performance.now() - started).toFixed(3);
  }
}
