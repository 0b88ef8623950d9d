// The event list of the visible window in time order, virtualized: only the rows on screen exist
// in the DOM. One row is tabbable at a time (roving tabindex); arrows, Page keys, Home and End
// move the selection, which the timeline and the detail pane follow.

import { eventMenuContext } from '../src/shared/protocol';
import { positionInView } from '../src/shared/timeline/view';
import { classLabel } from './classText';
import { el, safeText, setText } from './dom';
import type { Model } from './model';
import { formatTime } from './time';

const ROW_H = 22;
/** Chromium caps element heights near 33 M px: beyond this the scroll position is scaled. */
const MAX_SCROLL_PX = 10_000_000;
/**
 * In priority order: a narrow list drops Client, then Link, then Item (styles.css); time, type and
 * recipient always stay. A cut cell keeps its whole text as its tooltip.
 */
const COLUMNS = ['Time', 'Type', 'Recipient', 'Item', 'Link', 'Client'];

/** Text and tooltip of a cell (the tooltip shows what the ellipsis cuts). */
function setCell(cell: Element, text: string): void {
  setText(cell, text);
  if (cell.getAttribute('title') !== text) cell.setAttribute('title', text);
}

export class EventList {
  readonly root = el('div', { className: 'list' });
  private readonly viewport = el('div', {
    className: 'list-viewport',
    attrs: { role: 'listbox', 'aria-label': 'Events in the visible window, in time order' },
  });
  private readonly spacer = el('div', { className: 'list-spacer' });
  private readonly rows: HTMLElement[] = [];
  private lo = 0;
  private hi = 0;
  /** Scroll position and height, kept from events: reading them while drawing would force a layout. */
  private scrollTop = 0;
  private height = 0;
  private focusAfterRender = false;

