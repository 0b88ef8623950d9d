import * as assert from 'node:assert/strict';
import { DEFAULT_BASE_URL, parseCommandLine, UsageError, type EventsRequest } from '../../../src/cli/args';
import { allEmailEvents } from '../../../src/np6/query';

const NOW = Date.UTC(2024, 4, 15, 12);

function events(argv: string[]): EventsRequest {
  const c = parseCommandLine(argv, NOW);
  assert.equal(c.kind, 'events');
  return c.request;
}
function query(argv: string[]) {
  const r = events(argv);
  assert.equal(r.mode, 'query');
  return r;
}
function usage(argv: string[], message: RegExp): void {
  assert.throws(
    () => parseCommandLine(argv, NOW),
    (e: unknown) => e instanceof UsageError && message.test(e.message),
  );
}

describe('CLI arguments', () => {
  it('defaults: whole campaign, every email type, ascending, export to stdout, NP6 production over https', () => {
    const r = query(['events', '--campaign', 'c-1']);
    assert.deepEqual(r.query, {
      campaignId: 'c-1',
      endpoint: 'campaign',
      itemsEvents: [allEmailEvents()],
      sort: 'asc',
    });
    assert.equal(r.format, 'export');
    assert.equal(r.out, '-');
    assert.equal(r.baseUrl, DEFAULT_BASE_URL);
    assert.equal(r.timeoutMs, 60_000);
    assert.equal(r.windowMs, undefined);
  });

  it('builds the itemsEvents filter from --items, --channel, --types and --subtypes', () => {
    const r = query([
      'events',
      '--campaign',
      'c-1',
      '--items-endpoint',
      '--items',
      '000PE4, 000PE5',
      '--types',
      'hit,activation',
      '--subtypes',
      'open,redirection',
    ]);
    assert.equal(r.query.endpoint, 'items');
    assert.deepEqual(r.query.itemsEvents, [
      {
        channel: 'email',
        events: [{ type: 'hit', subtypes: ['open', 'redirection'] }, { type: 'activation' }],
        items: ['000PE4', '000PE5'],
      },
    ]);
  });

  it('--subtypes alone narrows the hits of the default selection', () => {
    const r = query(['events', '--campaign', 'c', '--subtypes', 'open']);
    const hit = r.query.itemsEvents[0]!.events.find((e) => e.type === 'hit');
    assert.deepEqual(hit?.subtypes, ['open']);
    assert.equal(r.query.itemsEvents[0]!.events.length, allEmailEvents().events.length);
  });

  it('reads dates as ISO (UTC unless --tz), epoch ms and offsets from now, also right after the flag', () => {
    const r = query(['events', '--campaign', 'c', '--start', '-2h', '--end', 'now']);
    assert.equal(r.query.start, NOW - 2 * 3_600_000);
    assert.equal(r.query.end, NOW);
    const paris = query(['events', '--campaign', 'c', '--start', '2024-05-01T09:00', '--tz', 'Europe/Paris']);
    assert.equal(paris.query.start, Date.UTC(2024, 4, 1, 7));
    const utc = query(['events', '--campaign', 'c', '--start', '2024-05-01T09:00', '--end', '1714561200000']);
    assert.equal(utc.query.start, Date.UTC(2024, 4, 1, 9));
    assert.equal(utc.query.end, 1_714_561_200_000);
  });

  it('--window, --timeout, --format, --out, --verbose', () => {
    const r = query([
      'events',
      '--campaign',
      'c',
      '--start',
      '-7d',
      '--window',
      '6h',
      '--timeout',
      '2.5',
      '--format',
      'ndjson',
      '-o',
      'x.ndjson',
      '-v',
    ]);
    assert.equal(r.windowMs, 6 * 3_600_000);
    assert.equal(r.timeoutMs, 2500);
    assert.equal(r.format, 'ndjson');
    assert.equal(r.out, 'x.ndjson');
    assert.equal(r.verbose, true);
  });

  it('--resume takes the query from the file; --out and --format only when given (the file decides otherwise)', () => {
    const r = events(['events', '--resume', 'old.json']);
    assert.deepEqual(r.mode === 'resume' && [r.resumeFile, r.out, r.format], [
      'old.json',
      undefined,
      undefined,
    ]);
    const o = events(['events', '--resume', 'old.json', '--out', 'new.json', '--format', 'ndjson']);
    assert.deepEqual(o.mode === 'resume' && [o.out, o.format], ['new.json', 'ndjson']);
    usage(['events', '--resume', 'old.json', '--start', '-1d'], /remove --start/);
    usage(['events', '--resume', ''], /--resume is empty/);
  });

  it('--format csv, and --bom with it only; a CSV file is never resumed', () => {
    const csv = query(['events', '--campaign', 'c-1', '--format', 'csv']);
    assert.equal(csv.format, 'csv');
    assert.equal(csv.bom, undefined);
    assert.equal(query(['events', '--campaign', 'c-1', '--format', 'csv', '--bom']).bom, true);
    usage(['events', '--campaign', 'c-1', '--bom'], /--bom applies to CSV only/);
    usage(['events', '--campaign', 'c-1', '--format', 'ndjson', '--bom'], /--bom applies to CSV only/);
    usage(['events', '--campaign', 'c-1', '--format', 'tsv'], /use export, array, ndjson or csv/);
    usage(['events', '--resume', 'x.csv', '--format', 'csv'], /a CSV file cannot be resumed/);
  });

  it('range-checks every number flag, with the accepted range in the message', () => {
    const cases: [string[], RegExp][] = [
      [['--timeout', '3000000'], /--timeout "3000000" .* from 1 to 86400/],
      [['--timeout', '0'], /--timeout "0"/],
      [['--timeout', '-5'], /--timeout "-5"/],
      [['--timeout', '1e3'], /--timeout "1e3"/],
      [['--timeout', 'NaN'], /--timeout "NaN"/],
      [['--timeout', 'Infinity'], /--timeout "Infinity"/],
      [['--retries', '11'], /--retries "11" is not a whole number .* 0 to 10/],
      [['--retries', '1.5'], /--retries "1.5"/],
      [['--max-element-mb', '0'], /--max-element-mb "0" .* 1 to 1024/],
      [['--max-element-mb', '4096'], /--max-element-mb "4096"/],
      [['--min-rate', '-1'], /--min-rate "-1"/],
      [['--min-rate', '2000000000'], /--min-rate "2000000000"/],
      [['--deadline', '500ms'], /--deadline: "500ms" is not a duration/],
      [['--deadline', '8d'], /--deadline "8d" is out of range: give from 1s to 7d/],
      [['--deadline', '30d'], /--deadline "30d" is out of range/],
      [['--deadline', 'soon'], /--deadline: "soon" is not a duration/],
      [['--start', '-1d', '--window', '365d'], /--window "365d" is out of range: give from 1s to 90d/],
    ];
    for (const [flags, message] of cases) usage(['events', '--campaign', 'c', ...flags], message);
  });

  it('passes the bounds to the request: defaults 16 MiB and 30 minutes, --retries and --min-rate when given', () => {
    const d = query(['events', '--campaign', 'c']);
    assert.equal(d.maxElementBytes, 16 * 1024 * 1024);
    assert.equal(d.deadlineMs, 30 * 60_000);
    assert.equal(d.retries, undefined);
    assert.equal(d.minBytesPerSecond, undefined);
    assert.equal(d.allowPartial, false);
    const r = query([
      'events',
      '--campaign',
      'c',
      '--timeout',
      '86400',
      '--retries',
      '0',
      '--max-element-mb',
      '2',
      '--deadline',
      '2h',
      '--min-rate',
      '1000',
      '--allow-partial',
    ]);
    assert.equal(r.timeoutMs, 86_400_000);
    assert.equal(r.retries, 0);
    assert.equal(r.maxElementBytes, 2 * 1024 * 1024);
    assert.equal(r.deadlineMs, 2 * 3_600_000);
    assert.equal(r.minBytesPerSecond, 1000);
    assert.equal(r.allowPartial, true);
  });

  it('refuses campaign and item ids that would change the request path or hide characters', () => {
    for (const id of ['..', '.', 'a/b', 'a\\b', 'a\u0007', 'x?y=1', 'c#1', '%2e%2e', 'x'.repeat(257)]) {
      usage(['events', '--campaign', id], /--campaign: The campaign id/);
    }
    usage(['events', '--campaign', 'c', '--items', 'ok,../x'], /--items: An item id/);
    usage(
      ['events', '--campaign', 'c', '--items', 'a\u0007'],
      /--items: An item id contains a control character/,
    );
  });

  it('accepts https anywhere and http on loopback only', () => {
    assert.equal(
      query(['events', '--campaign', 'c', '--base-url', 'https://api.example.com/']).baseUrl,
      'https://api.example.com',
    );
    assert.equal(
      query(['events', '--campaign', 'c', '--base-url', 'http://127.0.0.1:8642']).baseUrl,
      'http://127.0.0.1:8642',
    );
    assert.equal(
      query(['events', '--campaign', 'c', '--base-url', 'http://localhost:1']).baseUrl,
      'http://localhost:1',
    );
    usage(['events', '--campaign', 'c', '--base-url', 'http://10.0.0.1'], /https/);
    usage(['events', '--campaign', 'c', '--base-url', 'ftp://127.0.0.1'], /https/);
    usage(['events', '--campaign', 'c', '--base-url', 'https://u:p@x.com'], /user name or password/);
    usage(['events', '--campaign', 'c', '--base-url', 'not a url'], /--base-url: .*spaces/);
    usage(['events', '--campaign', 'c', '--base-url', 'nonsense'], /--base-url: .*not a valid URL/);
    usage(['events', '--campaign', 'c', '--base-url', 'https://x.com/?a=1'], /query string/);
  });

  it('refuses the key as a flag in any spelling without repeating its value', () => {
    for (const flag of ['--key', '--key=s3cret', '--api-key', '--API-KEY=s3cret', '-key']) {
      assert.throws(
        () => parseCommandLine(['events', '--campaign', 'c', flag, 's3cret'], NOW),
        (e: unknown) =>
          e instanceof UsageError && /NP6_API_KEY/.test(e.message) && !e.message.includes('s3cret'),
        flag,
      );
    }
  });

  it('help, version and command errors', () => {
    assert.deepEqual(parseCommandLine(['--help'], NOW), { kind: 'help' });
    assert.deepEqual(parseCommandLine(['events', '-h'], NOW), { kind: 'help' });
    assert.deepEqual(parseCommandLine(['help'], NOW), { kind: 'help' });
    assert.deepEqual(parseCommandLine(['--version'], NOW), { kind: 'version' });
    usage([], /No command/);
    usage(['export'], /Unknown command "export"/);
    usage(['events', 'extra', '--campaign', 'c'], /Unexpected argument "extra"/);
    usage(['events', '--campaign'], /--campaign/);
    usage(['events', '--campaign', 'c', '--tz', 'Moon/Base'], /Unknown time zone/);
    usage(['events', '--campaign', 'c', '--types', ''], /--types is empty/);
    usage(['events', '--campaign', 'c', '--start', '-1d', '--window', '1h', '--sort', 'desc'], /--sort asc/);
    usage(['events', '--campaign', 'has space'], /--campaign: The campaign id contains .*space/);
  });
});
