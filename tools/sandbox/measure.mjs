// Measures the sandbox's serving throughput and peak RSS (not a test, not the project benchmark).
//   npm run build && node tools/sandbox/measure.mjs [events=200000] [asc|desc|none]
// Starts dist/sandbox.js in a child process with a campaign of ~N events, streams the whole
// campaign once with fetch, and prints one JSON line: MB/s (wall), server CPU seconds, MB per
// server CPU second (meaningful on a busy machine) and the server's peak RSS.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const n = Number(process.argv[2] ?? 200000);
const sort = process.argv[3] ?? 'asc';
const script = path.join(import.meta.dirname, '..', '..', 'dist', 'sandbox.js');
const child = spawn(process.execPath, [script, '--port', '0', '--fixed', '--large', String(n)], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let banner = '';
for await (const chunk of child.stdout) {
  banner += chunk;
  if (banner.includes('Ctrl+C')) break;
}
const url = /listening on (\S+)/.exec(banner)[1];
const key = /X-Key\): (\S+)/.exec(banner)[1];
const id = [...banner.matchAll(/campaign id: (\S+)/g)].pop()[1];

const status = () => readFileSync(`/proc/${child.pid}/status`, 'utf8');
const cpuSeconds = () => {
  const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const idleRssMb = Math.round(Number(/VmRSS:\s+(\d+)/.exec(status())?.[1] ?? 0) / 1024);
let peakKb = 0;
const poll = setInterval(() => {
  peakKb = Math.max(peakKb, Number(/VmRSS:\s+(\d+)/.exec(status())?.[1] ?? 0));
}, 20);
const cpu0 = cpuSeconds();
const t0 = performance.now();
const res = await fetch(`${url}/campaigns/${id}/events${sort === 'none' ? '' : `?sort=${sort}`}`, {
  method: 'POST',
  headers: { 'X-Key': key, 'Content-Type': 'application/json' },
  body: JSON.stringify({
    itemsEvents: [
      {
        type: 'email',
        events: ['execution', 'activation', 'hit', 'bounce', 'cancellation'].map((type) => ({ type })),
      },
    ],
  }),
});
let bytes = 0;
for await (const chunk of res.body) bytes += chunk.length;
const seconds = (performance.now() - t0) / 1000;
const cpu = cpuSeconds() - cpu0;
clearInterval(poll);
peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status())?.[1] ?? 0));
child.kill('SIGTERM');
console.log(
  JSON.stringify({
    events: n,
    sort,
    status: res.status,
    bytes,
    seconds: +seconds.toFixed(2),
    mbPerSec: +(bytes / 1e6 / seconds).toFixed(1),
    serverCpuSeconds: +cpu.toFixed(2),
    mbPerServerCpuSecond: +(bytes / 1e6 / cpu).toFixed(1),
    serverIdleRssMb: idleRssMb,
    serverPeakRssMb: Math.round(peakKb / 1024),
  }),
);
