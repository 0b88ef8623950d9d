import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeSpoolDir, removeSpoolDir, sweepStaleSpools } from '../../../src/cli/cleanup';

const CLEANUP = path.resolve(__dirname, '../../../src/cli/cleanup.ts');

describe('CLI temp files and folders', () => {
  let tmp: string;
  beforeEach(async () => (tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'np6-cleanup-'))));
  afterEach(() => fsp.rm(tmp, { recursive: true, force: true }));

  it('a process that exits at once (process.exit, as on a second signal) removes what it registered', async () => {
    const file = path.join(tmp, '.out.json.1.0123abcd.tmp');
    const folder = path.join(tmp, 'spool');
    // The same wiring as main.ts: an 'exit' handler, then process.exit in the middle of the work.
    const script = `
      const fs = require('node:fs');
      const { leftovers } = require(${JSON.stringify(CLEANUP)});
      process.on('exit', () => leftovers.removeAllSync());
      fs.writeFileSync(${JSON.stringify(file)}, 'partial');
      fs.mkdirSync(${JSON.stringify(path.join(folder, 'result'))}, { recursive: true });
      fs.writeFileSync(${JSON.stringify(path.join(folder, 'result', 'events.ndjson'))}, '{}');
      leftovers.add(${JSON.stringify(file)});
      leftovers.add(${JSON.stringify(folder)});
      process.exit(143);
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 143, r.stderr);
    assert.deepEqual(await fsp.readdir(tmp), []);
  });

  it('a spool folder carries the process id, and is unregistered once removed', async () => {
    const dir = await makeSpoolDir(tmp);
    assert.match(path.basename(dir), new RegExp(`^np6-events-${process.pid}-[A-Za-z0-9]{6}$`));
    await removeSpoolDir(dir);
    assert.ok(!existsSync(dir));
  });

  it('the sweep keeps the spool folder of a live process, even an old one', async () => {
    const dir = await makeSpoolDir(tmp);
    const old = new Date(Date.now() - 5 * 3600_000);
    await fsp.utimes(dir, old, old);
    assert.deepEqual(await sweepStaleSpools(tmp), []);
    assert.ok(existsSync(dir));
    await removeSpoolDir(dir);
  });

  it('the sweep removes an old spool folder of a gone process, but not while its events file is fresh', async () => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const dir = path.join(tmp, `np6-events-${child.stdout}-AbCdEf`);
    const events = path.join(dir, 'result', 'events.ndjson');
    await fsp.mkdir(path.dirname(events), { recursive: true });
    await fsp.writeFile(events, '{}\n');
    const old = new Date(Date.now() - 2 * 3600_000);
    for (const p of [path.dirname(events), dir]) await fsp.utimes(p, old, old);
    assert.deepEqual(await sweepStaleSpools(tmp), [], 'the events file was written just now');
    await fsp.utimes(events, old, old);
    assert.deepEqual(await sweepStaleSpools(tmp), [dir]);
    assert.ok(!existsSync(dir));
  });
});
