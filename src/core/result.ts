// What a finished (or interrupted) query leaves behind, shared by the extension, the timeline, the
// exports and the CLI. The events themselves live in a result store (on disk, see resultStore.ts);
// this file is the vocabulary, with no I/O.

import type { EventQuery } from '../np6/query';
import { count } from '../shared/counts';

/** A time window of the query that was not fetched (its request failed after retries). */
export interface MissingWindow {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive. */
  end: number;
  /** Why: the error's message, e.g. "HTTP 503 (request id abc): ...". */
  reason: string;
}

/** How a result ended. `complete` is true only when every window arrived whole. */
export interface Completeness {
  complete: boolean;
  /** Set when the query was cancelled by the user before it finished. */
  cancelled?: boolean;
  /** The error that ended (or cut) the last request, in words a user can act on. */
  error?: { kind: string; message: string; status?: number; requestId?: string };
  /** Windows never received (empty when complete). */
  missing: MissingWindow[];
}

export interface ResultSummary extends Completeness {
  /** Stable id of the result (used for file names, panels and the tree). */
  id: string;
  /** Label of the campaign as configured (name or id). */
  campaignLabel: string;
  query: EventQuery;
  /** Epoch ms when the fetch started and ended. */
  startedAt: number;
  finishedAt?: number;
  /** Events kept (after de-duplication by id). */
  count: number;
  /** Bytes of response bodies received. */
  bytes: number;
  /** Set when the result was read from an events file (Open Events File…), not fetched. */
  imported?: ImportedFrom;
}

/**
 * Where an imported result came from and what the file said about itself. Every string here comes
 * from the file (outside text): shown as text only.
 */
export interface ImportedFrom {
  /** The file's name (no folder). */
  fileName: string;
  format: 'export' | 'array' | 'ndjson';
  /** The export's `fetchedAt` (ISO), when it had a valid one. */
  fetchedAt?: string;
  /** The export's `count` (events it said it holds). */
  count?: number;
  /** The export held part of a result of this many events (`subset.of`). */
  subsetOf?: number;
  /** The subset's filters and range, as JSON text. */
  subsetFilters?: string;
  /** The export carried a valid query: Re-run may ask it again (after the user confirms). */
  hasQuery: boolean;
  /** Where the file stopped being readable ("byte 123 (line 4): ..."), when it did. */
  problem?: string;
}

/** One sentence for tooltips, banners, CLI stderr: "complete" or exactly what is missing. */
export function describeCompleteness(c: Completeness): string {
  return c.complete ? 'complete' : `partial: ${whyIncomplete(c)}`;
}

/**
 * Why a result is incomplete, without the leading "partial" (for a sentence that says "partial"
 * itself, like the timeline's banner): "cancelled before the end; 1 window missing: …".
 */
export function whyIncomplete(c: Completeness): string {
  const parts: string[] = [];
  if (c.cancelled) parts.push('cancelled before the end');
  if (c.error && !c.cancelled) parts.push(c.error.message);
  if (c.missing.length > 0) {
    const list = c.missing
      .slice(0, 5)
      .map((w) => `${new Date(w.start).toISOString()} → ${new Date(w.end).toISOString()}`)
      .join('; ');
    parts.push(`${count(c.missing.length, 'window')} missing: ${list}${c.missing.length > 5 ? '; …' : ''}`);
  }
  return parts.join('; ') || 'incomplete';
}
