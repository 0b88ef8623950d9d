// The generator and helpers in plain Node, no HTTP: event shapes as the extension reads them,
// the funnel's realism, id uniqueness at scale, the sort, and the demo/large campaign specs.

import assert from 'node:assert/strict';

import {
  envelopeProblem,
  eventClient,
  eventItemId,
  eventLink,
  eventRecipient,
  bounceInfo,
  hitSubtype,
  HIT_SUBTYPES,
  type Np6Event,
} from '../../../src/np6/events';
import { DEMO_CAMPAIGNS, demoCampaignsRelativeTo, LARGE_CAMPAIGN } from '../../../src/demo/sandbox/demo';
import { CampaignModel, renderEvent, UnitEvents } from '../../../src/demo/sandbox/generator';
import { base36Id, md5LikeFrom, Rng, uuidFrom } from '../../../src/demo/sandbox/random';
import { sortByTime } from '../../../src/demo/sandbox/selection';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Every event of a campaign, in generation order, parsed. */
function generate(m: CampaignModel): Np6Event[] {
  const ev = new UnitEvents();
  const out: Np6Event[] = [];
  for (let u = 0; u < m.units; u++) {
    ev.fill(m, u);
    for (let j = 0; j < ev.count; j++) out.push(JSON.parse(renderEvent(m, ev, j)) as Np6Event);
  }
  return out;
}

