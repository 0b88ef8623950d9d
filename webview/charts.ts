// The two canvases: the overview histogram (whole range, stacked by kind, with the brush) and the
// lanes (one per kind, zoomable and pannable). Every draw is O(pixels · lanes · log n): counts
// per pixel column come from binary searches in each lane's sorted timestamps.

import { binCounts, maxCount } from '../src/shared/timeline/binning';
import {
  brushWindow,
  panBy,
  ticks,
  timeOfX,
  xOfTime,
  zoomAround,
  type TimeWindow,
} from '../src/shared/timeline/scale';
import { nearestInLane, type Lane } from '../src/shared/timeline/view';
import type { Palette } from './colors';
import { el, nf, safeText } from './dom';
import type { Model } from './model';
import { formatTick, formatTime, zoneOffset } from './time';

const LANE_H = 22;
const AXIS_H = 18;
const OVERVIEW_H = 56;

/** A canvas that follows its box size and the device pixel ratio. */
class Surface {
  readonly canvas: HTMLCanvasElement;
  readonly ctx: CanvasRenderingContext2D;
  width = 0;
  height = 0;
  /** CSS width from a ResizeObserver: reading clientWidth while drawing would force a layout per frame. */
  private cssWidth = 0;
  constructor(className: string, label: string, onResize: () => void) {
    this.canvas = el('canvas', { className, attrs: { role: 'img', 'aria-label': label, tabindex: '0' } });
    const ctx = this.canvas.getContext('2d');
    if (!ctx) throw new Error('Canvas 2D is not available.');
    this.ctx = ctx;
    new ResizeObserver((entries) => {
      const w = Math.floor(entries[entries.length - 1]?.contentRect.width ?? 0);
      if (w !== this.cssWidth) {
        this.cssWidth = w;
        onResize();
      }
    }).observe(this.canvas);
  }
  /** Resizes the backing store to the CSS size; returns false when not laid out yet. */
  fit(cssHeight: number): boolean {
    const w = this.cssWidth;
    if (w <= 0) return false;
    const dpr = window.devicePixelRatio || 1;
    if (this.width !== w || this.height !== cssHeight) {
      this.width = w;
      this.height = cssHeight;
      this.canvas.style.height = `${cssHeight}px`;
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(cssHeight * dpr);
    }
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.ctx.clearRect(0, 0, w, cssHeight);
    return true;
  }
}

function visibleLanes(model: Model): Lane[] {
  return model.view.lanes;
}

export class Overview {
  readonly surface: Surface;
  private counts: Uint32Array[] = [];
  /** The bars, drawn once per data/filter/size/theme change (an offscreen canvas, never read back). */
  private readonly cache = document.createElement('canvas');
  private cacheKey = '';
  private brush: { x0: number; x1: number } | undefined;

  constructor(
    private readonly model: Model,
    private readonly palette: Palette,
  ) {
    this.surface = new Surface(
      'overview',
      'Histogram of the whole range, stacked by event type. Drag to zoom, double-click to reset.',
      () => this.model.invalidate({ window: true }),
    );
    const c = this.surface.canvas;
    c.addEventListener('pointerdown', (e) => {
      c.setPointerCapture(e.pointerId);
      this.brush = { x0: e.offsetX, x1: e.offsetX };
    });
    c.addEventListener('pointermove', (e) => {
      if (!this.brush) return;
      this.brush.x1 = e.offsetX;
      this.draw();
    });
    c.addEventListener('pointerup', (e) => {
      const b = this.brush;
      this.brush = undefined;
      if (c.hasPointerCapture(e.pointerId)) c.releasePointerCapture(e.pointerId);
      if (b && Math.abs(b.x1 - b.x0) > 3) {
        this.model.setZoom(brushWindow(b.x0, b.x1, this.model.extent, this.surface.width, this.model.extent));
      } else this.draw();
    });
    c.addEventListener('dblclick', () => this.model.setZoom(undefined));
    c.addEventListener('wheel', (e) => wheelZoom(e, this.model, this.model.extent, this.surface.width), {
      passive: false,
    });
    c.addEventListener('keydown', (e) => keyZoom(e, this.model));
  }

