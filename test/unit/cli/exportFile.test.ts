import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openExportFile } from '../../../src/cli/exportFile';
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

    await fsp.writeFile(file, text.slice(0, text.lastIndexOf(']}')));
    const cut = await openExportFile(file);
    await assert.rejects(
      (async () => {
        for await (const _ of cut.records());
      })(),
      /ends before the closing/,
    );

    await fsp.writeFile(file, text.replace('np6-events/1', 'other/2'));
    await assert.rejects(openExportFile(file), /format is not "np6-events\/1"/);

    await fsp.writeFile(file, text.replace('"campaignId":"c-1"', '"campaignId":""'));
    await assert.rejects(openExportFile(file), /query is invalid/);

    await fsp.writeFile(file, '');
    await assert.rejects(openExportFile(file), /is empty/);
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
