import * as assert from 'node:assert/strict';
import {
  compactRange,
  lastResultDescription,
  lastResultRange,
  lastResultSpoken,
} from '../../../src/core/lastResultText';
import type { ResultSummary } from '../../../src/core/result';

const MAY1_UTC = Date.UTC(2024, 4, 1);
const MAY8_UTC = Date.UTC(2024, 4, 8);
const H = 3_600_000;

function summary(over: Partial<ResultSummary> & { start?: number; end?: number }): ResultSummary {
  const { start, end, ...rest } = over;
  return {
    id: 'r1',
    campaignLabel: 'Spring',
    query: {
      campaignId: 'c',
      endpoint: 'campaign',
      itemsEvents: [],
      sort: 'asc',
      ...(start !== undefined ? { start } : {}),
      ...(end !== undefined ? { end } : {}),
    },
    startedAt: MAY8_UTC,
    count: 991573,
    bytes: 1,
    complete: true,
    missing: [],
    ...rest,
  };
}

describe('lastResultText', () => {
  it('shows whole days as dates and other bounds with minutes, in the display zone', () => {
    assert.equal(compactRange(MAY1_UTC, MAY8_UTC, 'UTC'), '2024-05-01 → 2024-05-08');
    // The same instants are 02:00 in Paris (CEST): not midnights there.
    assert.equal(compactRange(MAY1_UTC, MAY8_UTC, 'Europe/Paris'), '2024-05-01 02:00 → 2024-05-08 02:00');
    assert.equal(
      compactRange(MAY1_UTC + 9.5 * H, MAY1_UTC + 17 * H, 'UTC'),
      '2024-05-01 09:30 → 2024-05-01 17:00',
    );
    // One bound off midnight: both get minutes, so the two read alike.
    assert.equal(compactRange(MAY1_UTC, MAY1_UTC + 17 * H, 'UTC'), '2024-05-01 00:00 → 2024-05-01 17:00');
  });

  it('says "…" for an open bound and "all events" for none', () => {
    assert.equal(compactRange(MAY1_UTC, undefined, 'UTC'), '2024-05-01 → …');
    assert.equal(compactRange(undefined, MAY1_UTC + H, 'UTC'), '… → 2024-05-01 01:00');
    assert.equal(compactRange(undefined, undefined, 'UTC'), 'all events');
  });

  it('describes the last result with a separated count, its range and partial', () => {
    assert.equal(
      lastResultDescription(summary({ start: MAY1_UTC, end: MAY8_UTC }), 'UTC'),
      '991,573 events · 2024-05-01 → 2024-05-08',
    );
    assert.equal(
      lastResultDescription(summary({ start: MAY1_UTC, end: MAY8_UTC, count: 1, complete: false }), 'UTC'),
      '1 event · 2024-05-01 → 2024-05-08 (partial)',
    );
    assert.equal(
      lastResultSpoken(summary({ count: 0, complete: false }), 'UTC'),
      'last result 0 events, all events, partial',
    );
  });

  it('gives the tooltip the exact range and names the zone', () => {
    assert.equal(
      lastResultRange(summary({ start: MAY1_UTC, end: MAY8_UTC }), 'Europe/Paris'),
      '2024-05-01 02:00:00 +02:00 → 2024-05-08 02:00:00 +02:00 (7 d), Europe/Paris',
    );
    assert.equal(
      lastResultRange(summary({ start: MAY1_UTC, end: MAY8_UTC }), 'UTC'),
      '2024-05-01 00:00:00 UTC → 2024-05-08 00:00:00 UTC (7 d)',
    );
    assert.equal(lastResultRange(summary({}), 'UTC'), 'all events');
  });
});
