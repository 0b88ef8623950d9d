import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { writeExport, type ExportFormat, type ExportMeta } from '../../../src/core/exportFormat';
import {
  importedCompleteness,
  importedFrom,
  importedQuery,
  openEventsFile,
  UnknownEventsFormatError,
  type EventsFile,
} from '../../../src/core/importEvents';
import type { ResultSummary } from '../../../src/core/result';
import { ResultStore } from '../../../src/core/resultStore';
import { importedSource } from '../../../src/core/timeline/importedSource';
import { resultInfo } from '../../../src/core/timeline/resultInfo';
import { allEmailEvents } from '../../../src/np6/query';
import { removeDir, tempDir } from './scaleHelpers';

function makeEvents(n: number, from = 0): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      type: i % 3 ? 'hit' : 'activation',
      id: `ev-${i}`,
      timestamp: 1_700_000_000_000 + i * 1000,
      source: { type: 'email', detail: { note: `é "q" \\ ☕ ${i}`, nested: [1, { a: [] }] } },
      unknownField: i,
    };
  });
}

function summary(count: number, over: Partial<ResultSummary> = {}): ExportMeta {
  return {
    id: 'r1',
    campaignLabel: 'Spring sale',
    query: {
      campaignId: 'c-1',
      endpoint: 'campaign',
      itemsEvents: [allEmailEvents()],
      start: Date.UTC(2024, 0, 1),
      end: Date.UTC(2024, 0, 2),
      sort: 'asc',
    },
    startedAt: Date.UTC(2024, 5, 1, 12, 0, 0),
    complete: true,
    missing: [],
    count,
    bytes: 0,
    ...over,
  };
}

async function exportText(
  format: ExportFormat,
  events: Record<string, unknown>[],
  meta = summary(events.length),
): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  async function* recs() {
    for (const e of events) {
      await Promise.resolve();
      yield { json: JSON.stringify(e) };
    }
  }
  await writeExport(out, format, meta, recs());
  return Buffer.concat(chunks).toString('utf8');
}

async function readAll(file: EventsFile): Promise<string[]> {
  const out: string[] = [];
  for await (const r of file.records()) out.push(r.json);
  return out;
}

