// Refresh with a settle window, against the real sandbox.
import * as path from 'node:path';

import assert from 'node:assert/strict';
import { refreshResult, reachesNow, subtractWindow } from '../../../src/core/refresh';
import { ResultStore } from '../../../src/core/resultStore';
import { MINUTE_MS } from '../../../src/core/windowPlan';
import type { Np6Event } from '../../../src/np6/events';
import { DEMO_CAMPAIGNS, startSandbox, type Sandbox } from '../../../src/demo/sandbox';
import {
  campaignQuery,
  canonical,
  record,
  removeDir,
  sandboxClient,
  storedEvents,
  tempDir,
} from './scaleHelpers';

describe('refreshResult (sandbox)', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let dir: string;
  before(async () => {
    sb = await startSandbox({ campaigns: DEMO_CAMPAIGNS });
  });
  after(async () => {
    await sb.close();
  });
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeDir(dir));

  it('re-reads only the settle window and the time after it, and returns exactly the new events', async () => {
    const campaign = sb.campaigns[0]!;
    // An open-ended query ("since the start"), first fetched at instant T in the middle of the campaign.
    const query = { ...campaignQuery(campaign), end: undefined };
    const all = [...sb.expectedEvents(campaign.id, query)];
    const T = all[Math.floor(all.length / 2)]!.timestamp;
    const settle = 30 * MINUTE_MS;
    // What the first fetch saw: events before T, except a few published late (in the settle window).
    const late = all.filter((e) => e.timestamp >= T - settle && e.timestamp < T).slice(0, 3);
    assert.ok(late.length > 0, 'the test needs events in the settle window');
    const seen = all.filter((e) => e.timestamp < T && !late.includes(e));
    const store = await ResultStore.create(dir, { id: 'r', campaignLabel: campaign.name, query });
    for (const e of seen) store.append(record(e));
    await store.finish({ complete: true, missing: [] }, { fetchedUntil: T });
    const now = campaign.end + 1;
    assert.ok(reachesNow(store, now), 'an open-ended range reaches now');
    const ended = await ResultStore.create(path.join(dir, 'ended'), {
      id: 'e',
      campaignLabel: campaign.name,
      query: { ...query, end: now - settle - 1 },
    });
    assert.ok(!reachesNow(ended, now), 'a range that ended before the settle window does not');
    assert.ok(reachesNow(ended, now - 2), 'but it did, just after its end');
    await ended.close();
    const r = await refreshResult({
      client: sandboxClient(sb),
      store,
      now,
      settleMs: settle,
    });
    assert.deepEqual(r.window, { start: T - settle, end: now });
    assert.equal(r.completeness.complete, true);
    assert.equal(r.newFrom, seen.length);
    const fresh: Np6Event[] = [];
    for (let i = r.newFrom; i < r.newTo; i++) fresh.push(await store.readEvent(i));
    const expectedNew = [...late, ...all.filter((e) => e.timestamp >= T)];
    assert.deepEqual(canonical(fresh), canonical(expectedNew), 'new = the late ones + what came after T');
    assert.deepEqual(canonical(await storedEvents(store)), canonical(all));
    assert.equal(store.summary.fetchedUntil, now);

    // A second refresh right away finds nothing new.
    const again = await refreshResult({
      client: sandboxClient(sb),
      store,
      now: now + 1000,
      settleMs: settle,
    });
    assert.equal(again.newTo - again.newFrom, 0);
    await store.close();
  });

  it('keeps earlier holes outside the refreshed window', () => {
    const holes = [
      { start: 0, end: 100, reason: 'a' },
      { start: 150, end: 300, reason: 'b' },
    ];
    assert.deepEqual(subtractWindow(holes, { start: 200, end: 400 }), [
      { start: 0, end: 100, reason: 'a' },
      { start: 150, end: 200, reason: 'b' },
    ]);
    assert.deepEqual(subtractWindow(holes, { start: 50, end: 160 }), [
      { start: 0, end: 50, reason: 'a' },
      { start: 160, end: 300, reason: 'b' },
    ]);
  });
});
