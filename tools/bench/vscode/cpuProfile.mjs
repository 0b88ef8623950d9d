// A CPU profile of the extension host during the fetch (`--profile <file>`), taken through the
// inspector's Profiler domain, and what it says about the event loop's longest waits. A profile has
// no task boundaries, so a "run" here is consecutive samples under the same top-level frame (the
// entry of a macrotask: a socket read, a timer, a message from the workbench): the longest runs are
// where a timer could have waited, and their heaviest frames say what held them.

/** Starts sampling every `intervalUs` µs. */
export async function startProfile(session, intervalUs = 500) {
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.send('Profiler.start');
}

/** Stops sampling; resolves with the profile (Chrome's .cpuprofile shape). */
export async function stopProfile(session) {
  const { profile } = await session.send('Profiler.stop');
  await session.send('Profiler.disable');
  return profile;
}

const label = (cf) =>
  `${cf.functionName || '(anonymous)'} ${cf.url ? `${cf.url.replace(/^.*\//, '')}:${cf.lineNumber + 1}` : ''}`.trim();

/**
 * The `top` longest runs of non-idle samples under one top-level frame, each with its duration,
 * its entry frame and its `frames` heaviest self-time frames (with their callers up to 3 deep).
 */
export function longestRuns(profile, top = 5, frames = 6) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const rootId = profile.nodes[0].id;
  /** The child of the root above `id` (the task's entry), memoized. */
  const entryMemo = new Map();
  const entryOf = (id) => {
    if (entryMemo.has(id)) return entryMemo.get(id);
    let cur = id;
    while (parent.has(cur) && parent.get(cur) !== rootId) cur = parent.get(cur);
    entryMemo.set(id, cur);
    return cur;
  };
  const idle = (id) => {
    const f = byId.get(id)?.callFrame.functionName;
    return f === '(idle)' || f === '(program)' || id === rootId;
  };
  const runs = [];
  let run;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (idle(id)) {
      run = undefined;
      continue;
    }
    const entry = entryOf(id);
    if (!run || run.entry !== entry) {
      run = { entry, startUs: t, durUs: 0, self: new Map() };
      runs.push(run);
    }
    // A sample stands for the time until the next one.
    const next = profile.timeDeltas[i + 1] ?? dt;
    run.durUs += next;
    run.self.set(id, (run.self.get(id) ?? 0) + next);
  }
  const stackOf = (id) => {
    const out = [];
    for (let cur = id; cur !== undefined && cur !== rootId && out.length < 4; cur = parent.get(cur))
      out.push(label(byId.get(cur).callFrame));
    return out.join(' ← ');
  };
  return runs
    .sort((a, b) => b.durUs - a.durUs)
    .slice(0, top)
    .map((r) => ({
      ms: Math.round(r.durUs / 100) / 10,
      atMs: Math.round((r.startUs - profile.startTime) / 1000),
      entry: label(byId.get(r.entry).callFrame),
      heaviest: [...r.self.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, frames)
        .map(([id, us]) => `${(us / 1000).toFixed(1)} ms ${stackOf(id)}`),
    }));
}

/** Self time per function over the whole profile (the top `n`), in ms, idle excluded. */
export function selfTimes(profile, n = 15) {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const self = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const name = node.callFrame.functionName;
    if (name === '(idle)' || name === '(root)') continue;
    const us = profile.timeDeltas[i + 1] ?? 0;
    total += us;
    const key = label(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + us);
  }
  return {
    busyMs: Math.round(total / 1000),
    top: [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => ({ ms: Math.round(us / 1000), share: Math.round((us / total) * 1000) / 10, fn: k })),
  };
}
