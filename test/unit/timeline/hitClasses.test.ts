// The class column the timeline receives (one byte an event) and the Humans only filter over it,
// checked against plain loops over the same rows.
import assert from 'node:assert/strict';
import { BatchBuilder } from '../../../src/shared/timeline/batch';
import { EventTable } from '../../../src/shared/timeline/eventTable';
import { isFilterActive } from '../../../src/shared/timeline/filter';
import {
  CLASS_HUMAN,
  CLASS_PROXY,
  CLASS_ROBOT,
  CLASS_SCANNER,
  classOfPacked,
  keptByHumansOnly,
  NOT_A_HIT,
  packClasses,
  reasonOfPacked,
  REASON_BEHAVIOUR,
  REASON_NONE,
  REASON_NP6,
  REASON_RULE,
} from '../../../src/shared/timeline/hitClasses';
import { buildView } from '../../../src/shared/timeline/view';
import { isTimelineUiState, isWebviewMessage } from '../../../src/shared/protocol';

const KINDS = ['execution', 'activation', 'hit:open', 'hit:redirection'];

function fixture(n: number): {
  table: EventTable;
  kinds: string[];
  classes: Uint8Array;
  reasons: Uint8Array;
} {
  let seed = 5;
  const rnd = (k: number): number =>
    Math.floor(((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * k);
  const b = new BatchBuilder();
  const table = new EventTable();
  const kinds: string[] = [];
  const classes = new Uint8Array(n);
  const reasons = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const kind = KINDS[rnd(KINDS.length)]!;
    kinds.push(kind);
    const hit = kind.startsWith('hit');
    classes[i] = hit ? rnd(4) : NOT_A_HIT;
    reasons[i] = hit ? rnd(4) : REASON_NONE;
    b.addRow(1000 + rnd(10_000), { kind, recipient: `R${rnd(20)}`, item: `I${rnd(2)}` });
  }
  table.append(b.take());
  return { table, kinds, classes, reasons };
}

describe('hit classes in the timeline', () => {
  it('packs class and reason into one byte an event, and unpacks them', () => {
    const classes = Uint8Array.from([CLASS_HUMAN, CLASS_PROXY, CLASS_SCANNER, CLASS_ROBOT, NOT_A_HIT]);
    const reasons = Uint8Array.from([REASON_NONE, REASON_NP6, REASON_BEHAVIOUR, REASON_RULE, REASON_NONE]);
    const packed = packClasses(classes, reasons);
    assert.equal(packed.length, classes.length);
    assert.deepEqual([...packed].map(classOfPacked), [...classes]);
    assert.deepEqual([...packed].map(reasonOfPacked), [...reasons]);
    assert.deepEqual([...packed].map(keptByHumansOnly), [true, false, false, false, true]);
  });

  it('Humans only leaves out exactly the non-human hits, and only once the classes are known', () => {
    const { table, kinds, classes, reasons } = fixture(3000);
    const f = { hiddenKinds: [], items: [], text: '', humansOnly: true };
    assert.ok(isFilterActive(f));
    // Not known yet: nothing is left out (never a guess).
    assert.equal(buildView(table, f).order.length, table.length);
    assert.equal(
      table.setClasses(table.length - 1, packClasses(classes, reasons)),
      false,
      'wrong count refused',
    );
    assert.equal(table.setClasses(table.length, packClasses(classes, reasons)), true);
    const expected: number[] = [];
    for (let i = 0; i < table.length; i++) {
      if (classes[i] === NOT_A_HIT || classes[i] === CLASS_HUMAN) expected.push(i);
    }
    const nonHuman = table.length - expected.length;
    assert.ok(nonHuman > 100, `the fixture has non-human hits (${nonHuman})`);
    const view = buildView(table, f);
    assert.deepEqual(
      [...view.order].sort((a, b) => a - b),
      expected,
    );
    // The lanes (chart) lose them too: each hit lane holds its human hits only.
    for (const lane of view.lanes) {
      const want = kinds.filter(
        (k, i) => k === lane.kind && (classes[i] === NOT_A_HIT || classes[i] === CLASS_HUMAN),
      ).length;
      assert.equal(lane.ts.length, want, lane.kind);
    }
    assert.equal(buildView(table, { ...f, humansOnly: false }).order.length, table.length);
    // Rows beyond the classes make them unknown again (a refresh added events).
    // (Built through one builder, so the later batch extends the string tables of the first.)
    const t2 = new EventTable();
    const b2 = new BatchBuilder();
    for (let i = 0; i < table.length; i++) {
      const r = table.row(i);
      b2.addRow(r.timestamp, { kind: r.kind, recipient: r.recipient, item: r.item });
    }
    t2.append(b2.take());
    assert.equal(t2.setClasses(t2.length, packClasses(classes, reasons)), true);
    b2.addRow(99_999, { kind: 'hit:open' });
    t2.append(b2.take());
    assert.equal(t2.classes, null);
    assert.equal(buildView(t2, f).order.length, t2.length);
  });

  it('keeps the switch in the restored UI state and checks what the page reports', () => {
    const state = (humansOnly: unknown): unknown => ({
      resultId: 'r',
      timeZone: 'UTC',
      filter: { hiddenKinds: [], items: [], text: '', humansOnly },
    });
    assert.equal(isTimelineUiState(state(true)), true);
    assert.equal(isTimelineUiState(state(undefined)), true);
    assert.equal(isTimelineUiState(state('yes')), false);
    const status = (extra: Record<string, unknown>): unknown => ({
      type: 'status',
      status: { rendered: 3, filtered: 3, inView: 3, ...extra },
    });
    assert.equal(isWebviewMessage(status({ hits: 2, humans: 1, humansOnly: true })), true);
    assert.equal(isWebviewMessage(status({ hits: -1 })), false);
    assert.equal(isWebviewMessage(status({ humansOnly: 1 })), false);
  });
});
