import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  NotRegularFileError,
  sweepStaleTemps,
  tempPathFor,
  writeFileAtomic,
} from '../../../src/core/atomicFile';

const write =
  (text: string) =>
  (out: NodeJS.WritableStream): Promise<void> => {
    out.write(text);
    return Promise.resolve();
  };

/** A process id that ran and is gone: the child has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'np6-atomic-'));
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('writes the content and leaves only the target in the folder', async () => {
    const target = path.join(dir, 'out.json');
    await writeFileAtomic(target, async (out) => {
      out.write('hello ');
      out.write('world');
      await Promise.resolve();
    });
    assert.equal(await fsp.readFile(target, 'utf8'), 'hello world');
    assert.deepEqual(await fsp.readdir(dir), ['out.json']);
  });

  it('replaces an existing file', async () => {
    const target = path.join(dir, 'out.json');
    await fsp.writeFile(target, 'old');
    await writeFileAtomic(target, (out) => {
      out.write('new');
      return Promise.resolve();
    });
    assert.equal(await fsp.readFile(target, 'utf8'), 'new');
  });

  it('on failure removes the temp file and keeps the existing target untouched', async () => {
    const target = path.join(dir, 'out.json');
    await fsp.writeFile(target, 'precious');
    let tempSeen: string[] = [];
    await assert.rejects(
      writeFileAtomic(target, async (out) => {
        out.write('partial data that must never be seen');
        await new Promise((r) => setTimeout(r, 10));
        tempSeen = (await fsp.readdir(dir)).filter((f) => f.endsWith('.tmp'));
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(tempSeen.length, 1, 'a temp file existed in the same folder while writing');
    assert.equal(await fsp.readFile(target, 'utf8'), 'precious');
    assert.deepEqual(await fsp.readdir(dir), ['out.json']);
  });

  it('fails clearly when the folder does not exist', async () => {
    await assert.rejects(
      writeFileAtomic(path.join(dir, 'missing', 'out.json'), () => Promise.resolve()),
      /ENOENT/,
    );
  });

  it('keeps the permission bits of a file it replaces', async () => {
    const target = path.join(dir, 'private.json');
    await fsp.writeFile(target, 'old');
    await fsp.chmod(target, 0o600);
    await writeFileAtomic(target, write('new'));
    assert.equal(await fsp.readFile(target, 'utf8'), 'new');
    assert.equal((await fsp.stat(target)).mode & 0o777, 0o600);
    await fsp.chmod(target, 0o640);
    await writeFileAtomic(target, write('newer'));
    assert.equal((await fsp.stat(target)).mode & 0o777, 0o640);
  });

  it('refuses a FIFO, a symbolic link, a folder and a device, leaving each as it was', async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const real = path.join(dir, 'real.json');
    await fsp.writeFile(real, 'kept');
    const link = path.join(dir, 'link.json');
    await fsp.symlink(real, link);
    const folder = path.join(dir, 'folder');
    await fsp.mkdir(folder);
    for (const [target, what] of [
      [fifo, /FIFO/],
      [link, /symbolic link/],
      [folder, /folder/],
      ['/dev/null', /device/],
    ] as const) {
      await assert.rejects(
        writeFileAtomic(target, write('x')),
        (e: unknown) => e instanceof NotRegularFileError && what.test(e.message),
        target,
      );
    }
    assert.ok((await fsp.lstat(fifo)).isFIFO());
    assert.ok((await fsp.lstat(link)).isSymbolicLink());
    assert.equal(await fsp.readFile(real, 'utf8'), 'kept');
    assert.deepEqual(await fsp.readdir(folder), []);
    assert.ok((await fsp.lstat('/dev/null')).isCharacterDevice());
    assert.deepEqual((await fsp.readdir(dir)).sort(), ['folder', 'link.json', 'pipe', 'real.json']);
  });

  it('renames to the name the writer returns, and tells the tracker about the temp file', async () => {
    const target = path.join(dir, 'events.ndjson');
    const live = new Set<string>();
    const seen: string[] = [];
    const written = await writeFileAtomic(
      target,
      (out) => {
        out.write('a\n');
        return Promise.resolve({ target: `${target}.partial` });
      },
      { tracker: { add: (f) => (live.add(f), seen.push(f)), delete: (f) => live.delete(f) } },
    );
    assert.equal(written, `${target}.partial`);
    assert.deepEqual(await fsp.readdir(dir), ['events.ndjson.partial']);
    assert.equal(seen.length, 1);
    assert.match(path.basename(seen[0]!), /^\.events\.ndjson\.\d+\.[0-9a-f]{8}\.tmp$/);
    assert.equal(live.size, 0, 'the tracker no longer lists it');
  });

  it('sweeps only stale temp files of this target whose writer is gone', async () => {
    const target = path.join(dir, 'out.json');
    const dead = deadPid();
    const stale = path.join(dir, `.out.json.${dead}.0123abcd.tmp`);
    const fresh = path.join(dir, `.out.json.${dead}.89abcdef.tmp`);
    const mine = tempPathFor(target); // this process is alive
    const other = path.join(dir, `.other.json.${dead}.0123abcd.tmp`);
    const lookalike = path.join(dir, `.out.json.${dead}.notahex0.tmp`);
    for (const f of [stale, fresh, mine, other, lookalike]) await fsp.writeFile(f, 'x');
    const old = new Date(Date.now() - 2 * 3600_000);
    for (const f of [stale, mine, other, lookalike]) await fsp.utimes(f, old, old);
    const removed = await sweepStaleTemps(target);
    assert.deepEqual(removed, [stale]);
    const left = await fsp.readdir(dir);
    assert.ok(!left.includes(path.basename(stale)));
    for (const f of [fresh, mine, other, lookalike]) assert.ok(left.includes(path.basename(f)), f);
  });
});
