// Runs the built np6-events (dist/cli.js, built once with the project's esbuild.js) as a child
// process, asynchronously so that the in-process sandbox keeps serving while it runs.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

let built = false;
/** Builds dist/ with `node esbuild.js` once per test run. */
export function buildCli(): void {
  if (built) return;
  execFileSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'pipe' });
  built = true;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  key?: string | undefined;
  /** Extra environment (e.g. TMPDIR, to see the temp folders a run makes). */
  env?: Record<string, string>;
  /** Called once the child runs (to send it a signal). */
  onSpawn?: (child: ChildProcess, stderrSoFar: () => string) => void;
}

export function runCli(args: string[], o: RunOptions = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    ...o.env,
  };
  if (o.key !== undefined) env.NP6_API_KEY = o.key;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    o.onSpawn?.(child, () => Buffer.concat(err).toString('utf8'));
  });
}
