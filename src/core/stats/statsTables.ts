// Statistics as tables, the one shape the Markdown, CSV and view renderings share. Several scopes
// side by side (whole result, or item A and item B) become columns of the same tables.

import type { Figure, ScopeStats } from './statsTypes';

export interface StatsScope {
  label: string;
  stats: ScopeStats;
}

export type Cell = string | number;

export interface StatsTable {
  title: string;
  columns: string[];
  rows: Cell[][];
}

function pct(x: number): string {
  return `${(Math.round(x * 1000) / 10).toFixed(1)} %`;
}

/** Rows keyed by name over several scopes (a name missing in a scope counts 0). */
function keyedRows<T>(
  scopes: StatsScope[],
  list: (s: ScopeStats) => T[],
  key: (t: T) => string,
  values: (t: T | undefined, classified: boolean) => Cell[],
  classified: boolean,
): Cell[][] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const s of scopes) {
    for (const t of list(s.stats)) {
      const k = key(t);
      if (!seen.has(k)) {
        seen.add(k);
        names.push(k);
      }
    }
  }
  return names.map((name) => [
    name,
    ...scopes.flatMap((s) =>
      values(
        list(s.stats).find((t) => key(t) === name),
        classified,
      ),
    ),
  ]);
}

function figureCells(f: Figure | undefined, classified: boolean): Cell[] {
  return classified ? [f?.all ?? 0, f?.humans ?? 0] : [f?.all ?? 0];
}

function figureColumns(scopes: StatsScope[], classified: boolean, what: string): string[] {
  const one = scopes.length === 1;
  return scopes.flatMap((s) => {
    const prefix = one ? '' : `${s.label} `;
    return classified ? [`${prefix}${what}`, `${prefix}humans`] : [`${prefix}${what}`];
  });
}

export function statsTables(scopes: StatsScope[], classified: boolean): StatsTable[] {
  const one = scopes.length === 1;
  const funnelColumns = [
    'stage',
    ...scopes.flatMap((s) => {
      const p = one ? '' : `${s.label} `;
      return classified
        ? [`${p}recipients`, `${p}humans`, `${p}rate`, `${p}humans rate`]
        : [`${p}recipients`, `${p}rate`];
    }),
    'rate over',
  ];
  const funnelRows: Cell[][] = (scopes[0]?.stats.funnel ?? []).map((f, j) => [
    f.stage,
    ...scopes.flatMap((s) => {
      const g = s.stats.funnel[j]!;
      const r = g.rate;
      return classified
        ? [g.recipients.all, g.recipients.humans, r ? pct(r.all) : '', r ? pct(r.humans) : '']
        : [g.recipients.all, r ? pct(r.all) : ''];
    }),
    f.rate?.over ?? '',
  ]);
  const named = (
    title: string,
    head: string,
    pick: (s: ScopeStats) => { name: string; all: number; humans: number }[],
  ): StatsTable => ({
    title,
    columns: [head, ...figureColumns(scopes, classified, 'hits')],
    rows: keyedRows(scopes, pick, (t) => t.name, figureCells, classified),
  });
  return [
    {
      title: 'Overview',
      columns: ['measure', ...scopes.map((s) => s.label)],
      rows: [
        ['events', ...scopes.map((s) => s.stats.events)],
        ['recipients', ...scopes.map((s) => s.stats.recipients)],
        ['bounces', ...scopes.map((s) => s.stats.bounces.all)],
        ['hard bounces', ...scopes.map((s) => s.stats.bounces.hard)],
        ['soft bounces', ...scopes.map((s) => s.stats.bounces.soft)],
        ['bounces of unknown kind', ...scopes.map((s) => s.stats.bounces.unknown)],
        ['complaints', ...scopes.map((s) => s.stats.complaints)],
      ],
    },
    { title: 'Funnel (unique recipients)', columns: funnelColumns, rows: funnelRows },
    {
      title: 'Events per type',
      columns: ['type', ...figureColumns(scopes, classified, 'events')],
      rows: keyedRows(
        scopes,
        (s) => s.byKind,
        (k) => k.kind,
        figureCells,
        classified,
      ),
    },
    {
      title: 'Top links by unique clickers',
      columns: [
        'link',
        ...figureColumns(scopes, classified, 'clickers'),
        ...figureColumns(scopes, classified, 'clicks'),
      ],
      rows: keyedRows(
        scopes,
        (s) => s.topLinks,
        (l) => l.link,
        () => [],
        classified,
      ).map((row) => {
        const name = row[0] as string;
        const found = scopes.map((s) => s.stats.topLinks.find((l) => l.link === name));
        return [
          name,
          ...found.flatMap((l) => figureCells(l?.clickers, classified)),
          ...found.flatMap((l) => figureCells(l?.clicks, classified)),
        ];
      }),
    },
    named('Clients', 'client', (s) => s.clients),
    named('Devices', 'device', (s) => s.devices),
    named('Operating systems', 'operating system', (s) => s.os),
    named('Browsers and mail apps', 'browser', (s) => s.browsers),
    {
      title: 'Time from delivery to first open (messages)',
      columns: ['delay', ...figureColumns(scopes, classified, 'messages')],
      rows: keyedRows(
        scopes,
        (s) => s.timeToOpen,
        (d) => d.bucket,
        figureCells,
        classified,
      ),
    },
    {
      title: 'Time from delivery to first click (messages)',
      columns: ['delay', ...figureColumns(scopes, classified, 'messages')],
      rows: keyedRows(
        scopes,
        (s) => s.timeToClick,
        (d) => d.bucket,
        figureCells,
        classified,
      ),
    },
  ];
}
