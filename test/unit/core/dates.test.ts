import * as assert from 'node:assert/strict';
import {
  DATE_PRESETS,
  describeRange,
  formatInstant,
  parseDateInput,
  parseDuration,
  startOfDay,
} from '../../../src/core/dates';

const H = 3_600_000;
const NOW = Date.UTC(2024, 4, 15, 10, 30, 0); // 2024-05-15T10:30:00Z, 12:30 in Paris (CEST)

function ms(r: { ms: number } | { error: string }): number {
  if ('error' in r) assert.fail(r.error);
  return r.ms;
}
function err(r: { ms: number } | { error: string }): string {
  if (!('error' in r)) assert.fail(`expected an error, got ${r.ms}`);
  return r.error;
}

describe('parseDateInput', () => {
  it('reads a date-time without offset in the display zone (not UTC)', () => {
    assert.equal(ms(parseDateInput('2024-05-01T09:00', NOW, 'Europe/Paris')), Date.UTC(2024, 4, 1, 7));
    assert.equal(
      ms(parseDateInput('2024-01-10 09:00:30', NOW, 'Europe/Paris')),
      Date.UTC(2024, 0, 10, 8, 0, 30),
    );
    assert.equal(ms(parseDateInput('2024-05-01T09:00', NOW, 'UTC')), Date.UTC(2024, 4, 1, 9));
    assert.equal(ms(parseDateInput('2024-05-01T09:00', NOW, 'America/New_York')), Date.UTC(2024, 4, 1, 13));
  });

  it('reads a date alone as midnight in the display zone', () => {
    assert.equal(ms(parseDateInput('2024-05-01', NOW, 'Europe/Paris')), Date.UTC(2024, 3, 30, 22));
    assert.equal(ms(parseDateInput('2024-12-01', NOW, 'Asia/Tokyo')), Date.UTC(2024, 10, 30, 15));
  });

  it('honours Z and explicit offsets whatever the display zone', () => {
    const t = Date.UTC(2024, 4, 1, 9, 0, 0, 250);
    assert.equal(ms(parseDateInput('2024-05-01T09:00:00.250Z', NOW, 'Europe/Paris')), t);
    assert.equal(ms(parseDateInput('2024-05-01T11:00:00.250+02:00', NOW, 'Asia/Tokyo')), t);
    assert.equal(ms(parseDateInput('2024-05-01T04:30:00.250-0430', NOW, 'UTC')), t);
  });

  it('accepts epoch ms, now and relative offsets', () => {
    assert.equal(ms(parseDateInput('1700000000000', NOW, 'UTC')), 1_700_000_000_000);
    assert.equal(ms(parseDateInput('now', NOW, 'UTC')), NOW);
    assert.equal(ms(parseDateInput(' NOW ', NOW, 'UTC')), NOW);
    assert.equal(ms(parseDateInput('-2h', NOW, 'UTC')), NOW - 2 * H);
    assert.equal(ms(parseDateInput('-7d', NOW, 'UTC')), NOW - 7 * 24 * H);
    assert.equal(ms(parseDateInput('-30m', NOW, 'UTC')), NOW - 30 * 60_000);
    assert.equal(ms(parseDateInput('+1d', NOW, 'UTC')), NOW + 24 * H);
    assert.equal(ms(parseDateInput('-1w', NOW, 'UTC')), NOW - 7 * 24 * H);
  });

  it('refuses what is not a date, saying what is accepted', () => {
    for (const bad of [
      'yesterday-ish',
      '2024-13-01',
      '2024-02-30',
      '2024-05-01T25:00',
      '-2y',
      '',
      '01/05/2024',
    ]) {
      const e = err(parseDateInput(bad, NOW, 'UTC'));
      assert.match(e, /ISO 8601|not a real date|No date/, `${bad}: ${e}`);
    }
  });

  it('points out a bare year and an unknown zone', () => {
    assert.match(err(parseDateInput('2024', NOW, 'UTC')), /looks like a year.*2024-01-01/);
    assert.match(err(parseDateInput('now', NOW, 'Mars/Olympus')), /Unknown time zone "Mars\/Olympus"/);
  });
});

describe('daylight saving time (Europe/Paris)', () => {
  const P = 'Europe/Paris';
  it('March change: times before, in the skipped hour (moved later) and after', () => {
    assert.equal(ms(parseDateInput('2024-03-31T01:59', NOW, P)), Date.UTC(2024, 2, 31, 0, 59));
    assert.equal(ms(parseDateInput('2024-03-31T02:30', NOW, P)), Date.UTC(2024, 2, 31, 1, 30));
    assert.equal(ms(parseDateInput('2024-03-31T03:00', NOW, P)), Date.UTC(2024, 2, 31, 1, 0));
    assert.equal(formatInstant(Date.UTC(2024, 2, 31, 0, 59), P), '2024-03-31 01:59:00 +01:00');
    assert.equal(formatInstant(Date.UTC(2024, 2, 31, 1, 0), P), '2024-03-31 03:00:00 +02:00');
  });

  it('October change: the repeated hour reads as its first occurrence, both format apart', () => {
    assert.equal(ms(parseDateInput('2024-10-27T02:30', NOW, P)), Date.UTC(2024, 9, 27, 0, 30));
    assert.equal(ms(parseDateInput('2024-10-27T03:00', NOW, P)), Date.UTC(2024, 9, 27, 2, 0));
    assert.equal(formatInstant(Date.UTC(2024, 9, 27, 0, 30), P), '2024-10-27 02:30:00 +02:00');
    assert.equal(formatInstant(Date.UTC(2024, 9, 27, 1, 30), P), '2024-10-27 02:30:00 +01:00');
  });

  it('"today" is a 23-hour day in March and a 25-hour day in October', () => {
    const today = DATE_PRESETS.find((p) => p.id === 'today');
    assert.ok(today);
    const march = today.range(Date.UTC(2024, 2, 31, 12), P);
    assert.deepEqual(march, { start: Date.UTC(2024, 2, 30, 23), end: Date.UTC(2024, 2, 31, 22) });
    const october = today.range(Date.UTC(2024, 9, 27, 12), P);
    assert.equal(october.end - october.start, 25 * H);
    assert.equal(
      describeRange(march.start, march.end, P),
      '2024-03-31 00:00:00 +01:00 → 2024-04-01 00:00:00 +02:00 (23 h)',
    );
  });
});

