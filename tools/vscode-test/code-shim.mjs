#!/usr/bin/env node
// A stand-in "VS Code executable" for @vscode/test-electron / @vscode/test-cli on machines without
// Electron: accepts the CLI flags test-electron passes and runs the suite in code-server instead.
// runTests({ vscodeExecutablePath: '<tools>/harness/code-shim.mjs', ... })  -> exit code = test result.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
let ext, tests, folder;
for (const arg of process.argv.slice(2)) {
  const m = arg.match(/^--([^=]+)=(.*)$/);
  if (m?.[1] === 'extensionDevelopmentPath')
    ext ??= m[2]; // first one only (harness supports one)
  else if (m?.[1] === 'extensionTestsPath') tests = m[2];
  else if (!arg.startsWith('-')) folder = arg; // workspace folder from launchArgs
}
if (!ext || !tests) {
  console.error('code-shim: need --extensionDevelopmentPath and --extensionTestsPath');
  process.exit(2);
}
const args = [path.join(here, 'run-ext-tests.mjs'), '--ext', ext, '--tests', tests];
if (folder) args.push('--folder', folder);
const child = spawn(process.execPath, args, { stdio: 'inherit', env: process.env });
child.on('exit', (code) => process.exit(code ?? 1));
