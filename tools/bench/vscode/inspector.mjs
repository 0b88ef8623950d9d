// The extension host seen from outside, through Node's inspector and the Chrome DevTools Protocol
// (Node's global WebSocket). code-server has no `--inspect-extensions`, and the workbench honours the
// URL payload's `inspect-extensions` only with the smoke-test driver, which also hides every toast
// (not the workbench a user has); so the inspector is opened the way Node documents for a running
// process: SIGUSR1, after which it listens on 127.0.0.1 (9229 unless that is taken). Nothing in the
// packaged extension knows about the benchmark: what runs in the host is evaluated from here, with
// `Runtime.evaluate` and the console's command-line API (which gives `require`).
import { isRunning, listeningPorts } from './hostProcess.mjs';

/** The process was gone before its inspector answered (VS Code replaced an extension host). */
export class HostExitedError extends Error {
  constructor(pid) {
    super(`the extension host (pid ${pid}) exited before its inspector answered`);
  }
}

/** Sends SIGUSR1 to `pid` and waits for its inspector; returns a session (see connectInspector). */
export async function openInspector(pid, timeoutMs = 30_000) {
  const before = new Set(listeningPorts(pid));
  process.kill(pid, 'SIGUSR1');
  const end = Date.now() + timeoutMs;
  for (;;) {
    for (const port of listeningPorts(pid).filter((p) => !before.has(p))) {
      try {
        return await connectInspector(port, 2000);
      } catch {
        // another socket of the host, or not answering yet
      }
    }
    if (!isRunning(pid)) throw new HostExitedError(pid);
    if (Date.now() > end)
      throw new Error(
        `the extension host (pid ${pid}) opened no inspector after SIGUSR1 (is 127.0.0.1:9229 taken?)`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The inspector's WebSocket URL, once the extension host listens on `port` (polls up to `timeoutMs`). */
export async function inspectorUrl(port, timeoutMs = 90_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/json/list`);
      const list = await res.json();
      const target = list.find((t) => t.webSocketDebuggerUrl);
      if (target) return target.webSocketDebuggerUrl;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`the extension host's inspector on port ${port} never answered`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A CDP session: `evaluate(expression)` resolves with the expression's value (awaited, by value). */
export async function connectInspector(port, timeoutMs) {
  const ws = new WebSocket(await inspectorUrl(port, timeoutMs));
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', () => reject(new Error('could not connect to the inspector')), {
      once: true,
    });
  });
  let nextId = 1;
  const pending = new Map();
  ws.addEventListener('message', (e) => {
    const m = JSON.parse(String(e.data));
    const p = m.id !== undefined && pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.reject(new Error(m.error.message));
    else p.resolve(m.result);
  });
  ws.addEventListener('close', () => {
    for (const p of pending.values()) p.reject(new Error('the inspector connection closed'));
    pending.clear();
  });
  const send = (method, params) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    async evaluate(expression) {
      const r = await send('Runtime.evaluate', {
        expression,
        includeCommandLineAPI: true,
        awaitPromise: true,
        returnByValue: true,
      });
      if (r.exceptionDetails) {
        const d = r.exceptionDetails;
        throw new Error(`in the extension host: ${d.exception?.description ?? d.text}`);
      }
      return r.result.value;
    },
    /** Any other CDP method (e.g. the Profiler's), resolving with its result. */
    send,
    close: () => ws.close(),
  };
}

// The event-loop delay monitor runs in the extension host; it is stored under a Symbol.for key so
// that nothing of the extension's can collide with it, and read and reset per phase.
const KEY = "Symbol.for('np6.bench.eventLoopDelay')";
// Beside it, the host's garbage-collection pauses (perf_hooks 'gc' entries): how much of a long
// delay was the collector's rather than anybody's code.
const GC_KEY = "Symbol.for('np6.bench.gcPauses')";
/**
 * The monitor's timer interval. Its histogram records the time between timer ticks, so an idle loop
 * reads about this much and a 100 ms block about 100 ms more: callers subtract it.
 */
export const LOOP_RESOLUTION_MS = 10;

// And each stall of the loop over STALL_MS, with how long the host's main thread was on a core
// meanwhile and how long it was runnable but waiting for one (its /proc schedstat, read at every
// tick of a 10 ms timer: about a hundred small reads a second), and the GC pauses inside it: a
// stall on a core is a long task (ours or VS Code's); one spent waiting is the scheduler's.
const STALL_KEY = "Symbol.for('np6.bench.stalls')";
/** Stalls shorter than this (beyond the timer's interval) are not recorded one by one. */
export const STALL_MS = 50;

