// One result on disk: a folder with events.ndjson (one event per line, written as events arrive)
// and summary.json (written at finish). Only the compact index lives in memory.

import type { EventRecord } from '../np6/client';
import type { Np6Event } from '../np6/events';
import type { EventQuery } from '../np6/query';
import type { EventIndex } from './eventIndex';
import type { Completeness, ResultSummary } from './result';

export interface ResultStoreInit {
  id: string;
  campaignLabel: string;
  query: EventQuery;
}

export interface Disposable {
  dispose(): void;
}

export class ResultStore {
  /** Creates the folder (must not hold a result yet) and an empty events file. */
  static create(dir: string, init: ResultStoreInit): Promise<ResultStore> {
    void dir;
    void init;
    return Promise.reject(new Error('ResultStore.create: not implemented yet'));
  }

  /** Opens an existing result and rebuilds the index by scanning events.ndjson (after a reload). */
  static open(dir: string): Promise<ResultStore> {
    void dir;
    return Promise.reject(new Error('ResultStore.open: not implemented yet'));
  }

  private constructor(
    readonly dir: string,
    readonly summary: ResultSummary,
    readonly index: EventIndex,
  ) {}

  /** Stores one record; false when an event with the same id was already stored (de-duplication). */
  append(r: EventRecord): boolean {
    void r;
    throw new Error('ResultStore.append: not implemented yet');
  }

  /** Reads the i-th stored event (arrival order, as in `index`) back from disk by offset. */
  readEvent(i: number): Promise<Np6Event> {
    void i;
    return Promise.reject(new Error('ResultStore.readEvent: not implemented yet'));
  }

  /** Streams the stored records from disk, in timestamp order (default) or arrival order. */
  records(order: 'time' | 'arrival' = 'time'): AsyncIterable<EventRecord> {
    void order;
    throw new Error('ResultStore.records: not implemented yet');
  }

  /** Records how the fetch ended and writes summary.json. */
  finish(c: Completeness): Promise<void> {
    void c;
    return Promise.reject(new Error('ResultStore.finish: not implemented yet'));
  }

  /** Called after events [fromIndex, toIndex) were appended, for progressive views. */
  onDidAppend(listener: (fromIndex: number, toIndex: number) => void): Disposable {
    void listener;
    throw new Error('ResultStore.onDidAppend: not implemented yet');
  }

  /** Flushes pending writes and closes the file. */
  close(): Promise<void> {
    return Promise.reject(new Error('ResultStore.close: not implemented yet'));
  }
}
