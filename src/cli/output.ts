// Where the CLI writes: standard output as it is, or a file written atomically; and stderr lines
// with the key scrubbed out (defence in depth: no message is built from the key, but one could
// echo a server answer that does).

import { constants, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../core/atomicFile';
import { redactSecret } from '../np6/errors';
import { UsageError } from './args';

export interface Stderr {
  write(text: string): unknown;
  isTTY?: boolean;
}

export class Messages {
  constructor(
    private readonly stderr: Stderr,
    private secret = '',
  ) {}

  setSecret(secret: string): void {
    this.secret = secret;
  }

  get isTTY(): boolean {
    return this.stderr.isTTY === true;
  }

  /** One line to stderr, prefixed with the tool's name. */
  line(text: string): void {
    this.raw(`np6-events: ${text}\n`);
  }

  raw(text: string): void {
    this.stderr.write(this.secret ? redactSecret(text, this.secret) : text);
  }
}

/** Fails early (before any request) when --out names a folder that does not exist or is not writable. */
export async function checkOutputTarget(out: string): Promise<void> {
  if (out === '-') return;
  const dir = path.dirname(path.resolve(out));
  try {
    await fsp.access(dir, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${out}: the folder ${dir} does not exist or is not writable.`);
  }
  const st = await fsp.stat(out).catch(() => undefined);
  if (st?.isDirectory()) throw new UsageError(`--out ${out} is a folder: give a file name.`);
}

/** Runs `write` against standard output, or against a temp file renamed to `out` when it resolves. */
export async function writeOutput(
  out: string,
  stdout: NodeJS.WritableStream,
  write: (w: NodeJS.WritableStream) => Promise<void>,
): Promise<void> {
  if (out === '-') await write(stdout);
  else await writeFileAtomic(out, write);
}