  private drawBars(ctx: CanvasRenderingContext2D, ext: TimeWindow, h: number): void {
    const s = this.surface;
    const bins = Math.max(1, Math.floor(s.width / 3));
    const lanes = visibleLanes(this.model).filter((l) => l.visible);
    while (this.counts.length < lanes.length) this.counts.push(new Uint32Array(0));
    const totals = new Uint32Array(bins);
    lanes.forEach((l, k) => {
      let c = this.counts[k] as Uint32Array;
      if (c.length < bins) c = this.counts[k] = new Uint32Array(bins);
      binCounts(l.ts, ext.start, ext.end, bins, c);
      for (let b = 0; b < bins; b++) totals[b] = (totals[b] as number) + (c[b] as number);
    });
    const max = maxCount(totals, bins);
    const bw = s.width / bins;
    if (max > 0) {
      // Log scale for the bar height: send waves are spikes hundreds of times the opens that
      // follow them, which a linear scale would flatten to nothing. Kinds share a bar in proportion.
      const scale = h / Math.log1p(max);
      const base = new Float64Array(bins);
      lanes.forEach((l, k) => {
        ctx.fillStyle = this.palette.kind(l.kind);
        const c = this.counts[k] as Uint32Array;
        for (let b = 0; b < bins; b++) {
          const v = c[b] as number;
          if (!v) continue;
          const total = totals[b] as number;
          const bh = (v / total) * Math.log1p(total) * scale;
          const y = h - (base[b] as number) - bh;
          ctx.fillRect(b * bw, y, Math.max(1, bw - 1), Math.max(bh, 1));
          base[b] = (base[b] as number) + bh;
        }
      });
    }
  }

  draw(): void {
    const s = this.surface;
    if (!s.fit(OVERVIEW_H)) return;
    const ctx = s.ctx;
    const ext = this.model.extent;
    const h = OVERVIEW_H - AXIS_H;
    // The histogram only changes with the data, the filter, the size or the theme: zooming and
    // panning only move the window rectangle, so the bars are cached as an image.
    const key = `${this.model.view.order.length}|${this.model.table.version}|${JSON.stringify(this.model.filter)}|${ext.start}|${ext.end}|${s.width}|${this.palette.epoch}`;
    const cache = this.cache;
    if (key !== this.cacheKey) {
      if (cache.width !== s.canvas.width || cache.height !== s.canvas.height) {
        cache.width = s.canvas.width;
        cache.height = s.canvas.height;
      }
      const cctx = cache.getContext('2d');
      if (!cctx) return;
      const dpr = s.canvas.width / s.width;
      cctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      cctx.clearRect(0, 0, s.width, OVERVIEW_H);
      this.drawBars(cctx, ext, h);
      this.cacheKey = key;
    }
    ctx.drawImage(cache, 0, 0, s.width, OVERVIEW_H);
    drawAxis(ctx, ext, s.width, h, this.model, this.palette);
    // The zoomed window (or the brush being dragged) over the histogram.
    const w = this.model.window;
    const x0 = this.brush ? Math.min(this.brush.x0, this.brush.x1) : xOfTime(w.start, ext, s.width);
    const x1 = this.brush ? Math.max(this.brush.x0, this.brush.x1) : xOfTime(w.end, ext, s.width);
    if (this.brush || this.model.zoom) {
      ctx.globalAlpha = 0.25;
      ctx.fillStyle = this.palette.get('--vscode-editor-selectionBackground', '--vscode-focusBorder');
      ctx.fillRect(x0, 0, Math.max(2, x1 - x0), h);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = this.palette.get('--vscode-focusBorder');
      ctx.strokeRect(x0 + 0.5, 0.5, Math.max(2, x1 - x0) - 1, h - 1);
    }
  }
}

function drawAxis(
  ctx: CanvasRenderingContext2D,
  w: TimeWindow,
  width: number,
  y: number,
  model: Model,
  palette: Palette,
): void {
  // One tick per ~90 px: the widest label (a date) is ~65 px; labels that would collide are skipped below.
  const t = ticks(w, Math.max(2, Math.floor(width / 90)), zoneOffset(w.start, model.timeZone));
  ctx.fillStyle = palette.get('--vscode-descriptionForeground');
  ctx.strokeStyle = palette.get('--vscode-editorWidget-border', '--vscode-panel-border');
  ctx.font = palette.font;
  ctx.textBaseline = 'top';
  ctx.beginPath();
  ctx.moveTo(0, y + 0.5);
  ctx.lineTo(width, y + 0.5);
  // A label starts right of its tick; one that would run past the right edge ends left of its
  // tick instead, and one that would overlap the previous label is left out (never clipped).
  const drawn: { x: number; w: number }[] = [];
  let right = -Infinity;
  for (const time of t.times) {
    const x = Math.round(xOfTime(time, w, width)) + 0.5;
    ctx.moveTo(x, y);
    ctx.lineTo(x, y + 4);
    const label = formatTick(time, t.step, model.timeZone);
    const lw = ctx.measureText(label).width;
    let lx = x + 3;
    if (lx + lw > width) lx = x - 3 - lw;
    if (lx < 0 || lx < right + 6 || lx + lw > width) continue;
    ctx.fillText(label, lx, y + 4);
    drawn.push({ x: Math.round(lx), w: Math.ceil(lw) });
    right = lx + lw;
  }
  ctx.stroke();
  // For the layout tests: where the labels went, in CSS pixels of this canvas.
  ctx.canvas.dataset.axisLabels = JSON.stringify(drawn);
}

