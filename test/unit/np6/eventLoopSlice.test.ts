import * as assert from 'node:assert/strict';
import { EventLoopSlice } from '../../../src/np6/eventLoopSlice';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* spin */
  }
}

describe('EventLoopSlice', () => {
  it('lets the event loop run during a long loop, and only then', async () => {
    // Counts the turns the event loop got while 150 ms of work ran in 1 ms steps: with yields
    // every 8 ms there are many; with no yield (a slice longer than the loop) there are none.
    // Counted, not timed, so a loaded machine changes the numbers little.
    const turnsDuring = async (sliceMs: number): Promise<number> => {
      let turns = 0;
      let on = true;
      const tick = (): void => {
        if (!on) return;
        turns++;
        setImmediate(tick);
      };
      setImmediate(tick);
      const slice = new EventLoopSlice(sliceMs);
      for (let i = 0; i < 150; i++) {
        busy(1);
        await slice.maybeYield();
      }
      const seen = turns;
      on = false;
      return seen;
    };
    assert.ok((await turnsDuring(8)) >= 5, 'the loop yields about every 8 ms');
    assert.equal(await turnsDuring(10_000), 0, 'a slice longer than the loop never yields');
  });

  it('does not yield while the slice lasts', async () => {
    let ran = false;
    setImmediate(() => (ran = true));
    await new EventLoopSlice(1000).maybeYield();
    assert.equal(ran, false);
  });
});
