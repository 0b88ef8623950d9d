// The one scrub for secrets (the NP6 API key), applied to any text before it is shown, logged,
// stored or exported.
//
// A server, a proxy or a gateway may echo the key back, and not always as it was sent: in a query
// string or a form (percent-encoded, `+` for spaces), inside JSON (`\uXXXX`, `\/`), in an HTML page
// (named or numeric entities), or base64-encoded (a debug dump of the request headers). An exact
// substring search misses all of those, so the secret is matched character by character, each
// character in any of its encodings (mixed forms included), plus its base64 forms at the three
// possible alignments inside a longer base64 text.
//
// Order matters for callers: decode first (HTML entities, ...), then scrub, then truncate. Cutting a
// text before scrubbing it can leave a prefix of the key that no longer matches anything.

/** What every form of the secret is replaced with. */
export const SCRUBBED = '***';

/** Below this length only the raw form is replaced: encoded forms of 1-3 characters are too common. */
const MIN_ENCODED_LENGTH = 4;

/** Named HTML entities of ASCII characters (HTML5 list), so `&lpar;` counts as `(`. */
const NAMED_ENTITIES: Readonly<Record<string, readonly string[]>> = {
  '\t': ['Tab'],
  '\n': ['NewLine'],
  ' ': ['nbsp', 'NonBreakingSpace'],
  '!': ['excl'],
  '"': ['quot', 'QUOT'],
  '#': ['num'],
  $: ['dollar'],
  '%': ['percnt'],
  '&': ['amp', 'AMP'],
  "'": ['apos'],
  '(': ['lpar'],
  ')': ['rpar'],
  '*': ['ast', 'midast'],
  '+': ['plus'],
  ',': ['comma'],
  '.': ['period'],
  '/': ['sol'],
  ':': ['colon'],
  ';': ['semi'],
  '<': ['lt', 'LT'],
  '=': ['equals'],
  '>': ['gt', 'GT'],
  '?': ['quest'],
  '@': ['commat'],
  '[': ['lsqb', 'lbrack'],
  '\\': ['bsol'],
  ']': ['rsqb', 'rbrack'],
  '^': ['Hat'],
  _: ['lowbar', 'UnderBar'],
  '`': ['grave', 'DiacriticalGrave'],
  '{': ['lcub', 'lbrace'],
  '|': ['verbar', 'vert', 'VerticalLine'],
  '}': ['rcub', 'rbrace'],
};

/** Named entity → character, for decoding (the inverse of NAMED_ENTITIES). */
const ENTITY_CHAR = new Map<string, string>(
  Object.entries(NAMED_ENTITIES).flatMap(([ch, names]) => names.map((n) => [n, ch] as const)),
);

/** The legacy entities HTML still decodes without a semicolon. */
const SEMICOLON_OPTIONAL = new Set(['amp', 'AMP', 'lt', 'LT', 'gt', 'GT', 'quot', 'QUOT', 'nbsp']);

/**
 * Decodes HTML character references: numeric (`&#83;`, `&#x53;`, leading zeros, the `;` optional
 * as browsers accept it) and the named ones of ASCII characters. Unknown names stay as they are.
 */
export function decodeHtmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    /&(?:#(\d{1,8});?|#[xX]([0-9a-fA-F]{1,7});?|([A-Za-z]{2,32})(;?))/g,
    (all, dec, hex, name, semi) => {
      if (dec !== undefined || hex !== undefined) {
        const cp = dec !== undefined ? Number(dec) : Number.parseInt(hex as string, 16);
        // Invalid code points decode to U+FFFD in browsers; they cannot be part of a key.
        return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)
          ? String.fromCodePoint(cp)
          : '\ufffd';
      }
      const ch = ENTITY_CHAR.get(name as string);
      if (ch === undefined || (semi === '' && !SEMICOLON_OPTIONAL.has(name as string))) return all;
      return ch;
    },
  );
}

