// The answers of the query flow (or of a command's arguments) and the EventQuery they make.
// Kept apart from the prompts so scripts/tests give the same answers without any UI.
import { DATE_PRESETS, parseDateInput } from '../dates';
import { EMAIL_CAMPAIGN_EVENT_TYPES, HIT_SUBTYPES } from '../../np6/events';
import { validateQuery, type EventQuery, type SortOrder } from '../../np6/query';

/** What a query needs of a campaign (src/vscode/campaigns.ts CampaignRef has it). */
export interface QueryCampaign {
  id: string;
  label: string;
  items: { id: string }[];
}

/** The event types offered for campaigns (email channel): the documented ones. */
export const QUERY_EVENT_TYPES = EMAIL_CAMPAIGN_EVENT_TYPES;

export type RangeAnswer = { preset: string } | { start: string; end: string };

export interface QueryAnswers {
  /** Item ids; empty or every item = the whole campaign (campaign endpoint). */
  items: string[];
  types: string[];
  /** Hit subtypes; only used when `hit` is among the types. Empty = all. */
  subtypes: string[];
  range: RangeAnswer;
  sort: SortOrder;
}

/** Arguments accepted by "Query Events..." from scripts, keybindings and tests. */
export interface QueryArgs {
  campaignId: string;
  items?: (string | number)[];
  types?: string[];
  subtypes?: string[];
  /** A DATE_PRESETS id, or give start and end. */
  preset?: string;
  start?: string | number;
  end?: string | number;
  sort?: SortOrder;
  /** Where the result goes when done: the timeline (default), a JSON document, or nowhere. */
  show?: 'timeline' | 'json' | 'none';
}

export function defaultAnswers(): QueryAnswers {
  return {
    items: [],
    types: [...QUERY_EVENT_TYPES],
    subtypes: [...HIT_SUBTYPES],
    range: { preset: DATE_PRESETS[4]?.id ?? 'last7d' },
    sort: 'asc',
  };
}

export function resolveRange(
  r: RangeAnswer,
  now: number,
  timeZone: string,
): { start: number; end: number } | { error: string } {
  if ('preset' in r) {
    const p = DATE_PRESETS.find((d) => d.id === r.preset);
    if (!p) {
      return {
        error: `Unknown date preset "${r.preset}": use one of ${DATE_PRESETS.map((d) => d.id).join(', ')}.`,
      };
    }
    return p.range(now, timeZone);
  }
  const s = parseDateInput(r.start, now, timeZone);
  if ('error' in s) return { error: `Start: ${s.error}` };
  const e = parseDateInput(r.end, now, timeZone);
  if ('error' in e) return { error: `End: ${e.error}` };
  if (e.ms <= s.ms) {
    return { error: 'The end is not after the start: the end is exclusive, choose a later end.' };
  }
  return { start: s.ms, end: e.ms };
}

/**
 * The items shown as selected in the items step: the remembered ones, or every item when the answer
 * is "all" (empty).
 */
export function selectedItemIds(answer: readonly string[], all: readonly string[]): string[] {
  return answer.length === 0 ? [...all] : all.filter((id) => answer.includes(id));
}

/** The items answer for a selection: every item chosen means the whole campaign (empty). */
export function itemsAnswer(chosen: readonly string[], all: readonly string[]): string[] {
  return chosen.length === all.length ? [] : [...chosen];
}

/** Builds the query; the items decide the endpoint (all items = whole campaign). */
export function buildQuery(
  campaign: QueryCampaign,
  a: QueryAnswers,
  now: number,
  timeZone: string,
): { query: EventQuery } | { error: string } {
  const range = resolveRange(a.range, now, timeZone);
  if ('error' in range) return range;
  const known = new Set(campaign.items.map((i) => i.id));
  const unknown = a.items.filter((i) => known.size > 0 && !known.has(i));
  if (unknown.length > 0) {
    return {
      error: `Item ${unknown.join(', ')} is not an item of campaign "${campaign.label}": add it first (NP6: Add Item).`,
    };
  }
  const allItems = a.items.length === 0 || (known.size > 0 && a.items.length >= known.size);
  const subtypes = a.subtypes.length > 0 ? a.subtypes : [...HIT_SUBTYPES];
  const query: EventQuery = {
    campaignId: campaign.id,
    endpoint: allItems ? 'campaign' : 'items',
    itemsEvents: [
      {
        channel: 'email',
        events: a.types.map((t) => (t === 'hit' ? { type: t, subtypes } : { type: t })),
        ...(allItems ? {} : { items: a.items }),
      },
    ],
    start: range.start,
    end: range.end,
    sort: a.sort,
  };
  const problems = validateQuery(query);
  if (problems.length > 0) return { error: problems.map((p) => p.message).join(' ') };
  return { query };
}

/** Turns command arguments into answers, on top of remembered/default ones. */
export function answersFromArgs(args: QueryArgs, base: QueryAnswers): QueryAnswers | { error: string } {
  let range: RangeAnswer = base.range;
  if (args.preset !== undefined) range = { preset: args.preset };
  else if (args.start !== undefined || args.end !== undefined) {
    if (args.start === undefined || args.end === undefined) {
      return { error: 'Give both "start" and "end", or a "preset".' };
    }
    range = { start: String(args.start), end: String(args.end) };
  }
  if (args.sort !== undefined && !['asc', 'desc', 'none'].includes(args.sort)) {
    return { error: `Unknown sort "${String(args.sort)}": use asc, desc or none.` };
  }
  return {
    items: args.items ? args.items.map(String) : base.items,
    types: args.types ?? base.types,
    subtypes: args.subtypes ?? base.subtypes,
    range,
    sort: args.sort ?? base.sort,
  };
}
