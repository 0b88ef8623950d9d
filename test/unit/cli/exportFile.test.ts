import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bodyDamage, openExportFile, openResumeSource, type ResumeSource } from '../../../src/cli/exportFile';
import { sidecarText } from '../../../src/cli/partialFiles';
import { missingAfterBreak } from '../../../src/cli/singleFetch';
import { writeFileAtomic } from '../../../src/core/atomicFile';
import { writeExport } from '../../../src/core/exportFormat';
import type { ResultSummary } from '../../../src/core/result';
import { allEmailEvents, type EventQuery } from '../../../src/np6/query';

const Q: EventQuery = {
  campaignId: 'c-1',
  endpoint: 'campaign',
  itemsEvents: [allEmailEvents()],
  start: 1_000,
  end: 9_000,
  sort: 'asc',
};

function summary(count: number, over: Partial<ResultSummary> = {}): ResultSummary {
  return {
    id: 'r',
    campaignLabel: 'c',
    query: Q,
    startedAt: 5_000,
    complete: false,
    count,
    bytes: 0,
    missing: [{ start: 4_000, end: 9_000, reason: 'cut' }],
    ...over,
  };
}

describe('reading an export back (--resume)', () => {
  let dir: string;
  beforeEach(async () => (dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'np6-exportfile-'))));
  afterEach(() => fsp.rm(dir, { recursive: true, force: true }));

  async function write(file: string, events: object[], meta: ResultSummary): Promise<void> {
    async function* recs() {
      for (const e of events) {
        await Promise.resolve();
        yield { json: JSON.stringify(e) };
      }
    }
    await writeFileAtomic(file, async (out) => {
      await writeExport(out, 'export', meta, recs());
    });
  }

  it('round-trips what writeExport wrote: metadata, query and every event text', async () => {
    const file = path.join(dir, 'a.json');
    const events = Array.from({ length: 50 }, (_, i) => ({
      type: 'hit',
      id: `e${i}`,
      timestamp: 1_000 + i,
      s: 'x,\u00e9',
    }));
    await write(file, events, summary(events.length));
    const f = await openExportFile(file);
    assert.equal(f.header.complete, false);
    assert.deepEqual(f.header.missing, [{ start: 4_000, end: 9_000, reason: 'cut' }]);
    assert.deepEqual(f.query, Q);
    const back = [];
    for await (const r of f.records()) {
      assert.equal(r.json, JSON.stringify(r.event));
      back.push(r.event);
    }
    assert.deepEqual(back, events);
  });

  it('reads an empty export', async () => {
    const file = path.join(dir, 'empty.json');
    await write(file, [], summary(0));
    const f = await openExportFile(file);
    const back = [];
    for await (const r of f.records()) back.push(r);
    assert.equal(back.length, 0);
  });

  it('refuses re-formatted, truncated or foreign files with a reason', async () => {
    const file = path.join(dir, 'b.json');
    await write(
      file,
      [
        { type: 'hit', id: 'a', timestamp: 1 },
        { type: 'hit', id: 'b', timestamp: 2 },
      ],
      summary(2),
    );
    const text = await fsp.readFile(file, 'utf8');

    await fsp.writeFile(file, JSON.stringify(JSON.parse(text), null, 2));
    await assert.rejects(openExportFile(file), /cannot be resumed: its first line is not the metadata/);

    await fsp.writeFile(file, text.replace('np6-events/1', 'other/2'));
    await assert.rejects(openExportFile(file), /format is not "np6-events\/1"/);

    await fsp.writeFile(file, text.replace('"campaignId":"c-1"', '"campaignId":""'));
    await assert.rejects(openExportFile(file), /query is invalid/);

    await fsp.writeFile(file, '');
    await assert.rejects(openExportFile(file), /is empty/);
  });
});

async function drain(s: ResumeSource): Promise<string[]> {
  const ids: string[] = [];
  for await (const r of s.records()) ids.push(String(r.event.id));
  return ids;
}

