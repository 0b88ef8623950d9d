// One classification per result state: the statistics, the timeline and the CSV export of a
// result ask for its classes, and all get the same computation, even when they ask while it runs.
// An entry is kept per index (weakly: it goes with the result) and is valid while the index has
// the same length and the extra rules are the same. The work runs a slice at a time (steps.ts).

import type { EventIndex } from '../eventIndex';
import { runSliced, type Yielder } from '../../shared/steps';
import { classifySteps, type ClassifyResult } from './classify';
import { loadRules, type RuleSpec } from './rules';

interface Entry {
  length: number;
  rulesKey: string;
  result: Promise<ClassifyResult>;
}

/** Never hands the event loop back: for callers with nothing else to serve (tests). */
const AT_ONCE: Yielder = { maybeYield: () => Promise.resolve() };

export class ClassCache {
  private readonly byIndex = new WeakMap<EventIndex, Entry>();
  /** How many classifications ran (tests read it to see that a second caller shares the first's). */
  computed = 0;

  /**
   * The classes of `index` under the shipped rules plus `extra`, computed once per state; `slice`
   * decides when the computation hands the event loop back.
   */
  classesOf(
    index: EventIndex,
    extra: readonly RuleSpec[],
    slice: Yielder = AT_ONCE,
  ): Promise<ClassifyResult> {
    const rulesKey = JSON.stringify(extra);
    const hit = this.byIndex.get(index);
    if (hit && hit.length === index.length && hit.rulesKey === rulesKey) return hit.result;
    // The rows present now: appends landing during the slices are the next state's.
    const length = index.length;
    const result = runSliced(classifySteps(index, loadRules(extra), {}, length), slice);
    this.computed++;
    const entry = { length, rulesKey, result };
    this.byIndex.set(index, entry);
    // A failed computation is not kept: the next caller tries again.
    result.catch(() => {
      if (this.byIndex.get(index) === entry) this.byIndex.delete(index);
    });
    return result;
  }
}
