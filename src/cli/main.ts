// np6-events: the command-line entry point (bundled to dist/cli.js, the package's bin).
// Wires the real process to runCli: argv, environment, streams, signals and exit codes.
//
// SIGINT (Ctrl+C), SIGTERM and SIGHUP all stop the fetch and write what arrived, marked partial;
// the exit code is 128 + the signal's number (130, 143, 129). A second signal quits at once. On
// every way out, the temporary files and folders this run created are removed (cleanup.ts).

import { version } from '../../package.json';
import { scrubSecret } from '../np6/secrets';
import { leftovers } from './cleanup';
import { describeStop, exitCodeFor, EXIT_PARTIAL, STOP_SIGNALS } from './exitCodes';
import { runCli } from './run';

// A process 'exit' handler runs on process.exit() and on the normal end alike: the last chance to
// remove a temp file that an unfinished write (a second Ctrl+C, an uncaught error) left behind.
process.on('exit', () => leftovers.removeAllSync());

const controller = new AbortController();
for (const signal of STOP_SIGNALS) {
  process.on(signal, () => {
    // First signal: stop fetching and write what arrived. Second: quit now.
    if (controller.signal.aborted) process.exit(exitCodeFor(signal));
    const again = signal === 'SIGINT' ? ' (Ctrl+C again to quit at once)' : '';
    process.stderr.write(`\nnp6-events: ${describeStop(signal)}: writing what arrived${again}\n`);
    // The reason tells runCli which signal it was (the exit code and the file's metadata say so).
    controller.abort(signal);
  });
}
// After a hang-up the terminal is gone and writes to it fail (EIO): that must not stop the run
// from writing its file.
process.stderr.on('error', () => undefined);
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  // The reader went away (e.g. `| head`): nothing more can be delivered.
  if (e.code === 'EPIPE') {
    process.stderr.write('np6-events: standard output was closed before the end.\n');
    process.exit(EXIT_PARTIAL);
  }
  throw e;
});

runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
  version,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const text = `np6-events: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`;
    process.stderr.write(scrubSecret(text, process.env.NP6_API_KEY?.trim() ?? ''));
    process.exitCode = 1;
  },
);
