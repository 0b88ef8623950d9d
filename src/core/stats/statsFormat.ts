// Copies and exports of statistics: Markdown tables (for tickets), CSV (one tidy table for
// spreadsheets) and JSON. Every cell that came from outside (link URLs, client names, item ids)
// is escaped for its format: a cell can neither break the table nor become a link, HTML or a
// spreadsheet formula.

import type { StatsTable } from './statsTables';
import type { ResultStats } from './statsTypes';

export const STATS_FORMAT_ID = 'np6-stats/1';

/** A Markdown table cell: no line breaks, pipes and Markdown/HTML syntax escaped. */
export function markdownCell(v: string | number): string {
  if (typeof v === 'number') return String(v);
  return v
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\\`*_[\]<>|#!~(){}]/g, (c) => `\\${c}`)
    .replace(/:\/\//g, ':\\/\\/');
}

export function tablesToMarkdown(tables: StatsTable[], heading?: string): string {
  const out: string[] = [];
  if (heading !== undefined) out.push(`## ${markdownCell(heading)}`, '');
  for (const t of tables) {
    if (t.rows.length === 0) continue;
    out.push(`### ${markdownCell(t.title)}`, '');
    out.push(`| ${t.columns.map(markdownCell).join(' | ')} |`);
    out.push(`| ${t.columns.map((_, j) => (j === 0 ? '---' : '---:')).join(' | ')} |`);
    for (const r of t.rows) out.push(`| ${r.map(markdownCell).join(' | ')} |`);
    out.push('');
  }
  return out.join('\n');
}

/** A CSV field (RFC 4180), with a leading quote on text a spreadsheet would run as a formula. */
export function csvCell(v: string | number): string {
  if (typeof v === 'number') return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One tidy CSV: table, row name, column, value; one line per cell. */
export function tablesToCsv(tables: StatsTable[]): string {
  const lines = ['table,name,column,value'];
  for (const t of tables) {
    for (const r of t.rows) {
      for (let j = 1; j < t.columns.length && j < r.length; j++) {
        lines.push([t.title, r[0]!, t.columns[j]!, r[j]!].map(csvCell).join(','));
      }
    }
  }
  return lines.join('\r\n') + '\r\n';
}

export interface StatsJsonMeta {
  campaignLabel?: string;
  /** The timeline's filters and zoom the statistics were restricted to, when they were. */
  subset?: Record<string, unknown>;
  /** Whether personal data (recipients, ids, IPs) in the statistics is pseudonymised. */
  masked: boolean;
}

export function statsToJson(stats: ResultStats, meta: StatsJsonMeta): string {
  return JSON.stringify({ format: STATS_FORMAT_ID, ...meta, ...stats }, null, 2) + '\n';
}
