// A random corpus of NP6-shaped events for the statistics tests, with the facts a naive count
// needs kept beside each event (so the test does not read them back through the code under test).

import type { Np6Event } from '../../../src/np6/events';

export interface Fact {
  type: string;
  sub?: string;
  item?: string;
  rec?: string;
  link?: string;
  client?: string;
  t: number;
}

/** Small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = [
  'execution',
  'activation',
  'activation',
  'bounce',
  'complaint',
  'cancellation',
  'optout',
  'delivery',
  'mystery',
  'hit',
  'hit',
  'hit',
  'hit',
  'hit',
];
const SUBS = ['open', 'open', 'mirror', 'redirection', 'redirection', 'form', 'unsubscribe', 'weird'];
const CLIENTS = [
  { device: 'Apple iPhone', os: 'iOS 17', browser: 'Mail' },
  { device: 'PC', os: 'Windows 11', browser: 'Outlook' },
  { os: 'Android 14', browser: 'Gmail' },
  {},
];

export function makeCorpus(n: number, seed: number): { events: Np6Event[]; facts: Fact[] } {
  const r = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const events: Np6Event[] = [];
  const facts: Fact[] = [];
  for (let i = 0; i < n; i++) {
    const type = pick(TYPES);
    const sub = type === 'hit' && r() < 0.95 ? pick(SUBS) : undefined;
    const item = r() < 0.97 ? pick(['A1', 'B2', 'C3']) : undefined;
    const rec = r() < 0.97 ? `r${Math.floor(r() * 40)}` : undefined;
    const t = Math.floor(r() * 10 * 86_400_000);
    const link = sub ? `https://shop.example/${sub}/${Math.floor(r() * 4)}` : undefined;
    const c = type === 'hit' ? pick(CLIENTS) : undefined;
    const detail: Record<string, unknown> = {};
    if (item !== undefined || rec !== undefined) {
      detail.activation = {
        ...(item !== undefined ? { id: item } : {}),
        ...(rec !== undefined
          ? { receiver: { type: 'footprint', id: rec, unicity: `${rec}@mail.example` } }
          : {}),
      };
    }
    if (sub) detail.link = { type: sub, destination: link };
    if (type === 'bounce') detail.bounce = { analysis: { verdict: r() < 0.5 ? 'hard' : 'soft' } };
    if (c) {
      detail.client = {
        ip: '192.0.2.7',
        ua: {
          ua: `UA ${c.browser ?? '-'}`,
          ...(c.os ? { os: { name: c.os } } : {}),
          ...(c.device ? { device: { name: c.device } } : {}),
          ...(c.browser ? { client: { name: c.browser } } : {}),
        },
      };
    }
    events.push({ type, id: `e${i}`, timestamp: t, source: { type: 'email', detail } } as Np6Event);
    const clientText = c && (c.device || c.os || c.browser) ? JSON.stringify(c) : undefined;
    facts.push({ type, sub, item, rec, link, client: clientText, t });
  }
  return { events, facts };
}
