// The scrub of the API key over an attack corpus: every encoding a server or a proxy may echo the
// key in, the key inside longer text, cut at the excerpt boundary, hidden in HTML entities and in
// a request id.

import assert from 'node:assert/strict';
import { bodyExcerpt, httpError, redactSecret } from '../../../src/np6/errors';
import {
  INVALID_REQUEST_ID,
  decodeHtmlEntities,
  sanitizeRequestId,
  scrubCutTail,
  scrubSecret,
  scrubSecrets,
} from '../../../src/np6/secrets';

// A key with the characters that each encoding treats differently: `/` `+` space, `"`, non-ASCII
// (two-, three- and four-byte UTF-8), and letters whose hex has letters (%2F vs %2f).
const KEY = 'sk_Live/Ab+9 x"é€😀~Z';
const ASCII_KEY = 'np6-3f9a7c21e4b0d5a8';

/** Numeric and hex character references of every character. */
const decimalEntities = (s: string): string => [...s].map((c) => `&#${c.codePointAt(0)};`).join('');
const hexEntities = (s: string, upper: boolean): string =>
  [...s]
    .map((c) => {
      const h = (c.codePointAt(0) as number).toString(16);
      return `&#x${upper ? h.toUpperCase() : h};`;
    })
    .join('');
/** JSON with every non-ASCII character and `/` escaped, as some serialisers do. */
const jsonAsciiOnly = (s: string): string =>
  JSON.stringify(s)
    .slice(1, -1)
    .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
/** The key base64-encoded after `k` other bytes and before others, as inside a header dump. */
const base64At = (s: string, k: number, url: boolean): string => {
  const b = Buffer.concat([
    Buffer.from('Authorization: '.slice(0, 13 + k)),
    Buffer.from(s),
    Buffer.from(' end'),
  ]);
  return b.toString(url ? 'base64url' : 'base64');
};

function encodings(key: string): [string, string][] {
  const json = JSON.stringify(key).slice(1, -1);
  return [
    ['raw', key],
    ['encodeURIComponent', encodeURIComponent(key)],
    [
      'encodeURIComponent, lower-case hex',
      encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    ],
    ['encodeURI', encodeURI(key)],
    ['form-encoded', new URLSearchParams({ k: key }).toString().slice(2)],
    ['every character percent-encoded', [...Buffer.from(key)].map((b) => `%${b.toString(16)}`).join('')],
    ['JSON-escaped', json],
    ['JSON, ASCII only, \\/', jsonAsciiOnly(key)],
    [
      'JSON, every character \\u',
      [...key]
        .map((c) => jsonAsciiOnly(c).replace(/^[\x20-\x7e]$/, `\\u00${c.charCodeAt(0).toString(16)}`))
        .join(''),
    ],
    ['HTML decimal entities', decimalEntities(key)],
    ['HTML hex entities', hexEntities(key, false)],
    ['HTML hex entities, upper case', hexEntities(key, true)],
    [
      'HTML named entities',
      key.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/\//g, '&sol;').replace(/\+/g, '&plus;'),
    ],
  ];
}

