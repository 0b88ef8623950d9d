import * as assert from 'node:assert/strict';
import { np6Message } from '../../../src/core/np6Message';

describe('np6Message', () => {
  it('prefixes a text that does not name NP6 first', () => {
    assert.equal(np6Message('export failed: disk full'), 'NP6: export failed: disk full');
    assert.equal(np6Message('The demo is not running.'), 'NP6: The demo is not running.');
    assert.equal(np6Message(''), 'NP6: ');
  });

  it('never doubles the prefix', () => {
    assert.equal(np6Message('NP6 refused this key (HTTP 401).'), 'NP6 refused this key (HTTP 401).');
    assert.equal(np6Message('NP6: already prefixed'), 'NP6: already prefixed');
    assert.equal(np6Message(np6Message('twice')), 'NP6: twice');
  });

  it('prefixes a text that only starts with the letters NP6 inside a longer word', () => {
    assert.equal(np6Message('NP6X is not a product'), 'NP6: NP6X is not a product');
    assert.equal(np6Message('the NP6 rate limit'), 'NP6: the NP6 rate limit');
  });
});
