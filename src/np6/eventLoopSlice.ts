// Long loops on a shared thread (the client's body reads, parsing thousands of stored events,
// building timeline columns) hand the event loop back every few milliseconds, so timers, I/O and
// VS Code's own messages keep flowing: a loop over 10,000 stored events held the extension host
// 60-170 ms at a time otherwise. One mechanism for all of them.

/** How long a loop may run before it yields. */
export const SLICE_MS = 8;

export class EventLoopSlice {
  private start = performance.now();

  constructor(private readonly sliceMs = SLICE_MS) {}

  /** Resolves at once while the slice lasts; otherwise after the event loop had a turn. */
  async maybeYield(): Promise<void> {
    if (performance.now() - this.start < this.sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.start = performance.now();
  }
}
