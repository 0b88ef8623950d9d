// Query links: `vscode://<publisher>.<name>/query?campaign=…&item=…&type=…&last=7d&sort=asc`.
// The same fields as a query file (queryFile.ts), never a key or a base URL. A link arrives from
// anywhere (a chat, a ticket, a web page), so reading one is as strict as reading a file: every
// parameter is named, counted and checked, and the result goes through parseQueryFile.
import { parseQueryFile, forbiddenFieldMessage, type Parsed, type QueryFile } from './queryFile';

export const QUERY_LINK_PATH = '/query';
/** Longer than any link this extension writes (500 items of 256 characters would not fit a link anyway). */
export const MAX_LINK_QUERY_LENGTH = 16_000;

const SINGLE = ['campaign', 'title', 'last', 'preset', 'start', 'end', 'sort'] as const;
const REPEATED = ['item', 'type', 'subtype'] as const;
const FORBIDDEN = /key|token|secret|password|auth|bearer|url|uri|host|endpoint|server/i;

/** The link's query string (without `?`) for a query file: repeated parameters, in a fixed order. */
export function queryLinkParams(f: QueryFile): string {
  const p = new URLSearchParams();
  p.append('campaign', f.campaignId);
  for (const i of f.items) p.append('item', i);
  for (const t of f.types) p.append('type', t);
  for (const s of f.subtypes) p.append('subtype', s);
  const r = f.range;
  if ('last' in r) p.append('last', r.last);
  else if ('preset' in r) p.append('preset', r.preset);
  else {
    p.append('start', String(r.start));
    p.append('end', String(r.end));
  }
  p.append('sort', f.sort);
  if (f.title !== undefined) p.append('title', f.title);
  return p.toString();
}

/** The full link, given the scheme (vscode.env.uriScheme) and the extension id (publisher.name). */
export function queryLink(scheme: string, extensionId: string, f: QueryFile): string {
  return `${scheme}://${extensionId}${QUERY_LINK_PATH}?${queryLinkParams(f)}`;
}

/**
 * Reads a link's path and query string (as vscode.Uri gives them, the query already without `?`).
 * Refuses: another path, unknown or doubled parameters, a key or an address, and whatever a query
 * file refuses.
 */
export function parseQueryLink(path: string, query: string): Parsed<QueryFile> {
  if (path !== QUERY_LINK_PATH) {
    return { error: `This NP6 link is not a query link (it should open ${QUERY_LINK_PATH}).` };
  }
  if (query.length > MAX_LINK_QUERY_LENGTH) {
    return { error: `This NP6 link is ${query.length} characters long, more than a query link can be.` };
  }
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(query);
  } catch {
    return { error: 'This NP6 link could not be read.' };
  }
  const single = new Map<string, string>();
  const repeated = new Map<string, string[]>(REPEATED.map((k) => [k, []]));
  for (const [name, value] of params) {
    if (FORBIDDEN.test(name)) return { error: forbiddenFieldMessage(name) };
    const list = repeated.get(name);
    if (list) list.push(value);
    else if ((SINGLE as readonly string[]).includes(name)) {
      if (single.has(name)) return { error: `The link gives "${name}" twice.` };
      single.set(name, value);
    } else {
      const shown = name.replace(/[^\x21-\x7e]/g, '?').slice(0, 40);
      return { error: `The link has an unknown parameter "${shown}".` };
    }
  }
  const campaignId = single.get('campaign');
  if (campaignId === undefined) return { error: 'The link names no campaign ("campaign" is missing).' };
  const last = single.get('last');
  const preset = single.get('preset');
  const start = single.get('start');
  const end = single.get('end');
  const ranges = [last !== undefined, preset !== undefined, start !== undefined || end !== undefined];
  if (ranges.filter(Boolean).length !== 1) {
    return { error: 'The link must give one range: "last", "preset", or "start" and "end".' };
  }
  const range =
    last !== undefined
      ? { last }
      : preset !== undefined
        ? { preset }
        : { ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}) };
  const types = repeated.get('type') ?? [];
  const title = single.get('title');
  return parseQueryFile({
    ...(title !== undefined ? { title } : {}),
    campaignId,
    items: repeated.get('item'),
    ...(types.length > 0 ? { types } : {}),
    subtypes: repeated.get('subtype'),
    range,
    ...(single.has('sort') ? { sort: single.get('sort') } : {}),
  });
}
