import * as assert from 'node:assert/strict';
import { Messages } from '../../../src/cli/output';
import { keyEncodings } from '../../../src/demo/sandbox';

const KEY = 'np6-test-KEY-0123456789abcdef';

describe('CLI messages (stderr)', () => {
  const capture = (): { msg: Messages; text: () => string } => {
    const parts: string[] = [];
    const msg = new Messages({ write: (t: string) => parts.push(t) });
    msg.setSecret(KEY);
    return { msg, text: () => parts.join('') };
  };

  it('scrubs the key in each of the five encodings a server may echo it in', () => {
    const { msg, text } = capture();
    for (const [form, value] of Object.entries(keyEncodings(KEY))) {
      msg.line(`${form}: <${String(value)}>`);
      const scrubbed = msg.scrub(`x${String(value)}y`);
      assert.ok(scrubbed.startsWith('x***') && !scrubbed.includes(String(value)), `${form}: ${scrubbed}`);
    }
    for (const value of Object.values(keyEncodings(KEY))) assert.ok(!text().includes(String(value)));
    assert.match(text(), /raw: <\*\*\*>/);
  });

  it('drops control characters from a line (a quoted answer cannot drive the terminal)', () => {
    const { msg, text } = capture();
    msg.line('NP6 said: \u001b]0;owned\u0007\u001b[2Jhello\u0000 \u009b31m');
    assert.equal(text(), 'np6-events: NP6 said: ]0;owned[2Jhello 31m\n');
  });
});
