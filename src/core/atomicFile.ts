// Writes a file so that readers only ever see the old content or the complete new one: the bytes
// go to a temporary file in the same folder (a rename is only atomic within one file system), are
// fsync'ed, then renamed over the target. On any failure or cancellation the temporary file is
// removed and an existing target is left exactly as it was.
//
// Only a regular file (or a new name) is ever replaced: a rename over a FIFO, a device node, a
// socket or a symbolic link would silently swap that object for a plain file (a `--out /dev/stdout`
// or a link into another folder would stop meaning what the user meant), so those are refused.
// A file that is replaced keeps its permission bits: `chmod 600 events.json` stays private.

import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fsp, type Stats } from 'node:fs';
import * as path from 'node:path';

/** The temporary name used next to `target`; hidden and recognisable, so a crash leaves an obvious file. */
export function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  const base = path.basename(target);
  return path.join(dir, `.${base}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Matches the names tempPathFor gives for `base`; group 1 is the writer's process id. */
function tempNamePattern(base: string): RegExp {
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\.${escaped}\\.(\\d+)\\.[0-9a-f]{8}\\.tmp$`);
}

/** What kind of file-system object this is, in words, for anything that is not a regular file. */
export function describeNonRegular(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Raised when the target exists and is not a regular file: it is never replaced. */
export class NotRegularFileError extends Error {
  constructor(
    readonly target: string,
    readonly what: string,
  ) {
    super(`${target} is ${what}: only a regular file or a new name can be written (nothing was changed).`);
    this.name = 'NotRegularFileError';
  }
}

/**
 * The target's permission bits when it is a regular file, undefined when it does not exist.
 * Throws NotRegularFileError for anything else. Uses lstat: a symbolic link is never followed.
 */
export async function existingFileMode(target: string): Promise<number | undefined> {
  let st: Stats;
  try {
    st = await fsp.lstat(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const what = describeNonRegular(st);
  if (what !== undefined) throw new NotRegularFileError(target, what);
  return st.mode & 0o7777;
}

/** Told about each temporary file while it exists, so a process that is made to exit can remove it. */
export interface TempTracker {
  add(file: string): void;
  delete(file: string): void;
}

export interface AtomicWriteOptions {
  tracker?: TempTracker;
}

/** What `write` may return: a different final name (in the same folder), decided once the content is known. */
export interface AtomicRename {
  target: string;
}

/**
 * Runs `write` against a stream onto a temporary file, then fsyncs and renames it to `target` (or to
 * the name `write` returns, which must be in the same folder). `write` must resolve once it has
 * written everything (it must not end the stream itself); if it rejects, nothing is renamed and
 * the rejection is rethrown. Resolves with the path written.
 */
export async function writeFileAtomic(
  target: string,
  write: (out: NodeJS.WritableStream) => Promise<void | AtomicRename>,
  options: AtomicWriteOptions = {},
): Promise<string> {
  // Refused before anything is created next to it (a temp file in /dev is not wanted either).
  await existingFileMode(target);
  const temp = tempPathFor(target);
  // 'wx': never clobber anything, even a stale temp file with the same (random) name.
  const out = createWriteStream(temp, { flags: 'wx', mode: 0o644, highWaterMark: 1 << 16 });
  options.tracker?.add(temp);
  const closed = new Promise<void>((resolve) => out.once('close', resolve));
  // An 'error' would otherwise be unhandled while `write` is awaiting something else.
  const failed: { error?: Error } = {};
  out.on('error', (e) => (failed.error = e));
  try {
    await new Promise<void>((resolve, reject) => {
      out.once('ready', resolve);
      out.once('error', reject);
    });
    const rename = await write(out);
    const final = rename ? rename.target : target;
    if (path.dirname(path.resolve(final)) !== path.dirname(path.resolve(target))) {
      throw new Error(`${final} is not in the folder of ${target}: an atomic rename needs the same folder.`);
    }
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(resolve);
    });
    await closed;
    if (failed.error) throw failed.error;
    // Checked again just before the rename (the caller may have checked long ago, before a fetch
    // of hours): what is there now decides, and its mode is carried over.
    const mode = await existingFileMode(final);
    if (mode !== undefined) await fsp.chmod(temp, mode);
    // fsync through a second descriptor: it flushes the file's data whichever descriptor wrote it
    // (file-handle streams that stay open for the fsync cannot be closed cleanly on Node 20).
    const h = await fsp.open(temp, 'r+');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
    await fsp.rename(temp, final);
    options.tracker?.delete(temp);
    await syncDir(path.dirname(final));
    return final;
  } catch (e) {
    out.destroy();
    await closed;
    await fsp.rm(temp, { force: true }).catch(() => undefined);
    options.tracker?.delete(temp);
    throw e;
  }
}

/** A process id that is known not to run any more (ESRCH); a live or unknown one counts as alive. */
function processIsGone(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes the temporary files that earlier writes of `target` left behind when their process was
 * killed (SIGKILL, a crash, a power cut): only names tempPathFor gives for this very target, only
 * regular files, only when older than `maxAgeMs` and their writer's process is gone, so a write in
 * progress elsewhere is never touched. Returns the paths removed.
 */
export async function sweepStaleTemps(
  target: string,
  maxAgeMs = 3600_000,
  now = Date.now(),
): Promise<string[]> {
  const dir = path.dirname(path.resolve(target));
  const pattern = tempNamePattern(path.basename(target));
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    const st = await fsp.lstat(file).catch(() => undefined);
    if (!st?.isFile() || now - st.mtimeMs < maxAgeMs || !processIsGone(Number(m[1]))) continue;
    await fsp.rm(file, { force: true }).then(
      () => removed.push(file),
      () => undefined,
    );
  }
  return removed;
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
