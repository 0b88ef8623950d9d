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
