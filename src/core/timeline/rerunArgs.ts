// The arguments of `np6.queryEvents` that ask a stored query again: used to re-run a result whose
// files are gone (Clear Results, deleted on disk), when the campaign's "last query" is gone too.

import type { EventQuery } from '../../np6/query';

export interface RerunArgs {
  campaignId: string;
  items?: string[];
  types: string[];
  subtypes?: string[];
  start?: number;
  end?: number;
  sort: EventQuery['sort'];
  show: 'timeline';
}

export function rerunArgs(q: EventQuery): RerunArgs {
  const types = [...new Set(q.itemsEvents.flatMap((c) => c.events.map((e) => e.type)))];
  const subtypes = [...new Set(q.itemsEvents.flatMap((c) => c.events.flatMap((e) => e.subtypes ?? [])))];
  const items = [...new Set(q.itemsEvents.flatMap((c) => (c.items ?? []).map(String)))];
  return {
    campaignId: q.campaignId,
    ...(items.length > 0 ? { items } : {}),
    types,
    ...(subtypes.length > 0 ? { subtypes } : {}),
    ...(q.start !== undefined ? { start: q.start } : {}),
    ...(q.end !== undefined ? { end: q.end } : {}),
    sort: q.sort,
    show: 'timeline',
  };
}