// Platform-neutral (no node:buffer): the webview bundle reaches this module through np6/query.
const utf8 = new TextEncoder();

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** A hex number matched whatever the case of its letters, with optional leading zeros. */
function hexPattern(n: number, minDigits: number): string {
  const hex = n.toString(16).padStart(minDigits, '0');
  return [...hex].map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d)).join('');
}

/** The escape character of each layer, repeated for text encoded more than once (JSON in JSON, ...). */
// Bounded repetitions: an unbounded `\\+` would backtrack quadratically over a long run of
// backslashes in a hostile body.
const PERCENT = '%(?:25){0,4}';
const BACKSLASHES = '\\\\{1,16}';
const AMPERSAND = '&(?:amp;){0,4}';

/**
 * Every way one character (a code point) may be written in the text we scrub. Each escape also
 * matches when the text was escaped again (`%252F`, `\\/`, `&amp;#47;`): an error body often
 * quotes a request that was itself encoded.
 */
function characterForms(ch: string): string {
  const cp = ch.codePointAt(0) as number;
  const forms: string[] = [escapeRegExp(ch)];
  // Percent-encoding of each UTF-8 byte (the hex in either case), and `+` for a space in forms.
  forms.push([...utf8.encode(ch)].map((b) => `${PERCENT}${hexPattern(b, 2)}`).join(''));
  if (ch === ' ') forms.push('\\+');
  // JSON string escapes: \uXXXX (surrogate pairs above the BMP) and the short escapes.
  const units = cp > 0xffff ? [ch.charCodeAt(0), ch.charCodeAt(1)] : [cp];
  forms.push(units.map((u) => `${BACKSLASHES}u${hexPattern(u, 4)}`).join(''));
  const short: Record<string, string> = {
    '"': '"',
    '\\': '\\',
    '/': '/',
    '\b': 'b',
    '\f': 'f',
    '\n': 'n',
    '\r': 'r',
    '\t': 't',
  };
  const s = short[ch];
  if (s !== undefined) forms.push(`${BACKSLASHES}${escapeRegExp(s)}`);
  // HTML character references: decimal, hex (leading zeros allowed, `;` optional) and named.
  forms.push(`${AMPERSAND}#0{0,8}${cp};?`, `${AMPERSAND}#[xX]0{0,8}${hexPattern(cp, 1)};?`);
  for (const name of NAMED_ENTITIES[ch] ?? []) {
    forms.push(`${AMPERSAND}${name};${SEMICOLON_OPTIONAL.has(name) ? '?' : ''}`);
  }
  return forms.length === 1 ? (forms[0] as string) : `(?:${forms.join('|')})`;
}

/**
 * The base64 texts that appear wherever the secret's bytes are encoded inside a longer base64
 * text: for each of the 3 alignments (0, 1 or 2 bytes before it), the characters that depend on
 * the secret's bytes alone (the boundary characters also hold bits of the neighbours, so they
 * are left out), in the standard and the URL-safe alphabet.
 */
function base64Forms(secret: string): string[] {
  const bytes = utf8.encode(secret);
  const out = new Set<string>();
  for (let k = 0; k < 3; k++) {
    const padded = new Uint8Array(k + bytes.length);
    padded.set(bytes, k);
    const encoded = base64(padded).replace(/=+$/, '');
    const from = Math.ceil((8 * k) / 6);
    const to = Math.floor((8 * (k + bytes.length)) / 6);
    const core = encoded.slice(from, to);
    if (core.length >= MIN_ENCODED_LENGTH) {
      out.add(core);
      out.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...out];
}

interface CompiledSecret {
  secret: string;
  pattern: RegExp;
}

// The last secret compiled: scrubbing is called for every message with the same key.
let cache: CompiledSecret | undefined;

function compile(secret: string): RegExp {
  if (cache?.secret === secret) return cache.pattern;
  const perCharacter = [...secret].map(characterForms).join('');
  // Longest alternatives first so a base64 form is not half-replaced by a shorter match.
  const b64 = base64Forms(secret)
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp);
  const pattern = new RegExp([perCharacter, ...b64].join('|'), 'g');
  cache = { secret, pattern };
  return pattern;
}

