// Long computations over a whole result (classification, statistics, the timeline's view) written
// once as generators that `yield` every few thousand rows: run to the end at once where nothing
// else waits (tests, benchmarks, the CLI), or a slice at a time where a thread is shared: the
// extension host's event loop (classifying 1M events took 140-180 ms in one piece, statistics
// 450 ms) and, in the browser, the workbench's own thread, which a webview's script runs on.

/** Work that may pause wherever it yields. */
export type Steps<T> = Generator<void, T, void>;

/** Something that hands the event loop back now and then (EventLoopSlice). */
export interface Yielder {
  maybeYield(): Promise<void>;
}

/** Rows handled between two possible pauses: a fraction of a millisecond of work. */
export const ROWS_PER_STEP = 4096;

/** Runs `steps` to its end without pausing. */
export function runAtOnce<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Runs `steps`, letting `slice` hand the event loop back between steps when its time is up. */
export async function runSliced<T>(steps: Steps<T>, slice: Yielder): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await slice.maybeYield();
  }
}
