// `npm run sandbox` as a user meets it: a child process that prints how to reach it, honours its
// flags, and stops cleanly on SIGTERM.

import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const MAIN = path.join(__dirname, '..', '..', '..', 'tools', 'sandbox', 'main.ts');

function start(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: 'pipe' });
}

async function banner(child: ChildProcessWithoutNullStreams): Promise<string> {
  let out = '';
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    out += chunk.toString('utf8');
    if (out.includes('Ctrl+C')) return out;
  }
  throw new Error(`the sandbox exited before printing its banner: ${out}`);
}

describe('npm run sandbox', function () {
  this.timeout(60_000);

  it('prints URL, key, campaigns and a CLI example, applies its flags, stops on SIGTERM', async () => {
    const child = start([
      '--port',
      '0',
      '--seed',
      '3',
      '--key',
      'flag-key',
      '--fault',
      '503',
      '--large',
      '3000',
    ]);
    try {
      const out = await banner(child);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      assert.ok(url, out);
      assert.match(out, /API key \(X-Key\): flag-key/);
      const ids = [...out.matchAll(/campaign id: (\S+)/g)].map((m) => m[1]!);
      assert.equal(ids.length, 4, 'three demo campaigns and the large one');
      assert.match(out, /Large campaign \(~3,000 events\)/);
      assert.match(out, /items: +\S{6} \(/);
      assert.match(
        out,
        new RegExp(`NP6_API_KEY=flag-key node dist/cli\\.js events --base-url ${url} --campaign ${ids[0]}`),
      );

      const ask = () =>
        fetch(`${url}/campaigns/${ids[3]}/events`, {
          method: 'POST',
          headers: { 'X-Key': 'flag-key', 'Content-Type': 'application/json' },
          body: JSON.stringify({ itemsEvents: [{ type: 'email', events: [{ type: 'execution' }] }] }),
        });
      const faulted = await ask();
      await faulted.arrayBuffer();
      assert.equal(faulted.status, 503, '--fault applies');
      const off = await fetch(`${url}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'X-Key': 'flag-key', 'Content-Type': 'application/json' },
        body: '{"mode":"none"}',
      });
      assert.equal(off.status, 204);
      const ok = await ask();
      const executions = (await ok.json()) as unknown[];
      assert.ok(executions.length > 300 && executions.length < 1500, `${executions.length} executions`);

      const exit = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exit) as [number | null];
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses bad flags with exit code 2 and says what to use', async () => {
    const child = start(['--fault', 'explode']);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 2);
    assert.match(err, /--fault must be one of none, 429, 500/);
  });
});
