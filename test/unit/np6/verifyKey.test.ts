// The key check before a key is saved, against the real sandbox (normal and hostile answers).
import * as assert from 'node:assert/strict';
import { verifyKey } from '../../../src/np6/verifyKey';
import { startSandbox, type RunningSandbox } from '../../../src/demo/sandbox';
import { startCatcher, type Catcher } from '../../../tools/sandbox/catcher';

const KEY = 'np6-test-KEY-0123456789abcdef';

describe('verifyKey', () => {
  let sandbox: RunningSandbox;
  let catcher: Catcher;

  before(async () => {
    sandbox = await startSandbox({ port: 0, apiKey: KEY });
    catcher = await startCatcher();
  });
  after(async () => {
    await sandbox.close();
    await catcher.close();
  });
  afterEach(() => sandbox.setFaults({ mode: 'none' }));

  it('accepts the sandbox key and refuses another one', async () => {
    assert.deepEqual(await verifyKey(sandbox.url, KEY), { ok: true });
    const refused = await verifyKey(sandbox.url, 'np6-wrong-key-000');
    assert.equal(refused.ok, false);
    assert.ok(!refused.ok && refused.refused, 'a 401 is a refused key');
  });

  it('a redirect is not an accepted key, and the key is not sent to its target', async () => {
    for (const redirectStatus of [301, 302, 303, 307, 308]) {
      sandbox.setFaults({ mode: 'redirect', redirectStatus, redirectTo: catcher.url });
      const r = await verifyKey(sandbox.url, KEY);
      assert.equal(r.ok, false, `HTTP ${redirectStatus} must not read as "key accepted"`);
      assert.ok(!r.ok && !r.refused && /redirect/i.test(r.message), JSON.stringify(r));
      assert.ok(!r.ok && r.message.includes(new URL(catcher.url).origin), 'names the target origin');
    }
    assert.equal(catcher.requests.length, 0, 'the redirect target received no request');
  });

  it('never repeats the key, whatever the server echoes', async () => {
    sandbox.setFaults({ mode: 'echo-key', status: 500 });
    const r = await verifyKey(sandbox.url, KEY);
    assert.ok(!JSON.stringify(r).includes(KEY), JSON.stringify(r));
    assert.ok(!JSON.stringify(r).includes(Buffer.from(KEY).toString('base64').slice(0, 12)));
  });

  it('a server error means "could not be checked", not "accepted", and its text is passed on as data', async () => {
    sandbox.setFaults({ mode: 'command-links', status: 500 });
    const r = await verifyKey(sandbox.url, KEY);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && !r.refused && /HTTP 500/.test(r.message), JSON.stringify(r));
  });

  it('an invalid campaign id from settings is never sent: the nil campaign is used', async () => {
    assert.deepEqual(await verifyKey(sandbox.url, KEY, '..'), { ok: true });
  });
});
