// What np6-events leaves on disk while it runs (temporary files next to --out, the spool folder in
// the system's temp folder) and how it is removed on every way out: the normal path removes each
// as it goes; `removeAllSync` runs on process exit (a second Ctrl+C, SIGTERM twice, an uncaught
// error), and `sweepStaleSpools` removes what a killed run (SIGKILL, a crash) left behind.

import { promises as fsp, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TempTracker } from '../core/atomicFile';

/** Paths created by this run and not yet removed or renamed into place. */
export class Leftovers implements TempTracker {
  private readonly paths = new Set<string>();

  add(p: string): void {
    this.paths.add(p);
  }

  delete(p: string): void {
    this.paths.delete(p);
  }

  get size(): number {
    return this.paths.size;
  }

  /** Synchronous: it runs in a process 'exit' handler, where nothing asynchronous completes. */
  removeAllSync(): void {
    for (const p of this.paths) {
      try {
        rmSync(p, { recursive: true, force: true });
      } catch {
        // Best effort: the sweep of a later run removes what is left.
      }
      this.paths.delete(p);
    }
  }
}

/** One per process: main.ts removes them on exit, run.ts and writeOutput register them. */
export const leftovers = new Leftovers();

/** The spool folder's prefix in the system's temp folder; the process id follows, so a sweep can tell. */
export const SPOOL_PREFIX = 'np6-events-';
const SPOOL_NAME = /^np6-events-(?:(\d+)-)?[A-Za-z0-9]{6}$/;
export const STALE_AFTER_MS = 3600_000;

/** Creates this run's spool folder (registered for removal). */
export async function makeSpoolDir(base = os.tmpdir()): Promise<string> {
  const dir = await fsp.mkdtemp(path.join(base, `${SPOOL_PREFIX}${process.pid}-`));
  leftovers.add(dir);
  return dir;
}

export async function removeSpoolDir(dir: string): Promise<void> {
  await fsp.rm(dir, { recursive: true, force: true });
  leftovers.delete(dir);
}

function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The newest modification time in the folder and one level below (a running spool writes its events file). */
async function newestMtime(dir: string): Promise<number> {
  let newest = (await fsp.lstat(dir)).mtimeMs;
  const walk = async (d: string, depth: number): Promise<void> => {
    const entries = await fsp.readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = path.join(d, e.name);
      const st = await fsp.lstat(p).catch(() => undefined);
      if (st) newest = Math.max(newest, st.mtimeMs);
      if (e.isDirectory() && depth > 0) await walk(p, depth - 1);
    }
  };
  await walk(dir, 1);
  return newest;
}

/**
 * Removes spool folders of earlier runs that were killed: only names this tool gives, owned by this
 * user, untouched for `maxAgeMs`, and (when the name carries one) whose process is gone. A run in
 * progress, here or in another container sharing the folder, keeps writing and is never older.
 */
export async function sweepStaleSpools(
  base = os.tmpdir(),
  maxAgeMs = STALE_AFTER_MS,
  now = Date.now(),
): Promise<string[]> {
  const names = await fsp.readdir(base).catch(() => [] as string[]);
  const uid = process.getuid?.();
  const removed: string[] = [];
  for (const name of names) {
    const m = SPOOL_NAME.exec(name);
    if (!m) continue;
    const dir = path.join(base, name);
    try {
      const st = await fsp.lstat(dir);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      const pid = m[1] === undefined ? undefined : Number(m[1]);
      if (pid !== undefined && (pid === process.pid || !processIsGone(pid))) continue;
      if (now - (await newestMtime(dir)) < maxAgeMs) continue;
      await fsp.rm(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Gone meanwhile, or not ours to remove: leave it.
    }
  }
  return removed;
}
