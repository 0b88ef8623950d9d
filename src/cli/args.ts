// Turns the command line into a checked request, or a usage error that says what to fix.

import { parseArgs } from 'node:util';
import { checkTimeZone, parseDateInput, parseDuration } from '../core/dates';
import { EXPORT_FORMATS, type ExportFormat } from '../core/exportFormat';
import { checkBaseUrl, DEFAULT_BASE_URL } from '../np6/baseUrl';
import { checkId } from '../np6/ids';
import {
  allEmailEvents,
  validateQuery,
  type ChannelFilter,
  type EventQuery,
  type SortOrder,
} from '../np6/query';

export { DEFAULT_BASE_URL };

export type CliCommand = { kind: 'help' } | { kind: 'version' } | { kind: 'events'; request: EventsRequest };

interface Common {
  baseUrl: string;
  timeoutMs: number;
  verbose: boolean;
  /** Retries of 429/503/connection failures (client default when absent). */
  retries?: number;
  /** Largest array element, in bytes. */
  maxElementBytes: number;
  /** Longest an attempt may take from request to last byte. */
  deadlineMs: number;
  /** Lowest average throughput of a response before it is given up (absent: the client's default; 0: none). */
  minBytesPerSecond?: number;
  /** Write a partial array/ndjson run under --out itself instead of `<out>.partial` + sidecar. */
  allowPartial: boolean;
  /** --bom: start a CSV output with a UTF-8 byte order mark (only with --format csv). */
  bom?: true;
}

export type EventsRequest =
  | (Common & {
      mode: 'query';
      format: ExportFormat;
      /** A path, or '-' for standard output. */
      out: string;
      query: EventQuery;
      windowMs?: number;
    })
  | (Common & {
      mode: 'resume';
      resumeFile: string;
      /** Given on the command line; otherwise decided by the file resumed. */
      format?: ExportFormat;
      out?: string;
    });

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  campaign: { type: 'string' },
  'items-endpoint': { type: 'boolean' },
  items: { type: 'string' },
  channel: { type: 'string' },
  types: { type: 'string' },
  subtypes: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  tz: { type: 'string' },
  sort: { type: 'string' },
  'base-url': { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string', short: 'o' },
  timeout: { type: 'string' },
  window: { type: 'string' },
  resume: { type: 'string' },
  retries: { type: 'string' },
  'max-element-mb': { type: 'string' },
  deadline: { type: 'string' },
  'min-rate': { type: 'string' },
  'allow-partial': { type: 'boolean' },
  bom: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

/** Flags that would put the secret on the command line. Refused before anything else is read. */
const KEY_FLAGS = /^--?(key|api-key|apikey|x-key|np6-api-key)(=|$)/i;

const list = (s: string | undefined): string[] | undefined =>
  s === undefined
    ? undefined
    : s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '');

/**
 * A number flag within [min, max]: refused with the accepted range otherwise. Ranges keep every
 * value far from what a timer can hold (setTimeout turns anything over 2^31-1 ms into 1 ms).
 */
function numberFlag(
  flag: string,
  text: string | undefined,
  range: { min: number; max: number; integer?: boolean; unit: string },
): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\s*[+]?(\d+(\.\d+)?|\.\d+)\s*$/.test(text) ? Number(text) : NaN;
  const what = range.integer ? 'a whole number' : 'a number';
  if (!Number.isFinite(n) || n < range.min || n > range.max || (range.integer && !Number.isInteger(n))) {
    throw new UsageError(
      `--${flag} "${text}" is not ${what} of ${range.unit} from ${range.min} to ${range.max}.`,
    );
  }
  return n;
}

/** A duration flag (15m, 1h, 2d; units s, m, h, d, w) within [minMs, maxMs]. */
function durationFlag(
  flag: string,
  text: string | undefined,
  minMs: number,
  maxMs: number,
  words: string,
): number | undefined {
  if (text === undefined) return undefined;
  const d = parseDuration(text);
  if ('error' in d) throw new UsageError(`--${flag}: ${d.error}`);
  if (d.ms < minMs || d.ms > maxMs) {
    throw new UsageError(`--${flag} "${text}" is out of range: give ${words}.`);
  }
  return d.ms;
}

