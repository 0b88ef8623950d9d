import assert from 'node:assert/strict';
import {
  baseUrlFromSettings,
  displayTimeZone,
  parseCampaigns,
  parseSettings,
  type SettingsSource,
} from '../../../src/core/settingsParse';
import { DEFAULT_BASE_URL } from '../../../src/np6/baseUrl';
import { checkId, checkItemId } from '../../../src/np6/ids';

/**
 * A configuration as VS Code layers it: the workspace's value over the user's over the default
 * (package.json declares defaults for the np6.* settings; those the rules depend on are here).
 */
function layered(user: Record<string, unknown>, workspace: Record<string, unknown> = {}): SettingsSource {
  const defaults: Record<string, unknown> = { baseUrl: DEFAULT_BASE_URL, campaigns: [], timeZone: 'local' };
  return {
    user: (key) => user[key],
    effective: (key) => workspace[key] ?? user[key] ?? defaults[key],
  };
}

describe('settings parsing: np6.campaigns', () => {
  it('keeps valid campaigns and items, trimming ids and filling the channel', () => {
    const r = parseCampaigns([
      {
        id: ' c-1 ',
        name: 'Spring',
        items: [{ id: 42 }, { id: ' 000PE4 ', channel: 'sms', name: 'Reminder' }],
      },
      { id: 'c-2', name: '', items: 'not a list' },
    ]);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.campaigns, [
      {
        id: 'c-1',
        name: 'Spring',
        items: [
          { id: '42', channel: 'email' },
          { id: '000PE4', channel: 'sms', name: 'Reminder' },
        ],
      },
      { id: 'c-2', items: [] },
    ]);
  });

  it('is empty without a problem when unset, and says so when the value is not a list', () => {
    assert.deepEqual(parseCampaigns(undefined), { campaigns: [], problems: [] });
    for (const v of [null, 'c-1', 3, { id: 'c-1' }]) {
      assert.deepEqual(
        parseCampaigns(v),
        { campaigns: [], problems: ['np6.campaigns is not an array'] },
        JSON.stringify(v),
      );
    }
  });

  it('skips entries that are not objects, have no id or repeat one, and reports each with its place', () => {
    const r = parseCampaigns([
      'c-0',
      null,
      { name: 'no id' },
      { id: '   ' },
      { id: 'c-1' },
      { id: 'c-1', name: 'again' },
      { id: ' c-1 ', name: 'the same id with spaces' },
    ]);
    assert.deepEqual(
      r.campaigns.map((c) => c.id),
      ['c-1'],
    );
    assert.deepEqual(r.problems, [
      'np6.campaigns[0] is not an object',
      'np6.campaigns[1] is not an object',
      'np6.campaigns[2] has no "id"',
      'np6.campaigns[3] has no "id"',
      'np6.campaigns[5]: campaign "c-1" is listed twice',
      'np6.campaigns[6]: campaign "c-1" is listed twice',
    ]);
  });

  it('keeps a campaign or item whose id NP6 would refuse, and reports why', () => {
    const r = parseCampaigns([
      { id: '..', items: [{ id: 'a\u200bb' }, { channel: 'email' }, 7, { id: 'ok' }] },
    ]);
    assert.deepEqual(r.campaigns, [
      {
        id: '..',
        items: [
          { id: 'a\u200bb', channel: 'email' },
          { id: 'ok', channel: 'email' },
        ],
      },
    ]);
    const campaignProblem = checkId('..', 'campaign');
    const itemProblem = checkItemId('a\u200bb');
    assert.ok(campaignProblem && itemProblem, 'the ids used here are invalid ones');
    assert.deepEqual(r.problems, [
      `np6.campaigns[0]: ${campaignProblem}`,
      `np6.campaigns[0].items[0]: ${itemProblem}`,
      'np6.campaigns[0].items[1] has no "id"',
      'np6.campaigns[0].items[2] has no "id"',
    ]);
  });
});

