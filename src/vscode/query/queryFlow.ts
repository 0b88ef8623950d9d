// The multi-step "Query Events..." flow: campaign (skipped when given), items, event types, hit
// subtypes (only with hits), date range (preset or custom start/end with a live preview in UTC and the
// display zone), sort. Back returns to the previous step; the last answers are the defaults.
import * as vscode from 'vscode';
import { DATE_PRESETS, describeRange, formatInstant, parseDateInput } from '../../core/dates';
import { HIT_SUBTYPES } from '../../np6/events';
import type { SortOrder } from '../../np6/query';
import type { CampaignRef } from '../campaigns';
import { BACK, input, pick, type StepResult } from './multiStepInput';
import { QUERY_EVENT_TYPES, resolveRange, type QueryAnswers, type RangeAnswer } from './queryAnswers';
import { forIconLabel } from '../../core/untrustedText';

type Item<T> = vscode.QuickPickItem & { value: T };

const TYPE_DESCRIPTIONS: Record<string, string> = {
  execution: 'a send was requested',
  activation: 'the message was sent',
  hit: 'opens, clicks, unsubscribes…',
  bounce: 'delivery failed',
  cancellation: 'a send was cancelled',
  complaint: 'marked as spam',
};

export function previewRange(start: number, end: number, timeZone: string): string {
  const utc = describeRange(start, end, 'UTC');
  return timeZone === 'UTC' ? utc : `${utc}  ·  ${describeRange(start, end, timeZone)} (${timeZone})`;
}

export function previewInstant(ms: number, timeZone: string): string {
  const utc = formatInstant(ms, 'UTC');
  return timeZone === 'UTC' ? utc : `${utc}  ·  ${formatInstant(ms, timeZone)} (${timeZone})`;
}

