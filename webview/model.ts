// The webview's state: the received columns, the derived view, the time window, the filter and
// the selection. Parts of the page subscribe and are redrawn once per animation frame.

import { EventTable } from '../src/shared/timeline/eventTable';
import {
  compileFilter,
  EMPTY_FILTER,
  passes,
  type ArrivalRange,
  type TimelineFilter,
} from '../src/shared/timeline/filter';
import { CLASS_HUMAN, classOfPacked, NOT_A_HIT } from '../src/shared/timeline/hitClasses';
import { clampWindow, dataExtent, type TimeWindow } from '../src/shared/timeline/scale';
import {
  buildViewGrowth,
  extendView,
  viewGrowthSteps,
  windowRange,
  type TimelineView,
  type ViewGrowth,
} from '../src/shared/timeline/view';
import { runSliced, type Yielder } from '../src/shared/steps';
import type { ResultInfo, TimelineUiState } from '../src/shared/protocol';
import { zoneName, type DisplayZone } from './time';

/**
 * New rows added to the view at once (extendView) up to this many; more (a page that fell far
 * behind) and the view is built again in slices. About 2-5 ms of work at this size.
 */
const EXTEND_AT_ONCE_ROWS = 131_072;

/**
 * While rows stream in, the view is kept current at every batch but drawn (chart, lanes, list: a
 * full redraw) at most this often, and so is everything else the rows and the info change (see
 * `invalidate`). Drawn at every batch (every 150 ms), the page took the thread it shares with the
 * workbench ten times as often as when a new view came every 1-2 s.
 */