describe('settings parsing: base URL and time zone', () => {
  it('accepts the default and a loopback http address, refuses plain http elsewhere', () => {
    assert.deepEqual(baseUrlFromSettings(DEFAULT_BASE_URL), { url: DEFAULT_BASE_URL });
    assert.deepEqual(baseUrlFromSettings('http://127.0.0.1:8080'), { url: 'http://127.0.0.1:8080' });
    const r = baseUrlFromSettings('http://evil.example.com');
    assert.ok('error' in r);
    assert.match(r.error, /^np6\.baseUrl \(user settings\) is refused\. .*only https/);
    assert.ok('error' in baseUrlFromSettings(42), 'a value that is not a string is refused');
  });

  it('keeps a known time zone and falls back to local for an unknown one', () => {
    assert.equal(displayTimeZone('Europe/Paris'), 'Europe/Paris');
    assert.equal(displayTimeZone('UTC'), 'UTC');
    assert.equal(displayTimeZone('local'), 'local');
    assert.equal(displayTimeZone('Mars/Olympus'), 'local');
  });
});

describe('settings parsing: the whole section', () => {
  it('uses the defaults when nothing is set', () => {
    const s = parseSettings(layered({}));
    assert.deepEqual(s, {
      baseUrl: { url: DEFAULT_BASE_URL },
      campaigns: [],
      campaignProblems: [],
      timeZone: 'local',
      requestTimeoutMs: 60_000,
      maxDocumentBytes: 50 * 1024 * 1024,
      maxStorageBytes: 1024 * 1024 * 1024,
      limits: { maxElementBytes: 16 * 1024 * 1024, deadlineMs: 30 * 60_000, minBytesPerSecond: 1024 },
    });
  });

  it('reads machine-scoped settings from the user only: a workspace value is ignored', () => {
    const workspace = {
      baseUrl: 'https://attacker.example.com',
      requestTimeoutSeconds: 3600,
      'results.maxStorageMB': 1048576,
      'limits.maxEventSizeMB': 1024,
      'limits.requestDeadlineMinutes': 10080,
      'limits.minThroughputKBps': 0,
    };
    const s = parseSettings(layered({}, workspace));
    assert.deepEqual(s.baseUrl, { url: DEFAULT_BASE_URL });
    assert.equal(s.requestTimeoutMs, 60_000);
    assert.equal(s.maxStorageBytes, 1024 * 1024 * 1024);
    assert.deepEqual(s.limits, {
      maxElementBytes: 16 * 1024 * 1024,
      deadlineMs: 30 * 60_000,
      minBytesPerSecond: 1024,
    });
    assert.deepEqual(s.campaignProblems, []);

    const mine = parseSettings(
      layered(
        { baseUrl: 'http://localhost:9000', requestTimeoutSeconds: 5, 'limits.minThroughputKBps': 0 },
        workspace,
      ),
    );
    assert.deepEqual(mine.baseUrl, { url: 'http://localhost:9000' });
    assert.equal(mine.requestTimeoutMs, 5000);
    assert.equal(mine.limits.minBytesPerSecond, 0);
  });

  it('takes the settings a workspace may set from the workspace', () => {
    const s = parseSettings(
      layered(
        { campaigns: [{ id: 'mine' }], timeZone: 'UTC', 'export.maxDocumentSizeMB': 10 },
        { campaigns: [{ id: 'theirs' }], timeZone: 'Europe/Paris', 'export.maxDocumentSizeMB': 2 },
      ),
    );
    assert.deepEqual(s.campaigns, [{ id: 'theirs', items: [] }]);
    assert.equal(s.timeZone, 'Europe/Paris');
    assert.equal(s.maxDocumentBytes, 2 * 1024 * 1024);
  });

  it('reports a refused base URL, and numbers out of range after the campaigns, using the defaults', () => {
    const s = parseSettings(
      layered({
        baseUrl: 'http://evil.example.com',
        campaigns: [{}],
        timeZone: 7,
        requestTimeoutSeconds: 0,
        'limits.maxEventSizeMB': '16',
      }),
    );
    assert.ok('error' in s.baseUrl);
    assert.equal(s.timeZone, 'local');
    assert.equal(s.requestTimeoutMs, 60_000);
    assert.equal(s.limits.maxElementBytes, 16 * 1024 * 1024);
    assert.deepEqual(s.campaignProblems, [
      'np6.campaigns[0] has no "id"',
      'np6.requestTimeoutSeconds must be a number from 1 to 3600; using the default 60.',
      'np6.limits.maxEventSizeMB must be a number from 1 to 1024; using the default 16.',
    ]);
  });
});
