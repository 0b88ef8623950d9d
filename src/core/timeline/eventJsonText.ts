// One stored event as pretty JSON (the detail pane, Copy and Open Event as JSON), with personal
// fields pseudonymised when a masker is given (np6.maskPersonalData).
import type { Masker } from '../mask';
import { ResultRemovedError, type ResultStore } from '../resultStore';

export async function eventJsonText(store: ResultStore, index: number, masker?: Masker): Promise<string> {
  if (store.isRemoved) throw new ResultRemovedError(store.summary.id);
  if (index >= store.index.length) throw new Error(`Event ${index} is not in this result.`);
  const event = await store.readEvent(index);
  return JSON.stringify(masker ? masker.maskValue(event) : event, null, 2);
}
