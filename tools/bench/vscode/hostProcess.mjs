// The extension host as a process: found in /proc among code-server's descendants (its command line
// says `--type=extensionHost`), its memory read from /proc/<pid>/status (VmHWM: the kernel's peak
// resident set; VmRSS: now).
import fs from 'node:fs';

const read = (file) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** { pid, ppid, cmdline } of every process now. */
function processes() {
  const out = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    const cmdline = read(`/proc/${name}/cmdline`);
    if (!stat || cmdline === undefined) continue;
    // The command name (2nd field) may hold spaces and parentheses: the ppid follows the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    out.push({ pid: Number(name), ppid, cmdline: cmdline.split('\0').join(' ') });
  }
  return out;
}

/** The extension host processes below `rootPid` (code-server's process group leader). */
export function findExtensionHosts(rootPid) {
  const all = processes();
  const below = new Set([rootPid]);
  // Parents come before children in no guaranteed order: repeat until nothing is added.
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (!below.has(p.pid) && below.has(p.ppid)) {
        below.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => p.pid !== rootPid && below.has(p.pid) && /--type=extensionHost/.test(p.cmdline));
}

/** Whether process `pid` still exists. */
export function isRunning(pid) {
  return fs.existsSync(`/proc/${pid}`);
}

/** Waits until exactly one extension host runs below `rootPid`; returns its { pid, ppid, cmdline }. */
export async function waitForExtensionHost(rootPid, timeoutMs = 90_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const hosts = findExtensionHosts(rootPid);
    if (hosts.length === 1) return hosts[0];
    if (Date.now() > end)
      throw new Error(
        `expected one extension host below code-server (pid ${rootPid}), found ${hosts.length}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** { rssMb, hwmMb } of `pid` now, or undefined when it is gone. */
export function memoryOf(pid) {
  const status = read(`/proc/${pid}/status`);
  if (!status) return undefined;
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/** Samples `pid`'s RSS every `everyMs` until stopped; `stop()` returns { peakRssMb, hwmMb, samples }. */
export function sampleMemory(pid, everyMs = 250) {
  let peak = 0;
  let hwm = 0;
  let samples = 0;
  const tick = () => {
    const m = memoryOf(pid);
    if (!m) return;
    samples++;
    peak = Math.max(peak, m.rssMb);
    hwm = Math.max(hwm, m.hwmMb);
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return { peakRssMb: peak, hwmMb: hwm, samples };
    },
  };
}

/** The loopback TCP ports `pid` listens on (its socket inodes matched in /proc/net/tcp{,6}). */
export function listeningPorts(pid) {
  const inodes = new Set();
  let fds;
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return []; // the process is gone
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  const ports = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (read(table) ?? '').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // f[1] local address:port (hex), f[3] state (0A = LISTEN), f[9] inode
      if (f.length > 9 && f[3] === '0A' && inodes.has(f[9])) ports.push(parseInt(f[1].split(':')[1], 16));
    }
  }
  return ports;
}
