// The progress notification is updated at most once a second, its last report always shows, and
// increments add up (openEventsFile's percentage must reach what was read).
import assert from 'node:assert/strict';
import {
  DoneIncrements,
  PacedProgress,
  type PaceClock,
  type ProgressStep,
} from '../../../src/core/pacedProgress';

/** A clock whose time moves only when told, and whose timers fire when their time comes. */
class FakeClock implements PaceClock {
  t = 0;
  private timers = new Map<number, { at: number; f: () => void }>();
  private next = 1;
  now(): number {
    return this.t;
  }
  setTimeout(f: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.t + ms, f });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.timers.delete(h as number);
  }
  get pending(): number {
    return this.timers.size;
  }
  advance(ms: number): void {
    this.t += ms;
    for (const [id, timer] of [...this.timers]) {
      if (timer.at <= this.t) {
        this.timers.delete(id);
        timer.f();
      }
    }
  }
}

function setup(paceMs = 1000): { clock: FakeClock; sent: ProgressStep[]; p: PacedProgress } {
  const clock = new FakeClock();
  const sent: ProgressStep[] = [];
  const p = new PacedProgress({ report: (s) => sent.push(s) }, paceMs, clock);
  return { clock, sent, p };
}

describe('paced progress', () => {
  it('sends the first report at once and then at most one a second', () => {
    const { clock, sent, p } = setup();
    p.report({ message: 'connecting…' });
    assert.deepEqual(sent, [{ message: 'connecting…' }]);
    // Ten reports a second for three seconds (what the client gives during a fetch).
    for (let k = 1; k <= 30; k++) {
      clock.advance(100);
      p.report({ message: `${k} events` });
    }
    assert.ok(sent.length <= 4, `${sent.length} reports in 3 s`);
    assert.ok(sent.length >= 3, `${sent.length} reports in 3 s`);
    for (let k = 1; k < sent.length; k++) assert.notDeepEqual(sent[k], sent[k - 1]);
  });

  it('shows the last report once its second is up, even when nothing follows', () => {
    const { clock, sent, p } = setup();
    p.report({ message: 'a' });
    clock.advance(200);
    p.report({ message: 'b' });
    clock.advance(300);
    p.report({ message: 'c' });
    assert.deepEqual(sent, [{ message: 'a' }]);
    assert.equal(clock.pending, 1, 'one timer, not one per report');
    clock.advance(500);
    assert.deepEqual(sent, [{ message: 'a' }, { message: 'c' }]);
    assert.equal(clock.pending, 0);
  });

  it('adds increments up so that a percentage reaches what was done', () => {
    const { clock, sent, p } = setup();
    for (let k = 0; k < 100; k++) {
      p.report({ increment: 1, message: `${k + 1}%` });
      clock.advance(50);
    }
    p.flush();
    const total = sent.reduce((s, x) => s + (x.increment ?? 0), 0);
    assert.equal(total, 100);
    assert.equal(sent.at(-1)?.message, '100%');
    assert.ok(sent.length <= 7, `${sent.length} reports for 5 s`);
  });

  it("sends an increment of 0 (it turns VS Code's bar determinate)", () => {
    const { sent, p } = setup();
    p.report({ message: 'a', increment: 0 });
    assert.deepEqual(sent, [{ message: 'a', increment: 0 }]);
  });

  it('does not send a message that did not change, nor anything after dispose', () => {
    const { clock, sent, p } = setup();
    p.report({ message: 'same' });
    clock.advance(2000);
    p.report({ message: 'same' });
    clock.advance(2000);
    assert.deepEqual(sent, [{ message: 'same' }]);
    p.report({ message: 'later' });
    clock.advance(100);
    p.report({ message: 'dropped' });
    p.dispose();
    clock.advance(5000);
    assert.deepEqual(sent, [{ message: 'same' }, { message: 'later' }]);
    assert.equal(clock.pending, 0);
  });
});

describe('share done → bar increments', () => {
  it('adds up to the percentage done, never goes back, and says nothing when the share is unknown', () => {
    const bar = new DoneIncrements();
    assert.deepEqual(bar.next(undefined), {});
    assert.deepEqual(bar.next(Number.NaN), {});
    // The first known share turns the bar determinate, even at 0.
    assert.deepEqual(bar.next(0), { increment: 0 });
    const steps = [0.004, 0.013, 0.5, 0.49, 0.999, 1, 1.2].map((d) => bar.next(d).increment ?? 0);
    assert.deepEqual(steps, [0, 1, 49, 0, 49, 1, 0]);
    assert.equal(
      steps.reduce((a, b) => a + b, 0),
      100,
    );
  });
});
