// Statistics benchmark: how long computeStats (and the hit classification) take over the compact
// index of a result of N sandbox events, the time a user waits after a fetch ends.
//
//   npx tsx tools/bench/stats.ts [--events 1000000] [--runs 3]
//
// Events come from the sandbox generator (the demo campaigns' proportions), are parsed and indexed
// once (not measured), then each step runs --runs times; the best and the worst run are printed,
// with the CPU time of the best run (steadier than wall time on a shared machine).
// Target (issue 13): statistics ready within 1 s at 1M events.

import { parseArgs } from 'node:util';
import { IndexBuilder } from '../../src/core/eventIndex';
import { computeStats } from '../../src/core/stats/computeStats';
import { classifyIndex } from '../../src/core/classify/classify';
import { loadRules } from '../../src/core/classify/rules';
import { CampaignModel, renderEvent, UnitEvents } from '../../src/demo/sandbox/generator';
import type { Np6Event } from '../../src/np6/events';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '3' } },
});
const wanted = Number(values.events);
const runs = Number(values.runs);

const model = new CampaignModel(
  1,
  { name: 'bench', recipients: Math.ceil(wanted / 11), items: 4, sendStart: Date.UTC(2026, 0, 5) },
  0,
);
const index = new IndexBuilder();
const ev = new UnitEvents();
const t0 = performance.now();
for (let u = 0; u < model.units && index.length < wanted; u++) {
  ev.fill(model, u);
  for (let j = 0; j < ev.count && index.length < wanted; j++) {
    const json = renderEvent(model, ev, j);
    index.add(JSON.parse(json) as Np6Event, 0, json.length);
  }
}
console.log(
  `indexed ${index.length} events (${index.recipients.length} recipients, ${index.items.length} items) in ${(performance.now() - t0).toFixed(0)} ms (not measured)`,
);

const only = new Uint8Array(Math.ceil(index.length / 8));
for (let i = 0; i < index.length; i++) if (i % 3 !== 0) only[i >> 3]! |= 1 << (i & 7);

function measure(label: string, f: () => unknown): number {
  // Wall time and this process's CPU time: on a shared, loaded machine the CPU time is the
  // steadier figure (the wall time includes waiting for a core).
  const times: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const s = performance.now();
    const c = process.cpuUsage();
    f();
    const used = process.cpuUsage(c);
    times.push(performance.now() - s);
    cpu.push((used.user + used.system) / 1000);
  }
  const best = Math.min(...times);
  console.log(
    `${label}: wall best ${best.toFixed(0)} ms, worst ${Math.max(...times).toFixed(0)} ms; CPU best ${Math.min(...cpu).toFixed(0)} ms (${runs} runs)`,
  );
  return best;
}

const rules = loadRules();
const whole = measure('statistics, whole result + per item', () => computeStats(index));
measure('statistics, restricted to a 2/3 selection', () => computeStats(index, { only }));
const classify = measure('classification of every hit', () => classifyIndex(index, rules));
const { classes } = classifyIndex(index, rules);
const withHumans = measure('statistics with humans-only figures', () => computeStats(index, { classes }));
const counts = new Map<number, number>();
for (const c of classes) counts.set(c, (counts.get(c) ?? 0) + 1);
console.log(
  `hit classes (code: count): ${[...counts]
    .sort((a, b) => a[0] - b[0])
    .map(([c, k]) => `${c}: ${k}`)
    .join(', ')}`,
);
const perMillion = 1e6 / index.length;
const ready = (classify + withHumans) * perMillion;
console.log(
  `statistics alone ${(whole * perMillion).toFixed(0)} ms per 1M events; classification + statistics ${ready.toFixed(0)} ms per 1M events`,
);
console.log(
  `target: statistics (with classification) within 1000 ms at 1M events: ${ready <= 1000 ? 'MET' : 'NOT MET'}`,
);
