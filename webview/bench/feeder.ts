// (Kept under webview/ for its DOM types; not part of the shipped bundle, whose only entry is webview/main.ts.)
// Runs inside the benchmark page (bundled by tools/bench/webview.mjs and evaluated there): makes
// synthetic campaign rows with the production BatchBuilder, feeds them to the webview as host
// messages, and times renders and zoom/pan frames.
//
// Messages go through structuredClone on the way in, as VS Code's postMessage into the webview's
// frame clones them: the page pays for the copy, as it does in VS Code. Frames are measured as the
// intervals between requestAnimationFrame timestamps while one zoom or pan input arrives per frame.

import { BatchBuilder } from '../../src/shared/timeline/batch';
import type { HostMessage, ResultInfo } from '../../src/shared/protocol';

const deliver = (data: HostMessage): void => {
  window.dispatchEvent(new MessageEvent('message', { data: structuredClone(data) }));
};
const frame = (): Promise<number> => new Promise((r) => requestAnimationFrame(r));

function info(count: number, live: boolean): ResultInfo {
  return {
    resultId: `bench-${count}`,
    campaignLabel: 'Benchmark campaign',
    campaignId: 'bench',
    endpoint: 'campaign',
    items: [],
    types: 'all',
    count,
    bytes: 0,
    live,
    complete: !live,
    completeness: live ? 'loading' : 'complete',
    missingWindows: 0,
  };
}

/** A week-long campaign: send waves, then opens and clicks decaying over days. */
function makeBatches(n: number, batchSize: number): HostMessage[][] {
  let seed = 12345;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const start = Date.UTC(2024, 4, 6, 8);
  const recipients = Math.max(1, Math.floor(n / 5));
  const kinds = ['execution', 'activation', 'hit:open', 'hit:redirection', 'bounce', 'hit:unsubscribe'];
  const weights = [0.25, 0.24, 0.3, 0.17, 0.03, 0.01];
  const b = new BatchBuilder();
  const out: HostMessage[][] = [];
  const devices = [
    'iPhone / iOS · Safari',
    'Android / Android 14 · Chrome',
    'Windows · Outlook',
    'Mac / macOS · Apple Mail',
  ];
  for (let i = 0; i < n; i++) {
    let x = rnd();
    let k = 0;
    while (k < weights.length - 1 && x > (weights[k] as number)) x -= weights[k++] as number;
    const kind = kinds[k] as string;
    const wave = Math.floor(rnd() * 3) * 2 * 86_400_000;
    const delay = k < 2 ? rnd() * 3_600_000 : -Math.log(1 - rnd() * 0.999) * 8 * 3_600_000;
    const r = Math.floor(rnd() * recipients);
    b.addRow(start + wave + delay, {
      kind,
      item: `ITEM${wave / 172_800_000}`,
      recipient: `R${r.toString(36).toUpperCase().padStart(8, '0')}`,
      link: kind === 'hit:redirection' ? `https://shop.example/p/${Math.floor(rnd() * 40)}` : undefined,
      label: `user${r}@mail.example`,
      ...(k >= 2
        ? {
            client: devices[r % devices.length],
            agent: `Mozilla/5.0 (device ${r % 500}) AppleWebKit/605.1.15 Mobile/15E148`,
          }
        : {}),
    });
    // The host's shape: every column in the batch (the store's index holds them all).
    if (b.pending >= batchSize) out.push([{ type: 'batch', batch: b.take() }]);
  }
  if (b.pending) out.push([{ type: 'batch', batch: b.take() }]);
  return out;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * Zooms and pans for `steps` frames, one input a frame (wheel zooms around the pointer, arrows
 * pan), and returns the intervals between consecutive requestAnimationFrame timestamps: each is
 * what one frame really cost, from the input's handler through the redraw to style, layout, paint
 * and compositing. The input is dispatched from a rAF callback, so the redraw it asks for (the
 * app's own rAF) runs in the next frame: every frame holds one input and the previous input's
 * redraw. (The bench starts Chromium without the 60 Hz frame cap, so an interval is the frame's
 * cost rather than a multiple of 16.7 ms.)
 */
function zoomAndPan(steps: number): Promise<number[]> {
  const lanes = document.querySelector('canvas.lanes') as HTMLCanvasElement;
  const box = lanes.getBoundingClientRect();
  const input = (s: number): void => {
    const phase = s % 40;
    if (phase < 15 || phase >= 25) {
      lanes.dispatchEvent(
        new WheelEvent('wheel', {
          deltaY: phase < 15 ? -120 : 120,
          clientX: box.left + box.width * (phase < 15 ? 0.3 : 0.6),
          clientY: box.top + 30,
          cancelable: true,
        }),
      );
    } else {
      lanes.dispatchEvent(
        new KeyboardEvent('keydown', { key: phase % 2 ? 'ArrowRight' : 'ArrowLeft', cancelable: true }),
      );
    }
  };
  return new Promise((resolve) => {
    const stamps: number[] = [];
    const tick = (t: number): void => {
      stamps.push(t);
      // `steps` inputs, one a frame; then one frame more, so the last interval ends.
      if (stamps.length <= steps) {
        input(stamps.length - 1);
        requestAnimationFrame(tick);
      } else {
        // The first interval ends in the frame of the first input's own handler only: skip it.
        resolve(stamps.slice(2).map((x, i) => x - (stamps[i + 1] as number)));
      }
    };
    requestAnimationFrame(tick);
  });
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] ?? NaN;
}

async function run(n: number, batchSize: number, steps: number): Promise<Record<string, number>> {
  const tGen = performance.now();
  const batches = makeBatches(n, batchSize);
  const genMs = performance.now() - tGen;
  deliver({ type: 'init', info: info(0, true), timeZone: 'UTC', total: 0 });
  // Stream: one batch per frame, as the host's messages would arrive.
  let lastBatch = 0;
  for (let k = 0; k < batches.length; k++) {
    // The clock starts when the last batch arrives, before the page decodes and merges it.
    if (k === batches.length - 1) lastBatch = performance.now();
    for (const m of batches[k] ?? []) deliver(m);
    if (k === batches.length - 1) deliver({ type: 'info', info: info(n, false) });
    await frame();
  }
  while (
    document.body.dataset.rendered !== String(n) ||
    Number(document.body.dataset.renderedAt) < lastBatch
  ) {
    await frame();
  }
  const firstCompleteRenderMs = Number(document.body.dataset.renderedAt) - lastBatch;
  const intervals = await zoomAndPan(steps);
  const sorted = [...intervals].sort((x, y) => x - y);
  return {
    events: n,
    batches: batches.length,
    generateMs: Math.round(genMs),
    firstCompleteRenderMs: Math.round(firstCompleteRenderMs * 10) / 10,
    frames: intervals.length,
    medianFrameMs: round2(sorted[Math.floor(sorted.length / 2)] ?? NaN),
    p95FrameMs: round2(p95(intervals)),
    maxFrameMs: round2(sorted.at(-1) ?? NaN),
    // Frames that took longer than one 60 Hz refresh (16.7 ms): each would show as a dropped frame.
    framesOver60Hz: intervals.filter((d) => d > 1000 / 60).length,
  };
}

(window as unknown as { __bench: typeof run }).__bench = run;
