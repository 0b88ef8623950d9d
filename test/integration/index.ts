// Entry point the VS Code test harness loads inside the extension host: runs every *.test.js bundled
// next to this file (out/test/integration/) with mocha, and prints one closing line for the runner.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false });
  // NP6_TEST_GREP=<text> runs only the tests whose full title contains it (one suite while working).
  const grep = process.env['NP6_TEST_GREP'];
  if (grep) mocha.grep(grep);
  const files = readdirSync(__dirname, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    let passed = 0;
    let failed = 0;
    const runner = mocha.run(() => {
      console.log(`integration: ${passed} passed, ${failed} failed`);
      if (failed > 0) reject(new Error(`${failed} integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', () => passed++);
    runner.on('fail', () => failed++);
  });
}
