import * as assert from 'node:assert/strict';
import { EventLoopSlice } from '../../../src/core/eventLoopSlice';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* spin */
  }
}

describe('EventLoopSlice', () => {
  it('lets the event loop run during a long loop: no gap over about one slice plus one step', async () => {
    let last = performance.now();
    let worst = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
    }, 1);
    const slice = new EventLoopSlice(8);
    for (let i = 0; i < 150; i++) {
      busy(1); // 150 ms of work in 1 ms steps
      await slice.maybeYield();
    }
    clearInterval(timer);
    assert.ok(worst < 60, `the loop held the event loop ${worst.toFixed(0)} ms`);
  });

  it('does not yield while the slice lasts', async () => {
    let ran = false;
    setImmediate(() => (ran = true));
    await new EventLoopSlice(1000).maybeYield();
    assert.equal(ran, false);
  });
});