function wheelZoom(e: WheelEvent, model: Model, axis: TimeWindow, width: number): void {
  e.preventDefault();
  const anchor = timeOfX(e.offsetX, axis, width);
  const factor = Math.exp(Math.max(-200, Math.min(200, e.deltaY)) * 0.002);
  model.setZoom(zoomAround(model.window, anchor, factor, model.extent));
}

/** Keyboard zoom and pan for both canvases: + / - zoom, arrows pan, 0 or Escape resets. */
function keyZoom(e: KeyboardEvent, model: Model): void {
  const w = model.window;
  const mid = (w.start + w.end) / 2;
  const span = w.end - w.start;
  let next: TimeWindow | undefined | null = null;
  if (e.key === '+' || e.key === '=') next = zoomAround(w, mid, 0.5, model.extent);
  else if (e.key === '-') next = zoomAround(w, mid, 2, model.extent);
  else if (e.key === 'ArrowLeft') next = panBy(w, -span * 0.2, model.extent);
  else if (e.key === 'ArrowRight') next = panBy(w, span * 0.2, model.extent);
  else if (e.key === '0' || e.key === 'Escape') next = undefined;
  if (next === null) return;
  e.preventDefault();
  model.setZoom(next);
}

export class Lanes {
  readonly surface: Surface;
  readonly tooltip = el('div', { className: 'tooltip', attrs: { role: 'tooltip', hidden: '' } });
  private counts = new Uint32Array(0);
  private drag: { x: number; window: TimeWindow; moved: boolean } | undefined;

  constructor(
    private readonly model: Model,
    private readonly palette: Palette,
  ) {
    this.surface = new Surface(
      'lanes',
      'Events over time, one lane per event type. Wheel or +/- to zoom, drag or arrows to pan.',
      () => this.model.invalidate({ window: true }),
    );
    const c = this.surface.canvas;
    c.addEventListener('pointerdown', (e) => {
      c.setPointerCapture(e.pointerId);
      this.drag = { x: e.offsetX, window: this.model.window, moved: false };
    });
    c.addEventListener('pointermove', (e) => {
      const d = this.drag;
      if (d) {
        const dx = e.offsetX - d.x;
        if (Math.abs(dx) > 3) d.moved = true;
        if (d.moved) {
          const ms = (-dx / this.surface.width) * (d.window.end - d.window.start);
          this.model.setZoom(panBy(d.window, ms, this.model.extent));
        }
        return;
      }
      this.hover(e.offsetX, e.offsetY);
    });
    c.addEventListener('pointerup', (e) => {
      const d = this.drag;
      this.drag = undefined;
      if (c.hasPointerCapture(e.pointerId)) c.releasePointerCapture(e.pointerId);
      if (d && !d.moved) {
        const hit = this.hitTest(e.offsetX, e.offsetY);
        if (hit) this.model.select(hit.index);
      }
    });
    c.addEventListener('pointerleave', () => this.tooltip.setAttribute('hidden', ''));
    c.addEventListener('dblclick', () => this.model.setZoom(undefined));
    c.addEventListener('wheel', (e) => wheelZoom(e, this.model, this.model.window, this.surface.width), {
      passive: false,
    });
    c.addEventListener('keydown', (e) => keyZoom(e, this.model));
  }

  private laneAt(y: number): Lane | undefined {
    const k = Math.floor((y - AXIS_H) / LANE_H);
    const lane = this.model.view.lanes[k];
    return lane?.visible ? lane : undefined;
  }

  private hitTest(
    x: number,
    y: number,
  ): { index: number; time: number; around: number; lane: Lane } | undefined {
    const lane = this.laneAt(y);
    if (!lane) return undefined;
    const w = this.model.window;
    const t = timeOfX(x, w, this.surface.width);
    const px = (w.end - w.start) / this.surface.width;
    const hit = nearestInLane(lane, t, px * 5);
    return hit && { ...hit, lane };
  }