/**
 * Replaces every form of `secret` in `text` with `***`: raw, percent-encoded (any case, any
 * character, `+` for spaces: encodeURIComponent, encodeURI and form encoding), JSON-escaped
 * (`\uXXXX`, `\/`, ...), HTML character references (named, decimal, hex), base64 and base64url
 * at any alignment. Secrets shorter than 4 characters are replaced only in their raw form.
 * Idempotent: scrubbing a scrubbed text changes nothing.
 */
export function scrubSecret(text: string, secret: string): string {
  if (!secret || !text) return text;
  if ([...secret].length < MIN_ENCODED_LENGTH) {
    return text.includes(secret) ? text.split(secret).join(SCRUBBED) : text;
  }
  const pattern = compile(secret);
  // A replacement may join characters around it into a new match (a secret made of `*`, or one
  // that overlaps itself): repeat until nothing changes. Every match is longer than `***`, so the
  // text shrinks on each pass and this ends.
  let current = text;
  for (;;) {
    pattern.lastIndex = 0;
    const next = current.replace(pattern, SCRUBBED);
    if (next === current) return current;
    current = next;
  }
}

/** scrubSecret for several secrets (empty ones ignored), until none of them changes the text. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  const list = secrets.filter((s) => s !== '');
  let current = text;
  for (let pass = 0; pass < 8; pass++) {
    let next = current;
    for (const s of list) next = scrubSecret(next, s);
    if (next === current) return current;
    current = next;
  }
  return current;
}

/** The start of an escape sequence, cut before its end. */
const PARTIAL_ESCAPE = '(?:%[0-9A-Fa-f]?|\\\\(?:u[0-9A-Fa-f]{0,3})?|&#?[xX]?[0-9A-Fa-f]*|&[A-Za-z]*)?';

/**
 * For a text cut at an arbitrary point (a body read only up to a size limit): removes a trailing
 * prefix of the secret (at least 4 characters, raw or percent/JSON-encoded), which the scrub
 * cannot recognise since the secret is not whole.
 */
export function scrubCutTail(text: string, secret: string): string {
  const chars = [...secret];
  if (chars.length < MIN_ENCODED_LENGTH || !text) return text;
  // Only the end of the text can hold the cut secret: the longest form of a character (a twice
  // escaped entity, 4 percent-encoded bytes) is under 60 characters.
  const tailFrom = Math.max(0, text.length - (chars.length * 60 + 16));
  const m = compileCutTail(secret, chars).exec(text.slice(tailFrom));
  return m ? `${text.slice(0, tailFrom + m.index)}${SCRUBBED}` : text;
}

let cutTailCache: CompiledSecret | undefined;

/** `f1 f2 f3 f4 (f5 (f6 (...)?)?)?` + a cut escape, at the end: any prefix of 4+ characters. */
function compileCutTail(secret: string, chars: string[]): RegExp {
  if (cutTailCache?.secret === secret) return cutTailCache.pattern;
  const forms = chars.slice(0, -1).map(characterForms);
  let optional = '';
  for (let i = forms.length - 1; i >= MIN_ENCODED_LENGTH; i--) optional = `(?:${forms[i]}${optional})?`;
  const pattern = new RegExp(`${forms.slice(0, MIN_ENCODED_LENGTH).join('')}${optional}${PARTIAL_ESCAPE}$`);
  cutTailCache = { secret, pattern };
  return pattern;
}

/** Request ids NP6 (or a gateway) may send: a safe character set and length, nothing else shown. */
const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;
export const INVALID_REQUEST_ID = '(invalid request id)';

/**
 * An `x-request-id` fit for messages, logs and summaries: returned as is when it is 1-128
 * characters of `[A-Za-z0-9._:@/+=-]`, the literal `(invalid request id)` otherwise, and
 * undefined when there was none. Callers scrub the key from it first, so an id holding the key
 * becomes invalid instead of carrying it.
 */
export function sanitizeRequestId(raw: string | null | undefined): string | undefined {
  if (raw === null || raw === undefined || raw === '') return undefined;
  return REQUEST_ID.test(raw) ? raw : INVALID_REQUEST_ID;
}
