import * as assert from 'node:assert/strict';
import {
  DATE_FORMS,
  checkEnd,
  checkStart,
  datePrompt,
  previewInstant,
  previewRange,
} from '../../../src/core/query/datePrompts';

const H = 3_600_000;
const NOW = Date.UTC(2024, 4, 15, 10, 30); // 12:30 in Paris (CEST)

function info(r: { error: string } | { info: string }): string {
  if ('error' in r) assert.fail(r.error);
  return r.info;
}
function error(r: { error: string } | { info: string }): string {
  if (!('error' in r)) assert.fail(`expected an error, got: ${r.info}`);
  return r.error;
}

describe('custom date prompts', () => {
  it('prompts with the bound, the zone read in and the forms', () => {
    assert.equal(
      datePrompt('start', 'Europe/Paris'),
      `Start (inclusive), read in Europe/Paris: ${DATE_FORMS}`,
    );
    assert.match(datePrompt('end', 'UTC'), /^End \(exclusive\), read in UTC: /);
  });

  it('previews an instant in UTC and in the display zone, by name', () => {
    assert.equal(
      previewInstant(Date.UTC(2024, 4, 1, 7), 'Europe/Paris'),
      '2024-05-01 07:00:00 UTC  ·  Europe/Paris 2024-05-01 09:00:00 +02:00',
    );
    assert.equal(previewInstant(Date.UTC(2024, 4, 1, 7), 'UTC'), '2024-05-01 07:00:00 UTC');
  });

  it('previews a range in UTC and in the display zone, by name', () => {
    const p = previewRange(NOW - 2 * H, NOW, 'America/New_York');
    assert.match(p, /^2024-05-15 08:30:00 UTC → 2024-05-15 10:30:00 UTC \(2 h\) {2}· {2}America\/New_York /);
    assert.match(p, /2024-05-15 04:30:00 -04:00 → 2024-05-15 06:30:00 -04:00/);
  });

  it('keeps the prompt and the forms next to the start preview', () => {
    const m = info(checkStart('2024-05-01T09:00', NOW, 'Europe/Paris'));
    assert.ok(m.startsWith('Start (inclusive): 2024-05-01 07:00:00 UTC'), m);
    assert.ok(m.includes('Europe/Paris 2024-05-01 09:00:00 +02:00'), m);
    assert.ok(m.includes(DATE_FORMS), m);
  });

  it('keeps the prompt and the forms next to a refusal, which names the text', () => {
    const m = error(checkStart('yesterday at noon', NOW, 'UTC'));
    assert.ok(m.startsWith('Start (inclusive): "yesterday at noon" is not a date'), m);
    assert.ok(m.includes(DATE_FORMS), m);
  });

  it('previews the whole range on the end step', () => {
    const m = info(checkEnd('-2h', 'now', NOW, 'UTC'));
    assert.ok(m.startsWith('End (exclusive): 2024-05-15 08:30:00 UTC → 2024-05-15 10:30:00 UTC (2 h)'), m);
    assert.ok(m.includes(DATE_FORMS), m);
  });

  it('refuses an end that is not after the start, showing the start', () => {
    const m = error(checkEnd('now', '-1h', NOW, 'UTC'));
    assert.ok(m.startsWith('End (exclusive): not after the start (2024-05-15 10:30:00 UTC)'), m);
    assert.match(error(checkEnd('-1h', 'later', NOW, 'UTC')), /^End \(exclusive\): "later" is not a date/);
  });
});
