// windowedFetch against the REAL sandbox over loopback, with its fault injection.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { writeExport } from '../../../src/core/exportFormat';
import { ResultStore } from '../../../src/core/resultStore';
import { resumeResult } from '../../../src/core/refresh';
import { windowedFetch, type WindowedFetchProgress } from '../../../src/core/windowedFetch';
import { DAY_MS, HOUR_MS, planWindows } from '../../../src/core/windowPlan';
import { Np6Client, type EventRecord } from '../../../src/np6/client';
import type { Np6Event } from '../../../src/np6/events';
import { allEmailEvents, type EventQuery } from '../../../src/np6/query';
import type { Completeness } from '../../../src/core/result';
import { DEMO_CAMPAIGNS, startSandbox, type Sandbox, type SandboxCampaign } from '../../../src/demo/sandbox';
import {
  campaignQuery,
  canonical,
  pathStart,
  removeDir,
  sandboxClient,
  storedEvents,
  tempDir,
} from './scaleHelpers';

/** "window k of about n": k and n never go down, and n is never below k. */
function assertNeverBackwards(progress: WindowedFetchProgress[]): void {
  assert.ok(progress.length > 0);
  for (let i = 0; i < progress.length; i++) {
    const p = progress[i]!;
    assert.ok(p.windows >= p.window, `report ${i}: window ${p.window} of about ${p.windows}`);
    if (i === 0) continue;
    const q = progress[i - 1]!;
    assert.ok(
      p.window >= q.window && p.windows >= q.windows,
      `report ${i}: ${q.window}/${q.windows} then ${p.window}/${p.windows}`,
    );
  }
}

