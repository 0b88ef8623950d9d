// A loopback HTTP server that records every request it gets: the target of the hostile redirects.
// Tests assert it never received an `x-key` header (the key must go to the base URL and nowhere else).

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CaughtRequest {
  method: string;
  /** Path and query string. */
  path: string;
  /** Header names in lower case, as Node reports them. */
  headers: IncomingHttpHeaders;
}

export interface Catcher {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Every request so far, in arrival order (the array grows as requests arrive). */
  requests: CaughtRequest[];
  close(): Promise<void>;
}

/** Starts a catcher on 127.0.0.1 (a free port). It answers every request `200 []`. */
export async function startCatcher(): Promise<Catcher> {
  const requests: CaughtRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: { ...req.headers } });
    req.resume();
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end('[]');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
