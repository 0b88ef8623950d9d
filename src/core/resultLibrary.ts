// All results of a window, one folder each under a root (the extension's globalStorage), kept
// within a byte budget: oldest results are evicted first, never those the caller is showing.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResultSummary } from './result';
import { EVENTS_FILE, ResultStore, SUMMARY_FILE, type ResultStoreInit } from './resultStore';

/** Result ids become folder names: keep them to a safe alphabet. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function checkId(id: string): string {
  if (!SAFE_ID.test(id) || id.includes('..')) {
    throw new Error(`Result id "${id}" is not a safe folder name: use letters, digits, ".", "_" and "-".`);
  }
  return id;
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(p);
    else total += (await fs.promises.stat(p).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

function lstatOrUndefined(p: string): Promise<fs.Stats | undefined> {
  return fs.promises.lstat(p).catch(() => undefined);
}

interface Entry {
  id: string;
  summary?: ResultSummary;
  bytes: number;
}

export class ResultLibrary {
  constructor(
    readonly root: string,
    readonly budgetBytes: number,
  ) {}

  /** Creates a new result folder `<root>/<init.id>`. */
  async create(init: ResultStoreInit): Promise<ResultStore> {
    await fs.promises.mkdir(this.root, { recursive: true });
    return ResultStore.create(path.join(this.root, checkId(init.id)), init);
  }

  /** Opens a stored result (index rebuilt from disk). */
  async open(id: string): Promise<ResultStore> {
    return ResultStore.open(path.join(this.root, checkId(id)));
  }

  /** Summaries of the stored results, newest first. Folders without a readable summary are skipped. */
  async list(): Promise<ResultSummary[]> {
    const entries = await this.entries(false);
    return entries
      .flatMap((e) => (e.summary ? [e.summary] : []))
      .sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1));
  }

  /** Bytes on disk of one result (0 when it does not exist). */
  async sizeOf(id: string): Promise<number> {
    return folderBytes(path.join(this.root, checkId(id)));
  }

  async remove(id: string): Promise<void> {
    await fs.promises.rm(path.join(this.root, checkId(id)), { recursive: true, force: true });
  }

  /** Removes every stored result. */
  async clear(): Promise<void> {
    for (const e of await this.entries(false)) await this.remove(e.id);
  }

  /**
   * Evicts the oldest results until the total size fits the budget, never those in `keep` (the
   * ones on screen or being fetched). Damaged folders (no summary) go first. Returns evicted ids.
   */
  async enforceBudget(keep: string[] = []): Promise<string[]> {
    const entries = await this.entries(true);
    let total = entries.reduce((sum, e) => sum + e.bytes, 0);
    const evicted: string[] = [];
    const oldestFirst = entries
      .filter((e) => !keep.includes(e.id))
      .sort((a, b) => (a.summary?.startedAt ?? -1) - (b.summary?.startedAt ?? -1));
    for (const e of oldestFirst) {
      if (total <= this.budgetBytes) break;
      await this.remove(e.id);
      total -= e.bytes;
      evicted.push(e.id);
    }
    return evicted;
  }

  private async entries(withSizes: boolean): Promise<Entry[]> {
    const dirents = await fs.promises.readdir(this.root, { withFileTypes: true }).catch(() => []);
    const out: Entry[] = [];
    for (const d of dirents) {
      if (!d.isDirectory() || !SAFE_ID.test(d.name)) continue;
      const dir = path.join(this.root, d.name);
      // The root may hold other things of the extension: only folders with a result file are results.
      const summaryStat = await lstatOrUndefined(path.join(dir, SUMMARY_FILE));
      if (!summaryStat && !(await lstatOrUndefined(path.join(dir, EVENTS_FILE)))) continue;
      let summary: ResultSummary | undefined;
      try {
        // A summary that is a symbolic link is not read (the store refuses it too).
        summary = summaryStat?.isFile()
          ? (JSON.parse(await fs.promises.readFile(path.join(dir, SUMMARY_FILE), 'utf8')) as ResultSummary)
          : undefined;
      } catch {
        summary = undefined;
      }
      out.push({ id: d.name, summary, bytes: withSizes ? await folderBytes(dir) : 0 });
    }
    return out;
  }
}
