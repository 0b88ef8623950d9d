// What the masking tests look for: every personal value in events, found by walking them (not by
// the masker's own rules): addresses and footprint ids and hashes, recipient ids, IP addresses,
// and any e-mail address inside free text. Shared by the unit suites and the integration suite.

export function personalValues(events: unknown[]): Set<string> {
  const found = new Set<string>();
  const walk = (v: unknown, key: string, parent: string): void => {
    if (typeof v === 'string') {
      if (['unicity', 'hash', 'recipient'].includes(key)) found.add(v);
      if (['recipient', 'receiver'].includes(parent) && ['id', 'value'].includes(key)) found.add(v);
      if (parent === 'ip' && key === 'value') found.add(v);
      if (key === 'ip') found.add(v);
      for (const m of v.matchAll(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g)) found.add(m[0]);
      return;
    }
    if (Array.isArray(v)) v.forEach((x) => walk(x, key, parent));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k, key);
  };
  walk(events, '', '');
  return found;
}

/** The same over NDJSON lines. */
export function personalValuesOfLines(lines: string[]): Set<string> {
  return personalValues(lines.map((l) => JSON.parse(l) as unknown));
}