describe('checking the body of a file to resume, not only its metadata', () => {
  let dir: string;
  beforeEach(async () => (dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'np6-body-'))));
  afterEach(() => fsp.rm(dir, { recursive: true, force: true }));

  const events = Array.from({ length: 20 }, (_, i) => ({ type: 'hit', id: `e${i}`, timestamp: 1_000 + i }));
  async function exportText(meta: ResultSummary): Promise<string> {
    const file = path.join(dir, 'src.json');
    async function* recs() {
      for (const e of events) yield { json: JSON.stringify(e) };
      await Promise.resolve();
    }
    await writeFileAtomic(file, async (out) => {
      await writeExport(out, 'export', meta, recs());
    });
    return fsp.readFile(file, 'utf8');
  }
  const complete = summary(20, { complete: true, missing: [] });

  it('an intact complete export: every event, no damage', async () => {
    const file = path.join(dir, 'ok.json');
    await fsp.writeFile(file, await exportText(complete));
    const s = await openResumeSource(file);
    assert.equal((await drain(s)).length, 20);
    assert.equal(bodyDamage(s), undefined);
    assert.equal(s.header.complete, true);
  });

  it('a complete header over a body cut at a line end, mid-event, or mid-line: damage, never complete', async () => {
    const text = await exportText(complete);
    const lines = text.split('\n');
    const cuts: [string, string, number, RegExp][] = [
      [
        'at a line end',
        lines.slice(0, 11).join('\n') + '\n',
        10,
        /ends before the end.*says 20 events but holds 10/,
      ],
      ['mid-event', text.slice(0, text.indexOf('"e12"') + 3), 12, /cut inside an event at line 14/],
      ['only the closing bracket lost', text.slice(0, text.lastIndexOf(']}')), 20, /ends before the end/],
    ];
    for (const [name, body, readable, damage] of cuts) {
      const file = path.join(dir, `cut.json`);
      await fsp.writeFile(file, body);
      const s = await openResumeSource(file);
      assert.equal(s.header.complete, true, 'the header still says complete');
      assert.equal((await drain(s)).length, readable, name);
      assert.match(bodyDamage(s) ?? 'no damage', damage, name);
    }
  });

  it('a damaged line in the middle, or events added after the end, are damage too', async () => {
    const text = await exportText(complete);
    const file = path.join(dir, 'mid.json');
    await fsp.writeFile(file, text.replace('{"type":"hit","id":"e5"', '{"type":"hit","id":"e5"!!'));
    const s = await openResumeSource(file);
    assert.equal((await drain(s)).length, 19);
    assert.match(bodyDamage(s) ?? '', /line 7 is not one JSON event.*says 20 events but holds 19/);
    await fsp.writeFile(file, text + '{"id":"extra"}\n');
    const t = await openResumeSource(file);
    await drain(t);
    assert.match(bodyDamage(t) ?? '', /comes after the end/);
  });

  for (const format of ['array', 'ndjson'] as const) {
    it(`a partial ${format} run: read through its sidecar, whole or cut`, async () => {
      const body = path.join(dir, `ev.${format}.partial`);
      const meta = summary(20, { complete: false });
      const text =
        format === 'array'
          ? `[\n${events.map((e) => JSON.stringify(e)).join(',\n')}\n]\n`
          : events.map((e) => JSON.stringify(e) + '\n').join('');
      await fsp.writeFile(body, text);
      await fsp.writeFile(`${body}.json`, sidecarText(meta, format, body));
      for (const name of [body, `${body}.json`]) {
        const s = await openResumeSource(name);
        assert.equal(s.kind, 'partial');
        assert.equal(s.format, format);
        assert.equal(s.defaultOut, path.join(dir, `ev.${format}`));
        assert.deepEqual(s.header.missing, meta.missing);
        assert.deepEqual(s.query, Q);
        assert.deepEqual(
          await drain(s),
          events.map((e) => e.id),
        );
        assert.equal(bodyDamage(s), undefined);
      }
      await fsp.writeFile(body, text.slice(0, text.length - 30));
      const cut = await openResumeSource(body);
      assert.equal((await drain(cut)).length, 19);
      assert.match(bodyDamage(cut) ?? '', /cut inside an event|ends before the end/);
    });
  }

  it('a FIFO, a folder or a missing file is refused without blocking', async () => {
    const fifo = path.join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(openResumeSource(fifo), /cannot be resumed: it is not a regular file/);
    await assert.rejects(openResumeSource(dir), /cannot be resumed: it is not a regular file/);
    await assert.rejects(
      openResumeSource(path.join(dir, 'none.json')),
      /cannot be resumed: it does not exist/,
    );
  });

  it('a partial CSV run is refused: CSV does not keep the events whole', async () => {
    const body = path.join(dir, 'ev.csv.partial');
    await fsp.writeFile(body, 'time,type\r\n');
    await fsp.writeFile(`${body}.json`, sidecarText(summary(1, { complete: false }), 'csv', body));
    await assert.rejects(openResumeSource(body), /cannot be resumed: it is a partial CSV run.*--format csv/);
  });

  it('a sidecar that is not ours is refused with a reason', async () => {
    const body = path.join(dir, 'x.ndjson.partial');
    await fsp.writeFile(body, '');
    await fsp.writeFile(`${body}.json`, '{"format":"something-else"}');
    await assert.rejects(
      openResumeSource(body),
      /cannot be resumed: its format is not "np6-events-partial\/1"/,
    );
  });
});

describe('missingAfterBreak', () => {
  it('asc: from the last timestamp received (included) to the end', () => {
    assert.deepEqual(missingAfterBreak(Q, 4_200, 99_000, 'r'), { start: 4_200, end: 9_000, reason: 'r' });
  });
  it('desc: from the start to just after the last timestamp received', () => {
    assert.deepEqual(missingAfterBreak({ ...Q, sort: 'desc' }, 4_200, 99_000, 'r'), {
      start: 1_000,
      end: 4_201,
      reason: 'r',
    });
  });
  it('no sort or nothing received: the whole range; open bounds from 0 to when the fetch began', () => {
    assert.deepEqual(missingAfterBreak({ ...Q, sort: 'none' }, 4_200, 99_000, 'r'), {
      start: 1_000,
      end: 9_000,
      reason: 'r',
    });
    const open: EventQuery = { ...Q };
    delete open.start;
    delete open.end;
    assert.deepEqual(missingAfterBreak(open, undefined, 99_000, 'r'), { start: 0, end: 99_000, reason: 'r' });
  });
});
