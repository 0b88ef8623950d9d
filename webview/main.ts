// The timeline webview: header, partial banner, filters, overview, lanes with legend, list and
// detail. Receives HostMessages (src/shared/protocol.ts), keeps UI state in setState.

import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import './styles.css';
import { isFilterActive } from '../src/shared/timeline/filter';
import { laneCountsIn } from '../src/shared/timeline/view';
import {
  isTimelineUiState,
  type ExportedView,
  type HostMessage,
  type ResultInfo,
  type WebviewMessage,
} from '../src/shared/protocol';
import { Lanes, Overview } from './charts';
import { kindColorVar, Palette } from './colors';
import { DetailPane } from './detail';
import { custom, el, nf, safeText, setText } from './dom';
import { EventList } from './list';
import { Model } from './model';
import { ITEM_SELECT_TAG, type ItemSelect } from './itemSelect';
import { formatTime, zoneName } from './time';

const vscode = acquireVsCodeApi<unknown>();
const saved = vscode.getState();
const post = (m: WebviewMessage): void => vscode.postMessage(m);
const model = new Model();
const palette = new Palette();
let requestSeq = 1;
const pendingJson = new Map<number, number>();

// ---- Layout -------------------------------------------------------------------------------
const app = document.getElementById('app') ?? document.body;
const status = el('div', { className: 'sr-status', attrs: { role: 'status', 'aria-live': 'polite' } });
const title = el('h1', { text: 'NP6 timeline' });
const queryLine = el('p', { className: 'query' });
const counts = el('p', { className: 'counts' });
const zoneButton = custom('vscode-button', { secondary: '', icon: 'globe' });
const refreshButton = custom('vscode-button', { secondary: '', icon: 'refresh' }, 'Refresh');
const exportButton = custom('vscode-button', { secondary: '', icon: 'desktop-download' }, 'Export');
const jsonButton = custom('vscode-button', { secondary: '', icon: 'json' }, 'Open as JSON');
const statsButton = custom(
  'vscode-button',
  { secondary: '', icon: 'graph', title: 'Statistics of the events in view (funnel, links, clients)' },
  'Statistics',
);
// Humans only: a switch (role and aria-checked), styled as the header's other buttons; disabled
// until the host sent the classes (when the result is complete), never filtering on a guess.
const humansButton = custom(
  'vscode-button',
  { secondary: '', icon: 'person', role: 'switch', 'aria-checked': 'false', class: 'humans-only' },
  'Humans only',
);
// Masking: np6.maskPersonalData, the same switch as the command's; pressed while the page's strings
// are masked (the host says so in the result's info).
const maskButton = custom(
  'vscode-button',
  { secondary: '', icon: 'eye-closed', role: 'switch', 'aria-checked': 'false', class: 'mask-switch' },
  'Mask',
);
const saveQueryButton = custom(
  'vscode-button',
  { secondary: '', icon: 'save', title: "Save this result's query as a query file (.np6query.json)" },
  'Save Query…',
);
const header = el(
  'header',
  { className: 'header' },
  el('div', { className: 'titles' }, title, queryLine, counts),
  el(
    'div',
    { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Result actions' } },
    zoneButton,
    humansButton,
    maskButton,
    refreshButton,
    exportButton,
    jsonButton,
    statsButton,
    saveQueryButton,
  ),
);
const bannerText = el('span', { className: 'banner-text' });
// Resume first (fetch only what is missing into this result), Re-run second (everything again).
const resumeButton = custom(
  'vscode-button',
  { icon: 'debug-continue', title: 'Fetch the missing windows into this result' },
  'Resume',
);
const retryButton = custom(
  'vscode-button',
  { secondary: '', icon: 'debug-restart', title: 'Run the whole query again' },
  'Re-run',
);
const banner = el(
  'div',
  { className: 'banner', attrs: { role: 'alert', hidden: '' } },
  el('span', { className: 'codicon codicon-warning' }),
  bannerText,
  resumeButton,
  retryButton,
);

const textFilter = custom('vscode-textfield', {
  placeholder: 'Filter: recipient, link, user agent',
  'aria-label': 'Free-text filter over recipient, link and user agent',
}) as HTMLElement & { value: string };
const itemFilter = custom(ITEM_SELECT_TAG, { 'aria-label': 'Items' }) as ItemSelect;
const chips = el('div', { className: 'chips' });
const resetZoom = custom('vscode-button', { secondary: '', icon: 'zoom-out' }, 'Whole range');
const clearFilters = custom('vscode-button', { secondary: '', icon: 'clear-all' }, 'Clear filters');
const filters = el(
  'div',
  { className: 'filters', attrs: { role: 'search' } },
  textFilter,
  itemFilter,
  chips,
  resetZoom,
  clearFilters,
);

const overview = new Overview(model, palette);
const lanes = new Lanes(model, palette);
const legend = el('div', {
  className: 'legend',
  attrs: { role: 'group', 'aria-label': 'Event types (toggle lanes)' },
});
const list = new EventList(model);
const detail = new DetailPane(
  model,
  {
    requestJson: (index) => {
      const requestId = requestSeq++;
      pendingJson.set(requestId, index);
      post({ type: 'getEvent', requestId, index });
    },
    copy: (index) => post({ type: 'copyEvent', requestId: requestSeq++, index }),
    open: (index) => post({ type: 'openEvent', requestId: requestSeq++, index }),
  },
  (recipient) => model.setFilter({ ...model.filter, recipient, link: undefined }),
  (link) => model.setFilter({ ...model.filter, link, recipient: undefined }),
);

app.append(
  header,
  banner,
  filters,
  el('div', { className: 'overview-box' }, overview.surface.canvas),
  el('div', { className: 'lanes-box' }, legend, lanes.surface.canvas),
  el('div', { className: 'bottom' }, list.root, detail.root),
  lanes.tooltip,
  status,
);

// ---- Rendering ----------------------------------------------------------------------------
/** An item's name from the campaign's settings with its id ("Welcome (12345)"), or its id. */
function itemName(id: string): string {
  const name = model.info?.itemNames?.[id];
  return name && name !== id ? `${safeText(name, 100)} (${safeText(id, 60)})` : safeText(id, 100);
}
itemFilter.nameOf = itemName;

function describeQuery(info: ResultInfo): string {
  const items = info.items.length ? ` · items ${info.items.map(itemName).join(', ')}` : '';
  const zone = model.timeZone;
  const range =
    info.start === undefined && info.end === undefined
      ? 'all time'
      : `${info.start !== undefined ? formatTime(info.start, zone) : '…'} → ${info.end !== undefined ? formatTime(info.end, zone) : '…'} (${zone})`;
  return `${info.types || 'all events'}${items} · ${range}`;
}

/** Sets a text that CSS may cut with an ellipsis, with the whole of it as the tooltip. */
function setCutText(e: HTMLElement, text: string): void {
  setText(e, text);
  if (e.title !== text) e.title = text;
}

/** What the last Refresh brought, announced with the counts until the page is re-initialised. */
let refreshNotice = '';

function renderHeader(): void {
  const info = model.info;
  // The button names the zone times are shown in; a click switches to the other one.
  const zone = model.timeZone;
  const other = model.zone === 'UTC' ? zoneName('local', model.hostZone) : 'UTC';
  setText(zoneButton, zone);
  zoneButton.dataset.zone = zone;
  const switchText = `Times shown in ${zone}: switch to ${other}`;
  zoneButton.title = switchText;
  zoneButton.setAttribute('aria-label', switchText);
  if (!info) return;
  setCutText(title, safeText(`${info.campaignLabel}`, 200));
  // Opened from a file: which one and what its export said (outside text, as text only); without
  // a query there is nothing to fetch again, so no Refresh, Resume or Re-run.
  const query = describeQuery(info);
  setCutText(queryLine, safeText(info.source ? `${query} · ${info.source}` : query, 1000));
  // A file opened without a query has nothing to fetch again, nor a query to save.
  refreshButton.hidden = retryButton.hidden = saveQueryButton.hidden = info.refetchable === false;
  renderHumansSwitch();
  renderMaskSwitch(!!info.masked);
  const total = model.table.length;
  const { lo, hi } = model.visible;
  const filtered = model.view.order.length;
  // Three states, never confused: the fetch still runs (the count only grows), the page is still
  // receiving a known number of rows (reload, restored panel, stored result), or all is here.
  const loading = !info.live && model.stillLoading > 0;
  const expected = model.expected;
  const parts = [
    info.live
      ? `${nf.format(total)} events so far…`
      : loading
        ? `loading ${nf.format(total)} of ${nf.format(expected)} events…`
        : `${nf.format(total)} events`,
    isFilterActive(model.appliedFilter) ? `${nf.format(filtered)} match the filters` : '',
    `${nf.format(hi - lo)} in view`,
    hitsText(),
    model.table.untimed ? `${nf.format(model.table.untimed)} without a timestamp (not on the timeline)` : '',
    info.masked ? 'personal data masked' : '',
  ].filter(Boolean);
  setCutText(counts, parts.join(' · '));
  counts.dataset.total = String(total);
  counts.dataset.expected = String(expected);
  counts.dataset.state = info.live ? 'live' : loading ? 'loading' : 'done';
  counts.dataset.filtered = String(filtered);
  counts.dataset.inView = String(hi - lo);
  if (model.hitCounts) {
    counts.dataset.hits = String(model.hitCounts.hits);
    counts.dataset.humans = String(model.hitCounts.humans);
  } else {
    delete counts.dataset.hits;
    delete counts.dataset.humans;
  }
  if (info.removed) {
    banner.removeAttribute('hidden');
    banner.dataset.state = 'removed';
    setText(
      bannerText,
      'This result was removed from disk (cleared or deleted): the events shown can no longer be opened or exported. Re-run the query to fetch them again.',
    );
    resumeButton.hidden = true;
  } else if (!info.live && !info.complete) {
    banner.removeAttribute('hidden');
    banner.dataset.state = 'partial';
    // `whyPartial` leaves out the word "partial", which this sentence says once.
    const why = info.whyPartial ?? info.completeness.replace(/^partial:\s*/, '');
    setText(
      bannerText,
      safeText(`This result is partial: ${why}. The events shown are the ones received.`, 1000),
    );
    resumeButton.hidden = info.missingWindows === 0 || info.refetchable === false;
  } else {
    banner.setAttribute('hidden', '');
    delete banner.dataset.state;
  }
  setText(
    status,
    [
      info.live
        ? `Loading: ${nf.format(total)} events received`
        : loading
          ? `Loading: ${nf.format(total)} of ${nf.format(expected)} events received`
          : `${nf.format(total)} events loaded, ${nf.format(hi - lo)} in view`,
      refreshNotice,
    ]
      .filter(Boolean)
      .join(' · '),
  );
}

/** "hits 3,200 · humans 2,100" (matching the other filters); empty while the classes are unknown. */
function hitsText(): string {
  const h = model.hitCounts;
  if (!h || h.hits === 0) return '';
  return model.appliedFilter.humansOnly
    ? `humans only: ${nf.format(h.humans)} of ${nf.format(h.hits)} hits`
    : `${nf.format(h.hits)} hits · humans ${nf.format(h.humans)}`;
}

function renderMaskSwitch(on: boolean): void {
  maskButton.setAttribute('aria-checked', String(on));
  if (on) maskButton.removeAttribute('secondary');
  else maskButton.setAttribute('secondary', '');
  const tip = on
    ? 'Personal data is masked (recipients, footprint ids, IP addresses): click to show it'
    : 'Mask personal data (recipients, footprint ids, IP addresses) here, in statistics and exports';
  if (maskButton.title !== tip) maskButton.title = tip;
  maskButton.setAttribute('aria-label', tip);
}

function renderHumansSwitch(): void {
  const on = !!model.filter.humansOnly;
  const known = model.classesKnown;
  humansButton.setAttribute('aria-checked', String(on));
  // Pressed look when on (a primary button), like a toggled toolbar button.
  if (on) humansButton.removeAttribute('secondary');
  else humansButton.setAttribute('secondary', '');
  if (known) humansButton.removeAttribute('disabled');
  else humansButton.setAttribute('disabled', '');
  const tip = !known
    ? 'Humans only: classification when the result is complete'
    : on
      ? 'Humans only is on: hits classified privacy proxy, security scanner or robot are hidden. Click to show them.'
      : 'Humans only: hide hits classified privacy proxy, security scanner or robot';
  if (humansButton.title !== tip) humansButton.title = tip;
  humansButton.setAttribute('aria-label', tip);
}

let legendKey = '';
function renderLegend(): void {
  const w = model.window;
  const inView = laneCountsIn(model.view, w);
  const key = model.view.lanes.map((l) => `${l.kind}:${l.visible}`).join('|');
  if (key !== legendKey) {
    legendKey = key;
    legend.replaceChildren();
    for (const lane of model.view.lanes) {
      const swatch = el('span', { className: 'swatch' });
      swatch.style.backgroundColor = `var(${kindColorVar(lane.kind)})`;
      const b = el(
        'button',
        {
          className: 'legend-item',
          attrs: { role: 'switch', 'aria-checked': String(lane.visible), 'data-kind': lane.kind },
        },
        swatch,
        el('span', {
          className: 'legend-label',
          text: safeText(lane.kind, 60),
          attrs: { title: safeText(lane.kind, 60) },
        }),
        el('span', { className: 'legend-count' }),
      );
      b.addEventListener('click', () => {
        const hidden = new Set(model.filter.hiddenKinds);
        if (hidden.has(lane.kind)) hidden.delete(lane.kind);
        else hidden.add(lane.kind);
        model.setFilter({ ...model.filter, hiddenKinds: [...hidden] });
      });
      legend.appendChild(b);
    }
  }
  for (const b of legend.children) {
    const kind = (b as HTMLElement).dataset.kind ?? '';
    const count = b.querySelector('.legend-count');
    if (count) setText(count, nf.format(inView.get(kind) ?? 0));
  }
}

let itemsKey = '';
function renderFilters(): void {
  const items = model.table.tables.items;
  const key = `${items.length}|${model.filter.items.join('\u0000')}|${JSON.stringify(model.info?.itemNames ?? {})}`;
  if (key !== itemsKey) {
    itemsKey = key;
    itemFilter.replaceChildren();
    const sorted = [...items].sort((a, b) => itemName(a).localeCompare(itemName(b)));
    for (const it of sorted) {
      const o = custom('vscode-option', { value: it }, itemName(it));
      if (model.filter.items.includes(it)) o.setAttribute('selected', '');
      itemFilter.appendChild(o);
    }
    // The names may have arrived after the options: redraw the face.
    itemFilter.requestUpdate();
  }
  if (textFilter.value !== model.filter.text) textFilter.value = model.filter.text;
  chips.replaceChildren();
  const chip = (label: string, clear: () => void): void => {
    const b = el(
      'button',
      { className: 'chip', attrs: { 'aria-label': `${label}: remove this filter` } },
      el('span', { text: label, attrs: { title: label } }),
      el('span', { className: 'codicon codicon-close' }),
    );
    b.addEventListener('click', clear);
    chips.appendChild(b);
  };
  if (model.filter.recipient) {
    chip(`Recipient: ${safeText(model.filter.recipient, 80)}`, () =>
      model.setFilter({ ...model.filter, recipient: undefined }),
    );
  }
  if (model.filter.link) {
    chip(`Link: ${safeText(model.filter.link, 80)}`, () =>
      model.setFilter({ ...model.filter, link: undefined }),
    );
  }
  renderNewChip();
}

/** "N new since last view": filters to the events the last Refresh added (or removes that filter). */
function renderNewChip(): void {
  const r = model.newEvents;
  if (!r || r.to <= r.from) return;
  const n = nf.format(r.to - r.from);
  const on = !!model.filter.arrival;
  const b = el(
    'button',
    {
      className: on ? 'chip chip-new on' : 'chip chip-new',
      attrs: {
        'aria-pressed': String(on),
        'aria-label': on
          ? `Showing only the ${n} events new since the last view: show all`
          : `${n} events new since the last view: show only them`,
      },
    },
    el('span', { className: 'codicon codicon-sparkle' }),
    el('span', { text: `${n} new since last view` }),
    ...(on ? [el('span', { className: 'codicon codicon-close' })] : []),
  );
  b.addEventListener('click', () =>
    model.setFilter({ ...model.filter, arrival: on ? undefined : { from: r.from, to: r.to } }),
  );
  chips.appendChild(b);
}

model.subscribe((c) => {
  if (c.zone) palette.reset();
  if (c.data || c.info) renderFilters();
  if (c.data || c.window || c.zone) {
    overview.draw();
    renderLegend();
  }
  if (c.data || c.window || c.selection || c.zone) {
    lanes.draw();
    list.update();
  }
  if (c.selection) list.scrollToSelection();
  if (c.selection || c.zone || c.data) detail.render(c.zone);
  renderHeader();
  // For the tests and the benchmark: what the last complete render covered.
  document.body.dataset.rendered = String(model.table.length);
  document.body.dataset.renderedAt = String(performance.now());
  app.setAttribute('aria-busy', String(!!model.info?.live || model.stillLoading > 0));
  reportStatus();
});

// The host learns what the page shows (for its tests and its own messages), at most 4 times a second.
let lastStatus = '';
let statusTimer = 0;
function reportStatus(): void {
  if (statusTimer) return;
  statusTimer = window.setTimeout(() => {
    statusTimer = 0;
    const { lo, hi } = model.visible;
    const status = {
      rendered: model.table.length,
      filtered: model.view.order.length,
      inView: hi - lo,
      selected: model.selected,
      newEvents: model.newEvents ? model.newEvents.to - model.newEvents.from : undefined,
      hits: model.hitCounts?.hits,
      humans: model.hitCounts?.humans,
      humansOnly: model.hitCounts ? !!model.appliedFilter.humansOnly : undefined,
    };
    const key = JSON.stringify(status);
    if (key === lastStatus) return;
    lastStatus = key;
    post({ type: 'status', status });
  }, 250);
}
model.onStateChange = () => {
  const s = model.uiState();
  if (s) vscode.setState(s);
};

// ---- Input ----------------------------------------------------------------------------------
zoneButton.addEventListener('click', () => model.setZone(model.zone === 'UTC' ? 'local' : 'UTC'));
refreshButton.addEventListener('click', () => post({ type: 'refresh' }));
resumeButton.addEventListener('click', () => post({ type: 'resume' }));
retryButton.addEventListener('click', () => post({ type: 'retry' }));
jsonButton.addEventListener('click', () => post({ type: 'openAsJson' }));
saveQueryButton.addEventListener('click', () => post({ type: 'saveQuery' }));
maskButton.addEventListener('click', () => post({ type: 'toggleMasking' }));
/** The visible set as export and statistics take it: absent when the view shows everything. */
// Humans only is in the filter (`humansOnly: true` in an export's subset) once it applies.
const visibleSelection = (): { indices: number[]; view: ExportedView } | undefined =>
  !isFilterActive(model.appliedFilter) && !model.zoom
    ? undefined
    : {
        indices: list.visibleIndices(),
        view: { filters: model.appliedFilter, ...(model.zoom ? { range: model.zoom } : {}) },
      };
statsButton.addEventListener('click', () => post({ type: 'statistics', ...visibleSelection() }));
exportButton.addEventListener('click', () => {
  const { lo, hi } = model.visible;
  // The view's cut is written into the export as its `subset`.
  const selection = visibleSelection();
  post(
    selection
      ? { type: 'export', description: `the ${nf.format(hi - lo)} visible events`, ...selection }
      : { type: 'export', description: 'all events' },
  );
});
resetZoom.addEventListener('click', () => model.setZoom(undefined));
// The Humans only switch is the header's, not one of the filters this clears.
clearFilters.addEventListener('click', () =>
  model.setFilter({
    hiddenKinds: [],
    items: [],
    text: '',
    ...(model.filter.humansOnly ? { humansOnly: true } : {}),
  }),
);
function setHumansOnly(on: boolean): void {
  if (!model.classesKnown) return;
  const { humansOnly: _was, ...rest } = model.filter;
  model.setFilter(on ? { ...rest, humansOnly: true } : rest);
}
humansButton.addEventListener('click', () => setHumansOnly(!model.filter.humansOnly));
let textTimer = 0;
textFilter.addEventListener('input', () => {
  clearTimeout(textTimer);
  textTimer = window.setTimeout(() => model.setFilter({ ...model.filter, text: textFilter.value }), 150);
});
itemFilter.addEventListener('change', () =>
  model.setFilter({ ...model.filter, items: [...itemFilter.value] }),
);
new ResizeObserver(() => model.invalidate({ window: true })).observe(app);
// VS Code switches the body's theme class: re-read the colours.
new MutationObserver(() => model.invalidate({ zone: true })).observe(document.body, {
  attributes: true,
  attributeFilter: ['class'],
});

// ---- Messages -------------------------------------------------------------------------------
window.addEventListener('message', (e: MessageEvent<HostMessage>) => {
  try {
    receive(e.data);
  } catch (err) {
    // A batch out of sequence (e.g. from before a restart) is dropped; the host re-sends in order.
    setText(status, `Could not apply an update: ${err instanceof Error ? err.message : String(err)}`);
  }
});

function receive(m: HostMessage | undefined): void {
  switch (m?.type) {
    case 'init': {
      refreshNotice = '';
      // Same result again (webview re-created, refresh): keep the UI; another result: start clean.
      const prev = model.info ? model.uiState() : isTimelineUiState(saved) ? saved : undefined;
      model.table.clear();
      model.expected = m.total;
      model.setHostZone(m.timeZone);
      model.setInfo(m.info);
      if (prev?.resultId === m.info.resultId) model.restore(prev);
      else {
        model.restore({
          resultId: m.info.resultId,
          timeZone: model.zone,
          filter: { hiddenKinds: [], items: [], text: '' },
        });
      }
      model.dataArrived();
      break;
    }
    case 'batch':
      model.table.append(m.batch);
      model.dataArrived();
      break;
    case 'info':
      model.setInfo(m.info);
      break;
    case 'timeZone':
      model.setHostZone(m.timeZone);
      break;
    case 'eventJson':
      pendingJson.delete(m.requestId);
      detail.jsonArrived(m.index, m.json);
      break;
    case 'newEvents':
      refreshNotice =
        m.to > m.from
          ? `Refreshed: ${nf.format(m.to - m.from)} new events since the last view`
          : 'Refreshed: no new events';
      model.markNew({ from: m.from, to: m.to });
      // The selected event's detail says whether it is new.
      detail.render(true);
      break;
    case 'showRecipientOf': {
      const recipient = m.index < model.table.length ? model.table.row(m.index).recipient : undefined;
      if (recipient) model.setFilter({ ...model.filter, recipient, link: undefined });
      else setText(status, 'This event has no recipient.');
      break;
    }
    case 'classes':
      // Classes of another state of the result (rows still arriving) are not applied: the host
      // sends them again once the page holds every row.
      // The detail pane's "Class" line of the selected hit changes with them.
      if (model.setClasses(m.count, m.codes)) detail.render(true);
      break;
    case 'humansOnly':
      setHumansOnly(m.on);
      break;
    case 'requestFailed': {
      const index = pendingJson.get(m.requestId);
      pendingJson.delete(m.requestId);
      if (index !== undefined) detail.jsonFailed(index, m.message);
      setText(status, `Request failed: ${safeText(m.message, 300)}`);
      break;
    }
    default:
      break;
  }
}

if (isTimelineUiState(saved)) model.zone = saved.timeZone;
model.invalidate({ data: true, info: true });
post({ type: 'ready' });
