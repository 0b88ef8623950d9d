import assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  IndexBuilder,
  clientText,
  linkKey,
  recipientLabelText,
  userAgentText,
  type EventIndex,
} from '../../../src/core/eventIndex';
import { ResultStore } from '../../../src/core/resultStore';
import type { Np6Event } from '../../../src/np6/events';
import { allEmailEvents, type EventQuery } from '../../../src/np6/query';
import { record, removeDir, tempDir } from './scaleHelpers';

const QUERY: EventQuery = {
  campaignId: 'camp-1',
  endpoint: 'campaign',
  itemsEvents: [allEmailEvents()],
  start: 0,
  end: 1_000_000,
  sort: 'none',
};

/** A hit with a full client block: device, OS, browser and user agent. */
function hit(i: number, ua: string, recipient = `c${i % 3}`): Np6Event {
  return {
    type: 'hit',
    id: `h${i}`,
    timestamp: 1000 + i,
    source: {
      type: 'email',
      detail: {
        activation: {
          id: 'ITEM1',
          receiver: { type: 'footprint', id: recipient, unicity: `${recipient}@x.org` },
        },
        link: { type: 'redirection', destination: `https://x.org/${i % 2}` },
        client: {
          ip: '192.0.2.1',
          ua: {
            ua,
            os: { name: 'iOS' },
            device: { brand: 'Apple', name: 'iPhone' },
            client: { name: 'Safari' },
          },
        },
      },
    },
  };
}

/** Events with parts missing, empty or of the wrong type: none of them may become a string. */
const odd: Np6Event[] = [
  // No detail at all, no timestamp.
  { type: 'execution', id: 'x1' } as Np6Event,
  // A client whose fields are not strings, an empty user agent.
  {
    type: 'hit',
    id: 'x2',
    timestamp: 5,
    source: { type: 'email', detail: { client: { ua: { ua: '', os: { name: true }, device: ['a'] } } } },
  },
  // A recipient label equal to its key (no label), and a type that is not a string.
  {
    type: 7,
    id: 'x3',
    timestamp: 6,
    source: { type: 'email', detail: { activation: { id: 'I', recipient: 'a@x.org' } } },
  } as unknown as Np6Event,
  // A client with an OS only.
  {
    type: 'hit',
    id: 'x4',
    timestamp: 7,
    source: { type: 'email', detail: { client: { ua: { os: { family: 'Linux' } } } } },
  },
];

function row(ix: EventIndex, i: number): Record<string, string | number | undefined> {
  const s = (t: readonly string[], c: number): string | undefined => (c >= 0 ? t[c] : undefined);
  return {
    ts: ix.timestamp(i),
    kind: s(ix.kinds, ix.kindCode(i)),
    item: s(ix.items, ix.itemCode(i)),
    recipient: s(ix.recipients, ix.recipientCode(i)),
    link: s(ix.links, ix.linkCode(i)),
    client: s(ix.clients, ix.clientCode(i)),
    agent: s(ix.agents, ix.agentCode(i)),
    label: s(ix.labels, ix.labelCode(i)),
  };
}

