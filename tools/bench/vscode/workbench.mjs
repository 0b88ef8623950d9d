// The real workbench for the benchmark: the packaged .vsix (the same production build and `vsce
// package` as the UI suites, written to its own path), installed into a fresh code-server profile,
// code-server started with the extension host's inspector on a free port, and headless Chromium.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../start.mjs';

/** Production bundles + `vsce package` into `vsix`; throws when either fails. */
export function packageVsix(vsix, say) {
  say('  packaging the extension (node esbuild.js --production; vsce package)…');
  const quiet = { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] };
  execFileSync(process.execPath, ['esbuild.js', '--production'], quiet);
  mkdirSync(path.dirname(vsix), { recursive: true });
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(
    process.execPath,
    [
      vsce,
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '--no-rewrite-relative-links',
      '-o',
      vsix,
    ],
    quiet,
  );
}

/**
 * Installs `vsix` into a fresh profile under `dir`, starts code-server on a free port opening
 * `folder`. Returns { url, pid (its process group), userDir, stop }.
 */
export function startCodeServer({ vsix, dir, folder, env }) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'user', 'User'), { recursive: true });
  mkdirSync(folder, { recursive: true });
  const xdg = { XDG_DATA_HOME: path.join(dir, 'xdg-data'), XDG_CONFIG_HOME: path.join(dir, 'xdg-config') };
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
    { env: { ...process.env, ...xdg }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const script = path.join(ROOT, 'tools', 'vscode-test', 'start-code-server.sh');
  const out = execFileSync('bash', [script, dir, '0', folder], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  const pid = Number(out.trim().split('\n').pop());
  const log = readFileSync(path.join(dir, 'server.log'), 'utf8');
  const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(log);
  const stop = () => {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  if (!m) {
    stop();
    throw new Error(`code-server did not report its port; log:\n${log}`);
  }
  return {
    url: `${m[1]}/?folder=${encodeURIComponent(folder)}`,
    pid,
    userDir: path.join(dir, 'user'),
    stop,
  };
}
