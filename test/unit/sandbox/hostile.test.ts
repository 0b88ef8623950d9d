// Hostile mode switched on per request (setFaults / POST /_sandbox/faults), as a client meets it over
// real HTTP: command links, redirects, the key echoed in five forms, and the answers that never end.

import assert from 'node:assert/strict';

import { startCatcher, type Catcher } from '../../../tools/sandbox/catcher';
import { REDIRECT_STATUSES } from '../../../src/demo/sandbox/hostile';
import { NIL_CAMPAIGN_ID } from '../../../src/demo/sandbox/hostileCampaigns';
import {
  ECHO_HTML_TEXT_BEFORE_KEY,
  HOSTILE_CAMPAIGN_NAME,
  HOSTILE_EXPORT_TARGET,
  HOSTILE_EXPORT_TEXT,
  HOSTILE_ITEM_NAME,
  HOSTILE_LINK_URL,
  HOSTILE_MARKERS,
  HOSTILE_TERMINAL_TEXT,
  HOSTILE_TEXTS,
  HOSTILE_USER_AGENT,
  keyEncodings,
} from '../../../src/demo/sandbox/hostileTexts';
import { startSandbox, type RunningSandbox } from '../../../src/demo/sandbox/server';
import { decode, decodeEchoLine, eventually, htmlText, openPost, rawPost } from './hostileHelpers';

/** Printable ASCII with the characters each encoding changes (`/+=&"<>%`). */
const KEY = 'S3cr3t-K3y/+=&"<>%~_.q';

