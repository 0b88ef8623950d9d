// A progress notification updated at most once a second. Each `progress.report` of the extension
// host is a message to the workbench, which lays its notification out again: at ten reports a second
// during a 1M-event fetch that was 1.2 s of the workbench's script and as much again of layout
// (profiled), on the thread that also opens the command palette and runs the timeline's page.
// Nobody reads a count that changes more often than this; the last report always reaches the
// screen (a timer sends it once its second is up), and increments are added up, never lost.

/** What VS Code's `Progress<…>.report` takes (structurally the same, so this module stays pure). */
export interface ProgressStep {
  message?: string;
  increment?: number;
}

export interface ProgressSink {
  report(step: ProgressStep): void;
}

/** The clock and timer the pacer uses (tests pass a fake pair). */
export interface PaceClock {
  now(): number;
  setTimeout(f: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: PaceClock = {
  now: () => performance.now(),
  setTimeout: (f, ms) => setTimeout(f, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** One update a second: what a person reads, and what the workbench can take for free. */
export const PROGRESS_PACE_MS = 1000;

export class PacedProgress implements ProgressSink {
  private lastSent = -Infinity;
  private lastMessage: string | undefined;
  private message: string | undefined;
  private increment = 0;
  /** An increment was reported since the last send (0 included: it turns VS Code's bar determinate). */
  private incremented = false;
  private waiting = false;
  private timer: unknown;

  constructor(
    private readonly target: ProgressSink,
    private readonly paceMs = PROGRESS_PACE_MS,
    private readonly clock: PaceClock = realClock,
  ) {}

  report(step: ProgressStep): void {
    if (step.message !== undefined) this.message = step.message;
    if (step.increment !== undefined && Number.isFinite(step.increment)) {
      this.increment += step.increment;
      this.incremented = true;
    }
    this.waiting = true;
    const wait = this.lastSent + this.paceMs - this.clock.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer ??= this.clock.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  /** Sends what is waiting now (a step the user should see at once, or the end). */
  flush(): void {
    this.cancelTimer();
    if (!this.waiting) return;
    this.waiting = false;
    const step: ProgressStep = {};
    if (this.message !== undefined && this.message !== this.lastMessage) step.message = this.message;
    if (this.incremented) step.increment = this.increment;
    this.increment = 0;
    this.incremented = false;
    if (step.message === undefined && step.increment === undefined) return;
    this.lastMessage = this.message;
    this.lastSent = this.clock.now();
    this.target.report(step);
  }

  /** Drops what is waiting (the notification is gone). */
  dispose(): void {
    this.cancelTimer();
    this.waiting = false;
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * Turns "share done" reports (0 to 1) into the increments VS Code's notification bar adds up: it
 * turns determinate at the first increment, which tells more than an endless bar and stops its
 * animation (an endless bar redrew the workbench for the whole of a 1M-event fetch: about 4 s of
 * Chromium's compositor, measured).
 */
export class DoneIncrements {
  private shownPercent = 0;

  /** The increment for a report saying `done` of the work is done; {} when that is not known. */
  next(done: number | undefined): { increment?: number } {
    if (done === undefined || !Number.isFinite(done)) return {};
    const percent = Math.floor(Math.min(1, Math.max(0, done)) * 100);
    const increment = Math.max(0, percent - this.shownPercent);
    this.shownPercent = Math.max(this.shownPercent, percent);
    return { increment };
  }
}
