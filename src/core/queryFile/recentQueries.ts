// The last queries asked (Recent Queries): kept in globalState as query files (queryFile.ts), so
// they hold no key and no URL and are read back with the same checks as a file. Pure: the host
// (src/vscode/query/recentQueryStore.ts) reads and writes the list.
import { parseQueryFile, sameQuery, type QueryFile } from './queryFile';

export const MAX_RECENT = 20;

export interface RecentQuery {
  /** Stable id of the entry (tree node ids, commands' arguments). */
  id: string;
  file: QueryFile;
  /** When it was last asked, epoch ms. */
  at: number;
  /** The workspace-relative path of the query file it was pinned to. */
  pinned?: string;
}

/**
 * The list with `file` asked at `at` first. The same question asked again moves up (keeping its
 * id and pin); unpinned entries beyond MAX_RECENT are dropped, pinned ones are kept.
 */
export function addRecent(list: readonly RecentQuery[], file: QueryFile, at: number): RecentQuery[] {
  const old = list.find((r) => sameQuery(r.file, file));
  const entry: RecentQuery = {
    id: old?.id ?? `q${at.toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`,
    file:
      file.title === undefined && old?.file.title !== undefined ? { ...file, title: old.file.title } : file,
    at,
    ...(old?.pinned !== undefined ? { pinned: old.pinned } : {}),
  };
  const rest = list.filter((r) => r !== old);
  const out = [entry];
  let unpinned = 1;
  for (const r of rest) {
    if (r.pinned === undefined) {
      if (unpinned >= MAX_RECENT) continue;
      unpinned++;
    }
    out.push(r);
  }
  return out;
}

export function pinRecent(list: readonly RecentQuery[], id: string, path: string): RecentQuery[] {
  return list.map((r) => (r.id === id ? { ...r, pinned: path } : r));
}

export function removeRecent(list: readonly RecentQuery[], id: string): RecentQuery[] {
  return list.filter((r) => r.id !== id);
}

/** Pinned first, then the most recent. */
export function recentOrder(list: readonly RecentQuery[]): RecentQuery[] {
  return [...list].sort(
    (a, b) => Number(b.pinned !== undefined) - Number(a.pinned !== undefined) || b.at - a.at,
  );
}

/** The largest distance from the epoch a Date holds (ECMAScript: ±100,000,000 days). */
const MAX_DATE_MS = 8.64e15;

/** A time a Date can hold: the tree writes it with toISOString, which throws on anything else. */
function isDateTime(at: unknown): at is number {
  return typeof at === 'number' && Number.isFinite(at) && Math.abs(at) <= MAX_DATE_MS;
}

/** Reads what globalState holds: entries that do not pass the file checks (or whose time no Date holds) are dropped. */
export function parseRecent(stored: unknown): RecentQuery[] {
  if (!Array.isArray(stored)) return [];
  const out: RecentQuery[] = [];
  for (const s of stored as unknown[]) {
    if (typeof s !== 'object' || s === null) continue;
    const r = s as Record<string, unknown>;
    if (typeof r.id !== 'string' || !/^[a-z0-9]{1,40}$/.test(r.id) || !isDateTime(r.at)) continue;
    const f = parseQueryFile(r.file);
    if ('error' in f) continue;
    out.push({
      id: r.id,
      file: f.value,
      at: r.at,
      ...(typeof r.pinned === 'string' && r.pinned.length < 1000 ? { pinned: r.pinned } : {}),
    });
  }
  return out.slice(0, MAX_RECENT * 3);
}
