// Redirects are never followed: the API key goes to the base URL and nowhere else.
//
// fetch follows redirects by default and re-sends the X-Key header to the new address, another
// port, another host or plain http. Requests are made with `redirect: 'manual'`, so a 3xx comes
// back as an answer (Node's fetch gives the real status and Location; a browser-like fetch gives
// an "opaqueredirect" response with status 0), and it becomes an error that names where the
// server wanted to send the key: the origin only, never the path or query (which may hold
// anything the server chose).

import { Np6HttpError } from './errors';

/** A 3xx answer that was not followed. */
export class Np6RedirectError extends Np6HttpError {
  /** `scheme://host:port` of the Location, when it had a usable one. */
  readonly redirectOrigin?: string;

  constructor(
    message: string,
    init: { status: number; hint: string; redirectOrigin?: string; requestId?: string },
  ) {
    super(message, { ...init, bodyExcerpt: '' });
    this.name = 'Np6RedirectError';
    if (init.redirectOrigin !== undefined) this.redirectOrigin = init.redirectOrigin;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      ...(this.redirectOrigin !== undefined ? { redirectOrigin: this.redirectOrigin } : {}),
    };
  }
}

export function isRedirect(res: Response): boolean {
  return res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400);
}

/**
 * The origin (`scheme://host[:port]`) a Location header points to, resolved against the request
 * URL; undefined when there is none or it is not an http(s) address. The URL parser normalises
 * the host (lower case, punycode) and drops any user name or password.
 */
export function redirectOrigin(location: string | null, requestUrl: string): string | undefined {
  if (!location) return undefined;
  let u: URL;
  try {
    u = new URL(location, requestUrl);
  } catch {
    return undefined;
  }
  return u.protocol === 'http:' || u.protocol === 'https:' ? `${u.protocol}//${u.host}` : undefined;
}

/** The error for a 3xx answer. `scrub` removes the key from what came from the server. */
export function redirectError(
  res: Response,
  requestUrl: string,
  scrub: (t: string) => string,
  requestId?: string,
): Np6RedirectError {
  const origin = redirectOrigin(res.headers.get('location'), requestUrl);
  const shownOrigin = origin !== undefined ? scrub(origin) : undefined;
  const status = res.status;
  const code = status > 0 ? ` (HTTP ${status}${requestId ? `, request id ${requestId}` : ''})` : '';
  const hint = 'Check the base URL (it must be the NP6 API address).';
  const where = shownOrigin !== undefined ? `to ${shownOrigin}` : 'to an address it did not give clearly';
  return new Np6RedirectError(
    `NP6 answered with a redirect${code} ${where}; the key was not sent there. ${hint}`,
    {
      status,
      hint,
      ...(shownOrigin !== undefined ? { redirectOrigin: shownOrigin } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
    },
  );
}

/**
 * The error for an answer that a fetch implementation got by following a redirect despite
 * `redirect: 'manual'` (an injected fetch): the key may have gone to `res.url`, so say where.
 */
export function followedRedirectError(
  res: Response,
  scrub: (t: string) => string,
  requestId?: string,
): Np6RedirectError {
  const origin = redirectOrigin(res.url, res.url);
  const shownOrigin = origin !== undefined ? scrub(origin) : undefined;
  const hint =
    'Check the base URL (it must be the NP6 API address), and that nothing between you and NP6 redirects.';
  return new Np6RedirectError(
    `The request was redirected${shownOrigin !== undefined ? ` to ${shownOrigin}` : ''} by the HTTP layer, which should not follow redirects; the answer was refused. ${hint}`,
    {
      status: res.status,
      hint,
      ...(shownOrigin !== undefined ? { redirectOrigin: shownOrigin } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
    },
  );
}
