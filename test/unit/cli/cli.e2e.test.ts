// np6-events end to end: the built dist/cli.js as a child process against the real sandbox server.

import * as assert from 'node:assert/strict';
import { existsSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Np6Event } from '../../../src/np6/events';
import { allEmailEvents, type EventQuery } from '../../../src/np6/query';
import { Np6Client } from '../../../src/np6/client';
import { writeExport } from '../../../src/core/exportFormat';
import { ResultStore } from '../../../src/core/resultStore';
import { windowedFetch } from '../../../src/core/windowedFetch';
import { PassThrough } from 'node:stream';
import { startSandbox, type Sandbox } from '../../../src/demo/sandbox';
import { buildCli, runCli, type CliRun } from './cliHarness';

const KEY = 'e2e-secret-key-7f3a9c';

interface ExportDoc {
  format: string;
  query: Record<string, unknown>;
  fetchedAt: string;
  complete: boolean;
  count: number;
  missing: { start: number; end: number; reason: string }[];
  error?: { kind: string; message: string };
  events: Np6Event[];
}

describe('np6-events CLI (end to end, against the sandbox)', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let dir: string;
  let campaign: Sandbox['campaigns'][number];
  let base: string[];

  before(async function () {
    this.timeout(120_000);
    buildCli();
    sandbox = await startSandbox({ port: 0, apiKey: KEY });
    campaign = sandbox.campaigns[0]!;
    base = ['events', '--base-url', sandbox.url, '--campaign', campaign.id];
  });
  after(async () => {
    await sandbox?.close();
  });
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'np6-cli-e2e-'));
    sandbox.setFaults({ mode: 'none' });
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  const run = async (args: string[], key: string | undefined = KEY): Promise<CliRun> => {
    const r = await runCli(args, { key });
    // Whatever happened, the key is never printed.
    assert.ok(!r.stdout.includes(KEY) && !r.stderr.includes(KEY), 'the key appears in the output');
    return r;
  };
  const query = (over: Partial<EventQuery> = {}): EventQuery => ({
    campaignId: campaign.id,
    endpoint: 'campaign',
    itemsEvents: [allEmailEvents()],
    sort: 'asc',
    ...over,
  });
  const expected = (q: EventQuery): Np6Event[] => [...sandbox.expectedEvents(campaign.id, q)];
  const readDoc = async (file: string): Promise<ExportDoc> =>
    JSON.parse(await fsp.readFile(file, 'utf8')) as ExportDoc;

  describe('formats', () => {
    it('export (default) to a file: metadata in order, complete, exactly the expected events', async () => {
      const out = path.join(dir, 'spring.json');
      const r = await run([...base, '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
      const doc = await readDoc(out);
      const want = expected(query());
      assert.ok(want.length > 100, 'the demo campaign has events');
      assert.deepEqual(Object.keys(doc), [
        'format',
        'query',
        'fetchedAt',
        'complete',
        'count',
        'missing',
        'events',
      ]);
      assert.equal(doc.format, 'np6-events/1');
      assert.equal(doc.complete, true);
      assert.equal(doc.count, want.length);
      assert.deepEqual(doc.missing, []);
      assert.equal(doc.query.campaignId, campaign.id);
      assert.ok(!Number.isNaN(Date.parse(doc.fetchedAt)));
      assert.deepEqual(doc.events, want);
      assert.deepEqual(await fsp.readdir(dir), ['spring.json'], 'no temp file left behind');
    });

    it('array to stdout: exactly the API array for a filtered range', async () => {
      const start = campaign.start + Math.floor((campaign.end - campaign.start) / 3);
      const end = campaign.end - Math.floor((campaign.end - campaign.start) / 3);
      const r = await run([
        ...base,
        '--format',
        'array',
        '--types',
        'hit',
        '--subtypes',
        'open,redirection',
        '--start',
        new Date(start).toISOString(),
        '--end',
        String(end),
      ]);
      assert.equal(r.code, 0, r.stderr);
      const want = expected(
        query({
          itemsEvents: [{ channel: 'email', events: [{ type: 'hit', subtypes: ['open', 'redirection'] }] }],
          start,
          end,
        }),
      );
      assert.ok(want.length > 0, 'the range holds hits');
      assert.deepEqual(JSON.parse(r.stdout), want);
    });

    it('ndjson on the items endpoint with descending sort: one event a line', async () => {
      const item = campaign.items[1]!.id;
      const out = path.join(dir, 'item.ndjson');
      const r = await run([
        ...base,
        '--items-endpoint',
        '--items',
        item,
        '--types',
        'activation,hit',
        '--sort',
        'desc',
        '--format',
        'ndjson',
        '--out',
        out,
      ]);
      assert.equal(r.code, 0, r.stderr);
      const want = expected(
        query({
          endpoint: 'items',
          itemsEvents: [
            { channel: 'email', items: [item], events: [{ type: 'activation' }, { type: 'hit' }] },
          ],
          sort: 'desc',
        }),
      );
      assert.ok(want.length > 0);
      const lines = (await fsp.readFile(out, 'utf8')).split('\n');
      assert.equal(lines.pop(), '');
      assert.deepEqual(
        lines.map((l) => JSON.parse(l) as Np6Event),
        want,
      );
    });

    it('csv: a header row and one CRLF row per expected event, in order; --bom only with csv', async () => {
      const out = path.join(dir, 'events.csv');
      const r = await run([...base, '--format', 'csv', '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      const want = expected(query());
      assert.ok(want.length > 0);
      const text = await fsp.readFile(out, 'utf8');
      assert.ok(!text.startsWith('\uFEFF'), 'no BOM unless asked');
      const rows = text.split('\r\n');
      assert.equal(rows.pop(), '');
      assert.equal(rows[0], 'time,type,subtype,item,recipient,link,client,device,id,class');
      assert.equal(rows.length - 1, want.length);
      // The id is the next-to-last cell and `class` the last, empty: the CLI does not classify
      // (ids hold no comma or quote, so the row's tail is `id,`).
      assert.deepEqual(
        rows.slice(1).map((row) => row.slice(row.lastIndexOf(',', row.length - 2) + 1)),
        want.map((e) => `${e.id},`),
      );
      const withBom = path.join(dir, 'events-bom.csv');
      const rb = await run([...base, '--format', 'csv', '--bom', '--out', withBom]);
      assert.equal(rb.code, 0, rb.stderr);
      const bomText = await fsp.readFile(withBom, 'utf8');
      assert.ok(bomText.startsWith('\uFEFF'), '--bom starts the file with a byte order mark');
      assert.equal(bomText.slice(1), text, 'the same rows after the mark');
      const bad = await run([...base, '--format', 'ndjson', '--bom', '--out', path.join(dir, 'x.ndjson')]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--bom applies to CSV only/);
    });
  });

  it("byte-equals the extension's pipeline (windowed fetch into a result store, export in time order), fetchedAt aside", async () => {
    const out = path.join(dir, 'cli.json');
    const range = { start: campaign.start, end: campaign.end + 1 };
    const r = await run([...base, '--start', String(range.start), '--end', String(range.end), '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    let requests = 0;

    // What the extension's "Export..." does: windowedFetch into a ResultStore, then writeExport
    // from store.summary and store.records('time'). Small windows so that several requests happen.
    const store = await ResultStore.create(path.join(dir, 'store'), {
      id: 'x',
      campaignLabel: 'x',
      query: query(range),
    });
    try {
      const c = await windowedFetch({
        client: new Np6Client({ baseUrl: sandbox.url, apiKey: KEY, log: () => requests++ }),
        query: query(range),
        store,
        windowMs: 6 * 3600_000,
      });
      assert.equal(c.complete, true);
      assert.ok(requests > 3, `several windows (${requests})`);
      await store.finish(c);
      const sink = new PassThrough();
      const chunks: Buffer[] = [];
      sink.on('data', (b: Buffer) => chunks.push(b));
      await writeExport(sink, 'export', store.summary, store.records('time'));
      const strip = (t: string) => t.replace(/"fetchedAt":"[^"]*"/, '');
      assert.equal(strip(Buffer.concat(chunks).toString('utf8')), strip(await fsp.readFile(out, 'utf8')));
    } finally {
      await store.close();
    }
  });

  describe('API errors', () => {
    it('401: exit 1, says to check the key, never prints it, leaves an existing file untouched', async () => {
      const out = path.join(dir, 'keep.json');
      await fsp.writeFile(out, 'earlier export');
      const wrong = 'wrong-key-4d2e8b1c';
      const r = await runCli([...base, '--out', out], { key: wrong });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /401/);
      assert.match(r.stderr, /API key/i);
      assert.ok(!r.stderr.includes(wrong) && !r.stdout.includes(wrong));
      assert.equal(await fsp.readFile(out, 'utf8'), 'earlier export');
      assert.deepEqual(await fsp.readdir(dir), ['keep.json']);
    });

    it('404: unknown campaign gives exit 1 and says to check the campaign id', async () => {
      const r = await run([
        'events',
        '--base-url',
        sandbox.url,
        '--campaign',
        '00000000-0000-4000-8000-000000000000',
        '--out',
        path.join(dir, 'x.json'),
      ]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /404/);
      assert.match(r.stderr, /campaign id/i);
      assert.ok(!existsSync(path.join(dir, 'x.json')));
    });

    it('429 then success: retried, exit 0, every event', async () => {
      sandbox.setFaults({ mode: '429', times: 1, retryAfterSeconds: 1 });
      const r = await run([...base, '--format', 'ndjson', '--verbose']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /→ 429/);
      assert.match(r.stderr, /→ 200/);
      assert.equal(r.stdout.trim().split('\n').length, expected(query()).length);
    });

    it('unreachable server: exit 1 with what to check', async () => {
      const r = await run([
        'events',
        '--base-url',
        'http://127.0.0.1:9',
        '--campaign',
        campaign.id,
        '--timeout',
        '5',
      ]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /base URL|reach/i);
    });
  });

  describe('partial results', () => {
    it('a cut stream: exit 3, the file holds exactly the events that arrived and says complete:false; --resume completes it', async () => {
      const out = path.join(dir, 'cut.json');
      sandbox.setFaults({ mode: 'cut', cutAfterEvents: 37, times: 1 });
      const r = await run([...base, '--out', out]);
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /--resume/);
      const doc = await readDoc(out);
      const want = expected(query());
      assert.equal(doc.complete, false);
      assert.equal(doc.count, 37);
      assert.deepEqual(doc.events, want.slice(0, 37));
      assert.ok(doc.error && /broke/.test(doc.error.message), JSON.stringify(doc.error));
      assert.equal(doc.missing.length, 1);
      assert.equal(
        doc.missing[0]!.start,
        want[36]!.timestamp,
        'missing starts at the last timestamp received',
      );

      const resumed = path.join(dir, 'resumed.json');
      const r2 = await run(['events', '--resume', out, '--base-url', sandbox.url, '--out', resumed]);
      assert.equal(r2.code, 0, r2.stderr);
      const full = await readDoc(resumed);
      assert.equal(full.complete, true);
      assert.deepEqual(full.missing, []);
      assert.deepEqual(full.events, want);

      // The merged export equals a fault-free run byte for byte, except for fetchedAt.
      const clean = path.join(dir, 'clean.json');
      assert.equal((await run([...base, '--out', clean])).code, 0);
      const strip = (t: string) => t.replace(/"fetchedAt":"[^"]*"/, '');
      assert.equal(strip(await fsp.readFile(resumed, 'utf8')), strip(await fsp.readFile(clean, 'utf8')));
    });

    it('--window: a failing window becomes a hole named in "missing" (exit 3); --resume fills it in place', async () => {
      const out = path.join(dir, 'windows.json');
      const day = 24 * 3600_000;
      const start = Math.floor(campaign.start / day) * day;
      const end = Math.ceil(campaign.end / day) * day;
      const badWindow = new Date(start + day).toISOString().replace(/:/g, '%3A');
      sandbox.setFaults({ mode: '500', pathIncludes: `start=${badWindow}` });
      const args = [...base, '--start', String(start), '--end', String(end), '--window', '1d', '--out', out];
      const r = await run(args);
      assert.equal(r.code, 3, r.stderr);
      const doc = await readDoc(out);
      assert.equal(doc.complete, false);
      assert.ok(
        doc.missing.some((w) => w.start === start + day && /500/.test(w.reason)),
        JSON.stringify(doc.missing),
      );
      const want = expected(query({ start, end }));
      const inHole = (e: Np6Event) => doc.missing.some((w) => e.timestamp >= w.start && e.timestamp < w.end);
      assert.deepEqual(
        doc.events,
        want.filter((e) => !inHole(e)),
      );

      sandbox.setFaults({ mode: 'none' });
      const r2 = await run(['events', '--resume', out, '--base-url', sandbox.url]);
      assert.equal(r2.code, 0, r2.stderr);
      const full = await readDoc(out);
      assert.equal(
        full.complete,
        true,
        JSON.stringify({ ...full, events: full.events.length, stderr: r2.stderr }),
      );
      assert.deepEqual(full.events, want);
    });

    it('Ctrl+C: exit 130, what arrived is written and marked complete:false', async () => {
      const out = path.join(dir, 'interrupted.json');
      sandbox.setFaults({ mode: 'slow', slowChunkDelayMs: 150 });
      const r = await runCli([...base, '--out', out, '--verbose'], {
        key: KEY,
        onSpawn: (child) => setTimeout(() => child.kill('SIGINT'), 1500),
      });
      assert.equal(r.code, 130, r.stderr);
      const doc = await readDoc(out);
      assert.equal(doc.complete, false);
      assert.equal(doc.error?.kind, 'cancelled');
      const want = expected(query());
      assert.ok(doc.count > 0 && doc.count < want.length, `${doc.count} of ${want.length}`);
      assert.deepEqual(doc.events, want.slice(0, doc.count));
    });
  });

  describe('partial results, streamed formats', () => {
    it('malformed JSON mid-stream with --format array: exit 3, <out>.partial is a valid array of the events before it, the sidecar says why', async () => {
      const out = path.join(dir, 'broken.json');
      sandbox.setFaults({ mode: 'malformed', cutAfterEvents: 25, times: 1 });
      const r = await run([...base, '--format', 'array', '--out', out]);
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /25 events written to .*broken\.json\.partial; partial/);
      assert.match(r.stderr, /malformed/i);
      assert.ok(!existsSync(out), 'the partial array does not take the complete name');
      assert.deepEqual(
        JSON.parse(await fsp.readFile(`${out}.partial`, 'utf8')),
        expected(query()).slice(0, 25),
      );
      const side = JSON.parse(await fsp.readFile(`${out}.partial.json`, 'utf8')) as ExportDoc;
      assert.equal(side.complete, false);
      assert.equal(side.count, 25);
      assert.match(side.error?.message ?? '', /malformed/i);
    });

    it('Ctrl+C with --format ndjson to stdout: exit 130, the lines that arrived are whole events in order', async () => {
      sandbox.setFaults({ mode: 'slow', slowChunkDelayMs: 150 });
      let sawEvents = false;
      const r = await runCli([...base, '--format', 'ndjson'], {
        key: KEY,
        onSpawn: (child) => {
          child.stdout?.once('data', () => {
            sawEvents = true;
            setTimeout(() => child.kill('SIGINT'), 200);
          });
        },
      });
      assert.ok(sawEvents, 'events were streamed to stdout before the end');
      assert.equal(r.code, 130, r.stderr);
      const lines = r.stdout.split('\n');
      assert.equal(lines.pop(), '');
      const want = expected(query());
      assert.ok(lines.length > 0 && lines.length < want.length, String(lines.length));
      assert.deepEqual(
        lines.map((l) => JSON.parse(l) as Np6Event),
        want.slice(0, lines.length),
      );
    });
  });

  describe('usage', () => {
    const usage: [string, string[], RegExp][] = [
      ['no command', [], /No command/],
      ['no campaign', ['events', '--base-url', 'http://127.0.0.1:1'], /--campaign is required/],
      [
        'unknown format',
        ['events', '--campaign', 'c', '--format', 'xml'],
        /--format "xml".*export, array, ndjson or csv/,
      ],
      ['unknown sort', ['events', '--campaign', 'c', '--sort', 'up'], /asc, desc or none/],
      ['bad date', ['events', '--campaign', 'c', '--start', 'tuesday'], /--start.*ISO 8601/],
      [
        'end before start',
        ['events', '--campaign', 'c', '--start', '2024-02-01', '--end', '2024-01-01'],
        /not after the start/,
      ],
      ['unknown flag', ['events', '--campaign', 'c', '--colour'], /--colour/],
      [
        'subtypes without hit',
        ['events', '--campaign', 'c', '--types', 'bounce', '--subtypes', 'open'],
        /add hit/,
      ],
      ['items endpoint without items', ['events', '--campaign', 'c', '--items-endpoint'], /needs item ids/],
      ['window without start', ['events', '--campaign', 'c', '--window', '1h'], /--window needs --start/],
      ['bad window', ['events', '--campaign', 'c', '--start', '-1d', '--window', 'often'], /like 15m, 1h/],
      [
        'plain http to a remote host',
        ['events', '--campaign', 'c', '--base-url', 'http://api-cm.np6.com'],
        /https/,
      ],
      [
        'missing output folder',
        ['events', '--campaign', 'c', '--out', '/nonexistent-dir/x.json'],
        /does not exist/,
      ],
      ['resume with query flags', ['events', '--resume', 'x.json', '--campaign', 'c'], /remove --campaign/],
    ];
    for (const [name, args, message] of usage) {
      it(`exit 2: ${name}`, async () => {
        const r = await run(args);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
      });
    }

    it('refuses --key, saying to use NP6_API_KEY, without echoing the value', async () => {
      for (const args of [
        [...base, '--key', 'typed-secret-123'],
        [...base, '--key=typed-secret-123'],
      ]) {
        const r = await run(args);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /NP6_API_KEY/);
        assert.ok(!r.stderr.includes('typed-secret-123'));
      }
    });

    it('without NP6_API_KEY: exit 2, says how to set it', async () => {
      const r = await runCli(base, { key: undefined });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /NP6_API_KEY is not set/);
    });

    it('--resume of a file that is not an export: exit 2, says why', async () => {
      const bad = path.join(dir, 'bad.json');
      await fsp.writeFile(bad, '[{"id":"x"}]\n');
      const r = await run(['events', '--resume', bad, '--base-url', sandbox.url]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /cannot be resumed/);
    });

    it('--help documents the flags, the key and the exit codes', async () => {
      const r = await run(['--help'], undefined);
      assert.equal(r.code, 0);
      for (const text of [
        '--campaign',
        '--window',
        '--resume',
        '--timeout',
        'NP6_API_KEY',
        'Exit codes',
        '130',
        '143',
        '129',
        '--allow-partial',
        '.partial.json',
        '--deadline',
        '--min-rate',
        '--max-element-mb',
        '--retries',
      ]) {
        assert.ok(r.stdout.includes(text), text);
      }
    });
  });
});