describe('np6 secrets: scrubSecret', () => {
  for (const key of [KEY, ASCII_KEY]) {
    for (const [name, form] of encodings(key)) {
      it(`removes the key ${name} (${key === KEY ? 'mixed' : 'ASCII'} key), inside longer text`, () => {
        const text = `{"error":"bad key ${form}","echo":"${form}"}`;
        const out = scrubSecret(text, key);
        assert.ok(!out.includes(form), out);
        assert.equal(out, '{"error":"bad key ***","echo":"***"}');
      });
    }
    for (let k = 0; k < 3; k++) {
      for (const url of [false, true]) {
        it(`removes the key base64${url ? 'url' : ''}-encoded at alignment ${k}`, () => {
          const text = base64At(key, k, url);
          const out = scrubSecret(text, key);
          assert.ok(out.includes('***'), out);
          // What is left cannot decode to the key at any alignment.
          for (let j = 0; j < out.length; j++) {
            const decoded = Buffer.from(
              out.slice(j).replace(/\*/g, ''),
              url ? 'base64url' : 'base64',
            ).toString('latin1');
            assert.ok(!decoded.includes(Buffer.from(key).toString('latin1')), `decodes to the key at ${j}`);
          }
          // Only the characters that depend on the key are replaced: the neighbours stay.
          assert.ok(out.length > 5, out);
        });
      }
    }
  }

  it('removes mixed encodings within one occurrence', () => {
    const mixed = `np6-%33f9a&#55;c21\\u0065${'4b0d5a8'}`;
    assert.equal(scrubSecret(`x ${mixed} y`, ASCII_KEY), 'x *** y');
  });

  it('leaves text without the key unchanged, and does not match a different key', () => {
    const text = 'np6-3f9a7c21e4b0d5a9 %2F &#47; plain';
    assert.equal(scrubSecret(text, ASCII_KEY), text);
    assert.equal(scrubSecret('', ASCII_KEY), '');
    assert.equal(scrubSecret(text, ''), text);
  });

  it('replaces only the raw form of a key shorter than 4 characters', () => {
    assert.equal(scrubSecret('a k9 b %6b%39 k9', 'k9'), 'a *** b %6b%39 ***');
  });

  it('is idempotent, including for keys made of stars or overlapping themselves', () => {
    for (const [text, key] of [
      [`a ${KEY} b ${encodeURIComponent(KEY)}`, KEY],
      ['x****y ****', '****'],
      ['abababab abab', 'abab'],
      ['**a***a**', '*a**'],
    ] as const) {
      const once = scrubSecret(text, key);
      assert.equal(scrubSecret(once, key), once, `${text} / ${key}`);
      assert.ok(!once.includes(key), once);
    }
  });

  it('is fast on a 300 KB text, with and without the key', () => {
    const noise = 'lorem %2F &#x41; \\u0041 ipsum ZmFrZQ== '.repeat(8000);
    assert.ok(noise.length > 300_000);
    const withKey = `${noise}${encodeURIComponent(KEY)}${noise}`;
    const t0 = performance.now();
    const out = scrubSecret(withKey, KEY);
    scrubSecret(noise, KEY);
    const ms = performance.now() - t0;
    assert.ok(!out.includes(encodeURIComponent(KEY)));
    assert.ok(ms < 500, `took ${ms.toFixed(0)} ms`);
  });

  it('stays fast on hostile text: long runs of escapes that almost form the key', () => {
    for (const unit of ['\\', '%25', '&amp;', '&#0000', '\\u00', 'sk_Live/Ab+9 x', '%73%6B%5F']) {
      const text = unit.repeat(Math.ceil(300_000 / unit.length));
      const t0 = performance.now();
      scrubSecret(text, KEY);
      const ms = performance.now() - t0;
      assert.ok(ms < 500, `${unit}: took ${ms.toFixed(0)} ms`);
    }
  });

  it('removes the key escaped twice: JSON in JSON, percent-encoded twice, entities escaped again', () => {
    const twice = [
      JSON.stringify(JSON.stringify(KEY)).slice(3, -3),
      encodeURIComponent(encodeURIComponent(KEY)),
      decimalEntities(KEY).replace(/&/g, '&amp;'),
    ];
    for (const form of twice) assert.equal(scrubSecret(`[${form}]`, KEY), '[***]', form);
  });

  it('scrubSecrets removes several keys; redactSecret is the same scrub', () => {
    assert.equal(
      scrubSecrets(`${KEY} and ${encodeURIComponent(ASCII_KEY)}`, [KEY, ASCII_KEY, '']),
      '*** and ***',
    );
    assert.equal(redactSecret(`x ${encodeURIComponent(KEY)}`, KEY), 'x ***');
  });

  it('removes a prefix of the key left at the end of a text cut by a size bound', () => {
    assert.equal(scrubCutTail(`body ${KEY.slice(0, 9)}`, KEY), 'body ***');
    assert.equal(scrubCutTail(`body ${encodeURIComponent(KEY).slice(0, 14)}`, KEY), 'body ***');
    assert.equal(scrubCutTail('body sk_', KEY), 'body sk_', 'fewer than 4 characters: too common to remove');
  });
});

