// Which steps the "Query Events..." flow shows, in which order, and how they are numbered.
//
// The custom start and end are parts of the date-range step, not steps of their own: choosing
// "Custom..." must not make the counter jump (it went 5/6 → 6/8), so they keep the range step's
// number and say "Custom range: 1 of 2" / "2 of 2" instead.

export type QueryStep = 'campaign' | 'items' | 'types' | 'subtypes' | 'range' | 'start' | 'end' | 'sort';

/** What decides which steps are shown; `undefined` = not known yet (the step is counted). */
export interface FlowShape {
  /** The campaign came with the command (from the tree or arguments): no campaign step. */
  campaignGiven: boolean;
  /** The chosen campaign lists items (else the items step is skipped). */
  campaignHasItems: boolean | undefined;
  /** Hits are among the chosen types (else the hit-subtypes step is skipped). */
  hits: boolean | undefined;
  /** The range is custom: the start and end parts follow the range step. */
  customRange: boolean;
}

export interface StepPosition {
  /** 1-based number shown as "step/total". */
  step: number;
  totalSteps: number;
  /** For the parts of the range step: "Custom range: 1 of 2". */
  part?: string;
}

const CUSTOM_PARTS: readonly QueryStep[] = ['start', 'end'];

/** The steps shown, in order (the custom parts included when the range is custom). */
export function flowSteps(shape: FlowShape): QueryStep[] {
  const steps: QueryStep[] = [];
  if (!shape.campaignGiven) steps.push('campaign');
  if (shape.campaignHasItems !== false) steps.push('items');
  steps.push('types');
  if (shape.hits !== false) steps.push('subtypes');
  steps.push('range');
  if (shape.customRange) steps.push(...CUSTOM_PARTS);
  steps.push('sort');
  return steps;
}

/** The step's number over the counted steps; the custom parts share the range step's number. */
export function stepPosition(current: QueryStep, shape: FlowShape): StepPosition {
  const counted = flowSteps({ ...shape, customRange: false });
  const part = CUSTOM_PARTS.indexOf(current);
  const index = counted.indexOf(part >= 0 ? 'range' : current);
  return {
    step: index + 1,
    totalSteps: counted.length,
    ...(part >= 0 ? { part: `Custom range: ${part + 1} of ${CUSTOM_PARTS.length}` } : {}),
  };
}

/** The step after `current`, or undefined when `current` is the last one. */
export function nextStep(current: QueryStep, shape: FlowShape): QueryStep | undefined {
  const steps = flowSteps(shape);
  const i = steps.indexOf(current);
  return i < 0 ? steps[0] : steps[i + 1];
}

/** The step Back goes to (the first step stays where it is). */
export function previousStep(current: QueryStep, shape: FlowShape): QueryStep {
  const steps = flowSteps(shape);
  const i = steps.indexOf(current);
  return steps[Math.max(0, i - 1)] ?? current;
}
