// The line the timeline's header shows for a result read from an events file: which file, what
// kind, when its events were fetched, whether the export said it was complete, and the subset.
// The file name and the subset's filters are outside text: the webview shows this as text only.

import { count } from '../../shared/counts';
import type { ResultSummary } from '../result';

const CANCELLED = 'opening cancelled: only the start of the file was read';
const FORMAT_WORDS = { export: 'NP6 export', array: 'JSON array', ndjson: 'NDJSON' } as const;

/** "Opened from file x.json (NP6 export) · fetched 2026-… · complete as exported · …"; undefined when not imported. */
export function importedSource(s: ResultSummary): string | undefined {
  const f = s.imported;
  if (!f) return undefined;
  const parts = [`Opened from file ${f.fileName} (${FORMAT_WORDS[f.format] ?? f.format})`];
  if (f.format === 'export') {
    parts.push(f.fetchedAt !== undefined ? `fetched ${f.fetchedAt}` : 'no valid fetch time');
    if (f.problem !== undefined) parts.push(`file malformed at ${f.problem}`);
    else if (s.cancelled) parts.push(CANCELLED);
    else if (s.error?.kind === 'countMismatch') parts.push('its events do not match its count');
    else if (s.complete) parts.push('complete as exported');
    else if (s.missing.length > 0) {
      parts.push(`partial as exported: ${count(s.missing.length, 'window')} missing`);
    } else parts.push('partial as exported');
    if (f.subsetOf !== undefined) {
      parts.push(
        `a subset of ${count(f.subsetOf, 'event')}${f.subsetFilters !== undefined ? ` (${f.subsetFilters})` : ''}`,
      );
    }
    if (!f.hasQuery) parts.push('no query to run again');
  } else {
    parts.push(
      f.problem !== undefined
        ? `file malformed at ${f.problem}`
        : s.cancelled
          ? CANCELLED
          : 'no metadata: no query to run again',
    );
  }
  return parts.join(' · ');
}
