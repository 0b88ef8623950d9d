// The multi-step "Query Events..." flow: campaign (skipped when given), items, event types, hit
// subtypes (only with hits), date range (a preset, or custom start and end with a live preview in UTC
// and the display zone), sort. Back returns to the previous step; the last answers are the defaults.
// Each step is its own function (queryStepPrompts.ts); the order and numbering are pure
// (src/core/query/querySteps.ts); this file keeps the answers and walks the steps.
import * as vscode from 'vscode';
import { resolveDisplayZone } from '../../shared/timeline/displayZone';
import type { QueryAnswers } from '../../core/query/queryAnswers';
import {
  flowSteps,
  nextStep,
  previousStep,
  stepPosition,
  type FlowShape,
  type QueryStep,
} from '../../core/query/querySteps';
import type { CampaignRef } from '../campaigns';
import { BACK, type StepResult } from './multiStepInput';
import {
  askCampaign,
  askEnd,
  askItems,
  askRangeKind,
  askSort,
  askStart,
  askSubtypes,
  askTypes,
  type StepFrame,
} from './queryStepPrompts';

/**
 * The zone NAME dates are read and shown in: np6.timeZone, where "local" is this extension host's
 * zone. The same rule as the timeline's (resolveDisplayZone), so both show the same times.
 */
export function queryDisplayZone(setting: string | undefined): string {
  return resolveDisplayZone(setting, Intl.DateTimeFormat().resolvedOptions().timeZone);
}

interface FlowState {
  campaign: CampaignRef | undefined;
  answers: QueryAnswers | undefined;
  /** The custom bounds as typed, kept while the user goes Back and forth. */
  customStart: string;
  customEnd: string;
  /** The last step's "Run and Save Query…" button was pressed. */
  save: boolean;
}

/** On the last step: accept the answers and also save them as a query file. */
const SAVE_BUTTON: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('save'),
  tooltip: 'Run and Save Query…',
};

function shapeOf(s: FlowState, campaignGiven: boolean): FlowShape {
  return {
    campaignGiven,
    campaignHasItems: s.campaign ? s.campaign.items.length > 0 : undefined,
    hits: s.answers ? s.answers.types.includes('hit') : undefined,
    customRange: s.answers !== undefined && !('preset' in s.answers.range),
  };
}

/** Shows one step and records its answer in `s`; returns what the user did. */
async function runStep(
  step: QueryStep,
  frame: StepFrame,
  s: FlowState,
  campaigns: CampaignRef[],
  answersFor: (c: CampaignRef) => QueryAnswers,
  zone: string,
): Promise<StepResult<unknown>> {
  if (step === 'campaign') {
    const r = await askCampaign(frame, campaigns, s.campaign);
    if (r !== undefined && r !== BACK) {
      if (r !== s.campaign) s.answers = answersFor(r);
      s.campaign = r;
    }
    return r;
  }
  // Every later step comes after a campaign, hence answers, is known.
  const a = s.answers as QueryAnswers;
  switch (step) {
    case 'items': {
      const r = await askItems(frame, s.campaign as CampaignRef, a.items);
      if (Array.isArray(r)) a.items = r;
      return r;
    }
    case 'types': {
      const r = await askTypes(frame, a.types);
      if (Array.isArray(r)) a.types = r;
      return r;
    }
    case 'subtypes': {
      const r = await askSubtypes(frame, a.subtypes);
      if (Array.isArray(r)) a.subtypes = r;
      return r;
    }
    case 'range': {
      const kind = await askRangeKind(frame, a.range, zone);
      if (kind === 'custom') {
        if ('start' in a.range && s.customStart === '' && s.customEnd === '') {
          s.customStart = a.range.start;
          s.customEnd = a.range.end;
        }
        a.range = { start: s.customStart, end: s.customEnd };
      } else if (kind !== undefined && kind !== BACK) a.range = kind;
      return kind;
    }
    case 'start': {
      const r = await askStart(frame, s.customStart, zone);
      if (typeof r === 'string') {
        s.customStart = r;
        a.range = { start: s.customStart, end: s.customEnd };
      }
      return r;
    }
    case 'end': {
      const r = await askEnd(frame, s.customStart, s.customEnd, zone);
      if (typeof r === 'string') {
        s.customEnd = r;
        a.range = { start: s.customStart, end: s.customEnd };
      }
      return r;
    }
    default: {
      const sort = await askSort(frame, a.sort, {
        button: SAVE_BUTTON,
        onTrigger: () => {
          s.save = true;
        },
      });
      if (sort !== undefined && sort !== BACK) a.sort = sort;
      return sort;
    }
  }
}

/**
 * Runs the flow; undefined when cancelled. `zoneSetting` is np6.timeZone ("local", "UTC" or an
 * IANA name): the dates are read and previewed in the zone it resolves to, shown by name.
 */
export async function askQuery(
  campaigns: CampaignRef[],
  given: CampaignRef | undefined,
  answersFor: (c: CampaignRef) => QueryAnswers,
  zoneSetting: string,
): Promise<{ campaign: CampaignRef; answers: QueryAnswers; save: boolean } | undefined> {
  const zone = queryDisplayZone(zoneSetting);
  const s: FlowState = {
    campaign: given,
    answers: given ? answersFor(given) : undefined,
    customStart: '',
    customEnd: '',
    save: false,
  };
  const shape = (): FlowShape => shapeOf(s, given !== undefined);
  let current: QueryStep = flowSteps(shape())[0] ?? 'types';
  for (;;) {
    const pos = stepPosition(current, shape());
    const parts = ['NP6: Query Events', s.campaign?.label, pos.part].filter((p) => p !== undefined);
    const frame: StepFrame = { title: parts.join(' — '), step: pos.step, totalSteps: pos.totalSteps };
    const r = await runStep(current, frame, s, campaigns, answersFor, zone);
    if (r === undefined) return undefined;
    if (r === BACK) {
      current = previousStep(current, shape());
      continue;
    }
    const next = nextStep(current, shape());
    if (next === undefined) {
      return { campaign: s.campaign as CampaignRef, answers: s.answers as QueryAnswers, save: s.save };
    }
    current = next;
  }
}
