// `npx vscode-test` (and `npm run test:desktop`, which builds first): the mocha integration suites of
// test/integration, bundled by `node esbuild.js --tests` into out/test/integration/*.test.js, inside
// a desktop VS Code that @vscode/test-electron downloads into .vscode-test/ (needs the network).
// `npm test` runs the same bundled suites offline in code-server through out/test/integration/index.js,
// which loads every *.test.js next to it: the folder is the suite list, in both runners.
//
// NP6_VSCODE_TEST=code-server swaps the desktop download for the code-server toolchain that
// `npm test` installs into .vscode-tools/ (tools/vscode-test/code-shim.mjs stands in for the VS Code
// executable), so this configuration can be checked on a machine that cannot download VS Code.
import { defineConfig } from '@vscode/test-cli';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

// The oldest VS Code the manifest accepts (engines.vscode "^1.90.0" -> "1.90.0"), where an API used
// by mistake beyond it fails. `npx vscode-test --code-version stable` runs the newest instead.
const minimumVersion = String(pkg.engines.vscode).replace(/^[^\d]*/, '');

/**
 * Every *.test.js under out/test/integration in sorted order, the rule index.ts's run() applies, so
 * both runners run the same suites in the same order. Before a build it is the equivalent glob,
 * which finds nothing: `failZero` below then fails the run instead of passing with no test.
 */
function suiteFiles() {
  const dir = path.join(root, 'out', 'test', 'integration');
  if (!existsSync(dir)) return 'out/test/integration/**/*.test.js';
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => path.join(dir, f));
}

const common = {
  files: suiteFiles(),
  workspaceFolder: 'test/fixtures/workspace',
  // The suites use describe/it and talk to the sandbox over loopback: the same options as index.ts.
  mocha: { ui: 'bdd', timeout: 60_000, failZero: true },
};

/** The toolchain's variables (CODE_SERVER_NODE, CODE_SERVER_BIN, CHROMIUM_BIN), as run-all reads them. */
function toolchainEnv() {
  const file = path.join(root, '.vscode-tools', 'env.sh');
  if (!existsSync(file)) {
    throw new Error('NP6_VSCODE_TEST=code-server needs .vscode-tools/ (run `npm test` once to install it).');
  }
  const env = {};
  for (const m of readFileSync(file, 'utf8').matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]] = m[2];
  return env;
}

const desktop = { ...common, label: 'desktop', version: minimumVersion };

const codeServer = () => ({
  ...common,
  label: 'code-server',
  useInstallation: { fromPath: path.join(root, 'tools', 'vscode-test', 'code-shim.mjs') },
  env: toolchainEnv(),
});

export default defineConfig({
  tests: [process.env.NP6_VSCODE_TEST === 'code-server' ? codeServer() : desktop],
});
