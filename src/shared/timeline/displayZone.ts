// The one rule for the display time zone, shared by the host (which resolves np6.timeZone) and the
// webview (which formats in the zone it is sent, never in the browser's own zone: under a remote
// extension host the two differ). Pure: the host passes in its own zone.

/** True when the platform knows this IANA zone name ("UTC", "Europe/Paris"). */
export function isKnownZone(name: string): boolean {
  if (name === '' || name === 'local') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The zone NAME times are shown in: the setting when it names a zone, else ("local", empty,
 * unknown) the extension host's zone, else UTC. `hostZone` is
 * `Intl.DateTimeFormat().resolvedOptions().timeZone` read on the extension host.
 */
export function resolveDisplayZone(setting: string | undefined, hostZone: string | undefined): string {
  const s = setting?.trim() ?? '';
  if (isKnownZone(s)) return s;
  return hostZone && isKnownZone(hostZone) ? hostZone : 'UTC';
}
