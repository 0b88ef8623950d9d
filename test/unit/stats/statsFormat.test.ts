import assert from 'node:assert/strict';
import { IndexBuilder } from '../../../src/core/eventIndex';
import { computeStats } from '../../../src/core/stats/computeStats';
import {
  csvCell,
  markdownCell,
  statsToJson,
  tablesToCsv,
  tablesToMarkdown,
} from '../../../src/core/stats/statsFormat';
import { statsTables } from '../../../src/core/stats/statsTables';
import { makeCorpus } from './corpus';

/** Splits one Markdown table row into its cells, honouring escaped pipes. */
function cells(row: string): string[] {
  return row
    .slice(2, -2)
    .split(/(?<!\\) \| /)
    .map((c) => c.trim());
}

/** A minimal RFC 4180 reader, to check the CSV round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('statistics copies and exports', () => {
  const hostile =
    'x | y\n[click](command:workbench.action.terminal.new) <img src=x> `code` https://evil.example';

  it('a Markdown cell cannot break the table, make a link, HTML or code', () => {
    const cell = markdownCell(hostile);
    assert.ok(!cell.includes('\n'));
    assert.ok(!/(?<!\\)\|/.test(cell), 'no bare pipe');
    assert.ok(!/(?<!\\)[[\]<>`]/.test(cell), 'no bare link, HTML or code syntax');
    assert.ok(!cell.includes('https://'), 'no bare URL to auto-link');
  });

  it('a CSV cell round-trips and never starts a formula', () => {
    for (const v of ['=HYPERLINK("http://x","y")', '+1', '-2', '@SUM(A1)', 'a,b', 'say "hi"', hostile]) {
      const parsed = parseCsv(`${csvCell(v)}\r\n`)[0]![0]!;
      assert.ok(!/^[=+\-@]/.test(parsed), parsed);
      assert.equal(parsed.replace(/^'/, ''), v);
    }
    assert.equal(csvCell(-3), '-3');
  });

  it('renders two items side by side with the same rows in every format', () => {
    const { events } = makeCorpus(2000, 21);
    const index = new IndexBuilder();
    events.forEach((e, i) => index.add(e, i, 1));
    const stats = computeStats(index);
    const a = stats.items.find((i) => i.item === 'A1')!;
    const b = stats.items.find((i) => i.item === 'B2')!;
    const tables = statsTables(
      [
        { label: 'A1', stats: a.stats },
        { label: 'B2', stats: b.stats },
      ],
      false,
    );
    const md = tablesToMarkdown(tables, 'A | B');
    const funnelRow = md.split('\n').find((l) => l.startsWith('| delivered |'))!;
    const delivered = (s: typeof a.stats) => s.funnel.find((f) => f.stage === 'delivered')!.recipients.all;
    assert.deepEqual(cells(funnelRow).slice(0, 4), [
      'delivered',
      String(delivered(a.stats)),
      `${(Math.round((delivered(a.stats) / a.stats.funnel[1]!.recipients.all) * 1000) / 10).toFixed(1)} %`,
      String(delivered(b.stats)),
    ]);
    const csv = parseCsv(tablesToCsv(tables));
    assert.deepEqual(csv[0], ['table', 'name', 'column', 'value']);
    const row = csv.find(
      (r) => r[0] === 'Funnel (unique recipients)' && r[1] === 'delivered' && r[2] === 'B2 recipients',
    );
    assert.equal(row?.[3], String(delivered(b.stats)));
    const json = JSON.parse(statsToJson(stats, { masked: false })) as {
      format: string;
      masked: boolean;
      whole: unknown;
    };
    assert.equal(json.format, 'np6-stats/1');
    assert.equal(json.masked, false);
    assert.deepEqual(json.whole, stats.whole);
  });
});
