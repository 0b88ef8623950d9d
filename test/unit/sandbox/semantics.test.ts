// What the sandbox answers: range bounds, sort, unsorted order, filters, both endpoints, and that
// expectedEvents() is exactly what the server streams. Oracles are computed in the test from the
// full, unfiltered answer, never copied from an output.

import assert from 'node:assert/strict';

import { eventItemId, eventKind, hitSubtype, HIT_SUBTYPES, type Np6Event } from '../../../src/np6/events';
import { startSandbox, type RunningSandbox } from '../../../src/demo/sandbox/server';
import { events, everything, ids, post, queryFor } from './helpers';

describe('sandbox semantics', () => {
  let sb: RunningSandbox;
  /** Weekly Newsletter: 3 items. */
  let c: RunningSandbox['campaigns'][number];
  let all: Np6Event[];
  before(async () => {
    sb = await startSandbox({ seed: 42 });
    c = sb.campaigns[1]!;
    all = await events(sb, `/campaigns/${c.id}/events?sort=asc`);
  });
  after(() => sb.close());

  const path = (qs = '') => `/campaigns/${c.id}/events${qs}`;

  it('serves a realistic funnel: every generated type and every hit subtype', () => {
    const kinds = new Set(all.map(eventKind));
    for (const k of [
      'execution',
      'activation',
      'bounce',
      'cancellation',
      ...HIT_SUBTYPES.map((s) => `hit:${s}`),
    ]) {
      assert.ok(kinds.has(k), `no ${k} among ${all.length} events`);
    }
    assert.ok(Math.abs(all.length - c.approxEvents) <= c.approxEvents * 0.05);
    for (const e of all) assert.ok(e.timestamp >= c.start && e.timestamp < c.end);
  });

  it('includes an event exactly at start and excludes one exactly at end', async () => {
    const t1 = all[Math.floor(all.length / 3)]!.timestamp;
    const t2 = all[Math.floor((2 * all.length) / 3)]!.timestamp;
    const got = await events(sb, path(`?start=${t1}&end=${t2}&sort=asc`));
    assert.deepEqual(ids(got), ids(all.filter((e) => e.timestamp >= t1 && e.timestamp < t2)));
    assert.equal(got[0]!.timestamp, t1);
    assert.ok(got.every((e) => e.timestamp !== t2));
    assert.ok(all.some((e) => e.timestamp === t2));
  });

  it('adjacent windows partition the campaign: none lost, none twice', async () => {
    const bounds = [c.start, c.start + 3600_000, c.start + 86_400_000, c.start + 7 * 86_400_000];
    bounds.push(all[all.length - 5]!.timestamp, c.end);
    const parts: Np6Event[] = [];
    for (let i = 1; i < bounds.length; i++) {
      parts.push(...(await events(sb, path(`?start=${bounds[i - 1]}&end=${bounds[i]}&sort=asc`))));
    }
    assert.deepEqual(ids(parts), ids(all));
  });

  it('an empty range gives an empty array', async () => {
    assert.deepEqual(await events(sb, path(`?start=${c.end}&end=${c.end + 3600_000}`)), []);
    const t = all[10]!.timestamp;
    assert.deepEqual(await events(sb, path(`?start=${t}&end=${t}`)), []);
  });

  it('sorts ascending and descending on the timestamp', async () => {
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1]!.timestamp <= all[i]!.timestamp);
    const desc = await events(sb, path('?sort=desc'));
    for (let i = 1; i < desc.length; i++) assert.ok(desc[i - 1]!.timestamp >= desc[i]!.timestamp);
    assert.deepEqual(new Set(ids(desc)), new Set(ids(all)));
    assert.equal(desc.length, all.length);
  });

  it('without sort, two identical requests hold the same events in different orders', async () => {
    const a = await events(sb, path());
    const b = await events(sb, path());
    assert.notDeepEqual(ids(a), ids(b));
    assert.notDeepEqual(ids(a), ids(all));
    assert.deepEqual([...ids(a)].sort(), [...ids(all)].sort());
    assert.deepEqual([...ids(b)].sort(), [...ids(all)].sort());
  });

  it('shuffles small campaigns too: consecutive unsorted requests never repeat an order', async () => {
    const welcome = sb.campaigns[2]!;
    const orders: string[] = [];
    for (let i = 0; i < 4; i++) orders.push(ids(await events(sb, `/campaigns/${welcome.id}/events`)).join());
    for (let i = 1; i < orders.length; i++) assert.notEqual(orders[i], orders[i - 1]);
    assert.equal(new Set(orders.map((o) => o.split(',').sort().join())).size, 1);
  });

  it('never repeats an event id', () => {
    assert.equal(new Set(ids(all)).size, all.length);
  });

  it('filters by event type', async () => {
    const got = await events(sb, path('?sort=asc'), {
      itemsEvents: [{ type: 'email', events: [{ type: 'activation' }, { type: 'bounce' }] }],
    });
    assert.deepEqual(ids(got), ids(all.filter((e) => e.type === 'activation' || e.type === 'bounce')));
  });

  it('filters hits by subtype, and takes all subtypes when none are given', async () => {
    const got = await events(sb, path('?sort=asc'), {
      itemsEvents: [{ type: 'email', events: [{ type: 'hit', subtypes: ['open', 'redirection'] }] }],
    });
    const want = all.filter((e) => e.type === 'hit' && ['open', 'redirection'].includes(hitSubtype(e) ?? ''));
    assert.ok(want.length > 0);
    assert.deepEqual(ids(got), ids(want));
    const hits = await events(sb, path('?sort=asc'), {
      itemsEvents: [{ type: 'email', events: [{ type: 'hit' }] }],
    });
    assert.deepEqual(ids(hits), ids(all.filter((e) => e.type === 'hit')));
  });

  it('narrows by items on the campaign endpoint, accepting item ids as given', async () => {
    const [a, b] = [c.items[0]!.id, c.items[2]!.id];
    const got = await events(sb, path('?sort=asc'), everything([a, b]));
    const want = all.filter((e) => [a, b].includes(eventItemId(e) ?? ''));
    assert.ok(want.length > 0 && want.length < all.length);
    assert.deepEqual(ids(got), ids(want));
  });

  it('gives nothing for another channel or an unknown item', async () => {
    const sms = await events(sb, path(), { itemsEvents: [{ type: 'sms', events: [{ type: 'hit' }] }] });
    assert.deepEqual(sms, []);
    assert.deepEqual(await events(sb, path(), everything(['NOPE42'])), []);
  });

  it('unions several itemsEvents entries', async () => {
    const [a, b] = [c.items[0]!.id, c.items[1]!.id];
    const got = await events(sb, path('?sort=asc'), {
      itemsEvents: [
        { type: 'email', items: [a], events: [{ type: 'execution' }] },
        { type: 'email', items: [b], events: [{ type: 'hit', subtypes: ['form'] }] },
      ],
    });
    const want = all.filter(
      (e) =>
        (eventItemId(e) === a && e.type === 'execution') ||
        (eventItemId(e) === b && hitSubtype(e) === 'form'),
    );
    assert.deepEqual(ids(got), ids(want));
  });

  it('serves the items endpoint for the listed items only, and needs items', async () => {
    const a = c.items[1]!.id;
    const got = await events(sb, `/campaigns/${c.id}/items/events?sort=asc`, everything([a]));
    assert.deepEqual(ids(got), ids(all.filter((e) => eventItemId(e) === a)));
    const res = await post(sb, `/campaigns/${c.id}/items/events`, everything());
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { message: string }).message, /items/);
  });

  it('expectedEvents() equals what the server streams, for every sort and a filter', async () => {
    const t1 = all[100]!.timestamp;
    const t2 = all[all.length - 100]!.timestamp;
    const filter = [
      { channel: 'email', events: [{ type: 'hit', subtypes: ['open'] }, { type: 'execution' }] },
    ];
    for (const sort of ['asc', 'desc'] as const) {
      const q = queryFor(c.id, { sort, start: t1, end: t2, itemsEvents: filter });
      const body = { itemsEvents: [{ type: 'email', events: filter[0]!.events }] };
      const served = await events(sb, path(`?start=${t1}&end=${t2}&sort=${sort}`), body);
      assert.deepEqual(served, [...sb.expectedEvents(c.id, q)]);
    }
    const unsorted = await events(sb, path());
    const expected = [...sb.expectedEvents(c.id, queryFor(c.id, { sort: 'none' }))];
    assert.deepEqual(expected, all, 'expectedEvents sorts ascending when the query has no sort');
    assert.deepEqual(
      [...unsorted].sort((x, y) => x.id.localeCompare(y.id)),
      [...expected].sort((x, y) => x.id.localeCompare(y.id)),
    );
  });

  it('expectedEvents() of the items endpoint without items throws like the server answers 400', () => {
    assert.throws(() => sb.expectedEvents(c.id, queryFor(c.id, { endpoint: 'items' })), /400/);
    assert.throws(() => sb.expectedEvents('unknown', queryFor('unknown')), /no campaign/);
  });

  it('is deterministic: the same seed gives the same bytes, another seed other data', async () => {
    const twin = await startSandbox({ seed: 42 });
    const other = await startSandbox({ seed: 43 });
    try {
      const body = everything();
      const p = `${path('?sort=desc')}`;
      const bytes = async (s: RunningSandbox) => Buffer.from(await (await post(s, p, body)).arrayBuffer());
      const a = await bytes(sb);
      assert.ok(a.equals(await bytes(twin)));
      assert.ok(!a.equals(await bytes(other)));
      assert.deepEqual(twin.campaigns, sb.campaigns);
    } finally {
      await Promise.all([twin.close(), other.close()]);
    }
  });

  it('mixes in an undocumented type and unknown fields in the Welcome Journey only', async () => {
    const welcome = sb.campaigns[2]!;
    const got = await events(sb, `/campaigns/${welcome.id}/events`);
    assert.ok(got.some((e) => e.type === 'delivery'));
    assert.ok(got.some((e) => 'trace' in e));
    assert.ok(!all.some((e) => e.type === 'delivery' || 'trace' in e));
  });

  it('returns the undocumented type with activations (a client cannot ask for a type it does not know)', async () => {
    const welcome = sb.campaigns[2]!;
    const full = await events(sb, `/campaigns/${welcome.id}/events?sort=asc`);
    const activations = await events(sb, `/campaigns/${welcome.id}/events?sort=asc`, {
      itemsEvents: [{ type: 'email', events: [{ type: 'activation' }] }],
    });
    assert.deepEqual(
      ids(activations),
      ids(full.filter((e) => e.type === 'activation' || e.type === 'delivery')),
    );
    const byName = await events(sb, `/campaigns/${welcome.id}/events?sort=asc`, {
      itemsEvents: [{ type: 'email', events: [{ type: 'delivery' }] }],
    });
    assert.deepEqual(ids(byName), ids(full.filter((e) => e.type === 'delivery')));
  });
});
