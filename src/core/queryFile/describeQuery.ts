// One line that says what a query file asks, for Recent Queries and the CodeLens: our words
// around the file's values. The values are outside text: callers escape the line for their surface.
import { DATE_PRESETS } from '../dates';
import { QUERY_EVENT_TYPES } from '../query/queryAnswers';
import type { QueryFile, QueryFileRange } from './queryFile';

export function describeRangeOf(r: QueryFileRange): string {
  if ('last' in r) return `last ${r.last}`;
  if ('preset' in r) return (DATE_PRESETS.find((p) => p.id === r.preset)?.label ?? r.preset).toLowerCase();
  return `${String(r.start)} → ${String(r.end)}`;
}

export function describeQuery(f: QueryFile): string {
  const types =
    f.types.length === QUERY_EVENT_TYPES.length
      ? 'all types'
      : f.types
          .map((t) => (t === 'hit' && f.subtypes.length > 0 ? `hit (${f.subtypes.join(', ')})` : t))
          .join(', ');
  const items =
    f.items.length === 0
      ? 'whole campaign'
      : f.items.length <= 3
        ? `item${f.items.length > 1 ? 's' : ''} ${f.items.join(', ')}`
        : `${f.items.length} items`;
  const sort = f.sort === 'none' ? 'unsorted' : f.sort === 'desc' ? 'newest first' : 'oldest first';
  return `${items} · ${types} · ${describeRangeOf(f.range)} · ${sort}`;
}
