// Redirects are never followed: a 3xx from the base URL to another port, host or to plain http
// must not receive the X-Key header. A second loopback server stands for the attacker's address
// and records every request it gets.

import assert from 'node:assert/strict';
import { Np6Client, Np6RedirectError, type RequestLogEntry } from '../../../src/np6/client';
import { Np6Error, Np6HttpError } from '../../../src/np6/errors';
import { allEmailEvents, type EventQuery } from '../../../src/np6/query';
import { startTinyServer, type TinyServer } from './tinyServer';

const KEY = 'SECRET-KEY-123';
const QUERY: EventQuery = {
  campaignId: 'c-1',
  endpoint: 'campaign',
  itemsEvents: [allEmailEvents()],
  sort: 'asc',
};

function urlOf(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

async function run(client: Np6Client): Promise<Np6Error | undefined> {
  try {
    for await (const _ of client.streamRecords(QUERY)) {
      // nothing expected
    }
    return undefined;
  } catch (e) {
    assert.ok(e instanceof Np6Error, String(e));
    return e;
  }
}

describe('Np6Client redirects (two loopback servers)', () => {
  let np6: TinyServer | undefined;
  let attacker: TinyServer | undefined;
  afterEach(async () => {
    await np6?.close();
    await attacker?.close();
    np6 = attacker = undefined;
  });

  /** The attacker's server: answers like NP6 would, so a followed redirect would succeed. */
  const startAttacker = async (): Promise<TinyServer> =>
    (attacker = await startTinyServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[{"type":"hit","id":"stolen","timestamp":1}]');
    }));

  for (const status of [301, 302, 303, 307, 308]) {
    it(`${status} to another port: an error naming the origin, and the key never sent there`, async () => {
      const evil = await startAttacker();
      np6 = await startTinyServer((_req, res) => {
        res.writeHead(status, {
          // Path and query chosen by the server: never shown.
          location: `${evil.url}/steal?x=[open](command:workbench.action.terminal.sendSequence)&k=${KEY}`,
          'x-request-id': 'rid-redirect',
        });
        res.end('moved');
      });
      const log: RequestLogEntry[] = [];
      const client = new Np6Client({
        baseUrl: np6.url,
        apiKey: KEY,
        log: (e) => log.push(e),
        sleep: () => Promise.resolve(),
      });
      const error = await run(client);
      assert.equal(
        attacker?.requests.filter((r) => r.headers['x-key'] !== undefined).length,
        0,
        'the attacker received the key',
      );
      assert.equal(attacker?.requests.length, 0, 'the redirect was followed');
      assert.ok(error instanceof Np6RedirectError && error instanceof Np6HttpError, String(error));
      assert.equal(error.status, status);
      assert.equal(error.redirectOrigin, evil.url);
      assert.equal(
        error.message,
        `NP6 answered with a redirect (HTTP ${status}, request id rid-redirect) to ${evil.url}; the key was not sent there. Check the base URL (it must be the NP6 API address).`,
      );
      assert.match(error.hint, /base URL/);
      assert.equal(np6.requests.length, 1, 'a redirect is not retried');
      const exposed = `${error.message} ${JSON.stringify(error)} ${JSON.stringify(log)}`;
      assert.ok(
        !exposed.includes('steal') && !exposed.includes('command:') && !exposed.includes(KEY),
        exposed,
      );
    });
  }

  it('https to plain http: refused, the key not sent to the http address', async () => {
    const evil = await startAttacker();
    np6 = await startTinyServer((_req, res) => {
      res.writeHead(301, { location: `${evil.url}/` });
      res.end();
    });
    // The base URL is https; the real fetch (with its redirect option) goes to the loopback server.
    const real = np6.url;
    const client = new Np6Client({
      baseUrl: 'https://api-cm.np6.example',
      apiKey: KEY,
      fetch: (input, init) => fetch(urlOf(input).replace('https://api-cm.np6.example', real), init),
    });
    const error = await run(client);
    assert.ok(error instanceof Np6RedirectError, String(error));
    assert.equal(error.redirectOrigin, evil.url);
    assert.match(error.message, /redirect \(HTTP 301\) to http:\/\/127\.0\.0\.1:\d+;/);
    assert.equal(attacker?.requests.length, 0);
  });

  it('a relative Location names the base URL origin; a missing or odd one names nothing', async () => {
    const locations: (string | undefined)[] = [
      '/other/path?k=1',
      undefined,
      'javascript:alert(1)',
      'http://[bad',
    ];
    np6 = await startTinyServer((_req, res, n) => {
      const location = locations[n];
      res.writeHead(302, location !== undefined ? { location } : {});
      res.end();
    });
    const client = new Np6Client({ baseUrl: np6.url, apiKey: KEY });
    const relative = await run(client);
    assert.ok(relative instanceof Np6RedirectError);
    assert.equal(relative.redirectOrigin, np6.url);
    for (let i = 1; i < locations.length; i++) {
      const e = await run(client);
      assert.ok(e instanceof Np6RedirectError, String(e));
      assert.equal(e.redirectOrigin, undefined);
      assert.match(e.message, /to an address it did not give clearly; the key was not sent there/);
      assert.ok(!e.message.includes('javascript') && !e.message.includes('[bad'), e.message);
    }
  });

  it('a fetch that only reports an opaque redirect is refused too', async () => {
    const opaque = new Response(null, { status: 200 });
    Object.defineProperty(opaque, 'type', { value: 'opaqueredirect' });
    let init: RequestInit | undefined;
    const client = new Np6Client({
      baseUrl: 'https://api-cm.np6.com',
      apiKey: KEY,
      fetch: (_input, i) => {
        init = i;
        return Promise.resolve(opaque);
      },
    });
    const e = await run(client);
    assert.ok(e instanceof Np6RedirectError, String(e));
    assert.equal(init?.redirect, 'manual');
  });

  it('refuses an answer that an injected fetch got by following a redirect anyway', async () => {
    const followed = new Response('[{"type":"hit","id":"x","timestamp":1}]', { status: 200 });
    Object.defineProperty(followed, 'redirected', { value: true });
    Object.defineProperty(followed, 'url', { value: 'http://evil.example:8080/steal?k=1' });
    const client = new Np6Client({
      baseUrl: 'https://api-cm.np6.com',
      apiKey: KEY,
      fetch: () => Promise.resolve(followed),
    });
    let events = 0;
    let error: unknown;
    try {
      for await (const _ of client.streamRecords(QUERY)) events++;
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof Np6RedirectError, String(error));
    assert.equal(events, 0);
    assert.equal(error.redirectOrigin, 'http://evil.example:8080');
    assert.ok(!error.message.includes('steal'), error.message);
  });
});