/** Runs the flow; undefined when cancelled. */
export async function askQuery(
  campaigns: CampaignRef[],
  given: CampaignRef | undefined,
  answersFor: (c: CampaignRef) => QueryAnswers,
  timeZone: string,
): Promise<{ campaign: CampaignRef; answers: QueryAnswers } | undefined> {
  let campaign = given;
  let a: QueryAnswers | undefined = given ? answersFor(given) : undefined;
  // Steps are numbered over what will actually be shown.
  const steps = (): string[] => {
    const s: string[] = [];
    if (!given) s.push('campaign');
    if (!campaign || campaign.items.length > 0) s.push('items');
    s.push('types');
    if (!a || a.types.includes('hit')) s.push('subtypes');
    s.push('range');
    if (a && !('preset' in a.range)) s.push('start', 'end');
    s.push('sort');
    return s;
  };
  let current = steps()[0] ?? 'types';
  const title = (): string => `NP6: Query Events${campaign ? ` — ${campaign.label}` : ''}`;
  const goBack = (): void => {
    const s = steps();
    const i = s.indexOf(current);
    current = s[Math.max(0, i - 1)] ?? current;
  };
  const goNext = (): boolean => {
    const s = steps();
    const next = s[s.indexOf(current) + 1];
    if (next === undefined) return false;
    current = next;
    return true;
  };
  const pos = (): { step: number; totalSteps: number } => {
    const s = steps();
    return { step: s.indexOf(current) + 1, totalSteps: s.length };
  };
  let customStart = '';
  let customEnd = '';

  for (;;) {
    let r: StepResult<unknown>;
    switch (current) {
      case 'campaign': {
        const items: Item<CampaignRef>[] = campaigns.map((c) => ({
          // Names and ids may come from a workspace's settings: shown, never rendered as icons.
          label: forIconLabel(c.label),
          description: forIconLabel(c.invalid ? `${c.id} · invalid id` : c.demo ? `demo · ${c.id}` : c.id),
          detail: `${c.items.length} item(s)`,
          value: c,
        }));
        r = await pick({
          title: title(),
          ...pos(),
          placeholder: 'Campaign to query',
          items,
          active: items.find((i) => i.value === campaign),
        });
        if (Array.isArray(r)) {
          const chosen = (r[0] as Item<CampaignRef>).value;
          if (chosen !== campaign) a = answersFor(chosen);
          campaign = chosen;
        }
        break;
      }
      case 'items': {
        const c = campaign as CampaignRef;
        const ans = a as QueryAnswers;
        const items: Item<string>[] = c.items.map((i) => ({
          label: forIconLabel(i.name ?? i.id),
          description: forIconLabel(`${i.id} · ${i.channel}${i.invalid ? ' · invalid id' : ''}`),
          value: i.id,
        }));
        const chosen = ans.items.length === 0 ? items : items.filter((i) => ans.items.includes(i.value));
        r = await pick({
          title: title(),
          ...pos(),
          placeholder: 'Items (all selected = the whole campaign; a subset queries only those items)',
          items,
          canPickMany: true,
          selected: chosen,
        });
        if (Array.isArray(r)) {
          const ids = (r as Item<string>[]).map((i) => i.value);
          ans.items = ids.length === items.length ? [] : ids;
        }
        break;
      }
      case 'types': {
        const ans = a as QueryAnswers;
        const items: Item<string>[] = QUERY_EVENT_TYPES.map((t) => ({
          label: t,
          description: TYPE_DESCRIPTIONS[t],
          value: t,
        }));
        r = await pick({
          title: title(),
          ...pos(),
          placeholder: 'Event types',
          items,
          canPickMany: true,
          selected: items.filter((i) => ans.types.includes(i.value)),
        });
        if (Array.isArray(r)) ans.types = (r as Item<string>[]).map((i) => i.value);
        break;
      }
      case 'subtypes': {
        const ans = a as QueryAnswers;
        const items: Item<string>[] = HIT_SUBTYPES.map((t) => ({ label: t, value: t }));
        const sel = ans.subtypes.length === 0 ? items : items.filter((i) => ans.subtypes.includes(i.value));
        r = await pick({
          title: title(),
          ...pos(),
          placeholder: 'Hit subtypes',
          items,
          canPickMany: true,
          selected: sel,
        });
        if (Array.isArray(r)) ans.subtypes = (r as Item<string>[]).map((i) => i.value);
        break;
      }
      case 'range': {
        const ans = a as QueryAnswers;
        const now = Date.now();
        const items: Item<RangeAnswer>[] = DATE_PRESETS.map((p) => {
          const range = p.range(now, timeZone);
          return {
            label: p.label,
            description: describeRange(range.start, range.end, timeZone),
            value: { preset: p.id },
          };
        });
        const custom: Item<RangeAnswer> = {
          label: 'Custom...',
          description: 'start and end: ISO 8601, epoch ms, now, -2h, -7d',
          value: { start: '', end: '' },
        };
        items.push(custom);
        const prev = ans.range;
        const active =
          'preset' in prev
            ? items.find((i) => 'preset' in i.value && i.value.preset === prev.preset)
            : custom;
        r = await pick({
          title: title(),
          ...pos(),
          placeholder: `Date range (display time zone: ${timeZone})`,
          items,
          active,
        });
        if (Array.isArray(r)) {
          const v = (r[0] as Item<RangeAnswer>).value;
          if ('preset' in v) ans.range = v;
          else {
            if ('start' in prev) {
              customStart = prev.start;
              customEnd = prev.end;
            }
            ans.range = { start: customStart, end: customEnd };
          }
        }
        break;
      }
      case 'start':
      case 'end': {
        const ans = a as QueryAnswers;
        const isStart = current === 'start';
        r = await input({
          title: title(),
          ...pos(),
          prompt: isStart
            ? `Start (inclusive), read in ${timeZone}: 2024-05-01, 2024-05-01T09:00, …Z or +02:00, epoch ms, now, -2h, -7d`
            : 'End (exclusive): same forms as the start',
          value: isStart ? customStart || '-1d' : customEnd || 'now',
          validate: (text) => {
            const now = Date.now();
            const p = parseDateInput(text, now, timeZone);
            if ('error' in p) return { error: p.error };
            if (isStart) return { info: previewInstant(p.ms, timeZone) };
            const s = resolveRange({ start: customStart, end: text }, now, timeZone);
            if ('error' in s) return { error: s.error };
            return { info: previewRange(s.start, s.end, timeZone) };
          },
        });
        if (typeof r === 'string') {
          if (isStart) customStart = r;
          else customEnd = r;
          ans.range = { start: customStart, end: customEnd };
        }
        break;
      }
      default: {
        const ans = a as QueryAnswers;
        const items: Item<SortOrder>[] = [
          { label: 'Oldest first', description: 'sort=asc', value: 'asc' },
          { label: 'Newest first', description: 'sort=desc', value: 'desc' },
          {
            label: 'As the server sends them',
            description: 'no sort (order may change between runs)',
            value: 'none',
          },
        ];
        r = await pick({
          title: title(),
          ...pos(),
          placeholder: 'Order',
          items,
          active: items.find((i) => i.value === ans.sort),
        });
        if (Array.isArray(r)) ans.sort = (r[0] as Item<SortOrder>).value;
        break;
      }
    }
    if (r === undefined) return undefined;
    if (r === BACK) {
      goBack();
      continue;
    }
    if (!goNext()) return { campaign: campaign as CampaignRef, answers: a as QueryAnswers };
  }
}
