// Turns the command line into a checked request, or a usage error that says what to fix.

import { parseArgs } from 'node:util';
import { checkTimeZone, parseDateInput, parseDuration } from '../core/dates';
import { EXPORT_FORMATS, type ExportFormat } from '../core/exportFormat';
import {
  allEmailEvents,
  validateQuery,
  type ChannelFilter,
  type EventQuery,
  type SortOrder,
} from '../np6/query';

export const DEFAULT_BASE_URL = 'https://api-cm.np6.com';

export type CliCommand = { kind: 'help' } | { kind: 'version' } | { kind: 'events'; request: EventsRequest };

interface Common {
  baseUrl: string;
  format: ExportFormat;
  /** A path, or '-' for standard output. */
  out: string;
  timeoutMs: number;
  verbose: boolean;
}

export type EventsRequest =
  | (Common & { mode: 'query'; query: EventQuery; windowMs?: number })
  | (Common & { mode: 'resume'; resumeFile: string });

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

/** Loopback hosts may use plain http (a local sandbox); everything else must be https. */
export function checkBaseUrl(text: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UsageError(`--base-url "${text}" is not a URL: give one like ${DEFAULT_BASE_URL}`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
    throw new UsageError(
      `--base-url must use https (the key is sent with every request); plain http is only allowed on loopback (127.0.0.1, localhost). Got "${u.protocol}//${u.host}".`,
    );
  }
  if (u.username || u.password) throw new UsageError('--base-url must not contain a user name or password.');
  if (u.search || u.hash) throw new UsageError('--base-url must not contain a query string or fragment.');
  return u.toString().replace(/\/+$/, '');
}

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
    throw new UsageError(`--format "${v.format}" is unknown: use export, array or ndjson.`);
  }
  const timeoutSeconds = v.timeout === undefined ? 60 : Number(v.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new UsageError(`--timeout "${v.timeout}" is not a positive number of seconds.`);
  }
  if (v.out === '') throw new UsageError('--out is empty: give a file name, or - for standard output.');
  const common: Common = {
    baseUrl: checkBaseUrl(v['base-url'] ?? DEFAULT_BASE_URL),
    format,
    out: v.out ?? '-',
    timeoutMs: Math.round(timeoutSeconds * 1000),
    verbose: v.verbose ?? false,
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
    if (format !== 'export') {
      throw new UsageError('--resume writes an export document: remove --format or use --format export.');
    }
    // The merged export replaces the file itself unless --out says otherwise (atomically: a failed
    // resume leaves the earlier file as it was).
    return {
      kind: 'events',
      request: { ...common, out: v.out ?? v.resume, mode: 'resume', resumeFile: v.resume },
    };
  }

  if (v.campaign === undefined) {
    throw new UsageError('--campaign is required: give the campaign id (a uuid).');
  }
  const tz = v.tz ?? 'UTC';
  const zoneError = checkTimeZone(tz);
  if (zoneError) throw new UsageError(`--tz: ${zoneError}`);
  const sort = (v.sort ?? 'asc') as SortOrder;
  if (!['asc', 'desc', 'none'].includes(sort)) {
    throw new UsageError(`--sort "${v.sort}" is unknown: use asc, desc or none.`);
  }
  const items = list(v.items);
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

  if (v.window === undefined) return { kind: 'events', request: { ...common, mode: 'query', query } };
  const d = parseDuration(v.window);
  if ('error' in d) throw new UsageError(`--window: ${d.error}`);
  if (start === undefined) {
    throw new UsageError('--window needs --start (windows cut the range from its start).');
  }
  if (sort === 'desc') {
    throw new UsageError(
      '--window writes events in time order (ascending): use --sort asc, or drop --window for --sort desc.',
    );
  }
  return { kind: 'events', request: { ...common, mode: 'query', query, windowMs: d.ms } };
}
