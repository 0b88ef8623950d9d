import assert from 'node:assert/strict';
import { IndexBuilder } from '../../../src/core/eventIndex';
import { computeStats } from '../../../src/core/stats/computeStats';
import { headline, humansOnlyView } from '../../../src/core/stats/humansView';
import { selectionBitmap } from '../../../src/core/stats/selection';
import { statsTables } from '../../../src/core/stats/statsTables';
import { NOT_A_HIT, CLASS_PROXY } from '../../../src/core/classify/hitClass';
import { statsHtml } from '../../../src/vscode/stats/statsHtml';
import { makeCorpus } from './corpus';

describe('statistics view helpers', () => {
  const { events, facts } = makeCorpus(1500, 33);
  const index = new IndexBuilder();
  events.forEach((e, i) => index.add(e, i, 1));
  // Every other hit is a proxy's.
  let k = 0;
  const classes = new Uint8Array(
    facts.map((f) => (f.type === 'hit' ? (k++ % 2 ? CLASS_PROXY : 0) : NOT_A_HIT)),
  );

  it('humans only replaces every figure by its humans figure', () => {
    const s = computeStats(index, { classes }).whole;
    const h = humansOnlyView(s);
    const opened = (x: typeof s) => x.funnel.find((f) => f.stage === 'opened')!;
    assert.equal(opened(h).recipients.all, opened(s).recipients.humans);
    assert.ok(opened(s).recipients.humans < opened(s).recipients.all);
    assert.equal(
      h.byKind.find((x) => x.kind === 'hit:open')?.all,
      s.byKind.find((x) => x.kind === 'hit:open')?.humans,
    );
    const line = headline(s, true).find((l) => l.startsWith('opened'))!;
    assert.match(line, /^opened [\d,]+ · humans [\d,]+$/);
  });

  it('a selection bitmap keeps exactly the listed indices', () => {
    const only = selectionBitmap([0, 3, 9, 9, -1, 1.5, 1000], 10);
    const kept = Array.from({ length: 10 }, (_, i) => i).filter((i) => (only[i >> 3]! >> (i & 7)) & 1);
    assert.deepEqual(kept, [0, 3, 9]);
    assert.equal(computeStats(index, { only: selectionBitmap([0, 1, 2], index.length) }).selected, 3);
  });

  it('the page has no script and shows outside text as text', () => {
    const tables = statsTables([{ label: 'all', stats: computeStats(index).whole }], false);
    tables[0]!.rows.push(['<script>alert(1)</script><a href="command:x">y</a>', 1]);
    const html = statsHtml(
      { title: 'Campaign <b>x</b>', notes: ['n & m'], headline: ['opened 1'], tables },
      'NONCE',
    );
    assert.ok(!/<script/i.test(html.replace(/<meta[^>]+>/g, '')));
    assert.ok(!html.includes('<a '));
    assert.ok(html.includes('&lt;script&gt;'));
    assert.ok(html.includes("default-src 'none'"));
    assert.ok(html.includes('Campaign &lt;b&gt;x&lt;/b&gt;'));
  });
});
