import * as assert from 'node:assert/strict';
import { Messages } from '../../../src/cli/output';
import { Progress } from '../../../src/cli/progress';

function sink(isTTY: boolean) {
  const written: string[] = [];
  return { written, stderr: { isTTY, write: (t: string) => written.push(t) } };
}

describe('CLI progress and messages', () => {
  it('draws progress only when stderr is a terminal', () => {
    const tty = sink(true);
    const p = new Progress(new Messages(tty.stderr));
    p.update({ events: 12345, bytes: 2_500_000, window: 2, windows: 5 });
    p.done();
    assert.match(tty.written.join(''), /window 2 of about 5, 12,345 events, 2\.5 MB/);
    assert.ok(tty.written.join('').endsWith('\r\x1b[K'), 'the line is cleared at the end');

    const pipe = sink(false);
    const q = new Progress(new Messages(pipe.stderr));
    q.update({ events: 1, bytes: 1 });
    q.done();
    assert.deepEqual(pipe.written, []);
  });

  it('scrubs the key from every line', () => {
    const s = sink(false);
    const m = new Messages(s.stderr);
    m.setSecret('k3y-value-xyz');
    m.line('server said: bad key k3y-value-xyz (twice: k3y-value-xyz)');
    assert.equal(s.written.join(''), 'np6-events: server said: bad key *** (twice: ***)\n');
  });
});
