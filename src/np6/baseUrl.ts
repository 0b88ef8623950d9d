// The one policy for the NP6 base URL, shared by the extension's settings, the CLI and the client:
// the API key is sent to this address and nowhere else, so it must be exactly an API address.
//
// - https, or http only on loopback (a local sandbox or proxy): the key never travels in clear;
// - no user name or password (they would be sent too, and shown in messages);
// - no query string or fragment (requests append their own path and query);
// - no whitespace or control characters (the URL parser silently drops tabs and newlines, so
//   what the user sees would not be what is used).

export const DEFAULT_BASE_URL = 'https://api-cm.np6.com';

const FIX = `set the base URL to the NP6 API address, e.g. ${DEFAULT_BASE_URL}`;

/** Loopback hosts as the WHATWG URL parser normalises them (`127.1` becomes `127.0.0.1`). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (h === 'localhost' || h === '[::1]') return true;
  // 127.0.0.0/8, and the same written as an IPv4-mapped IPv6 address.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(h);
}

/**
 * Checks a base URL and returns it normalised (trimmed, trailing slashes removed), or an error
 * that says what to fix. The error never repeats the whole URL, which may hold a password.
 */
export function checkBaseUrl(raw: string): { url: string } | { error: string } {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') return { error: `The base URL is empty: ${FIX}.` };
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(text)) {
    return { error: `The base URL contains spaces or control characters: remove them, or ${FIX}.` };
  }
  if (!URL.canParse(text)) return { error: `The base URL is not a valid URL: ${FIX}.` };
  const u = new URL(text);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    return { error: `The base URL uses "${u.protocol}": only https is allowed; ${FIX}.` };
  }
  if (u.username !== '' || u.password !== '') {
    return {
      error: `The base URL contains a user name or password: remove them (the API key is the only credential NP6 needs); ${FIX}.`,
    };
  }
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) {
    return {
      error: `The base URL uses plain http on ${u.host}: only https is allowed (http only on this machine: localhost, 127.0.0.0/8, [::1]), so the API key is never sent in clear; ${FIX}.`,
    };
  }
  // Checked on the text too: `https://host/?` and `https://host/#` parse with an empty query/hash.
  if (u.search !== '' || text.includes('?')) {
    return { error: `The base URL contains a query string ("?..."): remove it; ${FIX}.` };
  }
  if (u.hash !== '' || text.includes('#')) {
    return { error: `The base URL contains a fragment ("#..."): remove it; ${FIX}.` };
  }
  if (u.hostname === '') return { error: `The base URL has no host name: ${FIX}.` };
  return { url: `${u.origin}${u.pathname.replace(/\/+$/, '')}` };
}
