import * as assert from 'node:assert/strict';
import {
  flowSteps,
  nextStep,
  previousStep,
  stepPosition,
  type FlowShape,
  type QueryStep,
} from '../../../src/core/query/querySteps';

const FULL: FlowShape = { campaignGiven: false, campaignHasItems: true, hits: true, customRange: false };

/** "step/total (part)" of every step shown, as the user walks forward. */
function walk(shape: FlowShape): string[] {
  return flowSteps(shape).map((s) => {
    const p = stepPosition(s, shape);
    return `${s} ${p.step}/${p.totalSteps}${p.part ? ` ${p.part}` : ''}`;
  });
}

describe('query flow steps', () => {
  it('lists every step in order, with the custom parts after the range', () => {
    assert.deepEqual(flowSteps({ ...FULL, customRange: true }), [
      'campaign',
      'items',
      'types',
      'subtypes',
      'range',
      'start',
      'end',
      'sort',
    ]);
  });

  it('skips the campaign when given, items when there are none, subtypes without hits', () => {
    assert.deepEqual(
      flowSteps({ campaignGiven: true, campaignHasItems: false, hits: false, customRange: false }),
      ['types', 'range', 'sort'],
    );
  });

  it('counts a step whose condition is not known yet', () => {
    const unknown: FlowShape = {
      campaignGiven: false,
      campaignHasItems: undefined,
      hits: undefined,
      customRange: false,
    };
    assert.equal(stepPosition('campaign', unknown).totalSteps, 6);
  });

  it('gives the custom start and end the range step number, as parts 1 and 2 of 2', () => {
    assert.deepEqual(walk({ ...FULL, customRange: true }), [
      'campaign 1/6',
      'items 2/6',
      'types 3/6',
      'subtypes 4/6',
      'range 5/6',
      'start 5/6 Custom range: 1 of 2',
      'end 5/6 Custom range: 2 of 2',
      'sort 6/6',
    ]);
  });

  it('keeps the total when the range kind changes (no 5/6 → 6/8 jump)', () => {
    const steps: QueryStep[] = ['campaign', 'items', 'types', 'subtypes', 'range', 'sort'];
    for (const s of steps) {
      assert.deepEqual(stepPosition(s, FULL), stepPosition(s, { ...FULL, customRange: true }), s);
    }
  });

  it('numbers the steps without gaps when some are skipped', () => {
    const shape: FlowShape = { campaignGiven: true, campaignHasItems: false, hits: true, customRange: true };
    assert.deepEqual(walk(shape), [
      'types 1/4',
      'subtypes 2/4',
      'range 3/4',
      'start 3/4 Custom range: 1 of 2',
      'end 3/4 Custom range: 2 of 2',
      'sort 4/4',
    ]);
  });

  it('goes forward through the custom parts only for a custom range', () => {
    assert.equal(nextStep('range', FULL), 'sort');
    assert.equal(nextStep('range', { ...FULL, customRange: true }), 'start');
    assert.equal(nextStep('end', { ...FULL, customRange: true }), 'sort');
    assert.equal(nextStep('sort', FULL), undefined);
  });

  it('goes Back to the step shown before, and stays on the first', () => {
    const custom = { ...FULL, customRange: true };
    assert.equal(previousStep('sort', custom), 'end');
    assert.equal(previousStep('start', custom), 'range');
    assert.equal(previousStep('sort', FULL), 'range');
    assert.equal(previousStep('range', { ...FULL, hits: false }), 'types');
    assert.equal(previousStep('campaign', FULL), 'campaign');
    assert.equal(previousStep('types', { ...FULL, campaignGiven: true, campaignHasItems: false }), 'types');
  });
});
