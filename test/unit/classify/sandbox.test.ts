// The sandbox's hits through the classifier: the proxy opens and gateway scans the generator makes
// (src/demo/sandbox/generator.ts: 14 % of delivered messages opened by Apple's proxy, 3 % of the rest by
// Gmail's, 2 % scanned; assumed proportions) come out in those shares, and no reader's hit is taken
// for a machine.
import assert from 'node:assert/strict';
import { IndexBuilder } from '../../../src/core/eventIndex';
import { classifyIndex } from '../../../src/core/classify/classify';
import { CLASS_HUMAN, CLASS_PROXY, CLASS_SCANNER, NOT_A_HIT } from '../../../src/core/classify/hitClass';
import { loadRules } from '../../../src/core/classify/rules';
import { computeStats } from '../../../src/core/stats/computeStats';
import { CampaignModel, renderEvent, UnitEvents } from '../../../src/demo/sandbox/generator';
import { eventClient, type Np6Event } from '../../../src/np6/events';

describe('classification of the sandbox’s hits', function () {
  this.timeout(60_000);
  const model = new CampaignModel(
    3,
    { name: 'cls', recipients: 4000, items: 2, sendStart: Date.UTC(2026, 0, 5) },
    0,
  );
  const ev = new UnitEvents();
  const events: Np6Event[] = [];
  for (let u = 0; u < model.units; u++) {
    ev.fill(model, u);
    for (let j = 0; j < ev.count; j++) events.push(JSON.parse(renderEvent(model, ev, j)) as Np6Event);
  }
  const index = new IndexBuilder();
  events.forEach((e, i) => index.add(e, i, 1));
  const { classes } = classifyIndex(index, loadRules());

  it('finds the proxies and scanners in the proportions the generator makes them', () => {
    // Delivered messages (item x recipient): the per-item funnels' delivered recipients, summed.
    const deliveredMessages = computeStats(index)
      .items.map((i) => i.stats.funnel.find((f) => f.stage === 'delivered')!.recipients.all)
      .reduce((a, b) => a + b, 0);
    const messages = (cls: number) => {
      const keys = new Set<string>();
      for (let i = 0; i < index.length; i++) {
        if (classes[i] === cls) keys.add(`${index.itemCode(i)}/${index.recipientCode(i)}`);
      }
      return keys.size;
    };
    const proxy = messages(CLASS_PROXY) / deliveredMessages;
    const scanner = messages(CLASS_SCANNER) / deliveredMessages;
    assert.ok(Math.abs(proxy - (0.14 + 0.86 * 0.03)) < 0.02, `proxy share ${proxy}`);
    assert.ok(Math.abs(scanner - 0.02) < 0.008, `scanner share ${scanner}`);
  });

  it('takes no reader’s hit for a machine', () => {
    const machines = ['Mozilla/5.0', 'GoogleImageProxy', 'Mimecast'];
    let readers = 0;
    events.forEach((e, i) => {
      if (classes[i] === NOT_A_HIT) return;
      const ua = eventClient(e)?.userAgent ?? '';
      if (machines.some((m) => (m === 'Mozilla/5.0' ? ua === m : ua.includes(m)))) {
        assert.notEqual(classes[i], CLASS_HUMAN, ua);
      } else {
        readers++;
        assert.equal(classes[i], CLASS_HUMAN, `${e.id}: ${ua}`);
      }
    });
    assert.ok(readers > 1000);
  });
});
