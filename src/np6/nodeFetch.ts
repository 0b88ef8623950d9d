// The client's default transport: one request through node:http / node:https, answered with a
// standard `Response` so the client reads it exactly as it reads fetch()'s.
//
// Why not the global fetch: on a large answer Node's fetch (undici) spends its time moving each
// chunk through its own stream layers. Measured on a 149 MB answer on loopback in a fresh process:
// 430-500 ms of CPU to read the body through fetch, 170-190 ms through node:http and the small
// stream below, about a sixth of the whole ingest. What the client relies on from fetch is kept:
// redirects are not followed (node:http never follows them), the AbortSignal ends the request and
// the body, and compressed answers (fetch asks for gzip and deflate) are decompressed.
// Tests and callers can still pass their own `fetch` (Np6ClientOptions.fetch).

// 'http' and 'https' without the node: prefix: VS Code's proxy support hands the extension host its
// patched modules by these names.
import http from 'http';
import https from 'https';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';

/** What the client passes: the subset of fetch's init it uses. */
export interface NodeFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal | null;
}

/** Chunks buffered ahead of the reader (each up to 64 KiB): the socket pauses beyond this. */
const READ_AHEAD_CHUNKS = 4;
/** Statuses whose answer has no body (a Response refuses one). */
const NULL_BODY = new Set([204, 205, 304]);

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** The decompressor for a Content-Encoding, as fetch does; undefined for identity or unknown codings. */
function decoder(
  encoding: string | string[] | undefined,
): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  const coding = (Array.isArray(encoding) ? encoding.join(',') : (encoding ?? '')).trim().toLowerCase();
  // Lenient about a stream cut at the end, like fetch: the parser reports a cut array itself.
  const flush = {
    flush: zlib.constants.Z_SYNC_FLUSH,
    finishFlush: zlib.constants.Z_SYNC_FLUSH,
    chunkSize: 64 * 1024,
  };
  if (coding === 'gzip' || coding === 'x-gzip') return zlib.createGunzip(flush);
  if (coding === 'deflate') return zlib.createInflate(flush);
  if (coding === 'br') {
    return zlib.createBrotliDecompress({
      flush: zlib.constants.BROTLI_OPERATION_FLUSH,
      finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
      chunkSize: 64 * 1024,
    });
  }
  return undefined;
}

/** A Node stream as the body of a Response: paused while READ_AHEAD_CHUNKS wait, ended or failed with it. */
function webBody(source: Readable): ReadableStream<Uint8Array> {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let finished = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
      },
      pull() {
        source.resume();
      },
      cancel(reason) {
        finished = true;
        source.destroy(reason instanceof Error ? reason : undefined);
      },
    },
    { highWaterMark: READ_AHEAD_CHUNKS },
  );
  source.on('data', (d: Buffer) => {
    if (finished) return;
    controller.enqueue(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
    if ((controller.desiredSize ?? 0) <= 0) source.pause();
  });
  source.on('end', () => {
    if (finished) return;
    finished = true;
    controller.close();
  });
  source.on('error', (e) => {
    if (finished) return;
    finished = true;
    controller.error(e);
  });
  source.pause();
  return stream;
}

/** Builds the Response; a status or header fetch would refuse fails the request the same way. */
function toResponse(msg: http.IncomingMessage, body: ReadableStream<Uint8Array> | null): Response {
  const status = msg.statusCode ?? 0;
  if (status < 200 || status > 599) throw new TypeError(`invalid HTTP status ${status}`);
  const headers = new Headers();
  for (let i = 0; i + 1 < msg.rawHeaders.length; i += 2) {
    try {
      headers.append(msg.rawHeaders[i] as string, msg.rawHeaders[i + 1] as string);
    } catch {
      // A header value fetch would not accept: left out, as it carries nothing the client reads.
    }
  }
  try {
    return new Response(body, { status, statusText: msg.statusMessage ?? '', headers });
  } catch {
    // A reason phrase a Response refuses (it is only ever shown, scrubbed): dropped.
    return new Response(body, { status, headers });
  }
}

/** fetch(url, init) over node:http(s), for the client's POSTs. Redirects are answers, never followed. */
export function nodeFetch(url: string, init: NodeFetchInit = {}): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    let target: URL;
    try {
      target = new URL(url);
    } catch (e) {
      reject(asError(e));
      return;
    }
    // What fetch adds to every request, so NP6 and proxies see the same request as before.
    const headers: Record<string, string> = {
      'User-Agent': 'node',
      'Accept-Encoding': 'gzip, deflate',
      ...init.headers,
    };
    if (init.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(init.body));
    const request = target.protocol === 'https:' ? https.request : http.request;
    const req = request(target, { method: init.method ?? 'GET', headers });
    let source: Readable | undefined;
    const onAbort = (): void => {
      const err = abortError(signal as AbortSignal);
      // Before the answer this rejects the promise; after it, the body fails with the same error.
      req.destroy(err);
      source?.destroy(err);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (): void => signal?.removeEventListener('abort', onAbort);
    req.on('error', (e) => {
      done();
      reject(e);
    });
    req.on('response', (msg) => {
      const status = msg.statusCode ?? 0;
      let body: ReadableStream<Uint8Array> | null = null;
      if (NULL_BODY.has(status)) {
        msg.on('error', () => undefined);
        msg.resume();
        msg.on('end', done);
      } else {
        const dec = decoder(msg.headers['content-encoding']);
        source = dec ? pipeline(msg, dec, () => undefined) : msg;
        source.on('close', done);
        body = webBody(source);
      }
      try {
        resolve(toResponse(msg, body));
      } catch (e) {
        done();
        msg.destroy();
        reject(asError(e));
      }
    });
    req.end(init.body);
  });
}
