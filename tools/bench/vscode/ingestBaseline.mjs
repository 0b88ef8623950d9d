// The ingest benchmark's client figure, measured in the same run as the workbench query (before
// code-server starts, so neither loads the other): tools/bench/ingest.mjs, client variant only, in
// its own process, its JSON read from stdout.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Resolves with the client variant's { mbPerSec, events, bytes, seconds } or { error }. */
export function ingestClientMbPerSec(events) {
  const env = { ...process.env };
  // Its result goes to stdout here, not to run.mjs's result file.
  delete env.NP6_BENCH_RUNNER;
  delete env.NP6_BENCH_RESULT;
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(here, '..', 'ingest.mjs'), '--events', String(events), '--variants', 'client', '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'], env },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      try {
        const r = JSON.parse(out.trim().split('\n').pop());
        const c = r.variants?.client;
        if (!c || c.error) throw new Error(c?.error ?? 'no client figure');
        resolve({ mbPerSec: c.mbPerSec, events: r.events, bytes: r.bytes, seconds: c.seconds });
      } catch (e) {
        const last = err.trim().split('\n').filter(Boolean).pop() ?? '';
        resolve({
          error: `ingest.mjs exited with code ${code}: ${e.message}${last ? ` (${last.slice(0, 200)})` : ''}`,
        });
      }
    });
  });
}
