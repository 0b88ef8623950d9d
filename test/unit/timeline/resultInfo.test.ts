import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ResultStore } from '../../../src/core/resultStore';
import { batchFromIndex, noTablesSent } from '../../../src/core/timeline/eventRows';
import { EventTable } from '../../../src/shared/timeline/eventTable';
import { panelTitle, resultInfo } from '../../../src/core/timeline/resultInfo';
import { eventKind, type Np6Event } from '../../../src/np6/events';
import { allEmailEvents, type EventQuery } from '../../../src/np6/query';

const T0 = Date.UTC(2026, 1, 3, 8);

function ev(i: number, type: string, at: number): Np6Event {
  return {
    type,
    id: `ev-${i}`,
    timestamp: at,
    source: { type: 'email', detail: { activation: { id: 'ITEM7', recipient: `r${i % 3}@x.org` } } },
  };
}

describe('timeline result info, from a real result store', () => {
  let dir: string;
  let store: ResultStore;
  const query: EventQuery = {
    campaignId: 'c-1',
    endpoint: 'campaign',
    itemsEvents: [allEmailEvents(['ITEM7'])],
    start: T0,
    end: T0 + 86_400_000,
    sort: 'none',
  };
  const events = [ev(0, 'activation', T0 + 5000), ev(1, 'bounce', T0 + 1000), ev(2, 'activation', T0 + 3000)];

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'np6-timeline-'));
    store = await ResultStore.create(path.join(dir, 'r1'), { id: 'r1', campaignLabel: 'Spring', query });
    for (const e of events) store.append({ event: e, json: JSON.stringify(e) });
    // A duplicate id is not stored twice: the panel must count what the store holds.
    store.append({ event: events[0] as Np6Event, json: JSON.stringify(events[0]) });
  });

  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('describes a live result as loading, with the store count', () => {
    const info = resultInfo(store, true);
    assert.equal(info.live, true);
    assert.equal(info.count, 3);
    assert.equal(info.completeness, 'loading');
    assert.deepEqual(info.items, ['ITEM7']);
    assert.match(info.types, /hit \(open\/form\/unsubscribe\/redirection\/mirror\)/);
    assert.equal(panelTitle(store), 'NP6: Spring · 2026-02-03 08:00 → 2026-02-04 08:00 UTC');
    // The display zone, by name: Paris is UTC+1 in February.
    assert.equal(
      panelTitle(store, 'Europe/Paris'),
      'NP6: Spring · 2026-02-03 09:00 → 2026-02-04 09:00 Europe/Paris',
    );
  });

  it('carries the item names from the settings, and leaves the field out when there are none', () => {
    assert.deepEqual(resultInfo(store, true, { ITEM7: 'Welcome mail' }).itemNames, { ITEM7: 'Welcome mail' });
    assert.equal('itemNames' in resultInfo(store, true, {}), false);
    assert.equal('itemNames' in resultInfo(store, true), false);
  });

  it('labels a finished partial result with what is missing', async () => {
    await store.finish({
      complete: false,
      missing: [{ start: T0, end: T0 + 3_600_000, reason: 'HTTP 503' }],
      error: { kind: 'http', message: 'HTTP 503 after 4 retries', status: 503 },
    });
    const info = resultInfo(store, false);
    assert.equal(info.live, false);
    assert.equal(info.complete, false);
    assert.equal(info.missingWindows, 1);
    assert.match(info.completeness, /^partial: HTTP 503 after 4 retries; 1 window missing/);
    // The banner's sentence says "partial" itself: its reason must not say it again.
    assert.match(info.whyPartial ?? '', /^HTTP 503 after 4 retries; 1 window missing/);
    assert.doesNotMatch(info.whyPartial ?? '', /partial/);
    assert.equal(info.errorMessage, 'HTTP 503 after 4 retries');
    assert.equal(info.removed, false);
    store.markRemoved();
    assert.equal(resultInfo(store, false).removed, true);
  });

  it('sends the store index as batches that rebuild the same rows', async () => {
    const t = new EventTable();
    const sent = noTablesSent();
    t.append(await batchFromIndex(store.index, 0, 2, sent));
    t.append(await batchFromIndex(store.index, 2, store.index.length, sent));
    assert.equal(t.length, 3);
    events.forEach((e, i) => {
      assert.equal(t.row(i).timestamp, e.timestamp);
      assert.equal(t.row(i).kind, eventKind(e));
      assert.equal(t.row(i).item, 'ITEM7');
    });
    assert.deepEqual(Array.from(t.order.subarray(0, 3)), [1, 2, 0], 'time order');
  });
});
