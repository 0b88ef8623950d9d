import * as assert from 'node:assert/strict';
import { checkApiKeyText } from '../../../src/core/apiKeyText';

describe('checkApiKeyText', () => {
  it('accepts printable ASCII, trimming a pasted line break', () => {
    assert.equal(checkApiKeyText('abcDEF123-_.~!$%&'), undefined);
    assert.equal(checkApiKeyText('  k3y\n'), undefined);
  });

  it('refuses empty text and whitespace inside', () => {
    assert.match(checkApiKeyText('   ') ?? '', /empty/);
    assert.match(checkApiKeyText('ab cd') ?? '', /spaces or line breaks/);
    assert.match(checkApiKeyText('ab\ncd') ?? '', /spaces or line breaks/);
    assert.match(checkApiKeyText('ab\u00a0cd') ?? '', /spaces or line breaks/);
  });

  it('refuses control and invisible or non-ASCII characters, naming them but not the key', () => {
    const cases: [string, RegExp][] = [
      ['abc\u0000def', /control character \(U\+0000, character 4\)/],
      ['abc\u007fdef', /control character \(U\+007F/],
      ['abc\u200bdef', /not printable ASCII \(U\+200B/],
      ['abc\u202edef', /not printable ASCII \(U\+202E/],
      ['clé', /not printable ASCII \(U\+00E9, character 3\)/],
      ['k😀y', /U\+1F600, character 2/],
    ];
    for (const [key, re] of cases) {
      const m = checkApiKeyText(key) ?? '';
      assert.match(m, re, JSON.stringify(key));
      assert.ok(!m.includes(key.trim()) && !m.includes('abc'), m);
    }
  });
});
