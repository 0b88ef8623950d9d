// The standing hostile profile (`startSandbox({ hostile })`, `--hostile`): decorated ordinary answers,
// one hostile campaign per behaviour, the key check, and the default sandbox left exactly as it was.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

import { startCatcher, type Catcher } from '../../../tools/sandbox/catcher';
import { HOSTILE_CAMPAIGNS, NIL_CAMPAIGN_ID } from '../../../src/demo/sandbox/hostileCampaigns';
import { HOSTILE_CAMPAIGN_NAME, HOSTILE_TERMINAL_TEXT } from '../../../src/demo/sandbox/hostileTexts';
import { startSandbox, type RunningSandbox } from '../../../src/demo/sandbox/server';
import type { HostileKind } from '../../../src/demo/sandbox/types';
import { queryFor } from './helpers';
import { decodeEchoLine, eventually, openPost, rawPost } from './hostileHelpers';

const KEY = 'standing-key/+=';
const hostileId = (name: string) => HOSTILE_CAMPAIGNS.find((c) => c.name.includes(name))!.id;
const eventsOf = (id: string) => `/campaigns/${id}/events?sort=asc`;

describe('sandbox hostile mode (standing profile)', function () {
  this.timeout(30_000);
  let sb: RunningSandbox;
  let catcher: Catcher;
  before(async () => {
    catcher = await startCatcher();
    sb = await startSandbox({
      apiKey: KEY,
      hostile: 'all',
      hostileSettings: { redirectTo: catcher.url, redirectStatus: 303, dripIntervalMs: 20 },
    });
  });
  after(async () => {
    await sb.close();
    await catcher.close();
  });

  it('adds one campaign per behaviour (and variants), listed by GET /campaigns', async () => {
    const ids = sb.campaigns.map((c) => c.id);
    for (const h of HOSTILE_CAMPAIGNS) assert.ok(ids.includes(h.id), h.name);
    assert.equal(ids.length, 3 + HOSTILE_CAMPAIGNS.length);
    const listed = (await (await fetch(`${sb.url}/campaigns`, { headers: { 'X-Key': KEY } })).json()) as {
      name: string;
    }[];
    assert.ok(listed.some((c) => c.name === HOSTILE_CAMPAIGN_NAME));
  });

  it('serves the demo campaigns normally, with a hostile x-request-id', async () => {
    const id = sb.campaigns[2]!.id;
    const a = await rawPost(sb.url, eventsOf(id), KEY);
    assert.equal(a.status, 200);
    const expected = [
      ...sb.expectedEvents(id, {
        ...queryFor(id),
        itemsEvents: [{ channel: 'email', events: [{ type: 'execution' }] }],
      }),
    ];
    assert.deepEqual(JSON.parse(a.body), expected);
    const rid = a.headers['x-request-id'] as string;
    assert.ok(rid.startsWith(HOSTILE_TERMINAL_TEXT), rid);
    assert.deepEqual(decodeEchoLine(rid), [KEY, KEY, KEY, KEY, KEY]);
  });

  it('a wrong key: 401 whose body echoes that key', async () => {
    const a = await rawPost(sb.url, eventsOf(sb.campaigns[0]!.id), 'wrong-key');
    assert.equal(a.status, 401);
    const body = JSON.parse(a.body) as { error: string; key: { raw: string } };
    assert.equal(body.key.raw, 'wrong-key');
    assert.deepEqual(new Set(decodeEchoLine(body.error)), new Set(['wrong-key']));
  });

  it('the key check (nil campaign): 401 with the terminal link', async () => {
    const a = await rawPost(sb.url, eventsOf(NIL_CAMPAIGN_ID), KEY);
    assert.equal(a.status, 401);
    assert.equal((JSON.parse(a.body) as { error: string }).error, HOSTILE_TERMINAL_TEXT);
  });

  it('a 400 keeps its message and adds the terminal link', async () => {
    const a = await rawPost(sb.url, `/campaigns/${sb.campaigns[0]!.id}/events?sort=sideways`, KEY);
    assert.equal(a.status, 400);
    const body = JSON.parse(a.body) as { error: string; message: string };
    assert.equal(body.error, HOSTILE_TERMINAL_TEXT);
    assert.match(body.message, /sort/);
    assert.ok(body.message.endsWith(HOSTILE_TERMINAL_TEXT));
  });

  it('each hostile campaign gives its behaviour', async () => {
    const status = async (name: string) => (await rawPost(sb.url, eventsOf(hostileId(name)), KEY)).status;
    assert.equal(await status('command link in a 500'), 500);
    assert.equal(await status('export link in a 400'), 400);
    const fields = await rawPost(sb.url, eventsOf(hostileId('[open the dashboard]')), KEY);
    assert.equal(fields.status, 200);
    assert.ok(fields.body.includes('evil.example'));
    const redirect = await rawPost(sb.url, eventsOf(hostileId('redirect')), KEY);
    assert.equal(redirect.status, 303, 'hostileSettings apply');
    assert.equal(redirect.headers.location, catcher.url + eventsOf(hostileId('redirect')));
    assert.equal(await status('key echoed (JSON)'), 500);
    assert.equal(await status('key echoed (HTML)'), 502);
    for (const name of ['endless element', 'whitespace drip', 'huge error body']) {
      const before = sb.hostileLog.length;
      const res = await openPost(sb.url, eventsOf(hostileId(name)), KEY);
      await once(res, 'data');
      res.destroy();
      const entry = await eventually(() => sb.hostileLog[before]);
      assert.equal(entry.end, 'client-closed', name);
    }
  });

  it('a profile of some behaviours only: their campaigns, no decorations elsewhere', async () => {
    const only = await startSandbox({ hostile: ['redirect'] });
    try {
      assert.deepEqual(
        only.campaigns.slice(3).map((c) => c.id),
        [hostileId('redirect')],
      );
      const wrong = await rawPost(only.url, eventsOf(only.campaigns[0]!.id), 'nope');
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body, '');
      assert.equal((await rawPost(only.url, eventsOf(NIL_CAMPAIGN_ID), only.apiKey)).status, 404);
      assert.equal((await rawPost(only.url, eventsOf(hostileId('redirect')), only.apiKey)).status, 302);
    } finally {
      await only.close();
    }
  });

  it('refuses unknown behaviours and non-loopback redirect targets', async () => {
    const unknownKinds = JSON.parse('["nope"]') as HostileKind[]; // as a JavaScript caller could pass
    await assert.rejects(startSandbox({ hostile: unknownKinds }), /Unknown hostile behaviour "nope"/);
    await assert.rejects(
      startSandbox({ hostile: ['redirect'], hostileSettings: { redirectTo: 'http://example.com/' } }),
      /loopback/,
    );
  });

  it('leaves the default sandbox as it was: uuid request ids, empty 401, no extra campaign', async () => {
    const plain = await startSandbox();
    try {
      assert.equal(plain.campaigns.length, 3);
      const wrong = await rawPost(plain.url, eventsOf(plain.campaigns[0]!.id), 'nope');
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body, '');
      assert.match(wrong.headers['x-request-id'] as string, /^[0-9a-f-]{36}$/);
      assert.equal((await rawPost(plain.url, eventsOf(NIL_CAMPAIGN_ID), plain.apiKey)).status, 404);
      assert.equal((await rawPost(plain.url, eventsOf(HOSTILE_CAMPAIGNS[0]!.id), plain.apiKey)).status, 404);
    } finally {
      await plain.close();
    }
  });
});

