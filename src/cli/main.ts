// np6-events: the command-line entry point (bundled to dist/cli.js, the package's bin).
// Wires the real process to runCli: argv, environment, streams, Ctrl+C and exit codes.

import { version } from '../../package.json';
import { EXIT_INTERRUPTED, EXIT_PARTIAL } from './exitCodes';
import { runCli } from './run';

const controller = new AbortController();
process.on('SIGINT', () => {
  // First Ctrl+C: stop fetching and write what arrived. Second: quit now.
  if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
  process.stderr.write('\nnp6-events: interrupted: writing what arrived (Ctrl+C again to quit at once)\n');
  controller.abort();
});
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
    process.stderr.write(`np6-events: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
