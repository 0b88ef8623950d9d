// Shared helpers for the sandbox tests: they talk to the real server over loopback with fetch.

import type { Np6Event } from '../../../src/np6/events';
import type { EventQuery } from '../../../src/np6/query';
import type { RunningSandbox } from '../../../src/demo/sandbox/server';

export const ALL_TYPES = ['execution', 'activation', 'hit', 'bounce', 'cancellation', 'delivery'];

/** Every generated event type on the email channel (hits with all subtypes). */
export function everything(items?: string[]): { itemsEvents: unknown[] } {
  return {
    itemsEvents: [
      { type: 'email', events: ALL_TYPES.map((type) => ({ type })), ...(items ? { items } : {}) },
    ],
  };
}

export function queryFor(campaignId: string, over: Partial<EventQuery> = {}): EventQuery {
  return {
    campaignId,
    endpoint: 'campaign',
    sort: 'asc',
    itemsEvents: [{ channel: 'email', events: ALL_TYPES.map((type) => ({ type })) }],
    ...over,
  };
}

export interface PostOptions {
  key?: string | null;
  contentType?: string | null;
  rawBody?: string;
}

export function post(
  sb: RunningSandbox,
  path: string,
  body: unknown,
  o: PostOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = {};
  const key = o.key === undefined ? sb.apiKey : o.key;
  if (key !== null) headers['X-Key'] = key;
  const type = o.contentType === undefined ? 'application/json' : o.contentType;
  if (type !== null) headers['Content-Type'] = type;
  return fetch(sb.url + path, { method: 'POST', headers, body: o.rawBody ?? JSON.stringify(body) });
}

export async function events(
  sb: RunningSandbox,
  path: string,
  body: unknown = everything(),
): Promise<Np6Event[]> {
  const res = await post(sb, path, body);
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  return JSON.parse(await res.text()) as Np6Event[];
}

/** Reads a body until the server ends or breaks it; returns the text and the error, if any. */
export async function readUntilBroken(res: Response): Promise<{ text: string; error?: unknown }> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      chunks.push(Buffer.from(chunk));
    }
    return { text: Buffer.concat(chunks).toString('utf8') };
  } catch (error) {
    return { text: Buffer.concat(chunks).toString('utf8'), error };
  }
}

export const ids = (list: Np6Event[]): string[] => list.map((e) => e.id);
