// A fetch whose response bodies hand the event loop back every few milliseconds. The NP6 client
// reads a body with `await reader.read()` and hands each batch on through async generators: all
// promise (microtask) continuations, so while the stream's queue holds data (a fast server, a
// million events) the loop never reaches timers or I/O and the extension host stops answering
// (measured: 200-350 ms stalls). Re-streaming the body through a pull source that waits for
// setImmediate once its time slice is used caps each stall at about the slice.

/** Longest run of body reads without returning to the event loop. */
const SLICE_MS = 8;

function yieldingBody(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let sliceStart = performance.now();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (performance.now() - sliceStart > SLICE_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
        }
        // Errors (abort, cut connection) reach the client unchanged, so it classifies them as before.
        const r = await reader.read();
        if (r.done) controller.close();
        else controller.enqueue(r.value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    // Pull only when the client reads: the original stream keeps its own buffering.
    { highWaterMark: 0 },
  );
}

/** `fetch` with bodies that yield to the event loop (see above); everything else unchanged. */
export const yieldingFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (!res.body) return res;
  return new Response(yieldingBody(res.body), {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
};
