// The demo sandbox in its own Node process (dist/sandboxProcess.js): demo mode forks it so that
// measuring, generating and serving up to a million events costs the extension host neither event
// loop time nor memory. Protocol (processProtocol.ts), over the fork's IPC channel: the parent sends
// 'start' (with the key: never argv or env), then 'setFaults' or 'close'; this answers 'ready',
// 'error' or 'closed'. It lives only as long as its parent: when the channel disconnects (the
// extension host exited, crashed or the window reloaded) it closes the server and exits.
// Pure Node (no vscode).

import { startDemoSandbox } from './demoSandbox';
import { isToSandboxProcess, type FromSandboxProcess, type SandboxStart } from './processProtocol';
import type { RunningSandbox } from './server';

/** A parent that forks this but never says 'start' is gone or broken: do not linger. */
const START_TIMEOUT_MS = 30_000;
/** Closing waits for open responses to be cut; never longer than this. */
const CLOSE_TIMEOUT_MS = 2_000;

let sandbox: RunningSandbox | undefined;
let starting = false;
let exiting = false;

function send(m: FromSandboxProcess, then?: () => void): void {
  if (!process.connected || !process.send) return then?.();
  process.send(m, undefined, {}, () => then?.());
}

/** Closes the server (bounded in time) and ends the process with `code`. */
function exit(code: number, last?: FromSandboxProcess): void {
  if (exiting) return;
  exiting = true;
  let ended = false;
  const done = (): void => {
    if (ended) return;
    ended = true;
    if (last) send(last, () => process.exit(code));
    else process.exit(code);
  };
  setTimeout(done, CLOSE_TIMEOUT_MS).unref();
  void (sandbox?.close() ?? Promise.resolve()).then(done, done);
}

async function start(options: SandboxStart): Promise<void> {
  try {
    const s = await startDemoSandbox(options);
    sandbox = s.sandbox;
    if (exiting) return void s.sandbox.close();
    send(s.ready);
  } catch (e) {
    exit(1, { type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}

function main(): void {
  if (!process.send) {
    console.error('sandboxProcess.js is started by demo mode (child_process.fork), with an IPC channel.');
    process.exit(2);
  }
  const noStart = setTimeout(() => exit(3), START_TIMEOUT_MS);
  process.on('disconnect', () => exit(0));
  process.on('message', (m: unknown) => {
    if (!isToSandboxProcess(m)) return; // only its parent talks on this channel, and only so
    switch (m.type) {
      case 'start':
        if (starting) return;
        starting = true;
        clearTimeout(noStart);
        void start(m.start);
        return;
      case 'setFaults':
        sandbox?.setFaults(m.faults);
        return;
      case 'close':
        exit(0, { type: 'closed' });
        return;
    }
  });
}

main();
