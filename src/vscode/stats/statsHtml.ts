// The Statistics panel's page: static HTML, no script (CSP default-src 'none'), styles inline
// under a nonce and from VS Code's theme variables. Every value is escaped: link URLs, client
// names and item ids come from NP6 and are shown as text, never as links or markup.
// No vscode import, so it is unit-tested directly.
import type { StatsTable } from '../../core/stats/statsTables';

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface StatsPage {
  title: string;
  /** Plain sentences above the tables (what is shown: scope, selection, switches). */
  notes: string[];
  /** "opened 12,400 · humans 7,950" lines. */
  headline: string[];
  tables: StatsTable[];
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 16px 24px; }
h1 { font-size: 1.3em; } h2 { font-size: 1.1em; margin-top: 1.4em; }
p.note { color: var(--vscode-descriptionForeground); margin: 2px 0; }
ul.headline { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 18px; }
table { border-collapse: collapse; margin: 4px 0 8px; }
th, td { border-bottom: 1px solid var(--vscode-panel-border); padding: 2px 10px; text-align: right; }
th:first-child, td:first-child { text-align: left; max-width: 48em; overflow-wrap: anywhere; }
th { color: var(--vscode-descriptionForeground); font-weight: normal; }
td.num { font-variant-numeric: tabular-nums; }
`;

function cell(v: string | number, tag: 'td' | 'th'): string {
  const text = typeof v === 'number' ? v.toLocaleString('en-US') : v;
  return `<${tag}${typeof v === 'number' ? ' class="num"' : ''}>${escapeHtml(text)}</${tag}>`;
}

export function statsHtml(page: StatsPage, nonce: string): string {
  const tables = page.tables
    .filter((t) => t.rows.length > 0)
    .map(
      (t) =>
        `<h2>${escapeHtml(t.title)}</h2><table><thead><tr>${t.columns.map((c) => cell(c, 'th')).join('')}</tr></thead>` +
        `<tbody>${t.rows.map((r) => `<tr>${r.map((v) => cell(v, 'td')).join('')}</tr>`).join('')}</tbody></table>`,
    )
    .join('\n');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">${STYLE}</style><title>${escapeHtml(page.title)}</title></head>
<body><h1>${escapeHtml(page.title)}</h1>
${page.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n')}
<ul class="headline" aria-label="Funnel">${page.headline.map((h) => `<li>${escapeHtml(h)}</li>`).join('')}</ul>
${tables}
</body></html>`;
}