describe('windowedFetch (sandbox)', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  let dir: string;
  let campaign: SandboxCampaign;
  let query: EventQuery;
  let expected: string[];
  let n = 0;

  before(async () => {
    sb = await startSandbox({ campaigns: DEMO_CAMPAIGNS });
    // The newsletter: three weekly sends, a few thousand events over three weeks.
    campaign = sb.campaigns.find((c) => c.name === 'Weekly Newsletter') ?? sb.campaigns[1]!;
    // Whole UTC days around the campaign, so windows fall on day boundaries.
    const start = Math.floor(campaign.start / DAY_MS) * DAY_MS;
    const end = Math.ceil(campaign.end / DAY_MS) * DAY_MS;
    query = campaignQuery(campaign, { start, end });
    expected = canonical(sb.expectedEvents(campaign.id, query));
    assert.ok(expected.length > 1000, `the campaign has events (${expected.length})`);
  });
  after(async () => {
    await sb.close();
  });
  beforeEach(() => {
    dir = tempDir();
    sb.setFaults({ mode: 'none' });
  });
  afterEach(() => removeDir(dir));

  async function newStore(): Promise<ResultStore> {
    n++;
    return ResultStore.create(path.join(dir, `r${n}`), { id: `r${n}`, campaignLabel: campaign.name, query });
  }

  it('fetches a range window by window, complete, event for event, with progress', async () => {
    const store = await newStore();
    const progress: WindowedFetchProgress[] = [];
    const c = await windowedFetch({
      client: sandboxClient(sb),
      query,
      store,
      onProgress: (p) => progress.push(p),
    });
    assert.deepEqual(c, { complete: true, missing: [] });
    assert.deepEqual(canonical(await storedEvents(store)), expected);
    const last = progress[progress.length - 1]!;
    assert.ok(last.window > 1, `several windows (${last.window})`);
    assert.ok(last.windows >= last.window, `never "k of" fewer than k (${last.window} of ${last.windows})`);
    assertNeverBackwards(progress);
    assert.equal(last.events, expected.length);
    assert.ok(last.bytes > 0 && store.summary.bytes === last.bytes);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.window >= progress[i - 1]!.window);
    // The share of the range done (the notification's bar) only grows, from below 1 to exactly 1.
    const shares = progress.map((p) => p.done);
    assert.ok(
      shares.every((d) => d !== undefined && d >= 0 && d <= 1),
      'every report says how much is done',
    );
    for (let i = 1; i < shares.length; i++) assert.ok(shares[i]! >= shares[i - 1]!, `report ${i} went back`);
    assert.ok(shares[0]! < 1, `the first report is not the end (${shares[0]})`);
    assert.ok(
      shares.some((d) => d! > 0 && d! < 1),
      'a share between start and end is reported',
    );
    assert.equal(last.done, 1);
    await store.close();
  });

  it('cuts a window that passes maxEvents and de-duplicates the overlap', async () => {
    const store = await newStore();
    const windows = new Set<number>();
    const progress: WindowedFetchProgress[] = [];
    const c = await windowedFetch({
      client: sandboxClient(sb),
      query,
      store,
      windowMs: 7 * DAY_MS,
      policy: { targetEvents: 200, maxEvents: 300 },
      onProgress: (p) => {
        windows.add(p.window);
        progress.push(p);
      },
    });
    // Windows cut, narrowed and widened: the progress still never counts backwards.
    assertNeverBackwards(progress);
    assert.equal(c.complete, true);
    const stored = await storedEvents(store, 'arrival');
    assert.equal(stored.length, expected.length, 'no event twice, none lost');
    assert.deepEqual(canonical(stored), expected);
    assert.ok(windows.size > expected.length / 300, `windows were cut (${windows.size})`);
    await store.close();
  });

  it('leaves failed windows as holes that name them, and resume completes them exactly', async () => {
    const client = sandboxClient(sb);
    const store = await newStore();
    // Fail (HTTP 500, which the client does not retry) the first two day windows whose start date
    // shares the tens of days with the fourth day: e.g. "start=2026-09-1" → the 10th and 11th.
    const fourth = pathStart(query.start! + 3 * DAY_MS);
    const prefix = fourth.slice(0, fourth.indexOf('T') - 1);
    const failing = planWindows(query.start!, query.end!, DAY_MS)
      .filter((w) => pathStart(w.start).includes(prefix))
      .slice(0, 2);
    assert.equal(failing.length, 2);
    sb.setFaults({ mode: '500', times: 2, pathIncludes: prefix });
    const first = await windowedFetch({
      client,
      query,
      store,
      windowMs: DAY_MS,
      policy: { targetEvents: 1e9 },
    });
    assert.equal(first.complete, false);
    assert.deepEqual(
      first.missing.map((m) => ({ start: m.start, end: m.end })),
      failing,
      'the result names exactly the failed windows',
    );
    for (const m of first.missing) assert.match(m.reason, /500/);
    assert.equal(first.error?.status, 500);
    const got = canonical(await storedEvents(store));
    assert.ok(got.length < expected.length, 'the holes really lack events');
    // Everything outside the holes arrived.
    const inHoles = (json: string): boolean => {
      const t = (JSON.parse(json) as { timestamp: number }).timestamp;
      return first.missing.some((m) => t >= m.start && t < m.end);
    };
    assert.deepEqual(
      got,
      expected.filter((j) => !inHoles(j)),
    );
    await store.finish(first);
    await store.close();

    // After a reload: reopen and resume only the holes.
    const reopened = await ResultStore.open(store.dir);
    const resumed = await resumeResult({ client, store: reopened });
    assert.deepEqual(resumed, { complete: true, missing: [] });
    assert.deepEqual(canonical(await storedEvents(reopened)), expected);
    assert.equal(reopened.summary.complete, true);

    // The export of the resumed result equals a fault-free run's, event for event and byte for byte.
    const clean = await newStore();
    assert.equal((await windowedFetch({ client, query, store: clean, windowMs: DAY_MS })).complete, true);
    const exported = async (s: ResultStore): Promise<string> => {
      const sink = new PassThrough();
      const chunks: Buffer[] = [];
      sink.on('data', (c: Buffer) => chunks.push(c));
      const { count } = await writeExport(sink, 'ndjson', s.summary, s.records('time'));
      assert.equal(count, expected.length);
      return Buffer.concat(chunks).toString('utf8');
    };
    assert.equal(await exported(reopened), await exported(clean));
    await clean.close();
    await reopened.close();
  });

  it('keeps the events of a stream cut midway, marks the rest missing, and resume fills it', async () => {
    const client = sandboxClient(sb);
    const store = await newStore();
    // The first window holding events (the campaign's first send) is cut after 25 events.
    const firstDay = Math.floor(campaign.start / DAY_MS) * DAY_MS;
    sb.setFaults({ mode: 'cut', times: 1, cutAfterEvents: 25, pathIncludes: pathStart(firstDay) });
    const c = await windowedFetch({ client, query, store, windowMs: DAY_MS, policy: { targetEvents: 1e9 } });
    assert.equal(c.complete, false);
    assert.equal(c.missing.length, 1);
    const hole = c.missing[0]!;
    assert.ok(
      hole.start > firstDay && hole.end === firstDay + DAY_MS,
      'the hole starts where the events stopped',
    );
    const stored = await storedEvents(store);
    assert.ok(
      stored.filter((e) => e.timestamp >= firstDay && e.timestamp < hole.start).length >= 24,
      'the events before the cut are kept',
    );
    const resumed = await windowedFetch({ client, query, store, only: c.missing });
    assert.equal(resumed.complete, true);
    assert.deepEqual(canonical(await storedEvents(store)), expected);
    await store.close();
  });

  it('splits a window that times out and fetches it in smaller parts', async () => {
    const requestsOf = async (client: Np6Client): Promise<{ c: Completeness; requests: number }> => {
      const store = await newStore();
      let requests = 0;
      const c = await windowedFetch({
        client,
        query,
        store,
        windowMs: DAY_MS,
        onProgress: (p) => (requests = Math.max(requests, p.window)),
      });
      const got = canonical(await storedEvents(store));
      assert.equal(got.length, expected.length);
      assert.ok(
        got.every((j, i) => j === expected[i]),
        'the same events',
      );
      await store.close();
      return { c, requests };
    };
    const calm = await requestsOf(sandboxClient(sb, 0, 1000));
    // The first request of the campaign's first day drips too slowly for the client's timeout.
    const firstDay = Math.floor(campaign.start / DAY_MS) * DAY_MS;
    sb.setFaults({ mode: 'slow', times: 1, slowChunkDelayMs: 2500, pathIncludes: pathStart(firstDay) });
    const slow = await requestsOf(sandboxClient(sb, 0, 1000));
    assert.deepEqual(slow.c, { complete: true, missing: [] });
    assert.ok(
      slow.requests > calm.requests,
      `the slow window was asked again in parts (${slow.requests} vs ${calm.requests})`,
    );
  });

  it('gives up on a server that keeps timing out, listing the whole range', async () => {
    const store = await newStore();
    sb.setFaults({ mode: 'slow', slowChunkDelayMs: 2500 });
    let requests = 0;
    const c = await windowedFetch({
      client: sandboxClient(sb, 0, 1000),
      query,
      store,
      windowMs: DAY_MS,
      onProgress: (p) => (requests = Math.max(requests, p.window)),
    });
    assert.equal(c.complete, false);
    assert.equal(c.error?.kind, 'timeout');
    const covered = c.missing.reduce((sum, m) => sum + (m.end - m.start), 0);
    assert.equal(covered, query.end! - query.start!, 'nothing fetched, everything listed');
    assert.ok(requests <= 9, `it stops after a few windows (${requests} requests)`);
    await store.close();
  });

  it('stops on an error every window would get (bad key) and lists the whole range', async () => {
    const store = await newStore();
    const client = sandboxClient({ ...sb, apiKey: 'wrong-key' });
    const c = await windowedFetch({ client, query, store, windowMs: DAY_MS });
    assert.equal(c.complete, false);
    assert.equal(c.error?.status, 401);
    const covered = c.missing.reduce((s, m) => s + (m.end - m.start), 0);
    assert.equal(covered, query.end! - query.start!, 'every part of the range is listed missing');
    assert.equal(c.missing[0]!.start, query.start);
    assert.equal(c.missing[c.missing.length - 1]!.end, query.end);
    assert.ok(!JSON.stringify(c).includes('wrong-key'), 'the key is never in the result');
    await store.close();
  });

  it('cancels: stops, says cancelled, lists what was not fetched', async () => {
    const store = await newStore();
    const ac = new AbortController();
    sb.setFaults({ mode: 'slow', slowChunkDelayMs: 20 });
    const c = await windowedFetch({
      client: sandboxClient(sb),
      query,
      store,
      windowMs: HOUR_MS * 6,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.events > 0) ac.abort();
      },
    });
    assert.equal(c.complete, false);
    assert.equal(c.cancelled, true);
    assert.ok(c.missing.length >= 1);
    assert.equal(c.missing[c.missing.length - 1]!.end, query.end);
    const kept = store.index.length;
    // What is stored plus what is missing is the whole: resume completes it.
    sb.setFaults({ mode: 'none' });
    const resumed = await windowedFetch({ client: sandboxClient(sb), query, store, only: c.missing });
    assert.equal(resumed.complete, true);
    assert.ok(store.index.length > kept);
    assert.deepEqual(canonical(await storedEvents(store)), expected);
    await store.close();
  });

  it('fetches a query without start as one window', async () => {
    const store = await newStore();
    const q: EventQuery = { ...query, start: undefined, end: query.end };
    let windows = 0;
    const c = await windowedFetch({
      client: sandboxClient(sb),
      query: q,
      store,
      onProgress: (p) => {
        windows = p.windows;
        // No start: nothing to measure a share of the range by.
        assert.equal(p.done, undefined);
      },
    });
    assert.equal(c.complete, true);
    assert.equal(windows, 1);
    assert.deepEqual(canonical(await storedEvents(store)), canonical(sb.expectedEvents(campaign.id, q)));
    // Its hole (recorded from 0) is resumed as one request too, not as windows from 1970.
    windows = 0;
    const again = await windowedFetch({
      client: sandboxClient(sb),
      query: q,
      store,
      only: [{ start: 0, end: query.end!, reason: 'x' }],
      onProgress: (p) => (windows = p.windows),
    });
    assert.equal(again.complete, true);
    assert.equal(windows, 1);
    await store.close();
  });

  it('throws for programmer errors, not for API errors', async () => {
    const store = await newStore();
    await assert.rejects(
      windowedFetch({ client: sandboxClient(sb), query: { ...query, campaignId: '' }, store }),
      /invalid query/,
    );
    await store.close();
  });
});

