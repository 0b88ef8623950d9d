// What the benchmark ran on: printed at the top of every run and carried in --json, because the
// figures mean little without the machine (cores, CPU, memory) and how busy it was (load average
// before and after).

import os from 'node:os';

const round = (n, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The machine now: the load average is sampled at the call. */
export function machine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    freeMemoryGb: round(os.freemem() / 2 ** 30, 1),
    loadAverage: os.loadavg().map((x) => round(x)),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export function describeMachine(m) {
  return (
    `Machine: ${m.cores} cores, ${m.cpuModel}, ${m.memoryGb} GB RAM (${m.freeMemoryGb} GB free), ` +
    `node ${m.node}, ${m.os}; load average ${describeLoad(m.loadAverage)} before`
  );
}

/** "0.92 / 0.43 / 0.17 (1, 5, 15 min)" */
export function describeLoad(load) {
  return `${load.map((x) => x.toFixed(2)).join(' / ')} (1, 5, 15 min)`;
}

/** True when run.mjs runs this suite (it prints the machine once for the whole run). */
export const underRunner = () => process.env.NP6_BENCH_RUNNER === '1';
