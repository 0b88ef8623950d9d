import assert from 'node:assert/strict';
import { IndexBuilder } from '../../../src/core/eventIndex';
import { computeStats } from '../../../src/core/stats/computeStats';
import { CLASS_HUMAN, CLASS_PROXY, CLASS_SCANNER, NOT_A_HIT } from '../../../src/core/classify/hitClass';
import { DELAY_BUCKETS } from '../../../src/core/stats/timeBuckets';
import type { ScopeStats } from '../../../src/core/stats/statsTypes';
import { makeCorpus, rng, type Fact } from './corpus';

function build(n: number, seed: number) {
  const { events, facts } = makeCorpus(n, seed);
  const index = new IndexBuilder();
  events.forEach((e, i) => index.add(e, i * 100, 99));
  const r = rng(seed ^ 0x55);
  const classes = new Uint8Array(n).fill(NOT_A_HIT);
  facts.forEach((f, i) => {
    if (f.type === 'hit') {
      classes[i] = [CLASS_HUMAN, CLASS_HUMAN, CLASS_PROXY, CLASS_SCANNER][Math.floor(r() * 4)]!;
    }
  });
  const only = new Uint8Array(Math.ceil(n / 8));
  for (let i = 0; i < n; i++) if (r() < 0.6) only[i >> 3]! |= 1 << (i & 7);
  return { index, facts, classes, only };
}

const isOpen = (f: Fact) => f.type === 'hit' && (f.sub === 'open' || f.sub === 'mirror');
const isClick = (f: Fact) => f.type === 'hit' && (f.sub === 'redirection' || f.sub === 'form');
const isUnsub = (f: Fact) => (f.type === 'hit' && f.sub === 'unsubscribe') || f.type === 'optout';

/** The funnel by the written definitions, event by event, with plain Maps and Sets. */
function naiveFunnel(
  facts: Fact[],
  keep: (i: number) => boolean,
  items: Set<string | undefined>,
  human: (i: number) => boolean,
) {
  const messages = new Map<string, { rec: string; types: Set<string>; humanTypes: Set<string> }>();
  facts.forEach((f, i) => {
    if (!keep(i) || f.rec === undefined || !items.has(f.item)) return;
    const key = `${f.item ?? ''}\u0000${f.rec}`;
    const m = messages.get(key) ?? { rec: f.rec, types: new Set<string>(), humanTypes: new Set<string>() };
    messages.set(key, m);
    const tags: string[] = [f.type];
    if (isOpen(f)) tags.push('opened');
    if (isClick(f)) tags.push('clicked');
    if (isUnsub(f)) tags.push('unsubscribed');
    for (const t of tags) {
      m.types.add(t);
      if (f.type !== 'hit' || human(i)) m.humanTypes.add(t);
    }
  });
  const stage = new Map<string, { all: Set<string>; humans: Set<string> }>();
  const put = (s: string, rec: string, humans: boolean) => {
    const e = stage.get(s) ?? { all: new Set<string>(), humans: new Set<string>() };
    stage.set(s, e);
    e.all.add(rec);
    if (humans) e.humans.add(rec);
  };
  for (const m of messages.values()) {
    const has = (t: string) => m.types.has(t);
    const delivered = (has('activation') && !has('bounce')) || has('delivery') || has('hit');
    if (has('execution')) put('requested', m.rec, true);
    if (has('activation')) put('sent', m.rec, true);
    if (delivered) put('delivered', m.rec, true);
    if (has('bounce')) put('bounced', m.rec, true);
    if (has('complaint')) put('complained', m.rec, true);
    if (has('cancellation')) put('cancelled', m.rec, true);
    for (const s of ['opened', 'clicked', 'unsubscribed']) if (has(s)) put(s, m.rec, m.humanTypes.has(s));
  }
  return stage;
}

function assertFunnel(stats: ScopeStats, naive: ReturnType<typeof naiveFunnel>, label: string) {
  for (const f of stats.funnel) {
    const want = naive.get(f.stage);
    assert.equal(f.recipients.all, want?.all.size ?? 0, `${label} ${f.stage} all`);
    assert.equal(f.recipients.humans, want?.humans.size ?? 0, `${label} ${f.stage} humans`);
    if (f.rate) {
      const base = naive.get(f.rate.over)?.all.size ?? 0;
      assert.equal(f.rate.all, base ? (want?.all.size ?? 0) / base : 0, `${label} ${f.stage} rate`);
    }
  }
}

