// np6-events end to end, what it does to the file system: --out targets it must refuse, modes it
// keeps, signals that stop it cleanly, temp files and folders it removes (its own, and those a killed
// run left), partial array/ndjson runs that cannot pass for complete ones, and --resume of damaged
// files. The built dist/cli.js runs as a child process against the real sandbox.

import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, promises as fsp, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Np6Event } from '../../../src/np6/events';
import { allEmailEvents, type EventQuery } from '../../../src/np6/query';
import { startSandbox, type Sandbox } from '../../../src/demo/sandbox';
import { startCatcher, type Catcher } from '../../../tools/sandbox/catcher';
import { buildCli, runCli, type CliRun } from './cliHarness';

const KEY = 'np6-test-KEY-0123456789abcdef';

interface Doc {
  complete: boolean;
  count: number;
  missing: { start: number; end: number; reason: string }[];
  error?: { kind: string; message: string };
  events: Np6Event[];
}

interface Sidecar extends Omit<Doc, 'events'> {
  format: string;
  file: string;
  outputFormat: string;
  note: string;
}

/** A process id that ran and is gone. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

describe('np6-events CLI: files, signals and partial results (end to end)', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let catcher: Catcher;
  let dir: string;
  /** The TMPDIR of the child: its spool folders appear (and must disappear) here. */
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
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'np6-cli-files-'));
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'np6-cli-tmpdir-'));
    sandbox.setFaults({ mode: 'none' });
    catcher.requests.length = 0;
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
    await fsp.rm(tmp, { recursive: true, force: true });
  });

  const run = async (args: string[], o: Parameters<typeof runCli>[1] = {}): Promise<CliRun> => {
    const r = await runCli(args, { key: KEY, env: { TMPDIR: tmp }, ...o });
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
  const expected = (): Np6Event[] => [...sandbox.expectedEvents(campaign.id, query())];
  const readJson = async <T>(file: string): Promise<T> => JSON.parse(await fsp.readFile(file, 'utf8')) as T;
  const readNdjson = async (file: string): Promise<Np6Event[]> =>
    (await fsp.readFile(file, 'utf8'))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Np6Event);
  /** Nothing this tool names as temporary is left: in the output folder, nor in its TMPDIR. */
  const assertNoLeftovers = async (): Promise<void> => {
    const temps = (await fsp.readdir(dir)).filter((f) => f.endsWith('.tmp'));
    assert.deepEqual(temps, [], 'temp files left next to the output');
    assert.deepEqual(await fsp.readdir(tmp), [], 'temp folders left in TMPDIR');
  };

  describe('--out must be a regular file or a new name', () => {
    const refused = async (target: string, what: RegExp, formats = ['export', 'ndjson']): Promise<void> => {
      for (const format of formats) {
        const r = await run([
          'events',
          '--base-url',
          catcher.url,
          '--campaign',
          campaign.id,
          '--format',
          format,
          '--out',
          target,
        ]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, what);
        assert.match(r.stderr, /only a regular file or a new name/);
      }
      assert.equal(catcher.requests.length, 0, 'no request was made');
    };

    it('a FIFO: refused before any request, still a FIFO, nothing written', async () => {
      const fifo = path.join(dir, 'events.json');
      execFileSync('mkfifo', [fifo]);
      await refused(fifo, /is a FIFO/);
      assert.ok((await fsp.lstat(fifo)).isFIFO());
      assert.deepEqual(await fsp.readdir(dir), ['events.json']);
    });

    it('a device node (/dev/null): refused, nothing created in /dev', async () => {
      const before = (await fsp.readdir('/dev')).filter((f) => f.includes('null.'));
      await refused('/dev/null', /is a device/);
      assert.ok((await fsp.lstat('/dev/null')).isCharacterDevice());
      assert.deepEqual(
        (await fsp.readdir('/dev')).filter((f) => f.includes('null.')),
        before,
      );
    });

    it('a symbolic link (to a file, and dangling): refused, not followed, the file it points to untouched', async () => {
      const real = path.join(dir, 'real.json');
      await fsp.writeFile(real, 'precious');
      const link = path.join(dir, 'link.json');
      await fsp.symlink(real, link);
      await refused(link, /is a symbolic link/);
      const dangling = path.join(dir, 'dangling.json');
      await fsp.symlink(path.join(dir, 'nowhere.json'), dangling);
      await refused(dangling, /is a symbolic link/);
      assert.equal(await fsp.readFile(real, 'utf8'), 'precious');
      assert.ok((await fsp.lstat(link)).isSymbolicLink());
      assert.ok(!existsSync(path.join(dir, 'nowhere.json')));
    });

    it('a folder: refused, left empty', async () => {
      const folder = path.join(dir, 'out');
      await fsp.mkdir(folder);
      await refused(folder, /is a folder/);
      assert.deepEqual(await fsp.readdir(folder), []);
    });

    it('the .partial names of an array/ndjson output are checked too', async () => {
      const out = path.join(dir, 'events.ndjson');
      execFileSync('mkfifo', [`${out}.partial`]);
      await refused(out, /events\.ndjson\.partial is a FIFO/, ['ndjson', 'array']);
    });

    it('an overwritten file keeps its mode', async () => {
      const out = path.join(dir, 'private.json');
      await fsp.writeFile(out, 'old');
      await fsp.chmod(out, 0o600);
      const r = await run([...base, '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await fsp.stat(out)).mode & 0o777, 0o600);
      assert.equal((await readJson<Doc>(out)).count, expected().length);
      await fsp.chmod(out, 0o640);
      const n = await run([...base, '--format', 'ndjson', '--out', out]);
      assert.equal(n.code, 0, n.stderr);
      assert.equal((await fsp.stat(out)).mode & 0o777, 0o640);
      await assertNoLeftovers();
    });
  });

  describe('signals: SIGTERM and SIGHUP stop like Ctrl+C', () => {
    const cases: [NodeJS.Signals, number, RegExp][] = [
      ['SIGTERM', 143, /SIGTERM/],
      ['SIGHUP', 129, /SIGHUP/],
      ['SIGINT', 130, /Ctrl\+C/],
    ];
    for (const [signal, code, named] of cases) {
      it(`${signal} mid-fetch, export: exit ${code}, the partial export is written and marked, no temp left`, async () => {
        const out = path.join(dir, 'events.json');
        sandbox.setFaults({ mode: 'slow', slowChunkDelayMs: 100 });
        let spoolSeen = false;
        const r = await run([...base, '--out', out], {
          onSpawn: (child) =>
            setTimeout(() => {
              // The spool folder exists while the run fetches, so its removal below means something.
              spoolSeen = readdirSync(tmp).some((f) => f.startsWith('np6-events-'));
              child.kill(signal);
            }, 1500),
        });
        assert.equal(r.code, code, r.stderr);
        assert.ok(spoolSeen, 'the run had a spool folder in TMPDIR');
        const doc = await readJson<Doc>(out);
        assert.equal(doc.complete, false);
        assert.equal(doc.error?.kind, 'cancelled');
        assert.match(doc.error?.message ?? '', named);
        assert.ok(doc.count > 0 && doc.count < expected().length, `${doc.count} events`);
        assert.deepEqual(doc.events, expected().slice(0, doc.count));
        assert.match(r.stderr, /--resume/);
        await assertNoLeftovers();
      });
    }

    for (const [signal, code] of [
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ] as const) {
      it(`${signal} mid-fetch, ndjson to a file: exit ${code}, events in .partial with a sidecar, --out untouched`, async () => {
        const out = path.join(dir, 'events.ndjson');
        await fsp.writeFile(out, 'an earlier complete file\n');
        sandbox.setFaults({ mode: 'slow', slowChunkDelayMs: 100 });
        let tempSeen = false;
        const r = await run([...base, '--format', 'ndjson', '--out', out], {
          onSpawn: (child) =>
            setTimeout(() => {
              tempSeen = readdirSync(dir).some((f) => f.endsWith('.tmp'));
              child.kill(signal);
            }, 1500),
        });
        assert.equal(r.code, code, r.stderr);
        assert.ok(tempSeen, 'a temp file existed next to the output while fetching');
        assert.equal(await fsp.readFile(out, 'utf8'), 'an earlier complete file\n');
        const events = await readNdjson(`${out}.partial`);
        assert.ok(events.length > 0 && events.length < expected().length, `${events.length}`);
        assert.deepEqual(events, expected().slice(0, events.length));
        const side = await readJson<Sidecar>(`${out}.partial.json`);
        assert.equal(side.format, 'np6-events-partial/1');
        assert.equal(side.file, 'events.ndjson.partial');
        assert.equal(side.complete, false);
        assert.equal(side.count, events.length);
        assert.equal(side.missing.length, 1);
        assert.equal(side.missing[0]!.start, events.at(-1)!.timestamp);
        await assertNoLeftovers();
      });
    }

    it('a second SIGTERM (after the first was handled) quits at once with 143; no temp file or folder is left either way', async () => {
      const out = path.join(dir, 'events.json');
      sandbox.setFaults({ mode: 'slow', slowChunkDelayMs: 100 });
      let handled = false;
      const r = await run([...base, '--out', out], {
        onSpawn: (child) => {
          child.stderr?.on('data', (b: Buffer) => {
            if (!handled && b.toString('utf8').includes('writing what arrived')) {
              handled = true;
              child.kill('SIGTERM');
            }
          });
          setTimeout(() => child.kill('SIGTERM'), 1500);
        },
      });
      assert.ok(handled, 'the first signal was handled before the second was sent');
      assert.equal(r.code, 143, r.stderr);
      await assertNoLeftovers();
    });
  });

  it('stale temp files and spool folders of killed runs are swept at start; fresh and foreign ones are kept', async () => {
    const out = path.join(dir, 'events.json');
    const dead = deadPid();
    const old = new Date(Date.now() - 2 * 3600_000);
    const staleTemp = path.join(dir, `.events.json.${dead}.0123abcd.tmp`);
    const freshTemp = path.join(dir, `.events.json.${dead}.89abcdef.tmp`);
    const foreign = path.join(dir, `.other.json.${dead}.0123abcd.tmp`);
    const staleSpool = path.join(tmp, `np6-events-${dead}-AbC123`);
    const freshSpool = path.join(tmp, `np6-events-${dead}-XyZ789`);
    const notOurs = path.join(tmp, 'np6-events-something-else');
    for (const d of [staleSpool, freshSpool, notOurs]) {
      await fsp.mkdir(path.join(d, 'result'), { recursive: true });
      await fsp.writeFile(path.join(d, 'result', 'events.ndjson'), '{}\n');
    }
    for (const f of [staleTemp, freshTemp, foreign]) await fsp.writeFile(f, 'x');
    for (const p of [
      staleTemp,
      foreign,
      path.join(staleSpool, 'result', 'events.ndjson'),
      path.join(staleSpool, 'result'),
      staleSpool,
      path.join(notOurs, 'result'),
      notOurs,
    ]) {
      await fsp.utimes(p, old, old);
    }
    const r = await run([...base, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!existsSync(staleTemp), 'stale temp file swept');
    assert.ok(!existsSync(staleSpool), 'stale spool folder swept');
    assert.ok(existsSync(freshTemp) && existsSync(freshSpool), 'fresh ones kept (a run may still own them)');
    assert.ok(existsSync(foreign) && existsSync(notOurs), 'names that are not ours kept');
  });

  describe('partial array/ndjson runs cannot pass for complete ones', () => {
    for (const format of ['array', 'ndjson'] as const) {
      it(`${format}: a cut answer leaves <out>.partial and a sidecar naming what is missing (exit 3); --resume completes <out>`, async () => {
        const out = path.join(dir, `events.${format}`);
        sandbox.setFaults({ mode: 'cut', cutAfterEvents: 40, times: 1 });
        const r = await run([...base, '--format', format, '--out', out]);
        assert.equal(r.code, 3, r.stderr);
        assert.ok(!existsSync(out), `${out} is not written`);
        assert.match(r.stderr, /was not written: the result is partial/);
        const partial = `${out}.partial`;
        const events = format === 'array' ? await readJson<Np6Event[]>(partial) : await readNdjson(partial);
        assert.deepEqual(events, expected().slice(0, 40));
        const side = await readJson<Sidecar>(`${partial}.json`);
        assert.equal(side.outputFormat, format);
        assert.equal(side.complete, false);
        assert.equal(side.count, 40);
        assert.equal(side.missing[0]!.start, expected()[39]!.timestamp);
        assert.match(side.error?.message ?? '', /cut|broke|closed|network/i);
        assert.match(side.note, /PARTIAL/);

        const r2 = await run(['events', '--resume', partial, '--base-url', sandbox.url]);
        assert.equal(r2.code, 0, r2.stderr);
        const full = format === 'array' ? await readJson<Np6Event[]>(out) : await readNdjson(out);
        assert.deepEqual(full, expected());
        assert.ok(!existsSync(partial) && !existsSync(`${partial}.json`), 'the .partial pair is removed');
        await assertNoLeftovers();
      });
    }

    it('--allow-partial writes <out> itself (exit 3 kept), no sidecar', async () => {
      const out = path.join(dir, 'events.ndjson');
      sandbox.setFaults({ mode: 'cut', cutAfterEvents: 40, times: 1 });
      const r = await run([...base, '--format', 'ndjson', '--allow-partial', '--out', out]);
      assert.equal(r.code, 3, r.stderr);
      assert.deepEqual(await readNdjson(out), expected().slice(0, 40));
      assert.ok(!existsSync(`${out}.partial`) && !existsSync(`${out}.partial.json`));
    });

    it('a partial --window run in array format also goes to .partial (via the store)', async () => {
      const out = path.join(dir, 'windows.json');
      const day = 24 * 3600_000;
      const start = Math.floor(campaign.start / day) * day;
      const end = Math.ceil(campaign.end / day) * day;
      const bad = new Date(start + day).toISOString().replace(/:/g, '%3A');
      sandbox.setFaults({ mode: '500', pathIncludes: `start=${bad}` });
      const r = await run([
        ...base,
        '--start',
        String(start),
        '--end',
        String(end),
        '--window',
        '1d',
        '--format',
        'array',
        '--out',
        out,
      ]);
      assert.equal(r.code, 3, r.stderr);
      assert.ok(!existsSync(out));
      const side = await readJson<Sidecar>(`${out}.partial.json`);
      assert.ok(
        side.missing.some((w) => w.start === start + day && /500/.test(w.reason)),
        JSON.stringify(side.missing),
      );
      assert.equal((await readJson<Np6Event[]>(`${out}.partial`)).length, side.count);
    });
  });

  describe('--resume checks the body, not only the header', () => {
    it('an export cut short whose header says complete is not "already complete": kept events + whole range fetched again', async () => {
      const out = path.join(dir, 'events.json');
      assert.equal((await run([...base, '--out', out])).code, 0);
      const text = await fsp.readFile(out, 'utf8');
      const lines = text.split('\n');
      // Cut in the middle of an event line, as a full disk or an interrupted copy would.
      const cut = lines.slice(0, 101).join('\n') + '\n' + lines[101]!.slice(0, 20);
      await fsp.writeFile(out, cut);
      const r = await run(['events', '--resume', out, '--base-url', sandbox.url]);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /already complete/);
      assert.match(r.stderr, /is damaged: .*cut inside an event at line 102.*says \d+ events but holds 100/);
      const doc = await readJson<Doc>(out);
      assert.equal(doc.complete, true);
      assert.deepEqual(doc.events, expected());
    });

    it('an intact complete export is "already complete" after its body was checked', async () => {
      const out = path.join(dir, 'events.json');
      assert.equal((await run([...base, '--out', out])).code, 0);
      const before = await fsp.readFile(out, 'utf8');
      const r = await run(['events', '--resume', out, '--base-url', catcher.url]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /already complete \(\d+ events, checked\)/);
      assert.equal(catcher.requests.length, 0);
      assert.equal(await fsp.readFile(out, 'utf8'), before);
    });
  });

  describe('numbers and ids are checked before any request', () => {
    const usage: [string, string[], RegExp][] = [
      [
        '--timeout 3000000 (would overflow setTimeout to 1 ms)',
        ['--timeout', '3000000'],
        /--timeout "3000000" .*1 to 86400/,
      ],
      ['--retries 99', ['--retries', '99'], /--retries/],
      ['--max-element-mb 0', ['--max-element-mb', '0'], /--max-element-mb/],
      ['--deadline 0.5s', ['--deadline', '0.5s'], /--deadline/],
      ['--min-rate -1', ['--min-rate', '-1'], /--min-rate/],
    ];
    for (const [name, flags, message] of usage) {
      it(`exit 2: ${name}`, async () => {
        const r = await run(['events', '--base-url', catcher.url, '--campaign', campaign.id, ...flags]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.equal(catcher.requests.length, 0);
      });
    }
    for (const id of ['..', 'a/b', 'a\u0007']) {
      it(`exit 2: campaign id ${JSON.stringify(id)}`, async () => {
        const r = await run(['events', '--base-url', catcher.url, '--campaign', id]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /--campaign: The campaign id/);
        assert.ok(!r.stderr.includes('\u0007'), 'the control character is not echoed');
        assert.equal(catcher.requests.length, 0, 'no request');
      });
    }
    it('exit 2: item id ".." with the items endpoint', async () => {
      const r = await run([
        'events',
        '--base-url',
        catcher.url,
        '--campaign',
        campaign.id,
        '--items-endpoint',
        '--items',
        '..',
      ]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--items: An item id/);
      assert.equal(catcher.requests.length, 0);
    });
  });
});
