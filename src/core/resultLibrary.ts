// All results of a window, one folder each under a root (the extension's globalStorage), kept
// within a byte budget: oldest results are evicted first.

import type { ResultSummary } from './result';
import type { ResultStore, ResultStoreInit } from './resultStore';

export class ResultLibrary {
  constructor(
    readonly root: string,
    readonly budgetBytes: number,
  ) {}

  /** Creates a new result folder `<root>/<init.id>`. */
  create(init: ResultStoreInit): Promise<ResultStore> {
    void init;
    return Promise.reject(new Error('ResultLibrary.create: not implemented yet'));
  }

  /** Opens a stored result (index rebuilt from disk). */
  open(id: string): Promise<ResultStore> {
    void id;
    return Promise.reject(new Error('ResultLibrary.open: not implemented yet'));
  }

  /** Summaries of the stored results, newest first. */
  list(): Promise<ResultSummary[]> {
    return Promise.reject(new Error('ResultLibrary.list: not implemented yet'));
  }

  remove(id: string): Promise<void> {
    void id;
    return Promise.reject(new Error('ResultLibrary.remove: not implemented yet'));
  }

  /** Removes every stored result. */
  clear(): Promise<void> {
    return Promise.reject(new Error('ResultLibrary.clear: not implemented yet'));
  }

  /** Evicts oldest results until the total size fits the budget, never those in `keep`. Returns evicted ids. */
  enforceBudget(keep: string[] = []): Promise<string[]> {
    void keep;
    return Promise.reject(new Error('ResultLibrary.enforceBudget: not implemented yet'));
  }
}
