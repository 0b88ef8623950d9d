// Statistics with personal data masked: the only outside text in them is link URLs, client
// names and item ids, where an address or an IP can hide (a link with ?email=...).

import type { Masker } from '../mask';
import type { ResultStats, ScopeStats } from './statsTypes';

function maskScope(s: ScopeStats, m: Masker): ScopeStats {
  const named = <T extends { name: string }>(list: T[]): T[] =>
    list.map((x) => ({ ...x, name: m.maskText(x.name) }));
  return {
    ...s,
    topLinks: s.topLinks.map((l) => ({ ...l, link: m.maskText(l.link) })),
    clients: named(s.clients),
    devices: named(s.devices),
    os: named(s.os),
    browsers: named(s.browsers),
  };
}

export function maskStats(stats: ResultStats, m: Masker): ResultStats {
  return {
    ...stats,
    whole: maskScope(stats.whole, m),
    items: stats.items.map((i) => ({ item: m.maskText(i.item), stats: maskScope(i.stats, m) })),
  };
}