describe('np6 secrets: decoding comes before the scrub, the cut after it', () => {
  it('finds the key in an HTML page whose entities decode to it', () => {
    const page = `<html><body><p>Your key: ${decimalEntities(KEY)}</p><p>${hexEntities(KEY, true)}</p></body></html>`;
    const excerpt = bodyExcerpt(page, 'text/html', (t) => scrubSecret(t, KEY));
    assert.equal(excerpt, 'Your key: *** ***');
    // Entities that only form the key once decoded together with named ones.
    const named = `<p>${ASCII_KEY.replace('-', '&#45;')}&amp;more</p>`;
    assert.equal(
      bodyExcerpt(named, 'text/html', (t) => scrubSecret(t, ASCII_KEY)),
      '***&more',
    );
  });

  it('never leaves a prefix of the key where the excerpt is cut at 300 characters', () => {
    for (let pad = 280; pad <= 300; pad++) {
      for (const form of [KEY, encodeURIComponent(KEY), decimalEntities(KEY)]) {
        const body = `${'x'.repeat(pad)}${form} tail`;
        const e = httpError({ status: 500, body, attempts: 1 }, (t) => scrubSecret(t, KEY));
        for (const shown of [e.bodyExcerpt, e.message, JSON.stringify(e)]) {
          assert.ok(!shown.includes(KEY.slice(0, 4)), `pad ${pad}: ${shown.slice(-40)}`);
          assert.ok(!shown.includes(encodeURIComponent(KEY).slice(0, 6)), `pad ${pad}: ${shown.slice(-40)}`);
          assert.ok(!shown.includes('&#115;&#107;'), `pad ${pad}: ${shown.slice(-40)}`);
        }
        assert.ok(e.bodyExcerpt.length <= 300);
      }
    }
  });

  it('scrubs the request id and the rest of the message of an HTTP error', () => {
    const e = httpError(
      { status: 401, body: `{"key":"${jsonAsciiOnly(KEY)}"}`, attempts: 1, requestId: `rid-${KEY}` },
      (t) => scrubSecret(t, KEY),
    );
    const all = `${e.message} ${JSON.stringify(e)} ${e.requestId ?? ''}`;
    assert.ok(!all.includes(KEY) && !all.includes(jsonAsciiOnly(KEY)), all);
    assert.match(e.message, /\{"key":"\*\*\*"\}/);
  });

  it('decodes numeric, hex and named character references, leaving unknown ones', () => {
    assert.equal(
      decodeHtmlEntities('&#83;&#x45;&#X43;&#0082; &lt;&gt;&amp;&quot;&apos;&sol;&unknown; &amp'),
      'SECR <>&"\'/&unknown; &',
    );
    assert.equal(decodeHtmlEntities('&#0; &#xD800; &#99999999;'), '\ufffd \ufffd \ufffd');
  });
});

describe('np6 secrets: sanitizeRequestId', () => {
  it('keeps ids of the safe set, 1 to 128 characters', () => {
    for (const id of [
      'rid-1',
      'a',
      'Root=1-65f0a2b3-abc;'.slice(0, 19),
      'x'.repeat(128),
      'a.b_c:d@e/f+g=h-i',
    ]) {
      assert.equal(sanitizeRequestId(id), id);
    }
  });

  it('shows everything else as invalid, and nothing when there was none', () => {
    for (const id of [
      'x'.repeat(129),
      'has space',
      '[click](command:workbench.action.terminal.sendSequence)',
      '$(alert)',
      'rid\r\nX-Injected: 1',
      'é',
      '***',
      `rid-${scrubSecret(KEY, KEY)}`,
      '<script>',
    ]) {
      assert.equal(sanitizeRequestId(id), INVALID_REQUEST_ID, id);
    }
    assert.equal(sanitizeRequestId(null), undefined);
    assert.equal(sanitizeRequestId(undefined), undefined);
    assert.equal(sanitizeRequestId(''), undefined);
  });

  it('turns a request id that carries the key into an invalid one once scrubbed', () => {
    assert.equal(sanitizeRequestId(scrubSecret(`req-${ASCII_KEY}`, ASCII_KEY)), INVALID_REQUEST_ID);
    assert.equal(
      sanitizeRequestId(scrubSecret(`req-${encodeURIComponent(ASCII_KEY)}`, ASCII_KEY)),
      INVALID_REQUEST_ID,
    );
  });
});