describe('importEvents: reading an events file back', () => {
  let dir: string;
  before(() => {
    dir = tempDir('np6-import-');
  });
  after(() => removeDir(dir));
  const write = (name: string, text: string | Buffer): string => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };

  for (const format of ['export', 'array', 'ndjson'] as const) {
    it(`reads the ${format} format the writers produce, every event verbatim and in order`, async function () {
      // A shared machine may be slow: over a megabyte is written and read back.
      this.timeout(30_000);
      // Over 1 MiB: the file is read in several blocks, events cut across them.
      const events = makeEvents(12_000);
      const p = write(`all.${format}.json`, await exportText(format, events));
      assert.ok(fs.statSync(p).size > 1 << 20);
      const file = await openEventsFile(p);
      assert.equal(file.format, format);
      const got = await readAll(file);
      assert.equal(file.problem, undefined);
      assert.equal(got.length, events.length);
      assert.deepEqual(
        got,
        events.map((e) => JSON.stringify(e)),
      );
      assert.deepEqual(importedCompleteness(file, false), { complete: true, missing: [] });
    });

    it(`reads an empty ${format} file as zero events, complete`, async () => {
      const p = write(`empty.${format}.json`, await exportText(format, []));
      if (format === 'ndjson') {
        // An empty ndjson is an empty file: nothing says what it is.
        await assert.rejects(openEventsFile(p), UnknownEventsFormatError);
        return;
      }
      const file = await openEventsFile(p);
      assert.deepEqual(await readAll(file), []);
      assert.equal(file.problem, undefined);
    });
  }

  it("keeps an export's metadata: query, fetchedAt, missing windows, error and subset", async () => {
    const events = makeEvents(5);
    const missing = [{ start: Date.UTC(2024, 0, 1, 6), end: Date.UTC(2024, 0, 1, 7), reason: 'HTTP 503' }];
    const meta: ExportMeta = {
      ...summary(events.length, { complete: false, missing, error: { kind: 'http', message: 'HTTP 503' } }),
      subset: { filters: { text: 'x@y' }, of: 40 },
    };
    const file = await openEventsFile(write('meta.json', await exportText('export', events, meta)));
    assert.equal(file.format, 'export');
    const m = file.meta;
    assert.ok(m);
    assert.deepEqual(m.query, summary(0).query);
    assert.equal(m.fetchedAt, '2024-06-01T12:00:00.000Z');
    assert.equal(m.complete, false);
    assert.deepEqual(m.missing, missing);
    assert.equal(m.count, 5);
    assert.equal(m.subsetOf, 40);
    assert.match(m.subsetFilters ?? '', /x@y/);
    assert.equal((await readAll(file)).length, 5);
    const c = importedCompleteness(file, false);
    assert.equal(c.complete, false);
    assert.deepEqual(c.missing, missing);
    assert.equal(c.error?.message, 'HTTP 503');
    const from = importedFrom(file);
    assert.deepEqual(
      { ...from, subsetFilters: undefined },
      {
        fileName: 'meta.json',
        format: 'export',
        fetchedAt: '2024-06-01T12:00:00.000Z',
        count: 5,
        subsetOf: 40,
        subsetFilters: undefined,
        hasQuery: true,
      },
    );
    assert.deepEqual(importedQuery(file), summary(0).query);
  });

  it('does not believe an export that says complete but lists missing windows, nor an invalid query', async () => {
    const header = {
      format: 'np6-events/1',
      query: { campaignId: '', endpoint: 'nowhere', itemsEvents: [], sort: 'asc' },
      fetchedAt: 'not a date',
      complete: true,
      count: 1,
      missing: [
        { start: 10, end: 20, reason: 'gap' },
        { start: 5, end: 1 },
      ],
    };
    const text = `${JSON.stringify(header).slice(0, -1)},"events":[\n${JSON.stringify(makeEvents(1)[0])}\n]}\n`;
    const file = await openEventsFile(write('liar.json', text));
    assert.equal(file.meta?.complete, false);
    assert.equal(file.meta?.missing.length, 1, 'the invalid window is left out');
    assert.equal(file.meta?.query, undefined);
    assert.match(file.meta?.queryProblem ?? '', /not valid/);
    assert.equal(file.meta?.fetchedAt, undefined);
    assert.equal(importedFrom(file).hasQuery, false);
    assert.equal(importedQuery(file).campaignId, '');
  });

  it('keeps what was read of an array cut in the middle, labelled partial with the byte and line', async () => {
    const events = makeEvents(100);
    const full = await exportText('array', events);
    // Cut inside the 61st event: 60 complete ones before it.
    const lines = full.split('\n');
    const cutLine = 1 + 60; // line 1 is "[", event k is on line k + 1
    const before = lines.slice(0, cutLine).join('\n') + '\n';
    const text = before + lines[cutLine]!.slice(0, 30);
    const file = await openEventsFile(write('cut.json', text));
    const got = await readAll(file);
    assert.equal(got.length, 60);
    assert.ok(file.problem);
    assert.equal(file.problem.line, cutLine + 1);
    assert.match(file.problem.message, /cut off inside element 61/);
    const c = importedCompleteness(file, false);
    assert.equal(c.complete, false);
    assert.match(
      c.error?.message ?? '',
      /cut\.json is malformed at byte \d+ \(line 62\).*60 events before it/,
    );
  });

  it('stops at a malformed element of an export, at its exact byte and line', async () => {
    const events = makeEvents(50);
    const lines = (await exportText('export', events)).split('\n');
    // Line 1 is the metadata, event k (0-based) is on line k + 2: break event 20 (line 22).
    lines[21] = '{"type":"hit", oops},';
    const text = lines.join('\n');
    const file = await openEventsFile(write('broken.json', text));
    const got = await readAll(file);
    assert.equal(got.length, 20);
    assert.equal(file.problem?.line, 22);
    const offset = Buffer.byteLength(lines.slice(0, 21).join('\n') + '\n');
    assert.equal(file.problem?.byteOffset, offset);
    assert.equal(importedFrom(file).problem, file.problem?.message);
  });

  it('says an export missing its closing "}" was cut, keeping every event', async () => {
    const events = makeEvents(10);
    const text = (await exportText('export', events)).replace(/\]\}\n$/, ']\n');
    const file = await openEventsFile(write('noclose.json', text));
    assert.equal((await readAll(file)).length, 10);
    assert.match(file.problem?.message ?? '', /without its closing/);
    assert.equal(importedCompleteness(file, false).complete, false);
  });

  it('labels partial an export whose events are not as many as its metadata says', async () => {
    const events = makeEvents(10);
    const lines = (await exportText('export', events)).split('\n');
    // Event 3 (line 5) removed by hand: the document is still well formed.
    lines.splice(4, 1);
    const file = await openEventsFile(write('edited.json', lines.join('\n')));
    assert.equal((await readAll(file)).length, 9);
    assert.equal(file.problem, undefined);
    const c = importedCompleteness(file, false);
    assert.equal(c.complete, false);
    assert.match(c.error?.message ?? '', /says it holds 10 events but holds 9/);
  });

  it('stops at a bad ndjson line, and tells a cut last line from a whole one', async () => {
    const good = makeEvents(30).map((e) => JSON.stringify(e));
    const bad = [...good.slice(0, 12), 'not json', ...good.slice(12)].join('\n') + '\n';
    const f1 = await openEventsFile(write('bad.ndjson', bad));
    assert.equal((await readAll(f1)).length, 12);
    assert.equal(f1.problem?.line, 13);
    assert.match(f1.problem?.message ?? '', /line 13 is not one JSON event/);

    const cut = good.join('\n').slice(0, -10);
    const f2 = await openEventsFile(write('cut.ndjson', cut));
    assert.equal((await readAll(f2)).length, 29);
    assert.match(f2.problem?.message ?? '', /cut inside line 30/);

    // No final newline, but the last line is a whole event; CRLF, a BOM and blank lines are fine.
    const crlf = '\uFEFF' + good.join('\r\n') + '\r\n\r\n';
    const f3 = await openEventsFile(write('crlf.ndjson', crlf));
    assert.deepEqual(await readAll(f3), good);
    assert.equal(f3.problem, undefined);
    const f4 = await openEventsFile(write('nofinal.ndjson', good.join('\n')));
    assert.equal((await readAll(f4)).length, 30);
    assert.equal(f4.problem, undefined);
  });

  it('reads a pretty-printed array with a BOM, and skips values that are not events', async () => {
    const events = makeEvents(5);
    const text = '\uFEFF' + JSON.stringify([...events, 42, null, 'x'], null, 2);
    const file = await openEventsFile(write('pretty.json', text));
    assert.equal(file.format, 'array');
    const got = await readAll(file);
    assert.deepEqual(
      got.map((j) => JSON.parse(j) as unknown),
      events,
    );
    assert.equal(file.progress.skipped, 3);
    assert.equal(file.problem, undefined);
  });

  it('says a file of an unknown format is not an events file, and why', async () => {
    const cases: [string, string, RegExp][] = [
      ['t.csv', 'time,type\n2024,hit\n', /does not start with "\[" or "\{"/],
      ['empty.json', '', /it is empty/],
      ['blank.json', '  \n \n', /it is empty|does not start/],
      ['object.json', '{\n  "format": "np6-events/1",\n  "events": []\n}\n', /neither the metadata/],
      ['other.json', '{"format":"other/2","events":[\n]}\n', /does not say "format"/],
      ['moved.json', '{"format":"np6-events/1","events":[],"count":0}\n', /layout was changed/],
    ];
    for (const [name, text, why] of cases) {
      await assert.rejects(openEventsFile(write(name, text)), (e: unknown) => {
        assert.ok(e instanceof UnknownEventsFormatError, name);
        assert.match(e.message, why, name);
        assert.match(e.message, new RegExp(`^${name.replace('.', '\\.')} is not an events file`));
        return true;
      });
    }
  });

  it('stops quietly when cancelled', async function () {
    this.timeout(30_000);
    const p = write('cancel.ndjson', await exportText('ndjson', makeEvents(20_000)));
    const file = await openEventsFile(p);
    const abort = new AbortController();
    let n = 0;
    for await (const _ of file.records(abort.signal)) {
      if (++n === 10) abort.abort();
    }
    assert.ok(n < 20_000, `stopped early (${n})`);
    const c = importedCompleteness(file, true);
    assert.equal(c.complete, false);
    assert.equal(c.cancelled, true);
  });

  it('reads a 200,000-event ndjson file in bounded memory', async function () {
    this.timeout(120_000);
    const p = path.join(dir, 'big.ndjson');
    const out = fs.createWriteStream(p);
    const N = 200_000;
    for (let i = 0; i < N; i += 5000) {
      const block = makeEvents(5000, i)
        .map((e) => JSON.stringify(e))
        .join('\n');
      if (!out.write(block + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    const size = fs.statSync(p).size;
    const file = await openEventsFile(p);
    // Retained memory, not garbage not yet collected: measured right after a full collection.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    let n = 0;
    let lastId = '';
    for await (const r of file.records()) {
      n++;
      lastId = (r.event as { id: string }).id;
      if (n % 25_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      }
    }
    assert.equal(n, N);
    assert.equal(lastId, `ev-${N - 1}`);
    assert.equal(file.problem, undefined);
    // Holding the file would take its size (one-byte strings), its parsed events several times that.
    assert.ok(size > 30 << 20, `the file is large (${size} bytes)`);
    assert.ok(
      peak < size / 2,
      `heap grew by ${(peak / 1048576).toFixed(1)} MiB for a ${(size / 1048576).toFixed(1)} MiB file`,
    );
  });

  it('fills a result store that reopens with the file it came from (header line, no re-run)', async () => {
    const events = makeEvents(300);
    const p = write('array.json', await exportText('array', events));
    const file = await openEventsFile(p);
    const store = await ResultStore.create(path.join(dir, 'r-import'), {
      id: 'r-import',
      campaignLabel: file.fileName,
      query: importedQuery(file),
    });
    store.summary.imported = importedFrom(file);
    for await (const r of file.records()) store.append(r);
    await store.finish(importedCompleteness(file, false));
    await store.close();
    const again = await ResultStore.open(path.join(dir, 'r-import'));
    try {
      assert.equal(again.summary.count, 300);
      assert.equal(again.summary.complete, true);
      assert.deepEqual(again.summary.imported, { fileName: 'array.json', format: 'array', hasQuery: false });
      const info = resultInfo(again, false);
      assert.equal(info.refetchable, false);
      assert.equal(
        info.source,
        'Opened from file array.json (JSON array) · no metadata: no query to run again',
      );
      assert.equal(info.count, 300);
    } finally {
      await again.close();
    }
  });

  it('describes an imported export in the header: fetchedAt, completeness as exported, subset', () => {
    const base = summary(3);
    const s: ResultSummary = {
      ...base,
      complete: false,
      missing: [{ start: 1, end: 2, reason: 'x' }],
      imported: {
        fileName: 'e.json',
        format: 'export',
        fetchedAt: '2024-06-01T12:00:00.000Z',
        subsetOf: 40,
        subsetFilters: '{"filters":{}}',
        hasQuery: true,
      },
    };
    assert.equal(
      importedSource(s),
      'Opened from file e.json (NP6 export) · fetched 2024-06-01T12:00:00.000Z · partial as exported: 1 window missing · a subset of 40 events ({"filters":{}})',
    );
    assert.equal(
      importedSource({
        ...s,
        complete: true,
        missing: [],
        imported: { ...s.imported!, subsetOf: undefined, subsetFilters: undefined },
      }),
      'Opened from file e.json (NP6 export) · fetched 2024-06-01T12:00:00.000Z · complete as exported',
    );
    assert.equal(importedSource(base), undefined);
    const info = resultInfo({ summary: s, index: { length: 3 } }, false);
    assert.equal(info.refetchable, true);
    assert.equal(resultInfo({ summary: base, index: { length: 3 } }, false).source, undefined);
  });
});
