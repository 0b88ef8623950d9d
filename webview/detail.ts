// The detail pane of the selected event: a readable summary from the columns at once, then the
// full JSON fetched from the host, shown as a collapsible tree built with textContent only.

import { eventMenuContext } from '../src/shared/protocol';
import { classLabel, isHitKind } from './classText';
import { el, nf, safeText } from './dom';
import type { Model } from './model';
import { formatTime } from './time';

export interface DetailActions {
  requestJson(index: number): void;
  copy(index: number): void;
  open(index: number): void;
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function jsonNode(key: string | undefined, value: Json, depth: number): HTMLElement {
  const keyEl = (): HTMLElement[] =>
    key === undefined ? [] : [el('span', { className: 'json-key', text: `${safeText(key, 200)}: ` })];
  if (value !== null && typeof value === 'object') {
    const entries: [string | undefined, Json][] = Array.isArray(value)
      ? value.map((v) => [undefined, v])
      : Object.entries(value);
    const d = el('details', { className: 'json-node' });
    d.open = depth < 3;
    const brackets = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
    d.appendChild(el('summary', {}, ...keyEl(), el('span', { className: 'json-punct', text: brackets })));
    for (const [k, v] of entries) d.appendChild(jsonNode(k, v, depth + 1));
    return d;
  }
  const cls = value === null ? 'json-null' : `json-${typeof value}`;
  const text = typeof value === 'string' ? JSON.stringify(safeText(value, 5000)) : String(value);
  return el('div', { className: 'json-leaf' }, ...keyEl(), el('span', { className: cls, text }));
}

export class DetailPane {
  readonly root = el('section', { className: 'detail', attrs: { 'aria-label': 'Selected event' } });
  private json: { index: number; text: string } | { index: number; error: string } | undefined;
  private shown: number | undefined = -1;
  private readonly body = el('div', { className: 'detail-body' });

  constructor(
    private readonly model: Model,
    private readonly actions: DetailActions,
    private readonly showRecipient: (recipient: string) => void,
    private readonly showLink: (link: string) => void,
  ) {
    this.root.append(el('h2', { text: 'Event' }), this.body);
  }

  jsonArrived(index: number, text: string): void {
    this.json = { index, text };
    if (index === this.model.selected) this.render(true);
  }

  jsonFailed(index: number, error: string): void {
    this.json = { index, error };
    if (index === this.model.selected) this.render(true);
  }

  render(force = false): void {
    const i = this.model.selected;
    if (i === this.shown && !force) return;
    if (i !== undefined && i >= this.model.table.length) {
      // A restored selection whose event has not arrived yet: rendered again once its batch is here.
      this.shown = -1;
    } else {
      if (i !== this.shown && i !== undefined && this.json?.index !== i) this.actions.requestJson(i);
      this.shown = i;
    }
    this.body.replaceChildren();
    if (i === undefined || i >= this.model.table.length) {
      delete this.root.dataset.vscodeContext;
      this.body.appendChild(
        el('p', {
          className: 'muted',
          text: 'Select an event in the timeline or the list to see its detail.',
        }),
      );
      return;
    }
    const r = this.model.table.row(i);
    this.root.dataset.vscodeContext = JSON.stringify(eventMenuContext(i, true));
    const dl = el('dl', { className: 'summary' });
    const add = (k: string, v: string | undefined): void => {
      if (v === undefined || v === '') return;
      dl.append(el('dt', { text: k }), el('dd', { text: safeText(v, 2000) }));
    };
    const zone = this.model.timeZone;
    add('Time', `${formatTime(r.timestamp, zone)} (${zone})`);
    add('Type', r.kind);
    if (isHitKind(r.kind)) {
      const cls = classLabel(r.kind, r.cls);
      add(
        'Class',
        cls
          ? `${cls.name} (decided by ${cls.reason})`
          : r.cls === undefined
            ? 'not known yet: classification when the result is complete'
            : 'not classified',
      );
    }
    add('Recipient', r.label && r.recipient ? `${r.label} (${r.recipient})` : (r.label ?? r.recipient));
    add('Item', r.item);
    add('Link', r.link);
    add('Client', r.client);
    add('User agent', r.agent);
    add(
      'Position',
      `event ${nf.format(i + 1)} received${this.model.isNew(i) ? ' (new since the last view)' : ''}`,
    );
    const bar = el('div', { className: 'actions' });
    const button = (label: string, icon: string, run: () => void, disabled = false): void => {
      const b = document.createElement('vscode-button');
      b.setAttribute('secondary', '');
      b.setAttribute('icon', icon);
      if (disabled) b.setAttribute('disabled', '');
      b.textContent = label;
      b.addEventListener('click', run);
      bar.appendChild(b);
    };
    button('Copy JSON', 'copy', () => this.actions.copy(i));
    button('Open as JSON Document', 'go-to-file', () => this.actions.open(i));
    button(
      "Show this recipient's events",
      'person',
      () => r.recipient && this.showRecipient(r.recipient),
      !r.recipient,
    );
    button('Show hits on this link', 'link', () => r.link && this.showLink(r.link), !r.link);
    const jsonBox = el('div', { className: 'json', attrs: { 'aria-label': 'Full JSON of the event' } });
    const j = this.json;
    if (!j || j.index !== i) {
      jsonBox.appendChild(el('p', { className: 'muted', text: 'Loading the full JSON…' }));
    } else if ('error' in j) {
      jsonBox.appendChild(el('p', { className: 'error', text: `Could not read the event: ${j.error}` }));
    } else {
      try {
        jsonBox.appendChild(jsonNode(undefined, JSON.parse(j.text) as Json, 0));
      } catch {
        jsonBox.appendChild(el('pre', { text: safeText(j.text, 100_000) }));
      }
    }
    this.body.append(dl, bar, jsonBox);
  }
}
