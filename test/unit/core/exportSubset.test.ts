// An export of part of a result (the timeline's filtered or zoomed view) says so in its metadata,
// keeps `complete` as "the query's answer was complete", and exports events without an id too.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { exportedPart, writeExport, type ExportFormat } from '../../../src/core/exportFormat';
import { ResultStore } from '../../../src/core/resultStore';
import type { Np6Event } from '../../../src/np6/events';
import { allEmailEvents, type EventQuery } from '../../../src/np6/query';
import { record, removeDir, tempDir } from './scaleHelpers';

const QUERY: EventQuery = {
  campaignId: 'camp-1',
  endpoint: 'campaign',
  itemsEvents: [allEmailEvents()],
  start: 0,
  end: 100_000,
  sort: 'none',
};

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString('utf8');
    cb();
  }
}

async function write(
  store: ResultStore,
  format: ExportFormat,
  part: Parameters<typeof exportedPart>[1],
): Promise<string> {
  const out = new Sink();
  const { meta, records } = exportedPart(store, part);
  await writeExport(out, format, meta, records);
  return out.text;
}

interface Doc {
  complete: boolean;
  count: number;
  subset?: {
    filters: Record<string, unknown>;
    range?: { start: number; end: number; startIso: string; endIso: string };
    of: number;
  };
  events: Np6Event[];
}

describe('export of a subset', () => {
  let dir: string;
  let store: ResultStore;
  // Two events without an id (the API sends some), the rest with one.
  const events: Np6Event[] = [
    { type: 'execution', id: 'a', timestamp: 10 },
    { type: 'hit', timestamp: 20, note: 'no id 1' } as unknown as Np6Event,
    { type: 'hit', id: 'b', timestamp: 30 },
    { type: 'bounce', timestamp: 40, note: 'no id 2' } as unknown as Np6Event,
    { type: 'hit', id: 'c', timestamp: 50 },
  ];

  beforeEach(async () => {
    dir = tempDir('np6-subset-');
    store = await ResultStore.create(path.join(dir, 'r'), { id: 'r', campaignLabel: 'C', query: QUERY });
    for (const e of events) store.append(record(e));
    await store.finish({ complete: true, missing: [] });
  });
  afterEach(async () => {
    await store.close();
    removeDir(dir);
  });

  it('carries subset { filters, range, of } and keeps complete as the query answer', async () => {
    const filters = { hiddenKinds: ['execution'], items: [], text: '' };
    const doc = JSON.parse(
      await write(store, 'export', { indices: [1, 2, 3], filters, range: { start: 15, end: 45 } }),
    ) as Doc;
    assert.equal(doc.complete, true, 'the query answer was complete');
    assert.equal(doc.count, 3);
    assert.deepEqual(doc.subset, {
      filters,
      range: { start: 15, end: 45, startIso: '1970-01-01T00:00:00.015Z', endIso: '1970-01-01T00:00:00.045Z' },
      of: 5,
    });
    assert.deepEqual(doc.events, [events[1], events[2], events[3]]);
    // The subset key comes after the completeness and before the events.
    const text = await write(store, 'export', { indices: [0], filters });
    assert.ok(text.indexOf('"missing"') < text.indexOf('"subset"'));
    assert.ok(text.indexOf('"subset"') < text.lastIndexOf('"events":['));
  });

  it('exports a filtered view holding events without an id (once each, in time order)', async () => {
    const doc = JSON.parse(
      await write(store, 'export', {
        indices: [3, 1, 0],
        filters: { hiddenKinds: [], items: [], text: 'x' },
      }),
    ) as Doc;
    assert.equal(doc.count, 3);
    assert.deepEqual(doc.events, [events[0], events[1], events[3]]);
    const nd = await write(store, 'ndjson', { indices: [1, 3], filters: {} });
    assert.deepEqual(
      nd
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Np6Event),
      [events[1], events[3]],
    );
  });

  it('the whole result has no subset key', async () => {
    const doc = JSON.parse(await write(store, 'export', undefined)) as Doc;
    assert.equal(doc.subset, undefined);
    assert.equal(doc.count, 5);
  });
});
