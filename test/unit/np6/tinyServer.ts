// A minimal node:http server on loopback for the byte-exact edge cases the sandbox cannot produce
// (a body split inside a UTF-8 character, a server that echoes the key, a stream held open).
// Everything else is tested against the real sandbox.

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TinyServer {
  url: string;
  requests: SeenRequest[];
  /** Resolves when the client closed the connection of the request number `n` (0-based). */
  closed(n: number): Promise<void>;
  close(): Promise<void>;
}

export type Handler = (req: SeenRequest, res: http.ServerResponse, n: number) => void | Promise<void>;

export async function startTinyServer(handler: Handler): Promise<TinyServer> {
  const requests: SeenRequest[] = [];
  const closedWaiters = new Map<number, Promise<void>>();
  const server = http.createServer((req, res) => {
    const n = requests.length;
    const closed = new Promise<void>((resolve) => res.on('close', () => resolve()));
    closedWaiters.set(n, closed);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      Promise.resolve(handler(seen, res, n)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    closed: async (n) => {
      for (let i = 0; i < 200 && !closedWaiters.has(n); i++) await new Promise((r) => setTimeout(r, 10));
      await closedWaiters.get(n);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes `parts` as separate chunks, flushing (and pausing a little) between them. */
export async function writeChunks(res: http.ServerResponse, parts: Uint8Array[], pauseMs = 5): Promise<void> {
  for (const p of parts) {
    res.write(p);
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}
