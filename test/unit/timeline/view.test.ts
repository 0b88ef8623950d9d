import assert from 'node:assert/strict';
import { BatchBuilder, type RowStrings } from '../../../src/shared/timeline/batch';
import { EventTable } from '../../../src/shared/timeline/eventTable';
import { EMPTY_FILTER, isFilterActive, type TimelineFilter } from '../../../src/shared/timeline/filter';
import { indexBitmap, selectByArrivalIndex } from '../../../src/shared/timeline/selectRecords';
import {
  buildView,
  buildViewGrowth,
  buildViewSteps,
  extendView,
  laneCountsIn,
  nearestInLane,
  positionInView,
  windowRange,
} from '../../../src/shared/timeline/view';
import { runSliced } from '../../../src/shared/steps';

const KINDS = ['execution', 'activation', 'hit:open', 'hit:redirection', 'bounce'];

/** Random rows and the same rows as plain objects, to check the view against plain filtering. */
function fixture(n: number): { table: EventTable; rows: (RowStrings & { ts: number })[] } {
  let seed = 3;
  const rnd = (k: number): number =>
    Math.floor(((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * k);
  const rows = Array.from({ length: n }, () => ({
    ts: 1_000_000 + rnd(100_000),
    kind: KINDS[rnd(KINDS.length)] as string,
    item: `I${rnd(3)}`,
    recipient: `R${rnd(40)}`,
    link: rnd(2) ? `https://shop.example/p${rnd(5)}` : undefined,
    agent: rnd(3) ? undefined : `Mozilla (Android ${rnd(3)})`,
    label: `user${rnd(40)}@mail.example`,
  }));
  const b = new BatchBuilder();
  const table = new EventTable();
  rows.forEach((r, i) => {
    b.addRow(r.ts, r);
    if (i % 97 === 0) table.append(b.take());
  });
  table.append(b.take());
  return { table, rows };
}

function plainFilter(rows: (RowStrings & { ts: number })[], f: TimelineFilter): number[] {
  const text = f.text.trim().toLowerCase();
  return rows
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => !f.hiddenKinds.includes(r.kind))
    .filter(({ r }) => f.items.length === 0 || (r.item !== undefined && f.items.includes(r.item)))
    .filter(({ r }) => f.recipient === undefined || r.recipient === f.recipient)
    .filter(({ r }) => f.link === undefined || r.link === f.link)
    .filter(({ i }) => f.arrival === undefined || (i >= f.arrival.from && i < f.arrival.to))
    .filter(
      ({ r }) =>
        !text ||
        [r.recipient, r.link, r.client, r.agent, r.label].some(
          (s) => s !== undefined && s.toLowerCase().includes(text),
        ),
    )
    .sort((a, b) => a.r.ts - b.r.ts || a.i - b.i)
    .map(({ i }) => i);
}

describe('timeline view and filters', () => {
  const { table, rows } = fixture(3000);
  const filters: TimelineFilter[] = [
    EMPTY_FILTER,
    { hiddenKinds: ['activation', 'bounce'], items: [], text: '' },
    { hiddenKinds: [], items: ['I1'], text: '' },
    { hiddenKinds: [], items: [], text: 'ANDROID 2' },
    { hiddenKinds: [], items: [], text: 'p3' },
    { hiddenKinds: [], items: [], text: 'user7@' },
    { hiddenKinds: [], items: [], text: '', recipient: 'R5' },
    { hiddenKinds: ['execution'], items: ['I0', 'I2'], text: 'shop', link: 'https://shop.example/p1' },
    { hiddenKinds: [], items: [], text: '', recipient: 'not-there' },
    { hiddenKinds: [], items: [], text: '', arrival: { from: 2900, to: 3000 } },
    { hiddenKinds: ['bounce'], items: [], text: 'user1', arrival: { from: 2500, to: 2800 } },
  ];

  for (const f of filters) {
    it(`matches plain filtering for ${JSON.stringify(f)}`, () => {
      const v = buildView(table, f);
      assert.deepEqual(Array.from(v.order), plainFilter(rows, f));
      assert.equal(isFilterActive(f), f !== EMPTY_FILTER);
      // Lanes ignore the kind filter (their legend still counts) but apply all the others.
      for (const lane of v.lanes) {
        const expected = plainFilter(rows, { ...f, hiddenKinds: [] }).filter(
          (i) => rows[i]?.kind === lane.kind,
        );
        assert.deepEqual(Array.from(lane.index), expected, lane.kind);
        assert.equal(lane.visible, !f.hiddenKinds.includes(lane.kind));
      }
    });
  }

  it('marks the events new since the last view, per lane and in the filtered count', () => {
    const mark = { from: 2950, to: 3000 };
    const f: TimelineFilter = { hiddenKinds: ['bounce'], items: [], text: '' };
    const v = buildView(table, f, mark);
    const isNew = (i: number): boolean => i >= mark.from && i < mark.to;
    assert.equal(v.newCount, plainFilter(rows, f).filter(isNew).length);
    assert.ok(v.newCount > 0 && v.newCount < 50, `some new events pass (${v.newCount})`);
    for (const lane of v.lanes) {
      const expected = plainFilter(rows, { ...f, hiddenKinds: [] })
        .filter((i) => rows[i]?.kind === lane.kind && isNew(i))
        .map((i) => rows[i]?.ts);
      assert.deepEqual(Array.from(lane.newTs), expected, lane.kind);
    }
    // Without a mark nothing is new.
    const plain = buildView(table, f);
    assert.equal(plain.newCount, 0);
    assert.ok(plain.lanes.every((l) => l.newTs.length === 0));
  });

  it('orders lanes along the message journey', () => {
    assert.deepEqual(
      buildView(table, EMPTY_FILTER).lanes.map((l) => l.kind),
      ['execution', 'activation', 'hit:open', 'hit:redirection', 'bounce'],
    );
  });

  it('counts the events of a window, per lane and in total', () => {
    const v = buildView(table, EMPTY_FILTER);
    const w = { start: 1_020_000, end: 1_040_000 };
    const inWindow = rows.filter((r) => r.ts >= w.start && r.ts < w.end);
    const { lo, hi } = windowRange(v, w);
    assert.equal(hi - lo, inWindow.length);
    const per = laneCountsIn(v, w);
    for (const k of KINDS) assert.equal(per.get(k), inWindow.filter((r) => r.kind === k).length, k);
  });

  it('finds the nearest event of a lane and its position in the list', () => {
    const v = buildView(table, EMPTY_FILTER);
    const lane = v.lanes[0];
    assert.ok(lane);
    const target = lane.ts[10] as number;
    const hit = nearestInLane(lane, target + 0.4, 1);
    assert.ok(hit);
    assert.equal(hit.time, target);
    assert.equal(rows[hit.index]?.ts, target);
    assert.equal(nearestInLane(lane, -1e9, 10), undefined);
    const pos = positionInView(v, hit.time, hit.index);
    assert.equal(v.order[pos], hit.index);
  });

  it('selects records by arrival index with a bitmap', async () => {
    const bits = indexBitmap([0, 9, 17], 20);
    assert.deepEqual(Array.from(bits), [0b1, 0b10, 0b10]);
    async function* gen(): AsyncGenerator<string> {
      for (let i = 0; i < 20; i++) yield await Promise.resolve(`r${i}`);
    }
    const got: string[] = [];
    for await (const r of selectByArrivalIndex(gen(), [17, 0, 9, 99], 20)) got.push(r);
    assert.deepEqual(got, ['r0', 'r9', 'r17']);
  });

  // While rows stream in, the page builds the view a slice at a time; batches land in between and
  // merge into the table's time order in place.
  it('a view built in slices covers the rows held when it began, whatever lands in between', async () => {
    const { rows } = fixture(30_000);
    const b = new BatchBuilder();
    const table = new EventTable();
    const before = new EventTable();
    // Two batches, so that the table's arrays have room (34,000) for the third without moving.
    for (const [from, to] of [
      [0, 17_000],
      [17_000, 20_000],
    ] as const) {
      rows.slice(from, to).forEach((r) => b.addRow(r.ts, r));
      const batch = b.take();
      table.append(batch);
      before.append(batch);
    }
    const orderArray = table.order;
    rows.slice(20_000).forEach((r) => b.addRow(r.ts, r));
    const rest = b.take();
    const f = { ...EMPTY_FILTER, hiddenKinds: ['bounce'] };
    let pauses = 0;
    const view = await runSliced(buildViewSteps(table, f), {
      maybeYield: async () => {
        // Earlier times than many held rows: the merge moves them in the order arrays.
        if (++pauses === 1) table.append(rest);
        await new Promise<void>((r) => setImmediate(r));
      },
    });
    assert.ok(pauses >= 2, `${pauses} pauses`);
    assert.equal(table.length, 30_000);
    assert.equal(table.order, orderArray, 'the rows merged in place');
    assert.deepEqual(view, buildView(before, f));
  });

  /** Rows in time order, appended batch by batch, like a fetch in ascending windows. */
  function inTimeOrder(n: number): (RowStrings & { ts: number })[] {
    const { rows } = fixture(n);
    const sorted = rows.slice().sort((a, b) => a.ts - b.ts);
    // A kind that only appears late, and recipients that only exist after the first view.
    sorted.slice(n - 40).forEach((r, j) => {
      if (j % 3 === 0) r.kind = 'complaint';
      if (j % 4 === 0) r.recipient = `Late${j}`;
    });
    return sorted;
  }

  const extensionFilters: TimelineFilter[] = [
    EMPTY_FILTER,
    { hiddenKinds: ['activation'], items: ['I0', 'I2'], text: '' },
    { hiddenKinds: [], items: [], text: 'late' },
    { hiddenKinds: [], items: [], text: '', recipient: 'Late8' },
    { hiddenKinds: ['complaint'], items: [], text: 'android', arrival: { from: 100, to: 5000 } },
  ];
  for (const f of extensionFilters) {
    it(`a view extended batch by batch equals one built from every row: ${JSON.stringify(f)}`, () => {
      const rows = inTimeOrder(6000);
      const mark = { from: 4000, to: 5900 };
      const b = new BatchBuilder();
      const table = new EventTable();
      const append = (from: number, to: number): void => {
        rows.slice(from, to).forEach((r) => b.addRow(r.ts, r));
        table.append(b.take());
      };
      append(0, 1000);
      const g = buildViewGrowth(table, f, mark);
      const snapshots: { view: ReturnType<typeof buildView>; copy: ReturnType<typeof buildView> }[] = [];
      for (let from = 1000; from < rows.length; from += 700) {
        snapshots.push({ view: g.view, copy: structuredClone(g.view) });
        append(from, Math.min(rows.length, from + 700));
        assert.equal(extendView(g, table, f, mark), g, `extended at ${from}`);
        assert.deepEqual(g.view, buildView(table, f, mark), `the same view after rows up to ${from + 700}`);
      }
      const late = g.view.lanes.find((l) => l.kind === 'complaint');
      assert.ok(late, 'the kind that appeared late has its lane');
      if (f === EMPTY_FILTER) assert.equal(late.ts.length, 14);
      // What the page drew before stays as it was: an extension only writes past a view's end.
      for (const s of snapshots) assert.deepEqual(s.view, s.copy);
    });
  }

  it('is not extended once held rows moved in the time order, or after a clear', () => {
    const rows = inTimeOrder(3000);
    const b = new BatchBuilder();
    const table = new EventTable();
    rows.slice(0, 2000).forEach((r) => b.addRow(r.ts, r));
    table.append(b.take());
    const g = buildViewGrowth(table, EMPTY_FILTER);
    // Later rows, then one earlier than many held: the merge moves held rows.
    rows.slice(2000, 2500).forEach((r) => b.addRow(r.ts, r));
    table.append(b.take());
    assert.ok(extendView(g, table, EMPTY_FILTER), 'later rows extend it');
    b.addRow(rows[10]!.ts, rows[10]!);
    table.append(b.take());
    assert.equal(extendView(g, table, EMPTY_FILTER), undefined);
    const again = buildViewGrowth(table, EMPTY_FILTER);
    assert.deepEqual(Array.from(again.view.order).slice(0, 12), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 2500]);
    table.clear();
    assert.equal(extendView(again, table, EMPTY_FILTER), undefined);
  });
});
