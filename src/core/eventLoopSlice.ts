// Long synchronous loops on the extension host (parsing thousands of stored events, building
// columns) hand the event loop back every few milliseconds, so timers, I/O and VS Code's own
// messages keep flowing: a loop over 10,000 events held the host 60-170 ms at a time otherwise.

/** How long a loop may run before it yields (the client's read loop uses the same slice). */
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
