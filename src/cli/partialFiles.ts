// A partial run in `array` or `ndjson` format must not leave a file that passes for a complete one:
// both formats are plain lists of events, with no room for a "complete": false. So unless
// --allow-partial is given, such a run writes its events to `<out>.partial` and, next to it, a
// sidecar `<out>.partial.json` that says what is missing (the same metadata as an export's header),
// and leaves `<out>` itself as it was. `--resume <out>.partial` fetches what is missing and writes
// `<out>`; the .partial pair is removed once the result is complete.

import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { exportHeader, type ExportFormat, type ExportHeader } from '../core/exportFormat';
import type { ResultSummary } from '../core/result';

export const PARTIAL_FORMAT_ID = 'np6-events-partial/1';

/** The sidecar: an export's metadata, naming the body file and its format. */
export type PartialSidecar = Omit<ExportHeader, 'format'> & {
  format: typeof PARTIAL_FORMAT_ID;
  /** The body's file name (in the same folder). */
  file: string;
  outputFormat: Exclude<ExportFormat, 'export'>;
  note: string;
};

export function sidecarText(
  meta: ResultSummary,
  outputFormat: Exclude<ExportFormat, 'export'>,
  bodyFile: string,
): string {
  const { format: _ignored, ...header } = exportHeader(meta);
  const file = path.basename(bodyFile);
  const side: PartialSidecar = {
    format: PARTIAL_FORMAT_ID,
    file,
    outputFormat,
    ...header,
    note: `${file} is PARTIAL: it lacks the events of the "missing" windows. Run: np6-events events --resume ${file}`,
  };
  return `${JSON.stringify(side, null, 2)}\n`;
}

/** True when `file` is a sidecar this tool wrote (so removing its pair cannot touch a user's file). */
async function isOurSidecar(file: string): Promise<boolean> {
  try {
    const st = await fsp.lstat(file);
    if (!st.isFile() || st.size > 16 * 1024 * 1024) return false;
    const v = JSON.parse(await fsp.readFile(file, 'utf8')) as { format?: unknown };
    return v?.format === PARTIAL_FORMAT_ID;
  } catch {
    return false;
  }
}

/**
 * Removes a `.partial` body and its sidecar once a complete result replaces them. Only when the
 * sidecar is one of ours, and only regular files. Returns the paths removed.
 */
export async function removePartialPair(body: string, sidecar: string): Promise<string[]> {
  if (!(await isOurSidecar(sidecar))) return [];
  const removed: string[] = [];
  for (const f of [body, sidecar]) {
    const st = await fsp.lstat(f).catch(() => undefined);
    if (!st?.isFile()) continue;
    await fsp.rm(f, { force: true });
    removed.push(f);
  }
  return removed;
}