const STREAM_REDRAW_MS = 500;

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
  /**
   * Hits matching the filters other than Humans only, and of those the human ones (all times,
   * not just the window); undefined while the classes are not known.
   */
  hitCounts: { hits: number; humans: number } | undefined;
  /** What `view` was built from, to extend it with appended rows; undefined: build again. */
  private growth: ViewGrowth | undefined;
  private viewVersion = -1;
  private viewFilter = '';
  private pending: Changes = { data: false, window: false, selection: false, info: false, zone: false };
  private frame = 0;
  /** A redraw put off while rows stream in (see `invalidate`), and when the last one ran. */
  private streamFlushTimer = 0;
  private lastStreamFlush = -Infinity;
  /** When the view was last rebuilt (performance.now()) and what that took, in ms. */
  private lastBuild = { at: -Infinity, ms: 0 };
  /** A rebuild put off while rows stream in (see `rebuildWhileStreaming`). */
  private rebuildTimer = 0;
  /** A sliced rebuild runs; its generation (a build at once makes it stale); it has finished. */
  private building = false;
  private buildGeneration = 0;
  private freshView = false;
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

  /** The hits' classes are known (the result is complete and the host sent them). */
  get classesKnown(): boolean {
    return this.table.classes !== null;
  }

  /**
   * The filter as it applies now: Humans only counts only while the classes are known (until then
   * the switch keeps its state but filters nothing, and an export does not claim it).
   */
  get appliedFilter(): TimelineFilter {
    if (!this.filter.humansOnly || this.classesKnown) return this.filter;
    const { humansOnly: _off, ...rest } = this.filter;
    return rest;
  }

  /** Takes the classes the host sent; false when they do not cover exactly the rows held. */
  setClasses(count: number, codes: Uint8Array): boolean {
    const ok = this.table.setClasses(count, codes);
    if (ok) this.invalidate({ data: true });
    return ok;
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

  /** One pass over the table: hits passing the filters (Humans only aside), and the human ones. */
  private countHits(): { hits: number; humans: number } | undefined {
    const classes = this.table.classes;
    if (!classes) return undefined;
    const c = compileFilter({ ...this.filter, humansOnly: false }, this.table);
    let hits = 0;
    let humans = 0;
    for (let i = 0; i < this.table.length; i++) {
      const b = classes[i] as number;
      if (b === NOT_A_HIT || !passes(c, this.table, i)) continue;
      hits++;
      if (classOfPacked(b) === CLASS_HUMAN) humans++;
    }
    return { hits, humans };
  }

  /**
   * Redraws at the next frame what changed. While rows stream in, what the rows and the info
   * change (the header's counts, the view's extension) is redrawn at most every STREAM_REDRAW_MS:
   * every batch and every info redrawn at once made the page start 13 frames a second during the
   * 1M fetch, each one styled, laid out, painted and composited on the cores the fetch needs. What
   * the user does (zoom, pan, select) and the last rows are drawn at the next frame.
   */
  invalidate(c: Partial<Changes>): void {
    Object.assign(this.pending, Object.fromEntries(Object.entries(c).filter(([, v]) => v)));
    if (this.frame) return;
    const byUser = !!(c.window || c.selection || c.zone);
    const wait = this.streaming && !byUser ? this.lastStreamFlush + STREAM_REDRAW_MS - performance.now() : 0;
    if (wait > 0) {
      if (!this.streamFlushTimer) {
        this.streamFlushTimer = window.setTimeout(() => {
          this.streamFlushTimer = 0;
          if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
        }, wait);
      }
      return;
    }
    if (this.streamFlushTimer) {
      window.clearTimeout(this.streamFlushTimer);
      this.streamFlushTimer = 0;
    }
    this.frame = requestAnimationFrame(() => this.flush());
  }

  /** Rows still streaming in: a live fetch, or "loading k of n" after a reopen. */
  private get streaming(): boolean {
    return !!this.info?.live || this.stillLoading > 0;
  }

  /**
   * While rows stream in, new rows that come after the ones held (the usual case: windows are
   * fetched in ascending order, a reopen re-sends rows in time order) are added to the view at
   * every batch (`extended`). Otherwise the view is rebuilt in slices of a few ms (steps.ts), and
   * only once nine times its last cost has passed since the last one: that build reads every row,
   * and in the browser a webview's script runs on the workbench's own thread, so at a million rows
   * a rebuild in one piece (100-230 ms, measured) at every batch held the command palette. The
   * page keeps drawing the view it has meanwhile (its rows stay in the table), and the last rows
   * are drawn at once: when the rows are all there, the view is extended or built in one piece.
   * An extended view is drawn with this flush; `invalidate` paces the flushes while rows stream in.
   */
  private rebuildWhileStreaming(key: string): void {
    if (this.extended()) {
      this.freshView = true;
      return;
    }
    if (this.building) return;
    const wait = this.lastBuild.at + 9 * this.lastBuild.ms - performance.now();
    if (wait > 0) {
      if (!this.rebuildTimer) {
        this.rebuildTimer = window.setTimeout(() => {
          this.rebuildTimer = 0;
          this.invalidate({ data: true });
        }, wait);
      }
      return;
    }
    const generation = ++this.buildGeneration;
    const version = this.table.version;
    const slice = new PageSlice();
    this.building = true;
    runSliced(viewGrowthSteps(this.table, this.filter, this.newEvents), slice)
      .then((growth) => {
        this.building = false;
        // A filter changed meanwhile, or rows were added to the view: that one is newer.
        if (generation !== this.buildGeneration) return;
        this.growth = growth;
        this.view = growth.view;
        this.hitCounts = this.countHits();
        this.viewVersion = version;
        this.viewFilter = key;
        this.lastBuild = { at: performance.now(), ms: slice.workMs() };
        this.freshView = true;
        this.invalidate({});
      })
      .catch((e: unknown) => {
        this.building = false;
        console.error('NP6 timeline: could not build the view', e);
      });
  }

  /**
   * The view of the same filter with the rows appended since it was built, when they all come
   * after its rows in time (a fetch in ascending windows, a reopen re-sending rows in time order):
   * O(new rows) instead of a build from every row. False when it cannot be (rows moved, classes
   * changed, too many new rows): the caller builds again.
   */
  private extended(): boolean {
    const g = this.growth;
    if (!g || this.table.length - g.rows > EXTEND_AT_ONCE_ROWS) return false;
    if (!extendView(g, this.table, this.filter, this.newEvents)) return false;
    // A sliced build under way covers fewer rows: its view is dropped when it ends.
    this.buildGeneration++;
    this.view = g.view;
    this.viewVersion = this.table.version;
    return true;
  }

  /** Runs the pending redraw now (tests and the benchmark call it through the rAF). */
  flush(): void {
    const started = performance.now();
    this.frame = 0;
    if (this.streamFlushTimer) {
      window.clearTimeout(this.streamFlushTimer);
      this.streamFlushTimer = 0;
    }
    if (this.streaming) this.lastStreamFlush = started;
    const c = this.pending;
    this.pending = { data: false, window: false, selection: false, info: false, zone: false };
    const key = JSON.stringify([this.filter, this.newEvents]);
    const stale = c.data || this.viewVersion !== this.table.version || this.viewFilter !== key;
    if (stale && this.viewFilter === key && this.streaming) {
      // New rows only, still streaming: a sliced rebuild; the parts keep drawing the view they have.
      this.rebuildWhileStreaming(key);
      c.data = false;
    } else if (stale) {
      if (this.viewFilter !== key || !this.extended()) {
        this.buildGeneration++;
        const t0 = performance.now();
        this.growth = buildViewGrowth(this.table, this.filter, this.newEvents);
        this.view = this.growth.view;
        this.lastBuild = { at: performance.now(), ms: performance.now() - t0 };
      }
      this.hitCounts = this.countHits();
      this.viewVersion = this.table.version;
      this.viewFilter = key;
      c.data = true;
      c.window = true;
    }
    if (this.freshView) {
      this.freshView = false;
      c.data = true;
      c.window = true;
    }
    for (const l of this.listeners) l(c);
    if (c.data || c.window || c.selection || c.zone) this.onStateChange?.();
    // Read by the benchmark: the script time of this frame's redraw.
    document.body.dataset.flushMs = (performance.now() - started).toFixed(3);
  }
}

/** Hands the page's thread back (to the workbench, in the browser) after each 6 ms of work. */
class PageSlice implements Yielder {
  private busyMs = 0;
  private start = performance.now();

  /** The work's time so far, pauses excluded. */
  workMs(): number {
    return this.busyMs + (performance.now() - this.start);
  }

  async maybeYield(): Promise<void> {
    const now = performance.now();
    if (now - this.start < 6) return;
    this.busyMs += now - this.start;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    this.start = performance.now();
  }
}
