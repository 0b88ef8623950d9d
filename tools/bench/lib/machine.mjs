// What the benchmark ran on: printed at the top of every run and carried in --json, because the
// figures mean little without the machine (cores, CPU, memory) and how busy it was (load average
// before and after).

import fs from 'node:fs';
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

/**
 * The whole machine's CPU time so far from /proc/stat (Linux; undefined elsewhere), in ms summed
 * over all cores: busy (user, nice, system, irq, softirq), idle (with I/O wait) and steal (time
 * the hypervisor gave another guest: on a VM, stalls no process of ours can explain).
 */
export function cpuTimes() {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const tick = 10; // USER_HZ is 100 on Linux
    return {
      busyMs: (user + nice + system + irq + softirq) * tick,
      idleMs: (idle + iowait) * tick,
      stealMs: (steal || 0) * tick,
    };
  } catch {
    return undefined;
  }
}

/** "busy 96% of 2 cores, steal 0.4%" between two cpuTimes() readings over `wallMs`. */
export function describeCpu(from, to, wallMs) {
  if (!from || !to) return 'CPU use unknown';
  const cores = os.cpus().length;
  const pct = (ms) => `${((ms / (wallMs * cores)) * 100).toFixed(1)}%`;
  return `the machine's CPU busy ${pct(to.busyMs - from.busyMs)} of ${cores} cores, steal ${pct(to.stealMs - from.stealMs)}`;
}

/**
 * CPU time so far of every process of the machine (Linux; an empty map elsewhere): pid → { ms, cmd }
 * from /proc/<pid>/stat (user + system) and /proc/<pid>/cmdline. Processes that end between two
 * readings are not counted in a breakdown (their time is still in the machine's total).
 */
export function processCpuTimes() {
  const all = new Map();
  let pids;
  try {
    pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return all;
  }
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(f[11]) + Number(f[12])) * 10; // utime + stime, USER_HZ = 100
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      all.set(Number(pid), { ms, cmd, nice: Number(f[16]), schedGroup: autogroupOf(pid) });
    } catch {
      // gone meanwhile
    }
  }
  return all;
}

/**
 * The scheduler group of a process when Linux's autogroup is on ("/autogroup-25"): the kernel
 * shares the cores between groups (one per session) before it shares a group's share between
 * its threads, so a process's nice value only ranks it within its group. Undefined when off or
 * not readable.
 */
function autogroupOf(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/autogroup`, 'utf8').split(/\s+/)[0] || undefined;
  } catch {
    return undefined;
  }
}

/** True when the kernel groups processes by session for scheduling (sched_autogroup_enabled). */
export function autogroupEnabled() {
  try {
    return fs.readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1';
  } catch {
    return false;
  }
}

/**
 * One thread's scheduler figures (Linux /proc/<pid>/task/<tid>/schedstat): nanoseconds on a core,
 * nanoseconds runnable but waiting for one, and time slices. Undefined when not readable.
 */
export function threadSchedstat(pid, tid = pid) {
  try {
    const [runNs, waitNs, slices] = fs
      .readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    return Number.isFinite(runNs) && Number.isFinite(waitNs) ? { runNs, waitNs, slices } : undefined;
  } catch {
    return undefined;
  }
}

/** CPU ms of process `pid` since the `from` reading (all of it when it started since: a new pid or command). */
function cpuSince(from, pid, now) {
  const before = from.get(pid);
  return now.ms - (before && before.cmd === now.cmd ? before.ms : 0);
}

/**
 * Where the machine's CPU went between two processCpuTimes() readings, summed by `groupOf(pid,
 * cmd)` (a name, or undefined for "other"): [{ group, ms }], the busiest first.
 */
export function cpuByGroup(from, to, groupOf) {
  const sums = new Map();
  for (const [pid, now] of to) {
    const ms = cpuSince(from, pid, now);
    if (ms <= 0) continue;
    const group = groupOf(pid, now.cmd) ?? 'other';
    sums.set(group, (sums.get(group) ?? 0) + ms);
  }
  return [...sums].map(([group, ms]) => ({ group, ms })).sort((a, b) => b.ms - a.ms);
}

/**
 * The same CPU time by scheduler group (autogroupOf) and, within each, by `groupOf`:
 * [{ schedGroup, ms, parts: [{ group, ms, nice }] }] (nice undefined when the part's processes
 * differ), the busiest first; processes without a
 * scheduler group are left out.
 */
export function cpuBySchedGroup(from, to, groupOf) {
  const groups = new Map();
  for (const [pid, now] of to) {
    if (!now.schedGroup) continue;
    const ms = cpuSince(from, pid, now);
    if (ms <= 0) continue;
    const g = groups.get(now.schedGroup) ?? { schedGroup: now.schedGroup, ms: 0, parts: new Map() };
    groups.set(now.schedGroup, g);
    g.ms += ms;
    const name = groupOf(pid, now.cmd) ?? 'other';
    const part = g.parts.get(name) ?? { group: name, ms: 0, nice: now.nice };
    g.parts.set(name, part);
    part.ms += ms;
    // One nice value for the part only when all its processes have it.
    if (part.nice !== now.nice) part.nice = undefined;
  }
  return [...groups.values()]
    .map((g) => ({ ...g, parts: [...g.parts.values()].sort((a, b) => b.ms - a.ms) }))
    .sort((a, b) => b.ms - a.ms);
}
