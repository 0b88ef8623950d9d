// The bounds of one HTTP attempt, so that no server can keep a query running for ever:
// - idle: the headers, and each body chunk, must come within `idleMs` of asking for them;
// - deadline: the time spent waiting for NP6 over the whole attempt is at most `deadlineMs`;
// - throughput: once the body has flowed for `graceMs`, it must average `minBytesPerSecond`
//   (a server that sends one space every half second never trips the idle bound).
//
// Only the time spent waiting for NP6 counts (a fetch, a body read), not the time the consumer
// takes with the events it was handed: a CLI writing into a paused pipe is not NP6 being slow.

export type AbortCause = 'user' | 'idle' | 'deadline';

export interface AttemptBounds {
  idleMs: number;
  deadlineMs: number;
  minBytesPerSecond: number;
  graceMs: number;
}

/** One HTTP attempt's plumbing: its abort controller, the user's signal and its time bounds. */
export class AttemptClock {
  readonly controller = new AbortController();
  /** Why the controller fired, when it did. */
  cause: AbortCause | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waitStart: number | undefined;
  /** Time spent waiting for NP6 so far (ms). */
  private waited = 0;
  /** `waited` when the first body byte arrived (undefined before). */
  private bodyStartWaited: number | undefined;
  private readonly onUserAbort = (): void => this.abort('user');

  constructor(
    private readonly userSignal: AbortSignal | undefined,
    readonly bounds: AttemptBounds,
  ) {
    userSignal?.addEventListener('abort', this.onUserAbort, { once: true });
  }

  /**
   * Starts waiting for NP6 (headers, a chunk): the controller aborts after `limitMs` (the idle
   * timeout unless smaller), or sooner when the deadline comes first.
   */
  startWait(limitMs = this.bounds.idleMs): void {
    this.endWait();
    const left = Math.max(0, this.bounds.deadlineMs - this.waited);
    const deadlineFirst = left <= limitMs;
    this.waitStart = performance.now();
    this.timer = setTimeout(
      () => this.abort(deadlineFirst ? 'deadline' : 'idle'),
      deadlineFirst ? left : limitMs,
    );
  }

  /** The answer came (or the wait failed): stops the timer and counts the time waited. */
  endWait(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waitStart !== undefined) this.waited += performance.now() - this.waitStart;
    this.waitStart = undefined;
  }

  /** Marks the arrival of the first body byte: the throughput is measured from there. */
  bodyStarted(): void {
    this.bodyStartWaited ??= this.waited;
  }

  /**
   * The average throughput of the body when it is below the minimum after the grace period
   * (bytes per second, and over how many ms), undefined while it is fine.
   */
  tooSlow(bytes: number): { bytesPerSecond: number; overMs: number } | undefined {
    if (this.bodyStartWaited === undefined || this.bounds.minBytesPerSecond <= 0) return undefined;
    const overMs = this.waited - this.bodyStartWaited;
    if (overMs <= this.bounds.graceMs) return undefined;
    const bytesPerSecond = (bytes * 1000) / overMs;
    return bytesPerSecond < this.bounds.minBytesPerSecond ? { bytesPerSecond, overMs } : undefined;
  }

  /** Time spent waiting for NP6 so far (ms). */
  get waitedMs(): number {
    return this.waited + (this.waitStart !== undefined ? performance.now() - this.waitStart : 0);
  }

  abort(cause: AbortCause): void {
    if (this.cause) return;
    this.cause = cause;
    this.controller.abort();
  }

  dispose(): void {
    this.endWait();
    this.userSignal?.removeEventListener('abort', this.onUserAbort);
  }
}
