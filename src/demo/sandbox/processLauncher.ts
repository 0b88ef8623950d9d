// Forks the demo sandbox's process (dist/sandboxProcess.js, entry process.ts) and speaks its
// protocol (processProtocol.ts) from the parent's side: demo mode in the extension host uses it, and
// so can tests and benchmarks that want the demo's server out of their own process.
// Forked the way vscode-languageclient forks an IPC language server: the parent's own executable
// (under VS Code desktop that is Electron, which ELECTRON_RUN_AS_NODE=1 makes behave as Node; under
// code-server it is Node, which ignores the variable), none of the parent's execArgv (the extension
// host's inspector or loader flags are not the child's), and the key only over the IPC channel.
// Pure Node (no vscode).

import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
  isFromSandboxProcess,
  type SandboxReady,
  type SandboxStart,
  type ToSandboxProcess,
} from './processProtocol';
import type { FaultConfig } from './types';

export interface LaunchOptions {
  /** Node flags for the child (default none; tests pass `--import tsx` to run the .ts entry). */
  execArgv?: string[];
  /** Give up (and kill the child) if it is not ready after this long (default 120 s). */
  readyTimeoutMs?: number;
  /**
   * Runs the child at this lower scheduling priority (a Unix nice value, 1-19; default: the
   * parent's). Where it cannot be set, the child runs at the parent's priority all the same.
   */
  niceness?: number;
  /**
   * Linux: the child gets a scheduler group of its own (a new session, so a new autogroup) at
   * `niceness`. With autogroup on, the kernel shares the cores between groups before it looks at
   * a process's nice value, which then only ranks it within its group: a child left in its
   * parent's group spends the parent's share, however nice it is.
   */
  ownSchedulerGroup?: boolean;
}

export interface SandboxProcess {
  readonly ready: SandboxReady;
  readonly pid: number;
  setFaults(faults: FaultConfig): void;
  /** Closes the server and waits for the process to end (killed after 2 s). Idempotent. */
  stop(): Promise<void>;
  /**
   * `listener` is called once if the process ends other than through stop() (a crash, out of
   * memory, killed), with how it ended, e.g. "exit code 134" or "signal SIGKILL".
   */
  onLost(listener: (why: string) => void): void;
  /** The last lines the process wrote to stderr (the key removed): for the log after a crash. */
  stderrTail(): string;
}

const STOP_TIMEOUT_MS = 2_000;
const STDERR_TAIL_CHARS = 2_000;

function howItEnded(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code ?? 'unknown'}`;
}

/** Starts the sandbox process at `entry` and resolves once it serves, or rejects saying why not. */
export function launchSandboxProcess(
  entry: string,
  start: SandboxStart,
  options: LaunchOptions = {},
): Promise<SandboxProcess> {
  const ownGroup = options.ownSchedulerGroup === true && process.platform === 'linux';
  const child = fork(entry, [], {
    cwd: path.dirname(entry),
    // A new session (setsid): a new autogroup. It still ends with its parent: it exits when the
    // IPC channel disconnects (process.ts).
    detached: ownGroup,
    execArgv: options.execArgv ?? [],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    // stdout unused; stderr kept (a short tail) to say why it crashed.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
  });
  if (options.niceness !== undefined && child.pid !== undefined) {
    try {
      os.setPriority(child.pid, Math.min(19, os.getPriority(child.pid) + options.niceness));
    } catch {
      // Not permitted here (or the child already gone): it keeps the parent's priority.
    }
    if (ownGroup) {
      try {
        // The group's own nice value (proc(5), /proc/[pid]/autogroup): its weight among groups.
        writeFileSync(`/proc/${child.pid}/autogroup`, String(Math.min(19, options.niceness)));
      } catch {
        // No autogroup here (or not permitted): the process's nice value is all there is.
      }
    }
  }
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => {
    stderr = (stderr + s).slice(-STDERR_TAIL_CHARS);
  });
  const tail = (): string => stderr.split(start.apiKey).join('<key>').trim();
  const send = (m: ToSandboxProcess): void => {
    // A child that is gone cannot take a message; its exit is reported on its own.
    if (child.connected) child.send(m, (e) => void e);
  };

  return new Promise<SandboxProcess>((resolve, reject) => {
    // 'close' rather than 'exit': it comes once stderr is read to its end, so the tail holds the
    // crash's last words.
    const onError = (e: Error): void => failed(`the demo server's process could not start (${e.message})`);
    const onClose = (code: number | null, signal: NodeJS.Signals | null): void =>
      failed(`the demo server's process ended (${howItEnded(code, signal)}) before it was ready`);
    const onMessage = (m: unknown): void => {
      if (!isFromSandboxProcess(m)) return failed('the demo server sent an unexpected message');
      if (m.type === 'error') return failed(m.message);
      if (m.type !== 'ready') return failed(`the demo server answered "${m.type}" before it was ready`);
      settle();
      resolve(running(child, m, send, tail));
    };
    const settle = (): void => {
      clearTimeout(timer);
      child.off('error', onError);
      child.off('close', onClose);
      child.off('message', onMessage);
    };
    const failed = (why: string): void => {
      settle();
      child.on('error', () => undefined); // the kill below may fail on a process already gone
      child.kill('SIGKILL');
      const last = tail().split('\n').pop();
      reject(new Error(last ? `${why}: ${last}` : why));
    };
    const timeoutMs = options.readyTimeoutMs ?? 120_000;
    const timer = setTimeout(
      () => failed(`the demo server was not ready after ${timeoutMs / 1000} s`),
      timeoutMs,
    );
    child.on('error', onError);
    child.on('close', onClose);
    child.on('message', onMessage);
    send({ type: 'start', start });
  });
}

function running(
  child: ChildProcess,
  ready: SandboxReady,
  send: (m: ToSandboxProcess) => void,
  stderrTail: () => string,
): SandboxProcess {
  let stopping: Promise<void> | undefined;
  let lost: ((why: string) => void) | undefined;
  let ended: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('close', (code, signal) => {
      ended = howItEnded(code, signal);
      if (!stopping) lost?.(ended);
      resolve();
    });
  });
  child.on('error', () => undefined); // a failed send or kill; 'exit' says the rest
  return {
    ready,
    pid: child.pid ?? -1,
    setFaults: (faults) => send({ type: 'setFaults', faults }),
    stderrTail,
    onLost(listener) {
      lost = listener;
      if (ended !== undefined && !stopping) listener(ended);
    },
    stop() {
      stopping ??= (async () => {
        if (ended !== undefined) return;
        send({ type: 'close' });
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS);
        });
        if (await Promise.race([exited.then(() => false), late])) {
          child.kill('SIGKILL');
          await exited;
        }
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
