// Campaign and item ids as the user, a workspace's settings or the CLI give them, checked before
// they go into a request path or body.
//
// A campaign id is put in the URL path: `..` would turn `POST /campaigns/../events` into
// `POST /events` on the same host, and `/`, `\`, `?`, `#` or `%` would change the path or the query.
// Invisible characters (controls, bidirectional overrides, line separators) make an id show as
// something other than what is sent. None of these can be part of an NP6 id, so they are refused
// with a message instead of being encoded and sent.

export type IdKind = 'campaign' | 'item';

export const MAX_ID_LENGTH = 256;

/** Characters that change a URL path or query, or that the server may decode into one that does. */
const PATH_SYNTAX = /[/\\?#%]/;

/**
 * Invisible or layout-changing characters: C0 and C1 controls, DEL, line/paragraph separators,
 * bidirectional controls (embeddings, overrides, isolates, marks), zero-width characters and the
 * BOM; and any whitespace.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const INVISIBLE = /[\s\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

/** Half of a surrogate pair without its other half (what String.isWellFormed refuses). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function describeCharacter(ch: string): string {
  const cp = ch.codePointAt(0) as number;
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (/\s/.test(ch)) return `spaces or line breaks (${code})`;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return `a control character (${code})`;
  if (
    cp === 0x061c ||
    (cp >= 0x200e && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069)
  ) {
    return `a bidirectional text control (${code})`;
  }
  return `an invisible character (${code})`;
}

/**
 * Returns what is wrong with a campaign or item id and what to do, or undefined when it can be
 * sent. Refused: empty, `.` and `..`, `/ \ ? # %`, whitespace, control and invisible characters
 * (C0, DEL, C1, U+2028/2029, bidi controls, zero-width), broken UTF-16, over 256 characters.
 * The message never quotes an id that holds invisible characters (it would show something else).
 */
export function checkId(id: string, what: IdKind): string | undefined {
  const name = what === 'campaign' ? 'The campaign id' : 'An item id';
  const fix =
    what === 'campaign'
      ? 'give the campaign id exactly as NP6 shows it (a uuid).'
      : 'give the item id exactly as NP6 shows it (like 000PE4 or 42).';
  if (typeof id !== 'string' || id === '') return `${name} is empty: ${fix}`;
  if (id.length > MAX_ID_LENGTH) {
    return `${name} is ${id.length} characters long, more than the ${MAX_ID_LENGTH} an id can have: ${fix}`;
  }
  if (LONE_SURROGATE.test(id)) return `${name} holds a broken character (a lone UTF-16 surrogate): ${fix}`;
  const invisible = INVISIBLE.exec(id);
  if (invisible) return `${name} contains ${describeCharacter(invisible[0])}: remove it, ${fix}`;
  if (id === '.' || id === '..') {
    return `${name} "${id}" is not an id (it would change the request path): ${fix}`;
  }
  const syntax = PATH_SYNTAX.exec(id);
  if (syntax) return `${name} contains "${syntax[0]}", which is not part of an NP6 id: ${fix}`;
  return undefined;
}

/**
 * checkId for an item id, which may also be given as a number (NP6 documents item ids as
 * integers): a whole, non-negative safe integer is always fine.
 */
export function checkItemId(item: string | number): string | undefined {
  if (typeof item === 'number') {
    return Number.isSafeInteger(item) && item >= 0
      ? undefined
      : `An item id given as a number must be a whole number of 0 or more: give the item id exactly as NP6 shows it.`;
  }
  return checkId(item, 'item');
}