/**
 * The cut logic at its edge, which the sandbox's data rarely reaches: many events sharing one
 * timestamp. A minimal in-memory stand-in for the server applies NP6's documented semantics
 * ([start, end), ascending sort) to a fixed list.
 */
class ListClient extends Np6Client {
  requests: EventQuery[] = [];
  constructor(private readonly events: Np6Event[]) {
    super({ baseUrl: 'http://127.0.0.1:9', apiKey: 'unused' });
  }
  override async *streamRecords(q: EventQuery): AsyncGenerator<EventRecord> {
    this.requests.push(q);
    const inRange = this.events
      .filter(
        (e) =>
          (q.start === undefined || e.timestamp >= q.start) && (q.end === undefined || e.timestamp < q.end),
      )
      .sort((a, b) => a.timestamp - b.timestamp);
    for (const e of inRange) {
      await Promise.resolve();
      yield { event: e, json: JSON.stringify(e) };
    }
  }
}

describe('windowedFetch (cut edge cases)', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeDir(dir));

  it('loses no event sharing the timestamp where a window is cut', async () => {
    // 40 instants, 10 events at each.
    const events: Np6Event[] = [];
    for (let t = 0; t < 40; t++) {
      for (let k = 0; k < 10; k++) {
        events.push({ type: 'hit', id: `e${t}-${k}`, timestamp: 10_000 + t * 1000 });
      }
    }
    const query: EventQuery = {
      campaignId: 'c',
      endpoint: 'campaign',
      itemsEvents: [allEmailEvents()],
      start: 0,
      end: 100_000,
      sort: 'none',
    };
    const client = new ListClient(events);
    const store = await ResultStore.create(dir, { id: 'r', campaignLabel: 'c', query });
    const c = await windowedFetch({
      client,
      query,
      store,
      windowMs: 100_000,
      policy: { targetEvents: 20, maxEvents: 25, minWindowMs: 1 },
    });
    assert.equal(c.complete, true);
    assert.ok(
      client.requests.length > 10,
      `the window was cut many times (${client.requests.length} requests)`,
    );
    assert.ok(
      client.requests.every((r) => r.sort === 'asc'),
      'every window is asked sorted',
    );
    assert.deepEqual(canonical(await storedEvents(store)), canonical(events));
    await store.close();
  });
});
