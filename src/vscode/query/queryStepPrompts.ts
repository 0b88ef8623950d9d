// One function per step of the "Query Events..." flow. Each shows its QuickPick or InputBox with the
// current answer preselected and resolves with the new answer, BACK or undefined (cancelled);
// queryFlow.ts decides the order and keeps the answers.
import type * as vscode from 'vscode';
import { DATE_PRESETS, describeRange } from '../../core/dates';
import { checkEnd, checkStart, datePrompt } from '../../core/query/datePrompts';
import {
  QUERY_EVENT_TYPES,
  itemsAnswer,
  selectedItemIds,
  type RangeAnswer,
} from '../../core/query/queryAnswers';
import { forIconLabel } from '../../core/untrustedText';
import { HIT_SUBTYPES } from '../../np6/events';
import type { SortOrder } from '../../np6/query';
import type { CampaignRef } from '../campaigns';
import { input, pick, type ExtraButton, type StepResult } from './multiStepInput';

type Item<T> = vscode.QuickPickItem & { value: T };

/** Title and "step/total" of the step being shown. */
export interface StepFrame {
  title: string;
  step: number;
  totalSteps: number;
}

const TYPE_DESCRIPTIONS: Record<string, string> = {
  execution: 'a send was requested',
  activation: 'the message was sent',
  hit: 'opens, clicks, unsubscribes…',
  bounce: 'delivery failed',
  cancellation: 'a send was cancelled',
  complaint: 'marked as spam',
};

/** Maps a picked item back to its value; BACK and undefined pass through. */
function firstValue<T>(r: StepResult<Item<T>[]>): StepResult<T> {
  return Array.isArray(r) ? (r[0] as Item<T>).value : r;
}

function values<T>(r: StepResult<Item<T>[]>): StepResult<T[]> {
  return Array.isArray(r) ? r.map((i) => i.value) : r;
}

export async function askCampaign(
  frame: StepFrame,
  campaigns: CampaignRef[],
  current: CampaignRef | undefined,
): Promise<StepResult<CampaignRef>> {
  const items: Item<CampaignRef>[] = campaigns.map((c) => ({
    // Names and ids may come from a workspace's settings: shown, never rendered as icons.
    label: forIconLabel(c.label),
    description: forIconLabel(c.invalid ? `${c.id} · invalid id` : c.demo ? `demo · ${c.id}` : c.id),
    detail: `${c.items.length} item(s)`,
    value: c,
  }));
  const r = await pick({
    ...frame,
    placeholder: 'Campaign to query',
    items,
    active: items.find((i) => i.value === current),
  });
  return firstValue(r);
}

/** Resolves with the items answer: empty = every item (the whole campaign). */
export async function askItems(
  frame: StepFrame,
  campaign: CampaignRef,
  answer: string[],
): Promise<StepResult<string[]>> {
  const items: Item<string>[] = campaign.items.map((i) => ({
    label: forIconLabel(i.name ?? i.id),
    description: forIconLabel(`${i.id} · ${i.channel}${i.invalid ? ' · invalid id' : ''}`),
    value: i.id,
  }));
  const all = items.map((i) => i.value);
  const selected = selectedItemIds(answer, all);
  const r = values(
    await pick({
      ...frame,
      placeholder: 'Items (all selected = the whole campaign; a subset queries only those items)',
      items,
      canPickMany: true,
      selected: items.filter((i) => selected.includes(i.value)),
    }),
  );
  return Array.isArray(r) ? itemsAnswer(r, all) : r;
}

export async function askTypes(frame: StepFrame, answer: string[]): Promise<StepResult<string[]>> {
  const items: Item<string>[] = QUERY_EVENT_TYPES.map((t) => ({
    label: t,
    description: TYPE_DESCRIPTIONS[t],
    value: t,
  }));
  const r = await pick({
    ...frame,
    placeholder: 'Event types',
    items,
    canPickMany: true,
    selected: items.filter((i) => answer.includes(i.value)),
  });
  return values(r);
}

export async function askSubtypes(frame: StepFrame, answer: string[]): Promise<StepResult<string[]>> {
  const items: Item<string>[] = HIT_SUBTYPES.map((t) => ({ label: t, value: t }));
  const r = await pick({
    ...frame,
    placeholder: 'Hit subtypes',
    items,
    canPickMany: true,
    selected: answer.length === 0 ? items : items.filter((i) => answer.includes(i.value)),
  });
  return values(r);
}

/** Resolves with a preset, or 'custom' (the start and end parts follow). */
export async function askRangeKind(
  frame: StepFrame,
  answer: RangeAnswer,
  zone: string,
): Promise<StepResult<{ preset: string } | 'custom'>> {
  const now = Date.now();
  const items: Item<{ preset: string } | 'custom'>[] = DATE_PRESETS.map((p) => {
    const range = p.range(now, zone);
    return {
      label: p.label,
      description: describeRange(range.start, range.end, zone),
      value: { preset: p.id },
    };
  });
  const custom: Item<'custom'> = {
    label: 'Custom...',
    description: 'start and end: ISO 8601, epoch ms, now, -2h, -7d',
    value: 'custom',
  };
  items.push(custom);
  const active =
    'preset' in answer ? items.find((i) => i.value !== 'custom' && i.value.preset === answer.preset) : custom;
  const r = await pick({ ...frame, placeholder: `Date range (display time zone: ${zone})`, items, active });
  return firstValue(r);
}

export function askStart(frame: StepFrame, value: string, zone: string): Promise<StepResult<string>> {
  return input({
    ...frame,
    prompt: datePrompt('start', zone),
    value: value || '-1d',
    validate: (text) => checkStart(text, Date.now(), zone),
  });
}

export function askEnd(
  frame: StepFrame,
  start: string,
  value: string,
  zone: string,
): Promise<StepResult<string>> {
  return input({
    ...frame,
    prompt: datePrompt('end', zone),
    value: value || 'now',
    validate: (text) => checkEnd(start, text, Date.now(), zone),
  });
}

/** The last step; `extra` is the flow's "Run and Save Query…" button. */
export async function askSort(
  frame: StepFrame,
  answer: SortOrder,
  extra?: ExtraButton,
): Promise<StepResult<SortOrder>> {
  const items: Item<SortOrder>[] = [
    { label: 'Oldest first', description: 'sort=asc', value: 'asc' },
    { label: 'Newest first', description: 'sort=desc', value: 'desc' },
    {
      label: 'As the server sends them',
      description: 'no sort (order may change between runs)',
      value: 'none',
    },
  ];
  const r = await pick({
    ...frame,
    placeholder: 'Order',
    items,
    active: items.find((i) => i.value === answer),
    ...(extra ? { extraButton: extra } : {}),
  });
  return firstValue(r);
}
