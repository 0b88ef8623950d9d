import assert from 'node:assert/strict';
import { personalValuesOfLines } from '../personalValues';
import { IndexBuilder } from '../../../src/core/eventIndex';
import { Masker, maskedRecords, newMaskSalt, resultMasker } from '../../../src/core/mask';
import { computeStats } from '../../../src/core/stats/computeStats';
import { maskStats } from '../../../src/core/stats/maskStats';
import { statsTables } from '../../../src/core/stats/statsTables';
import { statsToJson, tablesToCsv, tablesToMarkdown } from '../../../src/core/stats/statsFormat';
import { CampaignModel, renderEvent, UnitEvents } from '../../../src/demo/sandbox/generator';
import type { Np6Event } from '../../../src/np6/events';

/** Sandbox events (executions, activations, bounces with addresses in diagnostics, hits with IPs). */
function sandboxCorpus(units: number): string[] {
  const model = new CampaignModel(
    7,
    { name: 'mask', recipients: units, items: 2, sendStart: Date.UTC(2026, 0, 5) },
    0,
  );
  const ev = new UnitEvents();
  const out: string[] = [];
  for (let u = 0; u < model.units; u++) {
    ev.fill(model, u);
    for (let j = 0; j < ev.count; j++) out.push(renderEvent(model, ev, j));
  }
  return out;
}

function assertNoneIn(text: string, values: Set<string>, what: string): void {
  for (const v of values) assert.ok(!text.includes(v), `${what} still holds ${v}`);
}

describe('masking', function () {
  this.timeout(60_000);
  const lines = sandboxCorpus(300);
  const personal = personalValuesOfLines(lines);
  const hostile = [
    JSON.stringify({
      type: 'hit',
      id: 'h-x',
      timestamp: 1,
      source: {
        type: 'email',
        detail: {
          activation: {
            id: 'IT',
            receiver: { type: 'id', value: 'CONTACT42' },
            recipient: 'Zoë.Ünïcode+tag@exämple.org',
          },
          link: {
            type: 'redirection',
            destination: 'https://shop.example/?email=jane.doe@corp.example&ip=198.51.100.23',
          },
          client: { ip: '2001:db8:85a3::8a2e:370:7334', ua: { ua: 'Mozilla/5.0 from 203.0.113.9' } },
          note: 'reply to jane.doe@corp.example from 2001:0db8:0000:0000:0000:ff00:0042:8329',
        },
      },
    }),
  ];
  const extra = new Set([
    'Zoë.Ünïcode+tag@exämple.org',
    'jane.doe@corp.example',
    '198.51.100.23',
    '2001:db8:85a3::8a2e:370:7334',
    '203.0.113.9',
    'CONTACT42',
    '2001:0db8:0000:0000:0000:ff00:0042:8329',
  ]);

  it('the corpus holds addresses, ids, hashes and IPs of both families (the test can fail)', () => {
    assert.ok([...personal].some((v) => v.includes('@')));
    assert.ok([...personal].some((v) => /^\d+\.\d+\.\d+\.\d+$/.test(v)));
    assert.ok([...personal].some((v) => v.includes(':')));
    assert.ok(personal.size > 300);
  });

  it('leaves no address, id or IP in masked events and exports', async () => {
    const m = new Masker(newMaskSalt());
    const all = [...lines, ...hostile];
    const masked: string[] = [];
    async function* source() {
      for (const json of all) {
        await Promise.resolve();
        yield { json };
      }
    }
    for await (const r of maskedRecords(source(), m)) masked.push(r.json);
    const text = masked.join('\n');
    assertNoneIn(text, personal, 'masked events');
    assertNoneIn(text, extra, 'masked hostile event');
    // Still JSON, same number of events, the rest kept (types, timestamps, links without addresses).
    assert.equal(masked.length, all.length);
    const first = JSON.parse(masked[0]!) as Np6Event;
    assert.equal(first.type, (JSON.parse(all[0]!) as Np6Event).type);
    assert.match(text, /https:\/\/shop\.example\/\?email=person-[0-9a-f]{12}&ip=ip-[0-9a-f]{12}/);
  });

  it('gives one recipient the same pseudonym everywhere in a result, another in another result', () => {
    const salt = newMaskSalt();
    const a = new Masker(salt);
    const b = new Masker(salt);
    const c = new Masker(newMaskSalt());
    assert.equal(a.pseudonym('x@y.example'), b.pseudonym('x@y.example'));
    assert.notEqual(a.pseudonym('x@y.example'), c.pseudonym('x@y.example'));
    assert.notEqual(a.pseudonym('x@y.example'), a.pseudonym('z@y.example'));
    const rec = (json: string) =>
      (JSON.parse(a.maskJson(json)) as { source: { detail: { activation?: { recipient?: string } } } }).source
        .detail.activation?.recipient;
    const activations = lines.filter((l) => l.includes('"type":"activation"'));
    const same = activations.filter((l) =>
      l.includes(
        `"recipient":"${(JSON.parse(activations[0]!) as { source: { detail: { activation: { recipient: string } } } }).source.detail.activation.recipient}"`,
      ),
    );
    assert.ok(same.length >= 2, 'the corpus sends one recipient several items');
    assert.equal(new Set(same.map(rec)).size, 1);
  });

  it('a result keeps one salt for the session, or the one its summary stored', () => {
    const v = 'a@b.example';
    assert.equal(resultMasker('r1').pseudonym(v), resultMasker('r1').pseudonym(v));
    assert.notEqual(resultMasker('r1').pseudonym(v), resultMasker('r2').pseudonym(v));
    const salt = newMaskSalt();
    assert.equal(resultMasker('r3', salt).pseudonym(v), new Masker(salt).pseudonym(v));
  });

  it('leaves no address in masked statistics (Markdown, CSV, JSON)', () => {
    const index = new IndexBuilder();
    [...lines, ...hostile].forEach((l, i) => index.add(JSON.parse(l) as Np6Event, i, l.length));
    const m = new Masker(newMaskSalt());
    const stats = maskStats(computeStats(index, { topLinks: 50 }), m);
    const tables = statsTables([{ label: 'all', stats: stats.whole }], false);
    const outputs = [tablesToMarkdown(tables), tablesToCsv(tables), statsToJson(stats, { masked: true })];
    const unmasked = tablesToCsv(
      statsTables([{ label: 'all', stats: computeStats(index, { topLinks: 50 }).whole }], false),
    );
    assert.ok(unmasked.includes('jane.doe@corp.example'), 'the unmasked statistics do hold the address');
    for (const o of outputs) {
      assertNoneIn(o, personal, 'statistics');
      assertNoneIn(o, extra, 'statistics');
    }
  });
});