  constructor(private readonly model: Model) {
    const head = el('div', { className: 'list-row list-head', attrs: { 'aria-hidden': 'true' } });
    for (const c of COLUMNS) head.appendChild(el('span', { text: c, attrs: { title: c } }));
    this.viewport.appendChild(this.spacer);
    this.root.append(head, this.viewport);
    this.viewport.addEventListener('scroll', () => {
      this.scrollTop = this.viewport.scrollTop;
      this.render();
    });
    new ResizeObserver((entries) => {
      this.height = entries[entries.length - 1]?.contentRect.height ?? 0;
      this.render();
    }).observe(this.viewport);
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.viewport.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('.list-row');
      const i = row?.dataset.index;
      if (i !== undefined) this.model.select(Number(i));
    });
  }

  private get count(): number {
    return this.hi - this.lo;
  }

  private get scale(): number {
    const full = this.count * ROW_H;
    return full > MAX_SCROLL_PX ? full / MAX_SCROLL_PX : 1;
  }

  /** Called on every model change: the window or filter changes the rows. */
  update(): void {
    const r = this.model.visible;
    this.lo = r.lo;
    this.hi = r.hi;
    this.spacer.style.height = `${Math.min(this.count * ROW_H, MAX_SCROLL_PX)}px`;
    this.render();
  }

  /** Position of the selected event in the visible rows, or -1. */
  private selectedRow(): number {
    const i = this.model.selected;
    if (i === undefined || i >= this.model.table.length) return -1;
    const k = positionInView(this.model.view, this.model.table.ts[i] as number, i);
    return k >= this.lo && k < this.hi ? k - this.lo : -1;
  }

  scrollToSelection(): void {
    const row = this.selectedRow();
    if (row < 0) return;
    const top = (row * ROW_H) / this.scale;
    if (top < this.scrollTop || top + ROW_H > this.scrollTop + this.height) {
      this.viewport.scrollTop = this.scrollTop = Math.max(0, top - this.height / 2);
    }
    this.render();
  }

  render(): void {
    const vp = this.viewport;
    // After the rows shrink, the browser clamps scrollTop: follow it.
    const maxTop = Math.max(0, Math.min(this.count * ROW_H, MAX_SCROLL_PX) - this.height);
    if (this.scrollTop > maxTop) this.scrollTop = maxTop;
    const first = Math.max(0, Math.floor((this.scrollTop * this.scale) / ROW_H));
    const visibleRows = Math.ceil(Math.max(this.height, ROW_H * 10) / ROW_H) + 1;
    const last = Math.min(this.count, first + visibleRows);
    const sel = this.selectedRow();
    const { table, view } = this.model;
    const zone = this.model.timeZone;
    let n = 0;
    for (let r = first; r < last; r++, n++) {
      let row = this.rows[n];
      if (!row) {
        row = el('div', { className: 'list-row', attrs: { role: 'option' } });
        // The time cell holds the time and the "new" badge (shown for events a refresh added).
        row.appendChild(el('span', {}, el('span'), el('span', { className: 'badge-new', text: 'new' })));
        // The type cell holds the type and, for a hit, its class (a fixed word, never event text).
        row.appendChild(
          el('span', { className: 'type-cell' }, el('span'), el('span', { className: 'badge-class' })),
        );
        for (let c = 2; c < COLUMNS.length; c++) row.appendChild(el('span'));
        this.rows.push(row);
        vp.appendChild(row);
      }
      const i = view.order[this.lo + r] as number;
      const d = table.row(i);
      row.hidden = false;
      row.dataset.index = String(i);
      row.style.top = `${this.scale === 1 ? r * ROW_H : this.scrollTop + (r - first) * ROW_H}px`;
      const cells = row.children;
      const timeCell = cells[0] as Element;
      const time = formatTime(d.timestamp, zone);
      setText(timeCell.firstElementChild as Element, time);
      if (timeCell.getAttribute('title') !== time) timeCell.setAttribute('title', time);
      const isNew = this.model.isNew(i);
      (timeCell.lastElementChild as HTMLElement).hidden = !isNew;
      row.classList.toggle('is-new', isNew);
      // Native context menu (package.json webview/context): the commands get this index.
      row.dataset.vscodeContext = JSON.stringify(eventMenuContext(i));
      const kind = safeText(d.kind, 100);
      const typeCell = cells[1] as Element;
      const cls = classLabel(d.kind, d.cls);
      setText(typeCell.firstElementChild as Element, kind);
      const badge = typeCell.lastElementChild as HTMLElement;
      setText(badge, cls?.short ?? '');
      badge.hidden = !cls;
      if (cls) badge.dataset.class = cls.name;
      else delete badge.dataset.class;
      const typeTitle = cls ? `${kind} · ${cls.name}` : kind;
      if (typeCell.getAttribute('title') !== typeTitle) typeCell.setAttribute('title', typeTitle);
      setCell(cells[2] as Element, safeText(d.label ?? d.recipient ?? '', 200));
      setCell(cells[3] as Element, safeText(d.item ?? '', 100));
      setCell(cells[4] as Element, safeText(d.link ?? '', 300));
      setCell(cells[5] as Element, safeText(d.client ?? '', 200));
      const isSel = r === sel;
      row.setAttribute('aria-selected', String(isSel));
      row.classList.toggle('selected', isSel);
      row.setAttribute('aria-posinset', String(r + 1));
      row.setAttribute('aria-setsize', String(this.count));
      // Roving tabindex: the selected row, or the first rendered one, is the list's tab stop.
      row.tabIndex = isSel || (sel < 0 && r === first) ? 0 : -1;
      row.id = `row-${r}`;
    }
    for (; n < this.rows.length; n++) (this.rows[n] as HTMLElement).hidden = true;
    if (this.focusAfterRender) {
      this.focusAfterRender = false;
      this.rows.find((r) => !r.hidden && r.tabIndex === 0)?.focus({ preventScroll: true });
    }
  }

  private onKey(e: KeyboardEvent): void {
    if (this.count === 0) return;
    const page = Math.max(1, Math.floor(this.height / ROW_H) - 1);
    const cur = this.selectedRow();
    let next: number;
    switch (e.key) {
      case 'ArrowDown':
        next = cur < 0 ? 0 : cur + 1;
        break;
      case 'ArrowUp':
        next = cur < 0 ? 0 : cur - 1;
        break;
      case 'PageDown':
        next = cur + page;
        break;
      case 'PageUp':
        next = cur - page;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = this.count - 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    next = Math.max(0, Math.min(this.count - 1, next));
    this.focusAfterRender = true;
    this.model.select(this.model.view.order[this.lo + next]);
  }

  /** The arrival indices of the visible set (what Export sends). */
  visibleIndices(): number[] {
    return Array.from(this.model.view.order.subarray(this.lo, this.hi));
  }
}
