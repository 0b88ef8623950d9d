// The statistics as the "Humans only" switch shows them: every figure replaced by its humans
// figure, so the same tables and copies serve both views.

import type { Figure, ScopeStats } from './statsTypes';

function humans<T extends Figure>(f: T): T {
  return { ...f, all: f.humans };
}

export function humansOnlyView(s: ScopeStats): ScopeStats {
  return {
    ...s,
    byKind: s.byKind.map(humans).filter((k) => k.all > 0),
    funnel: s.funnel.map((f) => ({
      ...f,
      recipients: humans(f.recipients),
      ...(f.rate ? { rate: { ...f.rate, all: f.rate.humans } } : {}),
    })),
    topLinks: s.topLinks.map((l) => ({ ...l, clickers: humans(l.clickers), clicks: humans(l.clicks) })),
    clients: s.clients.map(humans),
    devices: s.devices.map(humans),
    os: s.os.map(humans),
    browsers: s.browsers.map(humans),
    timeToOpen: s.timeToOpen.map(humans),
    timeToClick: s.timeToClick.map(humans),
  };
}

/** "opened 12,400 · humans 7,950" lines for the hit stages (for a headline and a status text). */
export function headline(s: ScopeStats, classified: boolean): string[] {
  const fmt = (n: number): string => n.toLocaleString('en-US');
  return s.funnel
    .filter((f) => f.stage !== 'cancelled' && f.stage !== 'requested')
    .map((f) =>
      classified && f.recipients.humans !== f.recipients.all
        ? `${f.stage} ${fmt(f.recipients.all)} · humans ${fmt(f.recipients.humans)}`
        : `${f.stage} ${fmt(f.recipients.all)}`,
    );
}