describe('computeStats', function () {
  this.timeout(60_000);
  for (const seed of [1, 7, 42]) {
    it(`funnel per item and for the whole result matches a naive count (seed ${seed})`, () => {
      const { index, facts, classes, only } = build(4000, seed);
      const keep = (i: number) => ((only[i >> 3]! >> (i & 7)) & 1) === 1;
      const human = (i: number) => classes[i] === CLASS_HUMAN;
      const stats = computeStats(index, { only, classes });
      assert.equal(stats.selected, facts.filter((_, i) => keep(i)).length);
      const all = new Set<string | undefined>(['A1', 'B2', 'C3', undefined]);
      assertFunnel(stats.whole, naiveFunnel(facts, keep, all, human), 'whole');
      for (const { item, stats: s } of stats.items) {
        assertFunnel(s, naiveFunnel(facts, keep, new Set([item]), human), item);
      }
      // Sanity: the corpus exercises every stage, so the comparison can fail.
      for (const f of stats.whole.funnel) assert.ok(f.recipients.all > 0, `${f.stage} is empty`);
      assert.ok(stats.whole.funnel.some((f) => f.recipients.humans < f.recipients.all));
    });
  }

  it('counts per kind, top links by unique clickers and first-open delays like a naive count', () => {
    const { index, facts, classes, only } = build(3000, 3);
    const keep = (i: number) => ((only[i >> 3]! >> (i & 7)) & 1) === 1;
    const stats = computeStats(index, { only, classes });
    const kinds = new Map<string, number>();
    const clickers = new Map<string, Set<string>>();
    facts.forEach((f, i) => {
      if (!keep(i)) return;
      const k = f.sub ? `hit:${f.sub}` : f.type;
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
      if (isClick(f) && f.rec && f.link) {
        const s = clickers.get(f.link) ?? new Set<string>();
        s.add(`${f.item ?? ''}/${f.rec}`);
        clickers.set(f.link, s);
      }
    });
    assert.deepEqual(new Map(stats.whole.byKind.map((k) => [k.kind, k.all])), kinds);
    for (const l of stats.whole.topLinks) assert.equal(l.clickers.all, clickers.get(l.link)?.size, l.link);
    const best = Math.max(...[...clickers.values()].map((s) => s.size));
    assert.equal(stats.whole.topLinks[0]?.clickers.all, best);

    const act = new Map<string, number>();
    const open = new Map<string, number>();
    facts.forEach((f, i) => {
      if (!keep(i) || !f.rec) return;
      const key = `${f.item ?? ''}/${f.rec}`;
      if (f.type === 'activation') act.set(key, Math.min(act.get(key) ?? Infinity, f.t));
      if (isOpen(f)) open.set(key, Math.min(open.get(key) ?? Infinity, f.t));
    });
    const buckets = DELAY_BUCKETS.map(() => 0);
    for (const [key, a] of act) {
      const d = (open.get(key) ?? NaN) - a;
      if (d >= 0) buckets[DELAY_BUCKETS.findIndex((b) => d < b.to)]!++;
    }
    assert.deepEqual(
      stats.whole.timeToOpen.map((b) => b.all),
      buckets,
    );
    assert.ok(buckets.some((b) => b > 0));
  });

  it('splits clients into device, OS and browser and leaves one-part texts unknown', () => {
    const { index } = build(2000, 5);
    const s = computeStats(index).whole;
    assert.ok(s.os.some((o) => o.name === 'iOS 17'));
    assert.ok(s.devices.some((o) => o.name === 'Apple iPhone'));
    assert.ok(s.browsers.some((o) => o.name === 'Gmail'));
    const hits = s.byKind.filter((k) => k.kind.startsWith('hit')).reduce((t, k) => t + k.all, 0);
    const clientHits = s.clients.reduce((t, c) => t + c.all, 0);
    assert.ok(clientHits < hits && clientHits > 0, 'hits without a client are not counted');
    assert.equal(
      s.os.reduce((t, c) => t + c.all, 0),
      clientHits,
    );
  });

  it('without classes, humans equal all', () => {
    const { index } = build(1000, 9);
    const stats = computeStats(index);
    assert.equal(stats.classified, false);
    for (const f of stats.whole.funnel) assert.equal(f.recipients.humans, f.recipients.all);
  });

  it('uses the bounce verdict column when given', () => {
    const { index, facts } = build(1000, 11);
    const verdicts = facts.map((f, i) => (f.type === 'bounce' ? (i % 2 ? 'hard' : 'soft') : undefined));
    const s = computeStats(index, { columns: { bounceVerdict: (i) => verdicts[i] } }).whole.bounces;
    assert.equal(s.hard, verdicts.filter((v) => v === 'hard').length);
    assert.equal(s.soft, verdicts.filter((v) => v === 'soft').length);
    assert.equal(s.unknown, 0);
  });
});
