// Device, operating system and browser of a client, from the index's client text
// ("device / os · browser", see clientText in eventIndex.ts) until the index keeps them apart.

export interface ClientParts {
  device?: string;
  os?: string;
  browser?: string;
}

const UNKNOWN = new Set(['', 'unknown', 'Unknown']);

function known(s: string | undefined): string | undefined {
  return s === undefined || UNKNOWN.has(s.trim()) ? undefined : s.trim();
}

/**
 * Splits a client text. A text with a single part is ambiguous (a device, an OS or a browser
 * alone all print as one word), so it yields no part rather than a wrong one.
 */
export function splitClientText(text: string): ClientParts {
  const dot = text.lastIndexOf(' · ');
  const dev = dot >= 0 ? text.slice(0, dot) : text;
  const browser = dot >= 0 ? known(text.slice(dot + 3)) : undefined;
  const slash = dev.indexOf(' / ');
  if (slash >= 0) return { device: known(dev.slice(0, slash)), os: known(dev.slice(slash + 3)), browser };
  return { browser };
}
