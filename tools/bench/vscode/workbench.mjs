// The packaged .vsix for the benchmark: the same production build and `vsce package` as the UI
// suites, written to its own path. It is installed and code-server started by tools/start.mjs's
// startCodeServer, as for the UI suites.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
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
