import * as assert from 'node:assert/strict';
import { count, formatCount, plural } from '../../../src/shared/counts';

describe('counts', () => {
  it('separates thousands the same way whatever the host locale', () => {
    assert.equal(formatCount(991573), '991,573');
    assert.equal(formatCount(1234567890), '1,234,567,890');
    assert.equal(formatCount(999), '999');
    assert.equal(formatCount(0), '0');
    assert.equal(formatCount(-1500), '-1,500');
  });

  it('rounds to a whole count and shows a non-finite value as it is', () => {
    assert.equal(formatCount(2.6), '3');
    assert.equal(formatCount(Number.NaN), 'NaN');
    assert.equal(formatCount(Number.POSITIVE_INFINITY), 'Infinity');
  });

  it('uses the singular for exactly one and the plural otherwise', () => {
    assert.equal(plural(1, 'item'), 'item');
    assert.equal(plural(0, 'item'), 'items');
    assert.equal(plural(2, 'item'), 'items');
    assert.equal(plural(1, 'entry', 'entries'), 'entry');
    assert.equal(plural(3, 'entry', 'entries'), 'entries');
  });

  it('says "1 item", never "1 items"', () => {
    assert.equal(count(1, 'item'), '1 item');
    assert.equal(count(0, 'event'), '0 events');
    assert.equal(count(991573, 'event'), '991,573 events');
    assert.equal(count(1, 'new event'), '1 new event');
    assert.equal(count(2, 'window'), '2 windows');
  });
});
