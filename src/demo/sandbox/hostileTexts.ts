// The texts the hostile sandbox sends, and the encodings it echoes a key in. Stable: UI and CLI tests
// look for them (or for HOSTILE_MARKERS inside whatever a surface rendered) to prove outside text
// never became a link, an icon or a command.

/** Clicking this link in a notification would type `touch /tmp/np6-pwned` in a terminal. */
export const HOSTILE_TERMINAL_TEXT =
  'Token expired. [Retry now](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22touch%20/tmp/np6-pwned%5Cn%22%7D) $(alert) see https://evil.example/x and [docs](https://evil.example)';

/** Where the export link would write (a server-chosen path). */
export const HOSTILE_EXPORT_TARGET = '/tmp/np6-pwned-export.json';

/** Clicking this link would export the last result to HOSTILE_EXPORT_TARGET, overwriting it. */
export const HOSTILE_EXPORT_TEXT = `Result ready. [export](command:np6.exportLastResult?${encodeURIComponent(
  JSON.stringify([{ target: HOSTILE_EXPORT_TARGET, format: 'json', overwrite: true }]),
)}) $(alert) see https://evil.example/export`;

/** Names and event fields: each carries a command link, an icon and a bare or Markdown link. */
export const HOSTILE_CAMPAIGN_NAME =
  'Spring sale [open the dashboard](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22touch%20/tmp/np6-pwned%5Cn%22%7D) $(alert)';
export const HOSTILE_ITEM_NAME = 'Newsletter `code` $(bug) [unsubscribe](https://evil.example/u) **bold**';
export const HOSTILE_LINK_URL = 'https://evil.example/x?q=[click](command:np6.exportLastResult)$(alert)';
export const HOSTILE_USER_AGENT =
  'Mozilla/5.0 $(alert) [Update](command:workbench.action.terminal.new) https://evil.example/ua';

/** Every hostile payload string the sandbox sends (names and event fields included). */
export const HOSTILE_TEXTS: readonly string[] = [
  HOSTILE_TERMINAL_TEXT,
  HOSTILE_EXPORT_TEXT,
  HOSTILE_CAMPAIGN_NAME,
  HOSTILE_ITEM_NAME,
  HOSTILE_LINK_URL,
  HOSTILE_USER_AGENT,
];

/** Short pieces of the payloads a test can search a rendered surface for. */
export const HOSTILE_MARKERS: readonly string[] = [
  'command:',
  '$(alert)',
  '$(bug)',
  'evil.example',
  'np6-pwned',
];

/** The five forms a server may echo a key in (issue 8, finding "key echoed"). */
export interface KeyEncodings {
  raw: string;
  /** Every UTF-8 byte as %XX (so even a key of letters and digits differs from the raw form). */
  url: string;
  /** Every UTF-16 unit as a literal `\uXXXX` text (six characters each). */
  jsonEscaped: string;
  /** Every code point as a `&#NN;` decimal entity. */
  html: string;
  base64: string;
}

export function keyEncodings(key: string): KeyEncodings {
  const bytes = Buffer.from(key, 'utf8');
  return {
    raw: key,
    url: [...bytes].map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join(''),
    jsonEscaped: [...Array(key.length).keys()]
      .map((i) => '\\u' + key.charCodeAt(i).toString(16).padStart(4, '0'))
      .join(''),
    html: [...key].map((c) => `&#${c.codePointAt(0)!};`).join(''),
    base64: bytes.toString('base64'),
  };
}

/** The key in its five forms on one line (for an error message and an x-request-id). */
export function echoLine(key: string): string {
  const k = keyEncodings(key);
  return `raw=${k.raw} url=${k.url} json=${k.jsonEscaped} html=${k.html} base64=${k.base64}`;
}

/**
 * The JSON error body that echoes the key: `error`/`message` hold the five forms as text; `key.json`
 * is written with real JSON `\uXXXX` escapes, so the raw key appears only once the body is parsed.
 */
export function echoKeyJsonBody(key: string): string {
  const k = keyEncodings(key);
  const text = JSON.stringify(`Invalid token for this account: ${echoLine(key)}`);
  return (
    `{"error":${text},"message":${text},"key":{"raw":${JSON.stringify(k.raw)},"url":${JSON.stringify(k.url)},` +
    `"json":"${k.jsonEscaped}","html":${JSON.stringify(k.html)},"base64":${JSON.stringify(k.base64)}}}`
  );
}

/** Characters of visible text before the key in the HTML page: an excerpt cut at 300 shows its start. */
export const ECHO_HTML_TEXT_BEFORE_KEY = 290;

/** A proxy-like HTML error page whose visible text holds the key as entities after 290 characters. */
export function echoKeyHtmlPage(key: string): string {
  const lead = 'Access denied by the gateway. Your request could not be authorised because the token ';
  const filler = 'was rejected by the upstream authentication service; contact your administrator. ';
  let text = lead;
  while (text.length < ECHO_HTML_TEXT_BEFORE_KEY) text += filler;
  text = text.slice(0, ECHO_HTML_TEXT_BEFORE_KEY - 'Token: '.length) + 'Token: ';
  return (
    // No title and no whitespace before the text: whatever reduces the page to text sees exactly
    // 290 characters, then the key.
    `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>${text}` +
    `${keyEncodings(key).html}</p><hr><p>gateway</p></body></html>\n`
  );
}

/** A few well-formed events whose names, links, user agents and messages hold the hostile texts. */
export function hostileEventTexts(timestamp: number): string[] {
  const identity = { type: 'customer', agency: 'DEMO', customer: '028' };
  const receiver = {
    type: 'footprint',
    id: '1a2b3c4d',
    unicity: 'victim@example.com',
    hash: '0123456789abcdef0123456789abcdef',
  };
  const activation = {
    id: '000PE4',
    kind: 'message',
    name: HOSTILE_ITEM_NAME,
    campaign: { name: HOSTILE_CAMPAIGN_NAME },
    receiver,
    stamp: { time: timestamp, id: 'e0000000-0000-4000-8000-000000000001' },
  };
  const events: unknown[] = [
    {
      type: 'activation',
      id: 'h0000000-0000-4000-8000-000000000001',
      timestamp,
      identity,
      source: { type: 'email', detail: { activation } },
    },
    {
      type: 'hit',
      id: 'h0000000-0000-4000-8000-000000000002',
      timestamp: timestamp + 1,
      identity,
      source: {
        type: 'email',
        detail: {
          activation,
          link: {
            type: 'redirection',
            label: HOSTILE_TERMINAL_TEXT,
            source: 'html',
            destination: HOSTILE_LINK_URL,
          },
          client: {
            type: 'web',
            ip: { type: 'v4', value: '203.0.113.7' },
            ua: { type: 'parsed', ua: HOSTILE_USER_AGENT, client: { name: HOSTILE_ITEM_NAME } },
          },
        },
      },
    },
    {
      type: 'bounce',
      id: 'h0000000-0000-4000-8000-000000000003',
      timestamp: timestamp + 2,
      identity,
      source: {
        type: 'email',
        detail: {
          activation,
          bounce: { status: { type: 'sync', code: { enhanced: '5.1.1' }, diagnostic: HOSTILE_EXPORT_TEXT } },
        },
      },
    },
    {
      type: '$(alert) [x](command:workbench.action.terminal.new)',
      id: 'h0000000-0000-4000-8000-000000000004',
      timestamp: timestamp + 3,
      identity,
      source: { type: 'email', detail: { activation, note: HOSTILE_TERMINAL_TEXT } },
    },
  ];
  return events.map((e) => JSON.stringify(e));
}
