// Small statistics for the samples the workbench benchmark takes.

/** Nearest-rank percentile (p in 0..100) of `xs`; undefined when empty. */
export function percentile(xs, p) {
  if (xs.length === 0) return undefined;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** { samples, p50, p95, max } of latencies in ms, rounded to whole ms. */
export function latencySummary(xs) {
  const r = (x) => (x === undefined ? undefined : Math.round(x));
  return {
    samples: xs.length,
    p50: r(percentile(xs, 50)),
    p95: r(percentile(xs, 95)),
    max: r(xs.length ? Math.max(...xs) : undefined),
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
