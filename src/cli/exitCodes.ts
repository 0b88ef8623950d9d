// The exit codes np6-events promises (documented in --help).

export const EXIT_COMPLETE = 0;
/** An API or network error before any event arrived: nothing was written. */
export const EXIT_FAILED = 1;
/** Bad command line: nothing was requested. */
export const EXIT_USAGE = 2;
/** The result is partial: what arrived was written and is marked "complete": false. */
export const EXIT_PARTIAL = 3;
/** Interrupted with Ctrl+C: what arrived was written, marked "complete": false (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;
/** Hung up (the terminal closed, SIGHUP): as Ctrl+C (128 + 1). */
export const EXIT_HANGUP = 129;
/** Asked to stop (SIGTERM: `kill`, a service manager, a CI timeout): as Ctrl+C (128 + 15). */
export const EXIT_TERMINATED = 143;

/** The signals that stop a run cleanly: the fetch stops, what arrived is written and marked partial. */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';
export const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export function isStopSignal(v: unknown): v is StopSignal {
  return typeof v === 'string' && (STOP_SIGNALS as readonly string[]).includes(v);
}

/** The exit code after a stop signal (128 + its number, as a shell reports it). */
export function exitCodeFor(s: StopSignal): number {
  return s === 'SIGTERM' ? EXIT_TERMINATED : s === 'SIGHUP' ? EXIT_HANGUP : EXIT_INTERRUPTED;
}

/** How the stop is named in messages and in the partial file's metadata. */
export function describeStop(s: StopSignal): string {
  return s === 'SIGTERM' ? 'stopped (SIGTERM)' : s === 'SIGHUP' ? 'hung up (SIGHUP)' : 'interrupted (Ctrl+C)';
}
