import assert from 'node:assert/strict';
import {
  BatchBuilder,
  codeColumn,
  deltaValues,
  packDelta,
  type TableDelta,
} from '../../../src/shared/timeline/batch';
import { batchFromIndex, noTablesSent, rowStrings } from '../../../src/core/timeline/eventRows';
import { IndexBuilder } from '../../../src/core/eventIndex';
import { EventTable } from '../../../src/shared/timeline/eventTable';
import { EMPTY_FILTER } from '../../../src/shared/timeline/filter';
import { buildView, windowRange } from '../../../src/shared/timeline/view';
import { eventItemId, eventKind, eventRecipient, type Np6Event } from '../../../src/np6/events';

/** A delta as plain strings, to compare. */
function plain(d: TableDelta | undefined): { from: number; values: string[] } | undefined {
  return d && { from: d.from, values: deltaValues(d) };
}

function ev(
  i: number,
  ts: number,
  kind: 'execution' | 'activation' | 'hit',
  recipient: string,
  ua?: string,
): Np6Event {
  const part = kind === 'execution' ? 'execution' : 'activation';
  return {
    type: kind,
    id: `e${i}`,
    timestamp: ts,
    source: {
      type: 'email',
      detail: {
        [part]: {
          id: i % 2 ? 'ITEM1' : 'ITEM2',
          recipient: { type: 'footprint', id: recipient, unicity: `${recipient}@x.org` },
        },
        ...(kind === 'hit'
          ? { link: { type: 'redirection', label: 'home', destination: 'https://x.org' } }
          : {}),
        ...(ua ? { client: { ua: { ua, os: { name: 'iOS' } } } } : {}),
      },
    },
  };
}