const SECOND_MS = 1000;
const DAY_MS = 86_400_000;
export const DEFAULT_MAX_ELEMENT_MB = 16;
export const DEFAULT_DEADLINE_MS = 30 * 60_000;
/** What the window planner accepts (windowPlan.ts: 1 s to 90 days). */
const WINDOW_RANGE = { min: SECOND_MS, max: 90 * DAY_MS };

function parseDate(flag: string, text: string | undefined, now: number, tz: string): number | undefined {
  if (text === undefined) return undefined;
  const r = parseDateInput(text, now, tz);
  if ('error' in r) throw new UsageError(`--${flag}: ${r.error}`);
  return r.ms;
}

function buildFilter(
  channel: string,
  types: string[] | undefined,
  subtypes: string[] | undefined,
  items: string[] | undefined,
): ChannelFilter {
  if (types === undefined) {
    const all = allEmailEvents(items);
    all.channel = channel;
    if (subtypes) {
      for (const e of all.events) if (e.type === 'hit') e.subtypes = subtypes;
    }
    return all;
  }
  if (types.length === 0) {
    throw new UsageError('--types is empty: give event types, e.g. --types hit,activation');
  }
  if (subtypes && !types.includes('hit')) {
    throw new UsageError(
      '--subtypes only applies to hit events: add hit to --types (e.g. --types hit --subtypes open).',
    );
  }
  return {
    channel,
    events: types.map((type) => (type === 'hit' && subtypes ? { type, subtypes } : { type })),
    ...(items && items.length > 0 ? { items } : {}),
  };
}

/**
 * `--start -2h` would make parseArgs take "-2h" for a flag: glue such values (a sign then a digit)
 * to their option as `--start=-2h`, which is what the help promises works.
 */
function joinSignedValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    const name = a.startsWith('--') ? a.slice(2) : undefined;
    const takesValue =
      name !== undefined && name in OPTIONS && OPTIONS[name as keyof typeof OPTIONS].type === 'string';
    if (takesValue && next !== undefined && /^[+-]\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** Parses argv (without node and script). Throws UsageError with a message to show. */
export function parseCommandLine(argv: string[], now: number): CliCommand {
  const keyFlag = argv.find((a) => KEY_FLAGS.test(a));
  if (keyFlag) {
    // Never echo the flag's value: it is the secret.
    throw new UsageError(
      `${keyFlag.split('=')[0]} is not accepted: the API key must not be on the command line. Set the environment variable NP6_API_KEY instead.`,
    );
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: joinSignedValues(argv),
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(
      `${(e as Error).message.replace(/\. To specify a positional.*$/s, '')}. See np6-events --help.`,
    );
  }
  const v = parsed.values;
  if (v.help) return { kind: 'help' };
  if (v.version) return { kind: 'version' };
  const [command, ...extra] = parsed.positionals;
  if (command === undefined) {
    throw new UsageError('No command given: use "np6-events events --campaign ID". See --help.');
  }
  if (command === 'help') return { kind: 'help' };
  if (command !== 'events') {
    throw new UsageError(`Unknown command "${command}": the command is "events". See --help.`);
  }
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}". See --help.`);

  const format = (v.format ?? 'export') as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) {
    throw new UsageError(`--format "${v.format}" is unknown: use export, array, ndjson or csv.`);
  }
  if (v.bom && format !== 'csv') {
    throw new UsageError('--bom applies to CSV only: add --format csv, or remove --bom.');
  }
  const timeoutSeconds = numberFlag('timeout', v.timeout, { min: 1, max: 86_400, unit: 'seconds' }) ?? 60;
  const retries = numberFlag('retries', v.retries, { min: 0, max: 10, integer: true, unit: 'retries' });
  const maxElementMb =
    numberFlag('max-element-mb', v['max-element-mb'], { min: 1, max: 1024, unit: 'MiB' }) ??
    DEFAULT_MAX_ELEMENT_MB;
  const deadlineMs =
    durationFlag('deadline', v.deadline, SECOND_MS, 7 * DAY_MS, 'from 1s to 7d, like 30m or 2h') ??
    DEFAULT_DEADLINE_MS;
  const minRate = numberFlag('min-rate', v['min-rate'], {
    min: 0,
    max: 1e9,
    integer: true,
    unit: 'bytes per second',
  });
  if (v.out === '') throw new UsageError('--out is empty: give a file name, or - for standard output.');
  const base = checkBaseUrl(v['base-url'] ?? DEFAULT_BASE_URL);
  if ('error' in base) throw new UsageError(`--base-url: ${base.error}`);
  const common: Common = {
    baseUrl: base.url,
    timeoutMs: Math.round(timeoutSeconds * 1000),
    verbose: v.verbose ?? false,
    maxElementBytes: Math.round(maxElementMb * 1024 * 1024),
    deadlineMs,
    allowPartial: v['allow-partial'] ?? false,
    ...(retries !== undefined ? { retries } : {}),
    ...(minRate !== undefined ? { minBytesPerSecond: minRate } : {}),
    ...(v.bom ? { bom: true as const } : {}),
  };

  if (v.resume !== undefined) {
    const conflicting = (
      [
        'campaign',
        'items-endpoint',
        'items',
        'channel',
        'types',
        'subtypes',
        'start',
        'end',
        'sort',
        'window',
      ] as const
    ).filter((k) => v[k] !== undefined);
    if (conflicting.length > 0) {
      throw new UsageError(
        `--resume takes the query from the file: remove ${conflicting.map((k) => `--${k}`).join(', ')}.`,
      );
    }
    if (v.resume === '') throw new UsageError('--resume is empty: give the file to resume.');
    if (format === 'csv') {
      throw new UsageError(
        '--resume continues an export, array or ndjson file; a CSV file cannot be resumed (it does not keep the events whole): run the query again with --format csv.',
      );
    }
    // The output's name and format default to what the resumed file says (run.ts): an export
    // replaces itself, a `.partial` run is completed under its original name.
    return {
      kind: 'events',
      request: {
        ...common,
        mode: 'resume',
        resumeFile: v.resume,
        ...(v.format !== undefined ? { format } : {}),
        ...(v.out !== undefined ? { out: v.out } : {}),
      },
    };
  }

  if (v.campaign === undefined) {
    throw new UsageError('--campaign is required: give the campaign id (a uuid).');
  }
  const campaignProblem = checkId(v.campaign, 'campaign');
  if (campaignProblem) throw new UsageError(`--campaign: ${campaignProblem}`);
  const tz = v.tz ?? 'UTC';
  const zoneError = checkTimeZone(tz);
  if (zoneError) throw new UsageError(`--tz: ${zoneError}`);
  const sort = (v.sort ?? 'asc') as SortOrder;
  if (!['asc', 'desc', 'none'].includes(sort)) {
    throw new UsageError(`--sort "${v.sort}" is unknown: use asc, desc or none.`);
  }
  const items = list(v.items);
  for (const item of items ?? []) {
    const problem = checkId(item, 'item');
    if (problem) throw new UsageError(`--items: ${problem}`);
  }
  const query: EventQuery = {
    campaignId: v.campaign,
    endpoint: v['items-endpoint'] ? 'items' : 'campaign',
    itemsEvents: [buildFilter(v.channel ?? 'email', list(v.types), list(v.subtypes), items)],
    sort,
  };
  const start = parseDate('start', v.start, now, tz);
  const end = parseDate('end', v.end, now, tz);
  if (start !== undefined) query.start = start;
  if (end !== undefined) query.end = end;
  const problems = validateQuery(query);
  if (problems.length > 0) throw new UsageError(problems.map((p) => p.message).join('\n'));

  const queryCommon = { ...common, format, out: v.out ?? '-' };
  if (v.window === undefined) return { kind: 'events', request: { ...queryCommon, mode: 'query', query } };
  const windowMs = durationFlag(
    'window',
    v.window,
    WINDOW_RANGE.min,
    WINDOW_RANGE.max,
    'from 1s to 90d, like 15m, 1h or 1d',
  ) as number;
  if (start === undefined) {
    throw new UsageError('--window needs --start (windows cut the range from its start).');
  }
  if (sort === 'desc') {
    throw new UsageError(
      '--window writes events in time order (ascending): use --sort asc, or drop --window for --sort desc.',
    );
  }
  return { kind: 'events', request: { ...queryCommon, mode: 'query', query, windowMs } };
}