describe('event index columns (client, user agent, recipient label)', () => {
  it('captures them as events are added, interning each string once', () => {
    const ix = new IndexBuilder();
    const events = Array.from({ length: 3000 }, (_, i) => hit(i, `Mozilla/5.0 (UA ${i % 4})`));
    events.forEach((e, i) => ix.add(e, i * 10, 9));
    assert.equal(ix.length, 3000);
    assert.deepEqual(row(ix, 5), {
      ts: 1005,
      kind: 'hit:redirection',
      item: 'ITEM1',
      recipient: 'c2',
      link: 'https://x.org/1',
      client: 'Apple iPhone / iOS · Safari',
      agent: 'Mozilla/5.0 (UA 1)',
      label: 'c2@x.org',
    });
    assert.deepEqual(ix.clients, ['Apple iPhone / iOS · Safari'], 'one client string for 3000 events');
    assert.equal(ix.agents.length, 4);
    assert.equal(ix.labels.length, 3);
    // The helpers the timeline's detail and the e2e tests use read the same strings.
    assert.equal(clientText(events[5]!), row(ix, 5).client);
    assert.equal(userAgentText(events[5]!), row(ix, 5).agent);
    assert.equal(recipientLabelText(events[5]!), row(ix, 5).label);
    assert.equal(linkKey(events[5]!), row(ix, 5).link);
  });

  it('leaves missing, empty and non-string fields as "none" (-1), never as a string', () => {
    const ix = new IndexBuilder();
    odd.forEach((e, i) => ix.add(e, i, 1));
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => [ix.clientCode(i), ix.agentCode(i), ix.labelCode(i)]),
      [
        [-1, -1, -1],
        [-1, -1, -1],
        [-1, -1, -1],
        [0, -1, -1],
      ],
    );
    assert.deepEqual(ix.clients, ['Linux']);
    assert.deepEqual(ix.agents, []);
    assert.deepEqual(ix.labels, []);
    assert.ok(Number.isNaN(ix.timestamp(0)), 'no timestamp is NaN');
    assert.equal(ix.kinds[ix.kindCode(2)], '(no type)');
    assert.throws(() => ix.clientCode(4), RangeError);
  });

  it('does not grow the label table with the events when a recipient changes label', () => {
    const ix = new IndexBuilder();
    const labelled = (i: number, unicity: string): Np6Event => {
      const e = hit(i, 'UA', 'c0');
      const detail = (e.source as { detail: { activation: { receiver: { unicity: string } } } }).detail;
      detail.activation.receiver.unicity = unicity;
      return e;
    };
    for (let i = 0; i < 200; i++) ix.add(labelled(i, i % 2 ? 'b@x.org' : 'a@x.org'), i, 1);
    assert.ok(ix.labels.length <= 3, `labels: ${ix.labels.length}`);
    assert.equal(ix.labels[ix.labelCode(198)], 'a@x.org');
    assert.equal(ix.labels[ix.labelCode(199)], 'b@x.org');
  });

  it('keeps the columns across growth (past its initial capacity)', () => {
    const ix = new IndexBuilder();
    for (let i = 0; i < 5000; i++) ix.add(hit(i, `UA${i}`), i, 1);
    assert.equal(ix.agents[ix.agentCode(0)], 'UA0');
    assert.equal(ix.agents[ix.agentCode(4999)], 'UA4999');
    assert.equal(ix.labels[ix.labelCode(4999)], `c${4999 % 3}@x.org`);
  });

  describe('a result re-opened by scan', () => {
    let dir: string;
    beforeEach(() => {
      dir = tempDir('np6-index-');
    });
    afterEach(() => removeDir(dir));

    it('rebuilds the same columns and string tables as the ingest', async () => {
      const at = path.join(dir, 'r');
      const store = await ResultStore.create(at, { id: 'r', campaignLabel: 'C', query: QUERY });
      const events = [...odd, ...Array.from({ length: 2500 }, (_, i) => hit(i, `UA ${i % 9}`, `c${i % 40}`))];
      for (const e of events) store.append(record(e));
      await store.finish({ complete: true, missing: [] });
      const live = store.index;
      const ingest = Array.from({ length: live.length }, (_, i) => row(live, i));
      const tables = { clients: [...live.clients], agents: [...live.agents], labels: [...live.labels] };
      await store.close();

      const reopened = await ResultStore.open(at);
      try {
        const ix = reopened.index;
        assert.equal(ix.length, events.length);
        assert.deepEqual(
          Array.from({ length: ix.length }, (_, i) => row(ix, i)),
          ingest,
          'every row reads the same',
        );
        assert.deepEqual(
          { clients: ix.clients, agents: ix.agents, labels: ix.labels },
          tables,
          'and the codes are the same',
        );
      } finally {
        await reopened.close();
      }
    });
  });
});
