// np6-events end to end against the sandbox's hostile mode (issue 8): a server that redirects the
// key elsewhere, echoes it back in five encodings, never ends an element, or drips whitespace. The
// built dist/cli.js runs as a child process; what it prints and every file it writes are searched
// for the key in each encoding.

import * as assert from 'node:assert/strict';
import { existsSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { keyEncodings, REDIRECT_STATUSES, startSandbox, type Sandbox } from '../../../src/demo/sandbox';
import { startCatcher, type Catcher } from '../../../tools/sandbox/catcher';
import { buildCli, runCli, type CliRun } from './cliHarness';

// Recognisable, and long enough that every encoding of it is distinctive.
const KEY = 'np6-test-KEY-0123456789abcdef';
const FORMS: [string, string][] = Object.entries(keyEncodings(KEY)).map(([k, v]) => [k, String(v)]);

/** Every file under `dir`, recursively, with its content. */
async function filesUnder(dir: string): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push({ file: p, text: await fsp.readFile(p, 'utf8') });
  }
  return out;
}

describe('np6-events CLI against a hostile server (end to end)', function () {
  this.timeout(90_000);
  let sandbox: Sandbox;
  let catcher: Catcher;
  let dir: string;
  let tmp: string;
  let campaign: Sandbox['campaigns'][number];
  let base: string[];

  before(async function () {
    this.timeout(120_000);
    buildCli();
    sandbox = await startSandbox({ port: 0, apiKey: KEY });
    catcher = await startCatcher();
    campaign = sandbox.campaigns[0]!;
    base = ['events', '--base-url', sandbox.url, '--campaign', campaign.id];
  });
  after(async () => {
    await sandbox?.close();
    await catcher?.close();
  });
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'np6-cli-hostile-'));
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'np6-cli-hostile-tmp-'));
    sandbox.setFaults({ mode: 'none' });
    catcher.requests.length = 0;
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
    await fsp.rm(tmp, { recursive: true, force: true });
  });

  /** Runs the CLI, then checks that no form of the key is in stdout, stderr or any file written. */
  const run = async (args: string[]): Promise<CliRun> => {
    const r = await runCli(args, { key: KEY, env: { TMPDIR: tmp } });
    const places = [
      { file: 'stdout', text: r.stdout },
      { file: 'stderr', text: r.stderr },
      ...(await filesUnder(dir)),
      ...(await filesUnder(tmp)),
    ];
    for (const { file, text } of places) {
      for (const [form, value] of FORMS) {
        assert.ok(!text.includes(value), `the key (${form}) appears in ${file}`);
      }
    }
    return r;
  };

  for (const status of REDIRECT_STATUSES) {
    it(`a ${status} redirect to another server: not followed, the catcher gets no key, exit 1 naming the target`, async () => {
      const out = path.join(dir, 'events.json');
      sandbox.setFaults({ mode: 'redirect', redirectStatus: status, redirectTo: catcher.url });
      const r = await run([...base, '--out', out, '--verbose']);
      assert.equal(r.code, 1, r.stderr);
      assert.ok(r.stderr.includes(new URL(catcher.url).host), `the redirect's origin is named: ${r.stderr}`);
      assert.match(r.stderr, /base URL/i);
      assert.equal(catcher.requests.length, 0, 'the redirect was not followed');
      assert.ok(catcher.requests.every((q) => q.headers['x-key'] === undefined));
      assert.ok(!existsSync(out));
    });
  }

  it('a redirect to plain http on the same host (another origin): refused the same way', async () => {
    sandbox.setFaults({ mode: 'redirect', redirectStatus: 307 });
    const r = await run([...base, '--format', 'ndjson']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /localhost/);
    assert.equal(r.stdout, '');
  });

  it('the key echoed in five encodings, in the body and in x-request-id: absent from stdout, stderr (verbose) and files', async () => {
    const out = path.join(dir, 'events.json');
    sandbox.setFaults({ mode: 'echo-key' });
    const r = await run([...base, '--out', out, '--verbose']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /500/);
    assert.match(r.stderr, /\*\*\*/, 'the echoed key is shown as ***');
  });

  it('the key echoed as HTML entities in an error page: absent everywhere', async () => {
    sandbox.setFaults({ mode: 'echo-key', echoKeyHtml: true });
    const r = await run([...base, '--format', 'array', '--verbose']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /502/);
  });

  for (const format of ['export', 'ndjson'] as const) {
    it(`an echoing window in a --window run (${format}): the error kept in the file's metadata is scrubbed`, async () => {
      const out = path.join(dir, `windows.${format}`);
      const day = 24 * 3600_000;
      const start = Math.floor(campaign.start / day) * day;
      const end = Math.ceil(campaign.end / day) * day;
      const bad = new Date(start + day).toISOString().replace(/:/g, '%3A');
      sandbox.setFaults({ mode: 'echo-key', pathIncludes: `start=${bad}` });
      const r = await run([
        ...base,
        '--start',
        String(start),
        '--end',
        String(end),
        '--window',
        '1d',
        '--format',
        format,
        '--out',
        out,
        '--verbose',
      ]);
      assert.equal(r.code, 3, r.stderr);
      const meta = format === 'export' ? out : `${out}.partial.json`;
      const text = await fsp.readFile(meta, 'utf8');
      assert.match(text, /\*\*\*/, 'the metadata holds the scrubbed error');
      assert.match(text, /"complete":\s*false/);
    });
  }

  it('an element that never ends: a clear error within seconds, the events before it kept (exit 3)', async () => {
    const out = path.join(dir, 'events.json');
    sandbox.setFaults({ mode: 'endless-element' });
    const t0 = Date.now();
    const r = await run([...base, '--out', out, '--max-element-mb', '1']);
    const ms = Date.now() - t0;
    assert.equal(r.code, 3, r.stderr);
    assert.ok(ms < 20_000, `ended in ${ms} ms`);
    assert.match(r.stderr, /MiB|larger|element/i);
    const doc = JSON.parse(await fsp.readFile(out, 'utf8')) as { complete: boolean; count: number };
    assert.equal(doc.complete, false);
    assert.equal(doc.count, 1, 'the whole element before the endless one is kept');
  });

  it('a huge error body (50 MiB): read only as far as needed, a short message, exit 1 in bounded time', async () => {
    sandbox.setFaults({ mode: 'huge-error-body' });
    const t0 = Date.now();
    const r = await run([...base, '--format', 'ndjson', '--retries', '0']);
    const ms = Date.now() - t0;
    assert.equal(r.code, 1, r.stderr);
    assert.ok(ms < 15_000, `ended in ${ms} ms`);
    assert.match(r.stderr, /500/);
    assert.ok(r.stderr.length < 4000, `stderr is ${r.stderr.length} characters`);
  });

  it('a whitespace drip: ended by --deadline with a clear error, in bounded time', async () => {
    sandbox.setFaults({ mode: 'whitespace-drip', dripIntervalMs: 100 });
    const t0 = Date.now();
    const r = await run([...base, '--format', 'ndjson', '--deadline', '3s', '--retries', '0']);
    const ms = Date.now() - t0;
    assert.notEqual(r.code, 0, r.stderr);
    assert.ok(ms < 15_000, `ended in ${ms} ms`);
    assert.match(r.stderr, /deadline|took longer|3 s|too long/i);
  });
});