describe('sandbox hostile mode (per request)', function () {
  this.timeout(30_000);
  let sb: RunningSandbox;
  let catcher: Catcher;
  let eventsPath: string;
  before(async () => {
    sb = await startSandbox({ apiKey: KEY });
    catcher = await startCatcher();
    eventsPath = `/campaigns/${sb.campaigns[2]!.id}/events?sort=asc`;
  });
  afterEach(() => sb.setFaults({ mode: 'none' }));
  after(async () => {
    await sb.close();
    await catcher.close();
  });

  it('exports its payloads: every text holds a command link or a link to evil.example', () => {
    assert.ok(HOSTILE_TEXTS.length >= 6);
    for (const t of HOSTILE_TEXTS) {
      assert.ok(
        HOSTILE_MARKERS.some((m) => t.includes(m)),
        t,
      );
    }
    assert.match(HOSTILE_TERMINAL_TEXT, /\[Retry now\]\(command:workbench\.action\.terminal\.sendSequence\?/);
    assert.match(HOSTILE_TERMINAL_TEXT, /\$\(alert\)/);
  });

  it('command-links: a 500 whose body and x-request-id hold the terminal link, once', async () => {
    sb.setFaults({ mode: 'command-links', times: 1 });
    const a = await rawPost(sb.url, eventsPath, KEY);
    assert.equal(a.status, 500);
    assert.deepEqual(JSON.parse(a.body), { error: HOSTILE_TERMINAL_TEXT, message: HOSTILE_TERMINAL_TEXT });
    assert.equal(a.headers['x-request-id'], HOSTILE_TERMINAL_TEXT);
    const b = await rawPost(sb.url, eventsPath, KEY);
    assert.equal(b.status, 200, 'times: 1 then recovers');
    assert.ok((JSON.parse(b.body) as unknown[]).length > 0);
  });

  it('command-links: the key check gets a 401 with the export link, even with a wrong key', async () => {
    sb.setFaults({ mode: 'command-links', status: 401, commandLink: 'export', times: 1 });
    const a = await rawPost(
      sb.url,
      `/campaigns/${NIL_CAMPAIGN_ID}/events?start=946684800000&end=946684801000`,
      'x',
    );
    assert.equal(a.status, 401);
    const body = JSON.parse(a.body) as { error: string };
    assert.equal(body.error, HOSTILE_EXPORT_TEXT);
    const link = /\[export\]\(command:np6\.exportLastResult\?([^)]+)\)/.exec(body.error);
    assert.ok(link, body.error);
    const args = JSON.parse(decodeURIComponent(link[1]!)) as [{ target: string; overwrite: boolean }];
    assert.equal(args[0].target, HOSTILE_EXPORT_TARGET);
    assert.equal(args[0].overwrite, true);
  });

  it('command-links with status 200: events whose fields hold every payload', async () => {
    sb.setFaults({ mode: 'command-links', status: 200, times: 1 });
    const a = await rawPost(sb.url, `${eventsPath}&start=1700000000000`, KEY);
    assert.equal(a.status, 200);
    const events = JSON.parse(a.body) as { type: string; id: string; timestamp: number }[];
    assert.ok(events.length >= 3);
    for (const e of events) {
      assert.equal(typeof e.id, 'string');
      assert.ok(e.timestamp >= 1700000000000, 'inside the requested range');
    }
    const values = new Set<string>();
    const walk = (v: unknown): void => {
      if (typeof v === 'string') values.add(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(events);
    for (const t of [
      HOSTILE_CAMPAIGN_NAME,
      HOSTILE_ITEM_NAME,
      HOSTILE_LINK_URL,
      HOSTILE_USER_AGENT,
      HOSTILE_TERMINAL_TEXT,
      HOSTILE_EXPORT_TEXT,
    ]) {
      assert.ok(values.has(t), `an event field holds ${t}`);
    }
  });

  it('redirect: every 3xx code, Location on the catcher with the path and query', async () => {
    for (const code of REDIRECT_STATUSES) {
      sb.setFaults({ mode: 'redirect', redirectStatus: code, redirectTo: catcher.url, times: 1 });
      const a = await rawPost(sb.url, eventsPath, KEY);
      assert.equal(a.status, code);
      assert.equal(a.headers.location, catcher.url + eventsPath);
    }
    assert.equal(catcher.requests.length, 0, 'a raw client follows nothing');
  });

  it('redirect: by default to plain http on localhost (another origin, same machine)', async () => {
    sb.setFaults({ mode: 'redirect', times: 1 });
    const a = await rawPost(sb.url, eventsPath, KEY);
    assert.equal(a.status, 302);
    const port = new URL(sb.url).port;
    assert.equal(a.headers.location, `http://localhost:${port}${eventsPath}`);
  });

  it('redirect: a client that follows a 307 hands X-Key to the catcher (what the test must catch)', async () => {
    sb.setFaults({ mode: 'redirect', redirectStatus: 307, redirectTo: catcher.url, times: 1 });
    const before = catcher.requests.length;
    const res = await fetch(sb.url + eventsPath, {
      method: 'POST',
      headers: { 'X-Key': KEY, 'Content-Type': 'application/json' },
      body: '{"itemsEvents":[]}',
    });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '[]');
    const caught = catcher.requests.slice(before);
    assert.equal(caught.length, 1);
    assert.equal(caught[0]!.method, 'POST');
    assert.equal(caught[0]!.path, eventsPath);
    assert.equal(caught[0]!.headers['x-key'], KEY);
  });

  it('echo-key: the received key in five decodable forms, in the body and in x-request-id', async () => {
    sb.setFaults({ mode: 'echo-key', times: 1 });
    const a = await rawPost(sb.url, eventsPath, KEY);
    assert.equal(a.status, 500);
    const enc = keyEncodings(KEY);
    // The body text itself: each form literally (the raw key as JSON writes it: `"` escaped), and
    // `key.json` as JSON escapes.
    const rawInJson = JSON.stringify(KEY).slice(1, -1);
    for (const form of [rawInJson, enc.url, enc.html, enc.base64]) assert.ok(a.body.includes(form), form);
    assert.ok(a.body.includes(`"json":"${enc.jsonEscaped}"`));
    assert.notEqual(enc.url, KEY);
    const body = JSON.parse(a.body) as { error: string; key: Record<string, string> };
    assert.deepEqual(decodeEchoLine(body.error), [KEY, KEY, KEY, KEY, KEY]);
    assert.equal(body.key.raw, KEY);
    assert.equal(body.key.json, KEY, 'JSON escapes decode to the key when the body is parsed');
    assert.equal(decode.url(body.key.url!), KEY);
    assert.equal(decode.html(body.key.html!), KEY);
    assert.equal(decode.base64(body.key.base64!), KEY);
    const rid = a.headers['x-request-id'];
    assert.equal(typeof rid, 'string');
    assert.deepEqual(decodeEchoLine(rid as string), [KEY, KEY, KEY, KEY, KEY]);
  });

  it('echo-key: echoes whatever key arrived, wrong ones included', async () => {
    sb.setFaults({ mode: 'echo-key', status: 401, times: 1 });
    const a = await rawPost(sb.url, eventsPath, 'another-key');
    assert.equal(a.status, 401);
    assert.equal((JSON.parse(a.body) as { key: { raw: string } }).key.raw, 'another-key');
  });

  it('echo-key HTML: the key as entities after exactly 290 characters of visible text', async () => {
    sb.setFaults({ mode: 'echo-key', echoKeyHtml: true, times: 1 });
    const a = await rawPost(sb.url, eventsPath, KEY);
    assert.equal(a.status, 502);
    assert.match(a.headers['content-type'] ?? '', /^text\/html/);
    assert.ok(!a.body.includes(KEY), 'not raw in the page');
    assert.ok(a.body.includes(keyEncodings(KEY).html));
    const text = htmlText(a.body);
    assert.equal(ECHO_HTML_TEXT_BEFORE_KEY, 290);
    assert.equal(text.indexOf(KEY), 290);
    assert.ok(!/\s\s/.test(text.slice(0, 290)), 'no whitespace a collapse would remove');
    // A 300-character cut made before redaction holds the key's first ten characters.
    assert.ok(text.slice(0, 300).endsWith(KEY.slice(0, 10)));
  });

  it('endless-element: an element that never closes, until the client disconnects', async () => {
    sb.setFaults({ mode: 'endless-element', times: 1 });
    const res = await openPost(sb.url, eventsPath, KEY);
    assert.equal(res.statusCode, 200);
    let text = '';
    let got = 0;
    for await (const c of res as AsyncIterable<Buffer>) {
      if (text.length < 200) text += c.toString('utf8');
      got += c.length;
      if (got > 4 * 1024 * 1024) break; // leaving the loop destroys the response: a disconnect
    }
    assert.match(text, /^\[\{"type":"hit","id":"a","timestamp":\d+\},\{"id":"b","timestamp":\d+,"x":"x{20}/);
    const entry = await eventually(() => sb.hostileLog.find((e) => e.kind === 'endless-element'));
    assert.equal(entry.end, 'client-closed');
    assert.ok(entry.bytes >= got && entry.bytes < got + 16 * 1024 * 1024, `${entry.bytes} sent, ${got} read`);
  });

  it('endless-element: stops by itself at maxBytes, cutting the connection', async () => {
    sb.setFaults({ mode: 'endless-element', maxBytes: 300_000, times: 1 });
    const before = sb.hostileLog.length;
    const res = await openPost(sb.url, eventsPath, KEY);
    let got = 0;
    let error: unknown;
    try {
      for await (const c of res as AsyncIterable<Buffer>) got += c.length;
    } catch (e) {
      error = e;
    }
    assert.ok(error, 'the body ends in an error, never cleanly');
    assert.equal(got, 300_000);
    const entry = await eventually(() => sb.hostileLog[before]);
    assert.equal(entry.end, 'limit');
  });

  it('whitespace-drip: headers at once, then one space per interval; other requests still served', async () => {
    sb.setFaults({ mode: 'whitespace-drip', dripIntervalMs: 50, times: 1 });
    const before = sb.hostileLog.length;
    const started = Date.now();
    const res = await openPost(sb.url, eventsPath, KEY);
    assert.equal(res.statusCode, 200);
    assert.ok(Date.now() - started < 1000, 'the headers come before the first space');
    const reads: string[] = [];
    const reading = (async () => {
      for await (const c of res as AsyncIterable<Buffer>) {
        reads.push(c.toString('utf8'));
        if (Date.now() - started > 600) break;
      }
    })();
    const other = await rawPost(sb.url, eventsPath, KEY);
    assert.equal(other.status, 200, 'the drip does not block the server');
    await reading;
    const body = reads.join('');
    assert.match(body, /^ +$/);
    assert.ok(body.length >= 5 && body.length <= 14, `${body.length} spaces in ~600 ms`);
    const entry = await eventually(() => sb.hostileLog[before]);
    assert.equal(entry.end, 'client-closed');
  });

  it('whitespace-drip: cut by the server at maxDurationMs', async () => {
    sb.setFaults({ mode: 'whitespace-drip', dripIntervalMs: 20, maxDurationMs: 300, times: 1 });
    const before = sb.hostileLog.length;
    const started = Date.now();
    const res = await openPost(sb.url, eventsPath, KEY);
    let error: unknown;
    try {
      for await (const _ of res as AsyncIterable<Buffer>);
    } catch (e) {
      error = e;
    }
    assert.ok(error);
    assert.ok(Date.now() - started < 2000);
    assert.equal((await eventually(() => sb.hostileLog[before])).end, 'deadline');
  });

  it('huge-error-body: a 500 of 50 MiB by default, JSON, in many chunks', async function () {
    this.timeout(60_000);
    sb.setFaults({ mode: 'huge-error-body', times: 1 });
    const res = await openPost(sb.url, eventsPath, KEY);
    assert.equal(res.statusCode, 500);
    assert.equal(res.headers['content-length'], undefined, 'no length announced');
    let size = 0;
    let reads = 0;
    let head = '';
    let last: Buffer = Buffer.alloc(0);
    for await (const c of res as AsyncIterable<Buffer>) {
      if (!head) head = c.subarray(0, 40).toString('utf8');
      size += c.length;
      reads++;
      last = c;
    }
    assert.equal(size, 50 * 1024 * 1024);
    assert.ok(reads > 100, `${reads} reads`);
    assert.ok(head.startsWith('{"error":"Internal server error"'));
    assert.ok(last.toString('utf8').endsWith('"}'));
  });

  it('huge-error-body: a client that stops reading does not hang the server', async () => {
    sb.setFaults({ mode: 'huge-error-body', maxDurationMs: 500, times: 1 });
    const before = sb.hostileLog.length;
    const res = await openPost(sb.url, eventsPath, KEY);
    res.pause(); // never read
    const other = await rawPost(sb.url, eventsPath, KEY);
    assert.equal(other.status, 200);
    const entry = await eventually(() => sb.hostileLog[before], 3000);
    assert.equal(entry.end, 'deadline');
    assert.ok(entry.bytes < 50 * 1024 * 1024);
    res.destroy();
  });

  it('is switched from another process with POST /_sandbox/faults, and validated', async () => {
    const control = (body: unknown) =>
      fetch(`${sb.url}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'X-Key': KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (const [bad, field] of [
      [{ mode: 'redirect', redirectStatus: 304 }, /redirectStatus/],
      [{ mode: 'redirect', redirectTo: 'http://evil.example/' }, /loopback/],
      [{ mode: 'endless-element', maxBytes: 1e12 }, /maxBytes/],
      [{ mode: 'command-links', commandLink: 'rm' }, /commandLink/],
      [{ mode: 'command-links', status: 99 }, /status/],
    ] as const) {
      const r = await control(bad);
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.match(((await r.json()) as { message: string }).message, field);
    }
    const set = await control({ mode: 'redirect', redirectStatus: 308, redirectTo: catcher.url, times: 1 });
    assert.equal(set.status, 204);
    const a = await rawPost(sb.url, eventsPath, KEY);
    assert.equal(a.status, 308);
    assert.equal((await rawPost(sb.url, eventsPath, KEY)).status, 200);
  });

  it('pathIncludes narrows a hostile fault; non-hostile faults are untouched by it', async () => {
    sb.setFaults({ mode: 'echo-key', pathIncludes: 'sort=desc', times: 1 });
    assert.equal((await rawPost(sb.url, eventsPath, KEY)).status, 200);
    assert.equal((await rawPost(sb.url, eventsPath.replace('asc', 'desc'), KEY)).status, 500);
    sb.setFaults({ mode: '503', times: 1 });
    assert.equal((await rawPost(sb.url, eventsPath, KEY)).status, 503);
  });
});
