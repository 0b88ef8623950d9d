// `npm run sandbox`: starts the NP6 sandbox on loopback and prints how to use it.
//   --port N      port (default 8642; 0 = any free port)
//   --seed N      generator seed (same seed, same data)
//   --key TEXT    the X-Key the server accepts (default: the demo key)
//   --fault MODE  start with a fault: 429, 500, 503, html, slow, cut, malformed
//   --large N     also serve a campaign of about N events
//   --fixed       keep the demo campaigns at their fixed dates instead of ending them just before now

import { parseArgs } from 'node:util';

import { DEFAULT_SEED, DEMO_API_KEY, DEMO_CAMPAIGNS, demoCampaignsRelativeTo, LARGE_CAMPAIGN } from './demo';
import { startSandbox } from './server';
import type { FaultMode } from './types';

const FAULTS: readonly FaultMode[] = ['none', '429', '500', '503', 'html', 'slow', 'cut', 'malformed'];

function fail(message: string): never {
  process.stderr.write(
    `sandbox: ${message}\nUsage: npm run sandbox -- [--port N] [--seed N] [--key K] [--fault MODE] [--large N] [--fixed]\n`,
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
      options: {
        port: { type: 'string' },
        seed: { type: 'string' },
        key: { type: 'string' },
        fault: { type: 'string' },
        large: { type: 'string' },
        fixed: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  if (values.help) {
    process.stdout.write(
      'Starts the NP6 sandbox server on 127.0.0.1. Options: --port --seed --key --fault --large --fixed\n',
    );
    return;
  }
  const fault = (values.fault ?? 'none') as FaultMode;
  if (!FAULTS.includes(fault)) fail(`--fault must be one of ${FAULTS.join(', ')}.`);
  const seed = whole('seed', values.seed, DEFAULT_SEED);
  const campaigns = values.fixed ? [...DEMO_CAMPAIGNS] : demoCampaignsRelativeTo(Date.now(), seed);
  if (values.large !== undefined) campaigns.push(LARGE_CAMPAIGN(whole('large', values.large, 0)));

  const sandbox = await startSandbox({
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
