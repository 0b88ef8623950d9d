// Where the CLI writes: standard output as it is, or a file written atomically; and stderr lines
// with the key scrubbed out in every encoding (defence in depth: no message is built from the key,
// but one could echo a server answer that does).
//
// --out must name a regular file or a new name: a FIFO, a device, a socket, a folder or a symbolic
// link is refused before any request (lstat, links are not followed), and again just before the
// rename (atomicFile.ts). A partial array/ndjson run is written as `<out>.partial` with a sidecar
// `<out>.partial.json` (see partialFiles.ts), so those names are checked too.

import { constants, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describeNonRegular, sweepStaleTemps, writeFileAtomic, type AtomicRename } from '../core/atomicFile';
import { scrubSecret } from '../np6/secrets';
import { UsageError } from './args';
import { leftovers, STALE_AFTER_MS } from './cleanup';

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

  /** The key removed in every form it could take: the last step before any text leaves the tool. */
  scrub(text: string): string {
    return this.secret ? scrubSecret(text, this.secret) : text;
  }

  get isTTY(): boolean {
    return this.stderr.isTTY === true;
  }

  /**
   * One line to stderr, prefixed with the tool's name. Control characters are dropped: a message
   * may quote a server's answer, and an escape sequence in it would drive the user's terminal.
   */
  line(text: string): void {
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    this.raw(`np6-events: ${text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')}\n`);
  }

  raw(text: string): void {
    this.stderr.write(this.scrub(text));
  }
}

/** The name a partial array/ndjson run is written under, and its sidecar naming what is missing. */
export const partialPath = (out: string): string => `${out}.partial`;
export const sidecarPath = (out: string): string => `${out}.partial.json`;

async function checkOne(flag: string, file: string): Promise<void> {
  const st = await fsp.lstat(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw new UsageError(`${flag} ${file}: cannot be checked (${e.code ?? e.message}).`);
  });
  if (!st) return;
  const what = describeNonRegular(st);
  if (what === undefined) return;
  const fix =
    what === 'a folder'
      ? 'give a file name inside it'
      : what === 'a symbolic link'
        ? 'give the path of the file itself (links are not followed)'
        : 'give the name of a regular file, or - for standard output';
  throw new UsageError(
    `${flag} ${file} is ${what}: only a regular file or a new name can be written; ${fix}.`,
  );
}

/**
 * Fails early (before any request) when --out cannot be written as a regular file: a folder that
 * does not exist or is not writable, or a target (or its .partial names) that is not a regular file.
 * Also removes the temp files that killed runs left next to these names.
 */
export async function checkOutputTarget(out: string, withPartial: boolean): Promise<void> {
  if (out === '-') return;
  const dir = path.dirname(path.resolve(out));
  try {
    await fsp.access(dir, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${out}: the folder ${dir} does not exist or is not writable.`);
  }
  const names = withPartial ? [out, partialPath(out), sidecarPath(out)] : [out];
  for (const name of names) await checkOne('--out', name);
  for (const name of names) await sweepStaleTemps(name, STALE_AFTER_MS);
}

/**
 * Runs `write` against standard output, or against a temp file renamed to `out` (or to the name
 * `write` returns) when it resolves. Resolves with the path written ('-' for standard output).
 */
export async function writeOutput(
  out: string,
  stdout: NodeJS.WritableStream,
  write: (w: NodeJS.WritableStream) => Promise<void | AtomicRename>,
): Promise<string> {
  if (out === '-') {
    await write(stdout);
    return '-';
  }
  return writeFileAtomic(out, write, { tracker: leftovers });
}

/** Writes a small text file atomically (the sidecar), scrubbed. */
export async function writeSmallFile(file: string, text: string, msg: Messages): Promise<void> {
  await writeFileAtomic(
    file,
    (w) => {
      w.write(msg.scrub(text));
      return Promise.resolve();
    },
    { tracker: leftovers },
  );
}
