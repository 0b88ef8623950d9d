// Helpers for the hostile-mode tests: raw node:http requests (so a test sees 3xx answers, headers and
// bodies exactly as sent, and can stop reading or disconnect at will), and the decoders that turn
// each echoed form back into the key.

import { request, type IncomingMessage } from 'node:http';

export const EVENTS_BODY = JSON.stringify({
  itemsEvents: [{ type: 'email', events: [{ type: 'execution' }] }],
});

export interface RawAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** POSTs an event request and opens the answer without reading its body. */
export function openPost(base: string, path: string, key: string | null): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (key !== null) headers['X-Key'] = key;
    const req = request(base + path, { method: 'POST', headers, agent: false }, resolve);
    req.on('error', reject);
    req.end(EVENTS_BODY);
  });
}

/** POSTs an event request and reads the whole answer. */
export async function rawPost(base: string, path: string, key: string | null): Promise<RawAnswer> {
  const res = await openPost(base, path, key);
  const chunks: Buffer[] = [];
  for await (const c of res as AsyncIterable<Buffer>) chunks.push(c);
  return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') };
}

/** Polls until `check` returns a value (or fails after `ms`). */
export async function eventually<T>(check: () => T | undefined, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Every way back from an echoed form to the text it encodes. */
export const decode = {
  url: (s: string) => decodeURIComponent(s),
  jsonEscaped: (s: string) => JSON.parse(`"${s}"`) as string,
  html: (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))),
  base64: (s: string) => Buffer.from(s, 'base64').toString('utf8'),
};

/** The five forms from a `raw=… url=… json=… html=… base64=…` line, decoded. */
export function decodeEchoLine(line: string): string[] {
  const m = /raw=(.*?) url=(\S+) json=(\S+) html=(\S+) base64=(\S+)/.exec(line);
  if (!m) throw new Error(`no echo line in: ${line}`);
  return [m[1]!, decode.url(m[2]!), decode.jsonEscaped(m[3]!), decode.html(m[4]!), decode.base64(m[5]!)];
}

/** The visible text of an HTML page: tags removed, entities decoded (in that order). */
export function htmlText(page: string): string {
  return decode.html(page.replace(/<[^>]*>/g, ''));
}