describe('presets', () => {
  const get = (id: string) => {
    const p = DATE_PRESETS.find((x) => x.id === id);
    assert.ok(p, id);
    return p;
  };
  it('has the six presets with labels', () => {
    assert.deepEqual(
      DATE_PRESETS.map((p) => p.label),
      ['Last hour', 'Last 24 hours', 'Today', 'Yesterday', 'Last 7 days', 'Last 30 days'],
    );
  });
  it('rolling presets end now', () => {
    assert.deepEqual(get('lastHour').range(NOW, 'UTC'), { start: NOW - H, end: NOW });
    assert.deepEqual(get('last24Hours').range(NOW, 'UTC'), { start: NOW - 24 * H, end: NOW });
    assert.deepEqual(get('last7Days').range(NOW, 'UTC'), { start: NOW - 7 * 24 * H, end: NOW });
    assert.deepEqual(get('last30Days').range(NOW, 'UTC'), { start: NOW - 30 * 24 * H, end: NOW });
  });
  it('today and yesterday are calendar days of the display zone, not of UTC', () => {
    // 16:00Z on 15 May is already 01:00 on 16 May in Tokyo.
    const late = Date.UTC(2024, 4, 15, 16);
    assert.deepEqual(get('today').range(late, 'Asia/Tokyo'), {
      start: Date.UTC(2024, 4, 15, 15),
      end: Date.UTC(2024, 4, 16, 15),
    });
    assert.deepEqual(get('today').range(late, 'UTC'), {
      start: Date.UTC(2024, 4, 15),
      end: Date.UTC(2024, 4, 16),
    });
    assert.deepEqual(get('yesterday').range(NOW, 'Europe/Paris'), {
      start: Date.UTC(2024, 4, 13, 22),
      end: Date.UTC(2024, 4, 14, 22),
    });
    // Across a month and a year boundary.
    assert.equal(startOfDay(Date.UTC(2024, 0, 1, 5), 'UTC', -1), Date.UTC(2023, 11, 31));
  });
  it("'local' is the machine's zone", () => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    assert.deepEqual(get('today').range(NOW, 'local'), get('today').range(NOW, zone));
    assert.equal(
      ms(parseDateInput('2024-05-01T09:00', NOW, 'local')),
      ms(parseDateInput('2024-05-01T09:00', NOW, zone)),
    );
  });
});

describe('formatInstant and describeRange', () => {
  it('formats in UTC, in a zone, with milliseconds only when present', () => {
    assert.equal(formatInstant(Date.UTC(2024, 4, 1, 9, 5, 7), 'UTC'), '2024-05-01 09:05:07 UTC');
    assert.equal(
      formatInstant(Date.UTC(2024, 4, 1, 9, 5, 7, 42), 'America/New_York'),
      '2024-05-01 05:05:07.042 -04:00',
    );
    assert.equal(formatInstant(Date.UTC(2024, 0, 1, 0, 0), 'Asia/Kolkata'), '2024-01-01 05:30:00 +05:30');
  });
  it('describes open and closed ranges', () => {
    assert.equal(describeRange(undefined, undefined, 'UTC'), '… → …');
    assert.equal(describeRange(Date.UTC(2024, 0, 1), undefined, 'UTC'), '2024-01-01 00:00:00 UTC → …');
    assert.equal(
      describeRange(Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1, 1, 30), 'UTC'),
      '2024-01-01 00:00:00 UTC → 2024-01-01 01:30:00 UTC (90 min)',
    );
  });
  it('round-trips: what formatInstant prints in a zone parses back to the same instant there', () => {
    for (const zone of ['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'UTC']) {
      for (let t = Date.UTC(2024, 2, 30); t < Date.UTC(2024, 3, 2); t += 37 * 60_000 + 1000) {
        const text = formatInstant(t, zone).replace(/ (UTC|[+-]\d\d:\d\d)$/, '');
        const back = ms(parseDateInput(text, NOW, zone));
        // Only the repeated autumn hour could be ambiguous; this range has none.
        assert.equal(back, t, `${zone} ${text}`);
      }
    }
  });
});

describe('parseDuration', () => {
  it('reads window lengths', () => {
    assert.deepEqual(parseDuration('15m'), { ms: 15 * 60_000 });
    assert.deepEqual(parseDuration('1h'), { ms: H });
    assert.deepEqual(parseDuration('1d'), { ms: 24 * H });
    assert.deepEqual(parseDuration('90s'), { ms: 90_000 });
  });
  it('refuses other text, saying what to write', () => {
    for (const bad of ['1y', 'h', '0m', '-1h', '']) {
      const r = parseDuration(bad);
      assert.ok('error' in r && /like 15m, 1h/.test(r.error), bad);
    }
  });
});