describe('npm run sandbox -- --hostile', function () {
  this.timeout(60_000);
  const MAIN = path.join(__dirname, '..', '..', '..', 'tools', 'sandbox', 'main.ts');
  const run = (args: string[]) =>
    spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: 'pipe' });

  it('starts the profile from its flags and lists the hostile campaigns', async () => {
    const catcher = await startCatcher();
    const child = run(['--port', '0', '--hostile', '--redirect-to', catcher.url, '--redirect-status', '308']);
    try {
      let out = '';
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
        out += chunk.toString('utf8');
        if (out.includes('Ctrl+C')) break;
      }
      assert.match(out, /HOSTILE mode: command-links, redirect, echo-key/);
      for (const h of HOSTILE_CAMPAIGNS) assert.ok(out.includes(h.id), h.id);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
      const key = /API key \(X-Key\): (\S+)/.exec(out)![1]!;
      const a = await rawPost(url, eventsOf(hostileId('redirect')), key);
      assert.equal(a.status, 308);
      assert.ok(a.headers.location?.startsWith(catcher.url));
    } finally {
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
      await catcher.close();
    }
  });

  it('refuses an unknown behaviour with exit code 2', async () => {
    const child = run(['--hostile=echo-key,nope']);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 2);
    assert.match(err, /--hostile takes command-links, .* not "nope"/);
  });
});
