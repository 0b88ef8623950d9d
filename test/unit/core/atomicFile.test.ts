import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../../src/core/atomicFile';

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
});
