// `npm start`: build, package the .vsix, make sure the VS Code toolchain is there, start the NP6
// sandbox and a real VS Code (code-server) with the extension installed, opening a scratch folder
// outside the repository, and print the URL.
// Ctrl+C stops everything it started. The UI test reuses the helpers exported here.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS = path.join(ROOT, '.vscode-tools');

const say = (m) => console.log(`[start] ${m}`);

function run(cmd, args, opts = {}) {
  execFileSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
}

/** Production bundles + `vsce package`; returns the .vsix path. */
export function buildVsix() {
  say('building (node esbuild.js --production)…');
  run(process.execPath, ['esbuild.js', '--production']);
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const vsix = path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
  say('packaging (vsce package --no-dependencies)…');
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  // Without a repository field vsce asks a question on a terminal; answer it for a local build.
  // No repository yet: keep README links relative (they resolve inside the installed extension).
  const extra = pkg.repository ? [] : ['--allow-missing-repository', '--no-rewrite-relative-links'];
  run(process.execPath, [vsce, 'package', '--no-dependencies', ...extra, '-o', vsix], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return vsix;
}

/** Installs the toolchain when missing; returns its environment (CODE_SERVER_NODE, CODE_SERVER_BIN, CHROMIUM_BIN). */
export function toolchain() {
  const envFile = path.join(TOOLS, 'env.sh');
  if (!existsSync(envFile)) {
    say('installing the VS Code toolchain into .vscode-tools (a few minutes, once)…');
    run('bash', [path.join(ROOT, 'tools', 'vscode-test', 'setup.sh')], { env: { ...process.env, TOOLS } });
  }
  const env = {};
  for (const line of readFileSync(envFile, 'utf8').split('\n')) {
    const m = /^export\s+(\w+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2].replace(/^["']|["']$/g, '');
  }
  return env;
}

/**
 * Installs the .vsix into a fresh profile under `dir` and starts code-server on 127.0.0.1 (a free
 * port), opening `folder`. Returns { url, pid (its process group), userDir, stop }. `log` says what
 * it does (the benchmark's goes to stderr when its stdout is JSON).
 */
export async function startCodeServer({ vsix, dir, folder, env, log = say }) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'user', 'User'), { recursive: true });
  mkdirSync(folder, { recursive: true });
  const xdg = { XDG_DATA_HOME: path.join(dir, 'xdg-data'), XDG_CONFIG_HOME: path.join(dir, 'xdg-config') };
  log('installing the extension into code-server…');
  execFileSync(
    env.CODE_SERVER_NODE,
    [
      env.CODE_SERVER_BIN,
      '--user-data-dir',
      path.join(dir, 'user'),
      '--extensions-dir',
      path.join(dir, 'exts'),
      '--install-extension',
      vsix,
    ],
    { env: { ...process.env, ...xdg }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const script = path.join(ROOT, 'tools', 'vscode-test', 'start-code-server.sh');
  const pid = Number(
    execFileSync('bash', [script, dir, '0', folder], { env: { ...process.env, ...env }, encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop(),
  );
  const serverLog = readFileSync(path.join(dir, 'server.log'), 'utf8');
  const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(serverLog);
  const stop = () => {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {}
  };
  if (!m) {
    stop();
    throw new Error(`code-server did not report its port; log:\n${serverLog}`);
  }
  return { url: `${m[1]}/?folder=${encodeURIComponent(folder)}`, pid, userDir: path.join(dir, 'user'), stop };
}

/** The sandbox on a free loopback port, for pointing np6.baseUrl at it. Returns { url, key, stop }. */
export async function startSandboxProcess() {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'sandbox.js'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let text = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start:\n${text}`)), 20000);
    child.stdout.on('data', (b) => {
      text += b;
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.on('exit', (code) => reject(new Error(`the sandbox exited (${code}):\n${text}`)));
  });
  return { url, output: () => text, stop: () => child.kill('SIGTERM') };
}

/**
 * The folder `npm start` opens, under the OS temp folder: a folder inside this repository (as
 * .vscode-tools/ is) makes VS Code's git extension offer to open the enclosing repository. One
 * per user, kept between runs, so what is exported into it survives a restart.
 */
export function startWorkspace() {
  const folder = path.join(tmpdir(), `np6-event-explorer-start-${process.getuid?.() ?? 'user'}`);
  const inside = path.relative(ROOT, folder);
  if (!inside.startsWith('..') && !path.isAbsolute(inside)) {
    throw new Error(
      `the temp folder ${tmpdir()} is inside the repository; set TMPDIR to a folder outside it`,
    );
  }
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    path.join(folder, 'README.md'),
    'A scratch workspace made by `npm start` (outside the repository; kept between runs).\n\n' +
      'Open the NP6 view in the activity bar, then "Try the Demo".\n',
  );
  return folder;
}

async function main() {
  const vsix = buildVsix();
  const env = toolchain();
  const sandbox = await startSandboxProcess();
  const dir = path.join(TOOLS, 'start');
  const folder = startWorkspace();
  const server = await startCodeServer({ vsix, dir, folder, env });
  const stopAll = () => {
    server.stop();
    sandbox.stop();
  };
  process.on('SIGINT', () => {
    say('stopping…');
    stopAll();
    process.exit(0);
  });
  process.on('SIGTERM', () => {
    stopAll();
    process.exit(0);
  });
  console.log(sandbox.output().trim());
  console.log(`
  NP6 Event Explorer is running in VS Code (code-server):

    ${server.url}

  Workspace folder: ${folder}

  Open it in a browser, click the NP6 icon in the activity bar, then "Try the Demo".
  A standalone sandbox also runs at ${sandbox.url} (its key and campaigns are listed above). To try the
  non-demo path, set np6.baseUrl to it in the Settings editor's Remote tab ("Preferences: Open Remote
  Settings (JSON)"): code-server is a remote host and np6.baseUrl is machine-scoped, so a value in the
  User tab is not read there. Then run "NP6: Set API Key".
  Desktop VS Code: code --install-extension ${path.relative(ROOT, vsix)}

  Ctrl+C stops code-server and the sandbox.
`);
  // Keep running until Ctrl+C.
  await new Promise(() => {});
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`[start] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
