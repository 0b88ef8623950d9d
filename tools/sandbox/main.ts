// `npm run sandbox`: starts the NP6 sandbox on loopback and prints how to use it.
//   --port N      port (default 8642; 0 = any free port)
//   --seed N      generator seed (same seed, same data)
//   --key TEXT    the X-Key the server accepts (default: the demo key)
//   --fault MODE  start with a fault: 429, 500, 503, html, slow, cut, malformed
//   --large N     also serve a campaign of about N events
//   --fixed       keep the demo campaigns at their fixed dates instead of ending them just before now
//   --hostile[=K,K]      hostile profile: all behaviours, or the listed ones (see README "Hostile mode")
//   --redirect-to URL    hostile redirects go to this loopback URL (default http://localhost:PORT)
//   --redirect-status N  301, 302 (default), 303, 307 or 308

import { parseArgs } from 'node:util';

import {
  DEFAULT_SEED,
  DEMO_API_KEY,
  DEMO_CAMPAIGNS,
  demoCampaignsRelativeTo,
  LARGE_CAMPAIGN,
} from '../../src/demo/sandbox/demo';
import { HOSTILE_KINDS, isHostileKind } from '../../src/demo/sandbox/hostile';
import { HOSTILE_CAMPAIGNS } from '../../src/demo/sandbox/hostileCampaigns';
import { startSandbox } from '../../src/demo/sandbox/server';
import type { FaultMode, HostileKind, HostileSettings } from '../../src/demo/sandbox/types';

const FAULTS: readonly FaultMode[] = [
  'none',
  '429',
  '500',
  '503',
  'html',
  'slow',
  'cut',
  'malformed',
  ...HOSTILE_KINDS,
];

/** `--hostile` alone means every behaviour: parseArgs needs a value, so give it one. */
function withHostileValue(argv: string[]): string[] {
  return argv.map((a) => (a === '--hostile' ? '--hostile=all' : a));
}

function hostileKinds(text: string | undefined): 'all' | HostileKind[] | undefined {
  if (text === undefined) return undefined;
  if (text === 'all') return 'all';
  const kinds = text.split(',').map((k) => k.trim());
  const bad = kinds.find((k) => !isHostileKind(k));
  if (bad !== undefined) fail(`--hostile takes ${HOSTILE_KINDS.join(', ')} (comma-separated), not "${bad}".`);
  return kinds as HostileKind[];
}

function fail(message: string): never {
  process.stderr.write(
    `sandbox: ${message}\nUsage: npm run sandbox -- [--port N] [--seed N] [--key K] [--fault MODE] [--large N] [--fixed]` +
      ' [--hostile[=KINDS]] [--redirect-to URL] [--redirect-status N]\n',
  );
  process.exit(2);
}

function whole(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) fail(`--${name} must be a whole number, not "${text}".`);
  return Number(text);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: withHostileValue(process.argv.slice(2)),
      options: {
        port: { type: 'string' },
        seed: { type: 'string' },
        key: { type: 'string' },
        fault: { type: 'string' },
        large: { type: 'string' },
        fixed: { type: 'boolean' },
        hostile: { type: 'string' },
        'redirect-to': { type: 'string' },
        'redirect-status': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  if (values.help) {
    process.stdout.write(
      'Starts the NP6 sandbox server on 127.0.0.1. Options: --port --seed --key --fault --large --fixed' +
        ' --hostile[=KINDS] --redirect-to --redirect-status\n',
    );
    return;
  }
  const fault = (values.fault ?? 'none') as FaultMode;
  if (!FAULTS.includes(fault)) fail(`--fault must be one of ${FAULTS.join(', ')}.`);
  const seed = whole('seed', values.seed, DEFAULT_SEED);
  const campaigns = values.fixed ? [...DEMO_CAMPAIGNS] : demoCampaignsRelativeTo(Date.now(), seed);
  if (values.large !== undefined) campaigns.push(LARGE_CAMPAIGN(whole('large', values.large, 0)));

  const hostile = hostileKinds(values.hostile);
  const hostileSettings: HostileSettings = {};
  if (values['redirect-to'] !== undefined) hostileSettings.redirectTo = values['redirect-to'];
  if (values['redirect-status'] !== undefined) {
    hostileSettings.redirectStatus = whole('redirect-status', values['redirect-status'], 302);
  }
  const sandbox = await startSandbox({
    ...(hostile !== undefined ? { hostile, hostileSettings } : {}),
    port: whole('port', values.port, 8642),
    seed,
    apiKey: values.key ?? DEMO_API_KEY,
    campaigns,
    faults: { mode: fault },
  });
  const out: string[] = [
    `NP6 sandbox listening on ${sandbox.url}`,
    `API key (X-Key): ${sandbox.apiKey}`,
    fault === 'none'
      ? 'Faults: none (POST /_sandbox/faults to switch some on)'
      : `Fault on every request: ${fault}`,
    '',
  ];
  if (hostile !== undefined) {
    out.push(
      `HOSTILE mode: ${hostile === 'all' ? HOSTILE_KINDS.join(', ') : hostile.join(', ')}.`,
      'Campaigns whose event requests get a hostile answer:',
    );
    for (const c of HOSTILE_CAMPAIGNS.filter((h) => sandbox.campaigns.some((s) => s.id === h.id))) {
      const variant = [
        c.settings.status !== undefined ? String(c.settings.status) : '',
        c.settings.commandLink === 'export' ? 'export link' : '',
        c.settings.echoKeyHtml ? 'HTML page' : '',
      ].filter(Boolean);
      out.push(`  ${c.id}  ${c.kind}${variant.length ? ` (${variant.join(', ')})` : ''}`);
    }
    out.push('');
  }
  for (const c of sandbox.campaigns) {
    out.push(`${c.name}`);
    out.push(`  campaign id: ${c.id}`);
    out.push(`  items:       ${c.items.map((i) => `${i.id} (${i.name})`).join(', ')}`);
    out.push(
      `  events:      ~${c.approxEvents} from ${new Date(c.start).toISOString()} to ${new Date(c.end).toISOString()}`,
    );
  }
  const first = sandbox.campaigns[0];
  if (first) {
    out.push('', 'Try:');
    out.push(
      `  NP6_API_KEY=${sandbox.apiKey} node dist/cli.js events --base-url ${sandbox.url} --campaign ${first.id} --format ndjson`,
    );
  }
  out.push('', 'Ctrl+C stops the sandbox.');
  process.stdout.write(out.join('\n') + '\n');

  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`sandbox: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
