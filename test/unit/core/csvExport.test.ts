// The CSV export: RFC 4180 quoting, formula injection neutralised (OWASP), fixed columns, an
// optional BOM, streamed through writeExport like the other formats.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { CSV_COLUMNS, csvCell, csvRow } from '../../../src/core/csvExport';
import {
  ExportCancelledError,
  exportedPart,
  writeExport,
  type ExportRecord,
} from '../../../src/core/exportFormat';
import type { ResultSummary } from '../../../src/core/result';
import { ResultStore } from '../../../src/core/resultStore';
import type { Np6Event } from '../../../src/np6/events';
import { allEmailEvents, type EventQuery } from '../../../src/np6/query';
import { record, removeDir, tempDir } from './scaleHelpers';

/** An RFC 4180 reader, written independently of the writer: rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
    i++;
  }
  assert.equal(cell + row.join(''), '', 'the text ends with a row end');
  return rows;
}

const HOSTILE = [
  '=1+2',
  '=HYPERLINK("http://evil.example","click")',
  '+41 79 000 00 00',
  '-2+3',
  '@SUM(A1:A2)',
  '\t=1',
  '\r=1',
  'a,b',
  'say "hi"',
  'two\nlines',
  'cr\ronly',
  'crlf\r\nend',
  '  spaced  ',
  'é ✓ 🎉',
  '1-2',
  "'already quoted",
];

function event(over: Record<string, unknown> = {}, hostile = 'x'): Np6Event {
  return {
    type: 'hit',
    id: `id-${hostile}`,
    timestamp: Date.UTC(2024, 0, 31, 12, 30, 45, 123),
    source: {
      type: 'email',
      detail: {
        activation: { id: hostile, receiver: { type: 'footprint', id: 'c-1', unicity: hostile } },
        link: { type: 'click', label: 'L', destination: hostile },
        client: { ua: { ua: 'UA/1', client: { name: hostile }, device: { brand: 'Acme', name: hostile } } },
      },
    },
    ...over,
  };
}

describe('CSV export', () => {
  it('neutralises cells a spreadsheet would read as a formula, and only those', () => {
    assert.equal(csvCell('=1+2'), "'=1+2");
    assert.equal(csvCell('+1'), "'+1");
    assert.equal(csvCell('-1'), "'-1");
    assert.equal(csvCell('@x'), "'@x");
    assert.equal(csvCell('\tx'), "'\tx");
    assert.equal(csvCell('\rx'), `"'\rx"`);
    assert.equal(csvCell('1-2'), '1-2');
    assert.equal(csvCell('a=b'), 'a=b');
    assert.equal(csvCell(undefined), '');
    assert.equal(csvCell(''), '');
  });

  it('quotes per RFC 4180: separators, quotes and line breaks, quotes doubled', () => {
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell('=HYPERLINK("u","c")'), `"'=HYPERLINK(""u"",""c"")"`);
    assert.equal(csvCell('plain text'), 'plain text');
  });

  it('every hostile value comes back as text from an RFC 4180 reader, in its column', () => {
    for (const h of HOSTILE) {
      const rows = parseCsv(csvRow(event({}, h)));
      assert.equal(rows.length, 1, JSON.stringify(h));
      const cells = rows[0]!;
      assert.equal(cells.length, CSV_COLUMNS.length, JSON.stringify(h));
      const expected = /^[=+\-@\t\r]/.test(h) ? `'${h}` : h;
      const col = (name: string): string => cells[CSV_COLUMNS.indexOf(name)]!;
      for (const name of ['item', 'recipient', 'link', 'client']) {
        assert.equal(col(name), expected, `${name} ${h}`);
      }
      assert.equal(col('device'), `Acme ${h}`);
      assert.equal(col('id'), `id-${h}`);
      for (const c of cells) {
        assert.ok(!/^[=+\-@\t\r]/.test(c), `no cell starts a formula: ${JSON.stringify(c)}`);
      }
    }
  });

  it('has stable columns: time in ISO UTC, type, subtype, item, recipient, link, client, device, id, class', () => {
    assert.deepEqual(CSV_COLUMNS, [
      'time',
      'type',
      'subtype',
      'item',
      'recipient',
      'link',
      'client',
      'device',
      'id',
      'class',
    ]);
    const [cells] = parseCsv(csvRow(event({}, '000PE4'), 'security scanner'));
    assert.deepEqual(cells, [
      '2024-01-31T12:30:45.123Z',
      'hit',
      'click',
      '000PE4',
      '000PE4',
      '000PE4',
      '000PE4',
      'Acme 000PE4',
      'id-000PE4',
      'security scanner',
    ]);
    // Missing parts are empty cells, never "undefined"; a non-object gives an empty row.
    const [bare] = parseCsv(csvRow({ type: 'execution', id: 'e1', timestamp: Number.NaN }));
    assert.deepEqual(bare, ['', 'execution', '', '', '', '', '', '', 'e1', '']);
    assert.deepEqual(
      parseCsv(csvRow(null))[0],
      CSV_COLUMNS.map(() => ''),
    );
  });

  const summary = (count: number): ResultSummary => ({
    id: 'r',
    campaignLabel: 'C',
    query: { campaignId: 'c', endpoint: 'campaign', itemsEvents: [allEmailEvents()], sort: 'asc' },
    startedAt: 0,
    complete: true,
    missing: [],
    count,
    bytes: 0,
  });
  async function* recordsOf(events: Np6Event[]): AsyncGenerator<ExportRecord> {
    for (const e of events) {
      await Promise.resolve();
      yield { json: JSON.stringify(e) };
    }
  }
  async function csvOf(events: Np6Event[], bom?: boolean, classes?: Uint8Array): Promise<Buffer> {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const r = await writeExport(out, 'csv', summary(events.length), recordsOf(events), undefined, {
      bom,
      ...(classes ? { classes } : {}),
    });
    assert.equal(r.count, events.length);
    const buf = Buffer.concat(chunks);
    assert.equal(r.bytes, buf.length);
    return buf;
  }

  it('writeExport csv: a header row and one CRLF row per event; the BOM only when asked', async () => {
    const events = HOSTILE.map((h) => event({}, h));
    const plain = await csvOf(events);
    assert.notEqual(plain[0], 0xef);
    const rows = parseCsv(plain.toString('utf8'));
    assert.deepEqual(rows[0], CSV_COLUMNS);
    assert.equal(rows.length, events.length + 1);
    const withBom = await csvOf(events, true);
    assert.deepEqual([...withBom.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.ok(withBom.subarray(3).equals(plain));
    assert.equal((await csvOf([])).toString('utf8'), CSV_COLUMNS.join(',') + '\r\n');
  });

  it("writeExport csv: the class column names each record's class, empty for non-hits and past the classes", async () => {
    const events = ['a', 'b', 'c', 'd', 'e'].map((id) => event({ id }, id));
    // Codes per record in order: scanner, not a hit, human, robot; the fifth has none.
    const classes = Uint8Array.from([2, 255, 0, 3]);
    const rows = parseCsv((await csvOf(events, false, classes)).toString('utf8'));
    const col = CSV_COLUMNS.indexOf('class');
    assert.equal(col, CSV_COLUMNS.length - 1, 'class is the last column');
    assert.deepEqual(
      rows.slice(1).map((r) => [r[8], r[col]]),
      [
        ['a', 'security scanner'],
        ['b', ''],
        ['c', 'human'],
        ['d', 'robot'],
        ['e', ''],
      ],
    );
    // Without classes (the CLI, a result still being fetched) the column is there and empty.
    const plain = parseCsv((await csvOf(events)).toString('utf8'));
    assert.deepEqual(
      plain.slice(1).map((r) => r[col]),
      events.map(() => ''),
    );
  });

  it('writeExport csv streams many events, and stops when cancelled', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) => event({ id: `e${i}` }, `v${i}`));
    const text = (await csvOf(many)).toString('utf8');
    assert.equal(text.split('\r\n').length, many.length + 2);
    const ac = new AbortController();
    async function* aborting(): AsyncGenerator<ExportRecord> {
      let i = 0;
      for await (const r of recordsOf(many)) {
        if (++i === 5000) ac.abort();
        yield r;
      }
    }
    await assert.rejects(
      writeExport(new PassThrough().resume(), 'csv', summary(many.length), aborting(), ac.signal),
      ExportCancelledError,
    );
  });

  it('from a result store (whose whole-result export otherwise copies bytes), in time order', async () => {
    const dir = tempDir('np6-csv-');
    const q: EventQuery = {
      campaignId: 'c',
      endpoint: 'campaign',
      itemsEvents: [allEmailEvents()],
      sort: 'asc',
    };
    const store = await ResultStore.create(path.join(dir, 'r'), { id: 'r', campaignLabel: 'C', query: q });
    try {
      store.append(record(event({ id: 'b', timestamp: 2000 }, 'second')));
      store.append(record(event({ id: 'a', timestamp: 1000 }, '=first')));
      await store.finish({ complete: true, missing: [] });
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      const { meta, records } = exportedPart(store);
      await writeExport(out, 'csv', meta, records);
      const rows = parseCsv(Buffer.concat(chunks).toString('utf8'));
      assert.deepEqual(
        rows.slice(1).map((r) => [r[0], r[3], r[8]]),
        [
          ['1970-01-01T00:00:01.000Z', "'=first", 'a'],
          ['1970-01-01T00:00:02.000Z', 'second', 'b'],
        ],
      );
    } finally {
      await store.close();
      removeDir(dir);
    }
  });
});
