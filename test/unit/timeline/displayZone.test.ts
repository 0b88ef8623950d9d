import assert from 'node:assert/strict';
import { isKnownZone, resolveDisplayZone } from '../../../src/shared/timeline/displayZone';

describe('display time zone (np6.timeZone resolved on the host)', () => {
  it('keeps a zone the setting names', () => {
    assert.equal(resolveDisplayZone('Europe/Paris', 'Asia/Tokyo'), 'Europe/Paris');
    assert.equal(resolveDisplayZone('UTC', 'Asia/Tokyo'), 'UTC');
    assert.equal(resolveDisplayZone('  America/New_York ', 'UTC'), 'America/New_York');
  });

  it('"local", empty or unknown = the extension host zone, by name', () => {
    assert.equal(resolveDisplayZone('local', 'Asia/Tokyo'), 'Asia/Tokyo');
    assert.equal(resolveDisplayZone(undefined, 'Europe/Paris'), 'Europe/Paris');
    assert.equal(resolveDisplayZone('', 'Europe/Paris'), 'Europe/Paris');
    assert.equal(resolveDisplayZone('Mars/Olympus', 'Europe/Paris'), 'Europe/Paris');
  });

  it('falls back to UTC when the host zone is unknown too', () => {
    assert.equal(resolveDisplayZone('local', undefined), 'UTC');
    assert.equal(resolveDisplayZone('local', 'Not/AZone'), 'UTC');
  });

  it('knows IANA names and refuses the rest', () => {
    assert.equal(isKnownZone('Europe/Paris'), true);
    assert.equal(isKnownZone('local'), false);
    assert.equal(isKnownZone(''), false);
    assert.equal(isKnownZone('Europe/Nowhere'), false);
  });
});