/** Starts `monitorEventLoopDelay` in the host; returns the host's pid. */
export async function startLoopMonitor(session) {
  return session.evaluate(`(() => {
    const { monitorEventLoopDelay } = require('node:perf_hooks');
    globalThis[${KEY}]?.disable();
    const h = monitorEventLoopDelay({ resolution: ${LOOP_RESOLUTION_MS} });
    h.enable();
    globalThis[${KEY}] = h;
    const { PerformanceObserver, constants } = require('node:perf_hooks');
    globalThis[${GC_KEY}]?.observer.disconnect();
    const kinds = { [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major', [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
      [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks' };
    const gc = { maxMs: 0, maxKind: '', totalMs: 0, count: 0, majors: 0, majorMs: 0, observer: undefined };
    gc.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        gc.count++;
        gc.totalMs += e.duration;
        if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) { gc.majors++; gc.majorMs += e.duration; }
        if (gc.stalls && e.duration >= 5) { gc.stalls.gcs.push({ start: e.startTime, ms: e.duration }); if (gc.stalls.gcs.length > 500) gc.stalls.gcs.shift(); }
        if (e.duration > gc.maxMs) { gc.maxMs = e.duration; gc.maxKind = kinds[e.detail?.kind] ?? String(e.detail?.kind); }
      }
    });
    gc.observer.observe({ entryTypes: ['gc'] });
    globalThis[${GC_KEY}] = gc;
    clearInterval(globalThis[${STALL_KEY}]?.timer);
    const fs = require('node:fs');
    const statFile = '/proc/self/task/' + process.pid + '/schedstat';
    const sched = () => { try { const [run, wait] = fs.readFileSync(statFile, 'utf8').split(' ').map(Number); return { run, wait }; } catch { return undefined; } };
    const stalls = { list: [], gcs: [], last: performance.now(), lastSched: sched(), timer: undefined };
    stalls.timer = setInterval(() => {
      const now = performance.now();
      const s = sched();
      const gap = now - stalls.last;
      if (gap > ${LOOP_RESOLUTION_MS} + ${STALL_MS} && s && stalls.lastSched) {
        stalls.list.push({ from: stalls.last, ms: gap - ${LOOP_RESOLUTION_MS},
          onCoreMs: (s.run - stalls.lastSched.run) / 1e6, waitingMs: (s.wait - stalls.lastSched.wait) / 1e6 });
        if (stalls.list.length > 200) stalls.list.shift();
      }
      stalls.last = now;
      stalls.lastSched = s;
    }, ${LOOP_RESOLUTION_MS});
    stalls.timer.unref?.();
    gc.stalls = stalls;
    globalThis[${STALL_KEY}] = stalls;
    return process.pid;
  })()`);
}

/** The delay histogram since the last reset, in ms (max, p99, mean, samples); then resets it. */
export async function readLoopDelay(session) {
  return session.evaluate(`(() => {
    const h = globalThis[${KEY}];
    const ms = (ns) => Math.round(ns / 1e4) / 100;
    const r = { maxMs: ms(h.max), p99Ms: ms(h.percentile(99)), meanMs: ms(h.mean), samples: h.count };
    h.reset();
    const gc = globalThis[${GC_KEY}];
    if (gc) {
      r.gc = { maxMs: Math.round(gc.maxMs * 10) / 10, maxKind: gc.maxKind, totalMs: Math.round(gc.totalMs), pauses: gc.count,
        majors: gc.majors, majorMs: Math.round(gc.majorMs) };
      Object.assign(gc, { maxMs: 0, maxKind: '', totalMs: 0, count: 0, majors: 0, majorMs: 0 });
    }
    const st = globalThis[${STALL_KEY}];
    if (st) {
      const round1 = (x) => Math.round(x * 10) / 10;
      r.stalls = st.list
        .map((x) => ({ atEpochMs: Math.round(performance.timeOrigin + x.from), ms: round1(x.ms), onCoreMs: round1(x.onCoreMs), waitingMs: round1(x.waitingMs),
          gcMs: round1(st.gcs.filter((g) => g.start >= x.from && g.start < x.from + x.ms + ${LOOP_RESOLUTION_MS}).reduce((a, g) => a + g.ms, 0)) }))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 5);
      st.list = [];
      st.gcs = [];
    }
    return r;
  })()`);
}

export async function stopLoopMonitor(session) {
  await session.evaluate(
    `(() => { globalThis[${KEY}]?.disable(); delete globalThis[${KEY}]; globalThis[${GC_KEY}]?.observer.disconnect(); delete globalThis[${GC_KEY}]; clearInterval(globalThis[${STALL_KEY}]?.timer); delete globalThis[${STALL_KEY}]; })()`,
  );
}