describe('timeline batch encoding', () => {
  const events = [
    ev(0, 500, 'execution', 'R1'),
    ev(1, 100, 'activation', 'R1'),
    ev(2, 300, 'hit', 'R2', 'Mozilla/5.0 (iPhone)'),
    ev(3, 300, 'hit', 'R1'),
    ev(4, 50, 'execution', 'R3'),
  ];

  it('round-trips events through batches into the table, with only new strings per batch', () => {
    const b = new BatchBuilder();
    const t = new EventTable();
    b.addRow((events[0] as Np6Event).timestamp, rowStrings(events[0] as Np6Event));
    b.addRow((events[1] as Np6Event).timestamp, rowStrings(events[1] as Np6Event));
    const first = b.take();
    assert.equal(first.from, 0);
    assert.deepEqual(plain(first.tables.recipients), { from: 0, values: ['R1'] });
    t.append(first);
    for (const e of events.slice(2)) b.addRow(e.timestamp, rowStrings(e));
    const second = b.take();
    assert.equal(second.from, 2);
    assert.deepEqual(
      plain(second.tables.recipients),
      { from: 1, values: ['R2', 'R3'] },
      'R1 is not sent again',
    );
    assert.equal(plain(second.tables.kinds)?.values.includes('execution'), false);
    t.append(second);
    assert.equal(t.length, events.length);
    events.forEach((e, i) => {
      const r = t.row(i);
      assert.equal(r.timestamp, e.timestamp);
      assert.equal(r.kind, eventKind(e));
      assert.equal(r.item, eventItemId(e));
      assert.equal(r.recipient, eventRecipient(e));
    });
    assert.equal(t.row(2).agent, 'Mozilla/5.0 (iPhone)');
    assert.equal(t.row(2).label, 'R2@x.org');
    assert.equal(t.row(2).link, 'https://x.org');
  });

  it('keeps a time-sorted order across batches (stable on ties)', () => {
    const b = new BatchBuilder();
    const t = new EventTable();
    for (const e of events.slice(0, 3)) b.addRow(e.timestamp, rowStrings(e));
    t.append(b.take());
    for (const e of events.slice(3)) b.addRow(e.timestamp, rowStrings(e));
    t.append(b.take());
    const expected = events
      .map((e, i) => [e.timestamp, i] as const)
      .sort((x, y) => x[0] - y[0] || x[1] - y[1])
      .map(([, i]) => i);
    assert.deepEqual(Array.from(t.order.subarray(0, t.length)), expected);
    assert.deepEqual(
      Array.from(t.sortedTs.subarray(0, t.length)),
      expected.map((i) => events[i]?.timestamp),
    );
    assert.equal(t.minTime, 50);
    assert.equal(t.maxTime, 500);
  });

  it('merges many random batches into the same order as one sort', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const b = new BatchBuilder();
    const t = new EventTable();
    const all: number[] = [];
    for (let k = 0; k < 30; k++) {
      const m = Math.floor(rnd() * 200);
      for (let j = 0; j < m; j++) {
        const ts = Math.floor(rnd() * 1000);
        all.push(ts);
        b.addRow(ts, { kind: 'hit:open' });
      }
      t.append(b.take());
    }
    const expected = all
      .map((ts, i) => [ts, i] as const)
      .sort((x, y) => x[0] - y[0] || x[1] - y[1])
      .map(([, i]) => i);
    assert.deepEqual(Array.from(t.order.subarray(0, t.length)), expected);
  });

  it('sorts events without a timestamp last and keeps them out of the time range', () => {
    const b = new BatchBuilder();
    const t = new EventTable();
    b.addRow(300, { kind: 'hit:open' });
    b.addRow(NaN, { kind: 'delivery' });
    b.addRow(100, { kind: 'execution' });
    t.append(b.take());
    b.addRow(NaN, { kind: 'delivery' });
    b.addRow(200, { kind: 'activation' });
    t.append(b.take());
    assert.deepEqual(Array.from(t.order.subarray(0, t.length)), [2, 4, 0, 1, 3]);
    assert.equal(t.untimed, 2);
    assert.equal(t.minTime, 100);
    assert.equal(t.maxTime, 300);
    const v = buildView(t, EMPTY_FILTER);
    assert.equal(v.order.length, 5, 'they still count as events');
    assert.deepEqual(windowRange(v, { start: 0, end: 1e15 }), { lo: 0, hi: 3 }, 'but no window holds them');
  });

  it('ignores a re-sent batch and refuses a gap', () => {
    const b = new BatchBuilder();
    const t = new EventTable();
    b.addRow((events[0] as Np6Event).timestamp, rowStrings(events[0] as Np6Event));
    const first = b.take();
    t.append(first);
    t.append(first);
    assert.equal(t.length, 1);
    b.addRow((events[1] as Np6Event).timestamp, rowStrings(events[1] as Np6Event));
    b.take(); // lost
    b.addRow((events[2] as Np6Event).timestamp, rowStrings(events[2] as Np6Event));
    assert.throws(() => t.append(b.take()), /starts at event 2 but 1 are held/);
  });

  it('encodes straight from a store index, client, user agent and label included', async () => {
    // As during a fetch: two events indexed and sent, then the rest.
    const index = new IndexBuilder();
    events.slice(0, 2).forEach((e, i) => index.add(e, i * 100, 99));
    const sent = noTablesSent();
    const t = new EventTable();
    t.append(await batchFromIndex(index, 0, 2, sent));
    events.slice(2).forEach((e, i) => index.add(e, (i + 2) * 100, 99));
    const again = await batchFromIndex(index, 2, events.length, sent);
    assert.equal(
      (plain(again.tables.kinds)?.values ?? []).includes('execution'),
      false,
      'a string is sent once',
    );
    assert.equal((plain(again.tables.recipients)?.values ?? []).includes('R1'), false, 'R1 was sent before');
    assert.deepEqual(plain(again.tables.agents), { from: 0, values: ['Mozilla/5.0 (iPhone)'] });
    t.append(again);
    assert.deepEqual(sent, {
      kinds: index.kinds.length,
      items: index.items.length,
      recipients: index.recipients.length,
      links: index.links.length,
      clients: 1,
      agents: 1,
      labels: 3,
    });
    // Every row reads back exactly as the event's own strings (one source of truth: rowStrings).
    events.forEach((e, i) => {
      const { timestamp, ...strings } = t.row(i);
      assert.equal(timestamp, e.timestamp);
      const want = Object.fromEntries(Object.entries(rowStrings(e)).filter(([, v]) => v !== undefined));
      const got = Object.fromEntries(Object.entries(strings).filter(([, v]) => v !== undefined));
      assert.deepEqual(got, want, `row ${i}`);
    });
    assert.equal(t.row(2).client, 'iOS');
    assert.equal(t.row(0).label, 'R1@x.org');
    assert.equal(t.row(0).agent, undefined);
  });

  it('yields while it builds a large batch, and rows appended meanwhile do not break it', async () => {
    const index = new IndexBuilder();
    const n = 20_000;
    for (let i = 0; i < n; i++) index.add(ev(i, i, 'hit', `R${i % 50}`, `UA ${i % 7}`), i * 10, 9);
    let yields = 0;
    const slice = {
      maybeYield: async (): Promise<void> => {
        yields++;
        // What may happen on the event loop meanwhile: the fetch appends a new string.
        index.add(ev(n + yields, 0, 'hit', `late${yields}`, `late UA ${yields}`), 0, 1);
        await new Promise<void>((r) => setImmediate(r));
      },
    };
    const sent = noTablesSent();
    const batch = await batchFromIndex(index, 0, n, sent, slice);
    assert.ok(yields >= 4, `it offered the event loop a turn (${yields} times)`);
    assert.equal(batch.count, n);
    const t = new EventTable();
    t.append(batch);
    assert.equal(t.row(n - 1).agent, `UA ${(n - 1) % 7}`);
    assert.equal(t.row(n - 1).recipient, `R${(n - 1) % 50}`);
    // The late rows and their strings follow in the next batch.
    t.append(await batchFromIndex(index, n, index.length, sent));
    assert.equal(t.row(index.length - 1).agent, `late UA ${yields}`);
  });

  it('carries only the strings its rows use: those of rows not sent yet go with them', async () => {
    // A page that loads while the fetch runs finds rows (and their strings) far past its first batch.
    const index = new IndexBuilder();
    const n = 1000;
    for (let i = 0; i < n; i++) index.add(ev(i, i, 'hit', `R${i}`, `UA ${i % 10}`), i * 10, 9);
    const sent = noTablesSent();
    const first = await batchFromIndex(index, 0, 100, sent);
    assert.deepEqual(
      plain(first.tables.recipients)?.values,
      Array.from({ length: 100 }, (_, i) => `R${i}`),
      'the recipients of the first 100 rows, not all 1,000',
    );
    assert.equal(sent.recipients, 100);
    assert.equal(sent.agents, 10, 'every agent is used by the first rows already');
    const second = await batchFromIndex(index, 100, n, sent);
    assert.equal(plain(second.tables.recipients)?.from, 100);
    assert.equal(plain(second.tables.recipients)?.values.length, 900);
    assert.equal(second.tables.agents, undefined, 'nothing new to send');
    const t = new EventTable();
    t.append(first);
    t.append(second);
    assert.equal(t.row(999).recipient, 'R999');
    assert.equal(t.row(5).agent, 'UA 5');
  });

  it("a code column is the narrowest signed array that holds its table's largest code and -1", () => {
    for (const [size, kind] of [
      [0, Int8Array],
      [127, Int8Array],
      [128, Int16Array],
      [32_767, Int16Array],
      [32_768, Int32Array],
      [5_000_000, Int32Array],
    ] as const) {
      const c = codeColumn(2, size);
      assert.ok(c instanceof kind, `table of ${size}: ${c.constructor.name}`);
      c[0] = size - 1;
      c[1] = -1;
      assert.deepEqual([...c], [size - 1, -1], `table of ${size}`);
    }
  });

  it('sends codes in narrow columns that the table reads back as the strings, across the widths', async () => {
    // 40,000 recipients (two events in three have one) need 32-bit codes, 300 links 16-bit ones, the kinds and items one byte;
    // every third event has no recipient and every fifth no link (code -1).
    const index = new IndexBuilder();
    const n = 60_000;
    const events: Np6Event[] = [];
    for (let i = 0; i < n; i++) {
      const e = ev(i, 1000 + i, i % 5 === 0 ? 'activation' : 'hit', `R${i}`);
      const detail = (e.source as { detail: Record<string, Record<string, unknown>> }).detail;
      if (i % 3 === 0) delete detail.activation?.recipient;
      if (detail.link) detail.link.destination = `https://x.org/${i % 300}`;
      events.push(e);
      index.add(e, i * 100, 99);
    }
    const sent = noTablesSent();
    const t = new EventTable();
    const first = await batchFromIndex(index, 0, 100, sent);
    const rest = await batchFromIndex(index, 100, n, sent);
    assert.ok(rest.kind instanceof Int8Array && rest.item instanceof Int8Array, 'kinds and items in a byte');
    assert.ok(rest.link instanceof Int16Array, `300 links: ${rest.link.constructor.name}`);
    assert.ok(rest.recipient instanceof Int32Array, `${index.recipients.length} recipients`);
    t.append(first);
    t.append(rest);
    events.forEach((e, i) => {
      const want = rowStrings(e);
      const got = t.row(i);
      assert.equal(got.recipient, want.recipient, `row ${i} recipient`);
      assert.equal(got.link, want.link, `row ${i} link`);
      assert.equal(got.kind, want.kind, `row ${i} kind`);
    });
    assert.equal(t.row(3).recipient, undefined, 'no recipient stays none');
    assert.equal(t.row(59_998).recipient, 'R59998');
  });

  it('keeps every row in a stable time order whether a batch comes sorted, with ties, untimed rows or not', () => {
    // Each batch alone: ascending with ties, ascending then untimed (NaN), a NaN in the middle of
    // later times, descending; the order must be the stable sort by time (untimed last).
    const batches = [
      [10, 10, 11, 12, 12, 12],
      [13, 14, NaN, NaN],
      [20, NaN, 15, 16],
      [9, 8, 7],
      [30, 31],
    ];
    const b = new BatchBuilder();
    const t = new EventTable();
    const all: number[] = [];
    for (const times of batches) {
      for (const ts of times) {
        b.addRow(ts, { kind: 'execution' });
        all.push(ts);
      }
      t.append(b.take());
      const key = (i: number): number => (Number.isNaN(all[i]!) ? Infinity : all[i]!);
      const want = all.map((_, i) => i).sort((x, y) => key(x) - key(y) || x - y);
      assert.deepEqual(Array.from(t.order.subarray(0, t.length)), want, `after ${all.length} rows`);
      assert.equal(t.untimed, all.filter((x) => Number.isNaN(x)).length);
    }
  });

  it('a table delta travels as one string and its ends, and gives its strings back exactly', () => {
    const values = ['', 'R1', 'é ☕ 😀', 'a\u0000b', '"quoted", comma', '', 'x'.repeat(5000)];
    const d = packDelta(7, values);
    assert.equal(typeof d.text, 'string');
    assert.ok(d.ends instanceof Uint32Array);
    assert.deepEqual(deltaValues(d), values);
    assert.equal(d.from, 7);
    // Through the JSON VS Code's webview messages go through, the buffer aside.
    const revived = JSON.parse(JSON.stringify({ ...d, ends: [] })) as { text: string };
    assert.deepEqual(deltaValues({ ...d, text: revived.text }), values);
  });
});
