// The de-duplication table grows in steps (the old table stays searchable until copied): every key
// must stay findable across growths, and an entry met in both tables is reported once.
import assert from 'node:assert/strict';
import { hash64, IdTable } from '../../../src/core/idTable';

describe('IdTable', () => {
  it('finds every key stored, and no other, through many incremental growths', () => {
    const t = new IdTable(16);
    const keys: string[] = [];
    const keyOf = (j: number): string => keys[j]!;
    for (let i = 0; i < 60_000; i++) {
      const key = `id:${i}-${(i * 2654435761) % 1000003}`;
      assert.equal(t.check(key, keyOf), 'new', `key ${i} before it is added`);
      assert.equal(t.add(key, i, keyOf), true);
      keys.push(key);
      // An earlier key, and the one just added, are duplicates at every step (mid-growth included).
      const earlier = keys[(i * 7919) % keys.length]!;
      assert.equal(t.check(earlier, keyOf), 'duplicate', `key ${earlier} after ${i} inserts`);
      assert.equal(t.add(key, i + 1, keyOf), false);
    }
    assert.equal(t.count, 60_000);
    for (let i = 0; i < keys.length; i += 97) assert.equal(t.check(keys[i]!, keyOf), 'duplicate');
    assert.equal(t.check('id:never-added', keyOf), 'new');
  });

  it('reports an event whose key is not at hand once, even while it sits in both tables', () => {
    // 16,384 slots grow at the 8,193rd key; the old table's 16,384 slots are then copied 4,096 per
    // insert, so right after that insert some entries are in both tables and some only in the old.
    const t = new IdTable(16_384);
    const keys: string[] = [];
    for (let i = 0; i < 8_193; i++) {
      keys.push(`k${i}`);
      t.insert(keys[i]!, i);
    }
    const unknown = (): undefined => undefined;
    for (let i = 0; i < keys.length; i++) {
      // Only the key's own entry has its 64-bit hash (the keys' hashes differ, checked below).
      assert.deepEqual(t.check(keys[i]!, unknown), [i], `k${i}`);
    }
    assert.equal(new Set(keys.map((k) => hash64(k).join(':'))).size, keys.length);
  });
});
