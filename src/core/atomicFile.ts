// Writes a file so that readers only ever see the old content or the complete new one: the bytes
// go to a temporary file in the same folder (a rename is only atomic within one file system), are
// fsync'ed, then renamed over the target. On any failure or cancellation the temporary file is
// removed and an existing target is left exactly as it was.

import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';

/** The temporary name used next to `target`; hidden and recognisable, so a crash leaves an obvious file. */
export function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  const base = path.basename(target);
  return path.join(dir, `.${base}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Runs `write` against a stream onto a temporary file, then fsyncs and renames it to `target`.
 * `write` must resolve once it has written everything (it must not end the stream itself);
 * if it rejects, nothing is renamed and the rejection is rethrown.
 */
export async function writeFileAtomic(
  target: string,
  write: (out: NodeJS.WritableStream) => Promise<void>,
): Promise<void> {
  const temp = tempPathFor(target);
  // 'wx': never clobber anything, even a stale temp file with the same (random) name.
  const out = createWriteStream(temp, { flags: 'wx', mode: 0o644, highWaterMark: 1 << 16 });
  const closed = new Promise<void>((resolve) => out.once('close', resolve));
  // An 'error' would otherwise be unhandled while `write` is awaiting something else.
  const failed: { error?: Error } = {};
  out.on('error', (e) => (failed.error = e));
  try {
    await new Promise<void>((resolve, reject) => {
      out.once('ready', resolve);
      out.once('error', reject);
    });
    await write(out);
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(resolve);
    });
    await closed;
    if (failed.error) throw failed.error;
    // fsync through a second descriptor: it flushes the file's data whichever descriptor wrote it
    // (file-handle streams that stay open for the fsync cannot be closed cleanly on Node 20).
    const h = await fsp.open(temp, 'r+');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
    await fsp.rename(temp, target);
    await syncDir(path.dirname(target));
  } catch (e) {
    out.destroy();
    await closed;
    await fsp.rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** Makes the rename itself durable. Not supported everywhere (Windows): best effort. */
async function syncDir(dir: string): Promise<void> {
  try {
    const d = await fsp.open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // The data is already fsync'ed; only the directory entry's durability is at stake.
  }
}