describe('sandbox generator', () => {
  const model = new CampaignModel(7, DEMO_CAMPAIGNS[0]!, 0);
  model.measure();
  const all = generate(model);

  it('renders valid, NP6-shaped events the extension can read', () => {
    const items = model.items.map((i) => i.id);
    for (const e of all) {
      assert.equal(envelopeProblem(e), undefined);
      assert.match(e.id, UUID);
      assert.deepEqual(e.identity, { type: 'customer', agency: 'DEMO', customer: '028' });
      assert.equal((e.source as { type: string }).type, 'email');
      assert.ok(items.includes(eventItemId(e) ?? ''), `item of ${e.type}`);
      assert.ok(eventRecipient(e), `recipient of ${e.type}`);
      if (e.type === 'hit') {
        assert.ok((HIT_SUBTYPES as readonly string[]).includes(hitSubtype(e) ?? ''));
        assert.equal(eventLink(e)?.type, hitSubtype(e));
        const client = eventClient(e);
        assert.ok(client?.ip && client.userAgent && client.os && client.device);
      }
      if (e.type === 'bounce') {
        const b = bounceInfo(e);
        assert.ok(b && ['soft', 'hard'].includes(b.verdict ?? '') && /^[45]\.\d\.\d+$/.test(b.code ?? ''));
        assert.ok(b.diagnostic && b.diagnostic.length > 10);
      }
    }
  });

  it('keeps measure() in step with the events: exact count and range', () => {
    assert.equal(model.approxEvents, all.length);
    assert.equal(model.start, Math.min(...all.map((e) => e.timestamp)));
    assert.equal(model.end, Math.max(...all.map((e) => e.timestamp)) + 1);
  });

  it('follows the funnel: execution first, activation seconds later, robot opens within seconds', () => {
    const byRecipientItem = new Map<string, Np6Event[]>();
    for (const e of all) {
      const key = `${eventRecipient(e)}|${eventItemId(e)}`;
      // Bounces name the receiver by id, executions by footprint: same contact id either way.
      byRecipientItem.set(key, [...(byRecipientItem.get(key) ?? []), e]);
    }
    let robots = 0;
    let people = 0;
    let scanned = 0;
    for (const list of byRecipientItem.values()) {
      const exec = list.find((e) => e.type === 'execution');
      assert.ok(exec, 'every send starts with an execution');
      const act = list.find((e) => e.type === 'activation');
      for (const e of list) assert.ok(e.timestamp >= exec.timestamp);
      if (!act) {
        assert.ok(
          list.some((e) => e.type === 'cancellation'),
          'no activation only when cancelled',
        );
        continue;
      }
      const delay = act.timestamp - exec.timestamp;
      assert.ok(delay >= 1000 && delay <= 10_000, `activation ${delay} ms after execution`);
      const scans = list.filter((e) => eventClient(e)?.userAgent?.includes('LinkScan'));
      if (scans.length > 0) {
        scanned++;
        const item = model.items.find((i) => i.id === eventItemId(exec))!;
        assert.equal(
          new Set(scans.map((e) => eventLink(e)?.label)).size,
          item.links.length,
          'every link once',
        );
        for (const e of scans) {
          assert.equal(hitSubtype(e), 'redirection');
          const after = e.timestamp - act.timestamp;
          assert.ok(after >= 2000 && after <= 8000, `scanner click ${after} ms after delivery`);
        }
      }
      for (const open of list.filter((e) => hitSubtype(e) === 'open')) {
        const ua = eventClient(open)?.userAgent ?? '';
        const after = open.timestamp - act.timestamp;
        if (ua === 'Mozilla/5.0' || ua.includes('GoogleImageProxy')) {
          robots++;
          assert.ok(after >= 1000 && after <= 5000, `robot open ${after} ms after delivery`);
        } else {
          people++;
          assert.ok(after >= 30_000, `a person opens ${after} ms after delivery`);
        }
      }
    }
    assert.ok(robots > 10 && people > robots, `${robots} robot opens, ${people} human opens`);
    assert.ok(scanned > 0, 'some gateways scan links');
  });

  it('uses several links per item and a steady device per reader', () => {
    for (const item of model.items) {
      const labels = new Set(
        all
          .filter((e) => hitSubtype(e) === 'redirection' && eventItemId(e) === item.id)
          .map((e) => eventLink(e)?.label),
      );
      assert.ok(labels.size >= 3, `${labels.size} links clicked in ${item.id}`);
    }
  });

  it('gives unique event ids over a large campaign (clients de-duplicate by id)', () => {
    const big = new CampaignModel(1, LARGE_CAMPAIGN(150_000), 0);
    const ev = new UnitEvents();
    const seen = new Set<string>();
    let n = 0;
    for (let u = 0; u < big.units; u++) {
      ev.fill(big, u);
      for (let j = 0; j < ev.count; j++, n++) seen.add(uuidFrom(big.key, u, j));
    }
    assert.equal(seen.size, n);
    assert.ok(n > 120_000 && n < 180_000, `${n} events for ~150,000`);
  });

  it('writes NP6-style base-36 ids and MD5-like hashes', () => {
    const rng = new Rng(99);
    for (let i = 0; i < 2000; i++) {
      const n = rng.u32() % 2_000_000_000;
      assert.equal(base36Id(n, 8), n.toString(36).toUpperCase().padStart(8, '0'));
    }
    assert.equal(base36Id(36 ** 4, 3), '10000', 'wider than asked rather than truncated');
    assert.match(md5LikeFrom(1, 2), /^[0-9a-f]{32}$/);
    assert.notEqual(md5LikeFrom(1, 2), md5LikeFrom(1, 3));
  });

  it('keeps send times growing with the unit (range lookups rely on it)', () => {
    const m = new CampaignModel(3, { name: 'x', recipients: 1000, items: 3, sendStart: 0, itemGapMs: 1 }, 0);
    for (let u = 1; u < m.units; u++) assert.ok(m.sendTime(u) > m.sendTime(u - 1));
  });

  it('sortByTime orders by time, ties in collection order, on both paths', () => {
    const times = [5, 3, 5, 1, 3, 1e12, 0, 5];
    const naive = times.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    assert.deepEqual(
      [...sortByTime(new Float64Array(times), times.length)],
      naive.map((x) => x[1]),
    );
    // A span too wide for the packed key takes the comparator path.
    const wide = [2 ** 52, 7, 2 ** 52, 0];
    assert.deepEqual([...sortByTime(new Float64Array(wide), wide.length)], [3, 1, 0, 2]);
    assert.deepEqual([...sortByTime(new Float64Array(0), 0)], []);
  });

  it('shifts the demo campaigns so their last event falls within the hour before now', () => {
    const now = Date.UTC(2027, 2, 10, 12, 34, 56);
    const shifted = demoCampaignsRelativeTo(now);
    const ends = shifted.map((spec, i) => {
      const m = new CampaignModel(6, spec, i);
      m.measure();
      return m.end;
    });
    const last = Math.max(...ends);
    assert.ok(last <= now && last > now - 3600_000, new Date(last).toISOString());
    assert.deepEqual(
      shifted.map((s) => s.name),
      DEMO_CAMPAIGNS.map((s) => s.name),
    );
  });
});