  private hover(x: number, y: number): void {
    const hit = this.hitTest(x, y);
    if (!hit) {
      this.tooltip.setAttribute('hidden', '');
      return;
    }
    const r = this.model.table.row(hit.index);
    const lines = [
      `${formatTime(hit.time, this.model.timeZone)}  ${safeText(r.kind, 100)}`,
      safeText(r.label ?? r.recipient ?? '(no recipient)', 120),
      r.item ? `item ${safeText(r.item, 60)}` : '',
      hit.around > 1 ? `${nf.format(hit.around - 1)} more events here: zoom in` : '',
    ].filter(Boolean);
    this.tooltip.textContent = lines.join('\n');
    this.tooltip.removeAttribute('hidden');
    const box = this.surface.canvas.getBoundingClientRect();
    this.tooltip.style.left = `${Math.min(box.left + x + 12, window.innerWidth - 260)}px`;
    this.tooltip.style.top = `${box.top + y + 14}px`;
  }

  get cssHeight(): number {
    return AXIS_H + Math.max(1, this.model.view.lanes.length) * LANE_H;
  }

  /**
   * Events new since the last view: a frame around their pixel columns, in the foreground colour
   * (every lane colour is a theme chart colour, so only the foreground stands out on all lanes).
   */
  private drawNew(lane: Lane, y: number, w: TimeWindow, width: number): void {
    if (lane.newTs.length === 0) return;
    const counts = binCounts(lane.newTs, w.start, w.end, width, this.counts, lane.newTs.length);
    const ctx = this.surface.ctx;
    ctx.strokeStyle = this.palette.get('--vscode-foreground');
    ctx.lineWidth = 1.5;
    let last = -10;
    for (let x = 0; x < width; x++) {
      // Neighbouring columns share one frame: a dense run reads as a band, not a smear.
      if (!counts[x] || x - last < 4) continue;
      last = x;
      ctx.strokeRect(x - 2, y + 2.5, 5, LANE_H - 5);
    }
    ctx.lineWidth = 1;
  }

  draw(): void {
    const s = this.surface;
    if (!s.fit(this.cssHeight)) return;
    const ctx = s.ctx;
    const w = this.model.window;
    const width = s.width;
    if (this.counts.length < width) this.counts = new Uint32Array(width);
    drawAxis(ctx, w, width, 0, this.model, this.palette);
    const lanes = this.model.view.lanes;
    const selected = this.model.selected;
    const border = this.palette.get('--vscode-editorWidget-border', '--vscode-panel-border');
    lanes.forEach((lane, k) => {
      const y = AXIS_H + k * LANE_H;
      ctx.strokeStyle = border;
      ctx.globalAlpha = 0.4;
      ctx.beginPath();
      ctx.moveTo(0, y + LANE_H - 0.5);
      ctx.lineTo(width, y + LANE_H - 0.5);
      ctx.stroke();
      ctx.globalAlpha = 1;
      if (!lane.visible) return;
      const counts = binCounts(lane.ts, w.start, w.end, width, this.counts, lane.ts.length);
      const max = maxCount(counts, width);
      if (!max) return;
      const logMax = Math.log(max + 1);
      ctx.fillStyle = this.palette.kind(lane.kind);
      // One tick per pixel column holding events; denser columns are taller and more opaque.
      for (let x = 0; x < width; x++) {
        const v = counts[x] as number;
        if (!v) continue;
        const f = max === 1 ? 1 : 0.35 + 0.65 * (Math.log(v + 1) / logMax);
        const hgt = Math.max(6, (LANE_H - 6) * f);
        ctx.globalAlpha = 0.45 + 0.55 * f;
        ctx.fillRect(x, y + (LANE_H - hgt) / 2, v > 1 ? 2 : 1.5, hgt);
      }
      ctx.globalAlpha = 1;
      this.drawNew(lane, y, w, width);
    });
    if (selected !== undefined && selected < this.model.table.length) {
      const kindCode = this.model.table.kind[selected] as number;
      const k = lanes.findIndex((l) => l.code === kindCode);
      const x = xOfTime(this.model.table.ts[selected] as number, w, width);
      if (k >= 0 && x >= 0 && x <= width) {
        ctx.strokeStyle = this.palette.get('--vscode-focusBorder');
        ctx.lineWidth = 2;
        ctx.strokeRect(x - 4, AXIS_H + k * LANE_H + 2, 8, LANE_H - 4);
        ctx.lineWidth = 1;
      }
    }
  }
}
