// The demo sandbox in its own process, as demo mode runs it: the real entry (src/demo/sandbox/
// process.ts, run with tsx) forked through processLauncher, serving on loopback. Checks the IPC
// protocol's guards, that the key travels only over IPC, that faults and stop reach the process,
// that start failures and crashes are reported, and that the process dies with its parent.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchSandboxProcess, type SandboxProcess } from '../../../src/demo/sandbox/processLauncher';
import {
  isFromSandboxProcess,
  isToSandboxProcess,
  type SandboxStart,
} from '../../../src/demo/sandbox/processProtocol';

const ROOT = path.join(__dirname, '..', '..', '..');
const ENTRY = path.join(ROOT, 'src', 'demo', 'sandbox', 'process.ts');
const TSX = { execArgv: ['--import', 'tsx'] };

function startOf(over: Partial<SandboxStart> = {}): SandboxStart {
  return { apiKey: randomBytes(24).toString('hex'), now: Date.now(), seed: 6, bigEvents: 0, ...over };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('demo sandbox process: protocol guards', () => {
  const start = startOf();

  it('accepts the messages the parent sends', () => {
    assert.ok(isToSandboxProcess({ type: 'start', start }));
    assert.ok(isToSandboxProcess({ type: 'start', start: { ...start, port: 8642 } }));
    assert.ok(isToSandboxProcess({ type: 'setFaults', faults: { mode: '503', times: 1 } }));
    assert.ok(isToSandboxProcess({ type: 'close' }));
  });

  it('refuses malformed messages to the process', () => {
    for (const bad of [
      null,
      'close',
      [],
      { type: 'stop' },
      { type: 'start' },
      { type: 'start', start: { ...start, apiKey: '' } },
      { type: 'start', start: { ...start, bigEvents: -1 } },
      { type: 'start', start: { ...start, seed: 1.5 } },
      { type: 'start', start: { ...start, port: 70000 } },
      { type: 'start', start: { ...start, now: 'today' } },
      { type: 'setFaults', faults: {} },
    ]) {
      assert.equal(isToSandboxProcess(bad), false, JSON.stringify(bad));
    }
  });

  it('accepts a ready on loopback http only, and well-formed errors', () => {
    const ready = {
      type: 'ready',
      url: 'http://127.0.0.1:5000',
      apiKey: 'k',
      campaigns: [],
      specs: [],
      seed: 6,
    };
    assert.ok(isFromSandboxProcess(ready));
    assert.ok(isFromSandboxProcess({ type: 'error', message: 'listen EADDRINUSE' }));
    assert.ok(isFromSandboxProcess({ type: 'closed' }));
    for (const bad of [
      { ...ready, url: 'http://example.com:5000' },
      { ...ready, url: 'command:np6.exportLastResult' },
      { ...ready, url: 'http://127.0.0.1:5000/x' },
      { ...ready, campaigns: undefined },
      { type: 'error' },
      { type: 'ready' },
      undefined,
    ]) {
      assert.equal(isFromSandboxProcess(bad), false, JSON.stringify(bad));
    }
  });
});

describe('demo sandbox process: lifecycle', function () {
  this.timeout(60_000);
  const started: SandboxProcess[] = [];

  afterEach(async () => {
    await Promise.all(started.splice(0).map((p) => p.stop()));
  });

  async function launch(start = startOf()): Promise<SandboxProcess> {
    const p = await launchSandboxProcess(ENTRY, start, TSX);
    started.push(p);
    return p;
  }

  it('runs at the lower priority it is asked for (the demo yields the cores to the editor)', async function () {
    if (process.platform === 'win32') this.skip();
    const own = os.getPriority();
    const p = await launchSandboxProcess(ENTRY, startOf(), { ...TSX, niceness: 5 });
    started.push(p);
    assert.equal(os.getPriority(p.pid), Math.min(19, own + 5));
    const plain = await launch();
    assert.equal(os.getPriority(plain.pid), own, "without the option, the parent's priority");
  });

  it('on Linux, runs in a scheduler group of its own at that priority (its own session and autogroup)', async function () {
    if (process.platform !== 'linux') this.skip();
    const p = await launchSandboxProcess(ENTRY, startOf(), { ...TSX, niceness: 7, ownSchedulerGroup: true });
    started.push(p);
    // /proc/<pid>/stat: field 6 is the session id; a session leader's is its own pid.
    const stat = readFileSync(`/proc/${p.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    assert.equal(Number(fields[3]), p.pid, 'a session of its own');
    assert.equal(os.getPriority(p.pid), Math.min(19, os.getPriority() + 7));
    let group: string | undefined;
    try {
      group = readFileSync(`/proc/${p.pid}/autogroup`, 'utf8');
    } catch {
      // a kernel without autogroup: the session and the nice value are all there is
    }
    if (group !== undefined) {
      const mine = readFileSync('/proc/self/autogroup', 'utf8').split(' ')[0];
      assert.notEqual(group.split(' ')[0], mine, "not the parent's group");
      assert.match(group, /nice 7\s*$/, `the group's own priority: ${group}`);
    }
    const plain = await launch();
    const plainStat = readFileSync(`/proc/${plain.pid}/stat`, 'utf8');
    assert.notEqual(
      Number(plainStat.slice(plainStat.lastIndexOf(')') + 2).split(' ')[3]),
      plain.pid,
      "without the option, the parent's session",
    );
  });

  it('serves with the key it got over IPC, which is in neither its argv nor its environment', async () => {
    const start = startOf();
    const p = await launch(start);
    assert.notEqual(p.pid, process.pid);
    assert.ok(alive(p.pid));
    assert.match(p.ready.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(p.ready.apiKey, start.apiKey);
    assert.ok(p.ready.campaigns.length >= 2, 'the demo campaigns are served');
    const listed = await fetch(`${p.ready.url}/campaigns`, { headers: { 'X-Key': start.apiKey } });
    assert.equal(listed.status, 200);
    const ids = ((await listed.json()) as { id: string }[]).map((c) => c.id);
    assert.deepEqual(
      ids,
      p.ready.campaigns.map((c) => c.id),
    );
    const refused = await fetch(`${p.ready.url}/campaigns`, { headers: { 'X-Key': 'not-the-key' } });
    assert.equal(refused.status, 401);
    await refused.arrayBuffer();
    if (process.platform === 'linux') {
      const cmdline = readFileSync(`/proc/${p.pid}/cmdline`, 'utf8');
      const environ = readFileSync(`/proc/${p.pid}/environ`, 'utf8');
      assert.ok(cmdline.includes('process.ts'), 'this is the sandbox process');
      assert.ok(!cmdline.includes(start.apiKey), 'the key is not in argv');
      assert.ok(!environ.includes(start.apiKey), 'the key is not in the environment');
      assert.ok(environ.includes('ELECTRON_RUN_AS_NODE=1'), 'forked as VS Code desktop needs');
    }
  });

  it('applies faults sent over IPC', async () => {
    const start = startOf();
    const p = await launch(start);
    p.setFaults({ mode: '503', times: 2 });
    const read = async (): Promise<{ mode: string }> => {
      const r = await fetch(`${p.ready.url}/_sandbox/faults`, { headers: { 'X-Key': start.apiKey } });
      return (await r.json()) as { mode: string };
    };
    // IPC is asynchronous: the message may land just after this request; ask again briefly.
    let mode = (await read()).mode;
    for (let i = 0; i < 20 && mode !== '503'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      mode = (await read()).mode;
    }
    assert.equal(mode, '503');
  });

  it('stop closes the server and ends the process, without reporting it lost', async () => {
    const p = await launch();
    const lost: string[] = [];
    p.onLost((why) => lost.push(why));
    await p.stop();
    assert.equal(alive(p.pid), false, 'the process ended');
    await assert.rejects(fetch(`${p.ready.url}/campaigns`), 'nothing listens any more');
    await p.stop(); // idempotent
    assert.deepEqual(lost, []);
  });

  it('a start failure (the port is taken) rejects with the reason', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as AddressInfo).port;
    try {
      await assert.rejects(launchSandboxProcess(ENTRY, startOf({ port }), TSX), /EADDRINUSE/);
    } finally {
      busy.close();
    }
  });

  it('a process that cannot start at all rejects, saying how it ended', async () => {
    await assert.rejects(
      launchSandboxProcess(path.join(ROOT, 'no-such-sandbox-entry.js'), startOf(), TSX),
      /ended \(exit code 1\) before it was ready/,
    );
  });

  it('a crash while it serves is reported once, with how it ended', async () => {
    const p = await launch();
    const lost: string[] = [];
    p.onLost((why) => lost.push(why));
    process.kill(p.pid, 'SIGKILL');
    await until('the loss to be reported', () => lost.length > 0);
    assert.deepEqual(lost, ['signal SIGKILL']);
    await p.stop(); // nothing left to stop; does not report again
    assert.deepEqual(lost, ['signal SIGKILL']);
  });

  it('exits when its parent dies (the IPC channel disconnects), closing its port', async () => {
    const parent = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'fixtures', 'sandboxParent.ts')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    parent.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    parent.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
    try {
      await until(
        'the parent to report its child',
        () => out.includes('\n') || parent.exitCode !== null,
        30_000,
      );
      assert.ok(out.includes('\n'), `the parent failed: ${err}`);
      const child = JSON.parse(out.split('\n')[0]!) as { pid: number; url: string };
      assert.ok(alive(child.pid), 'the sandbox runs while its parent lives');
      assert.equal((await fetch(`${child.url}/campaigns`)).status, 401, 'and serves');
      parent.kill('SIGKILL'); // no cleanup code runs in the parent: only the channel closes
      await until('the orphaned sandbox to exit', () => !alive(child.pid), 5_000);
      await assert.rejects(fetch(`${child.url}/campaigns`), 'its port is closed');
    } finally {
      if (parent.exitCode === null) parent.kill('SIGKILL');
    }
  });
});
