// What ships lives under src/ (and webview/); tools/ holds only what never ships (issue 10, item 12).
// esbuild follows imports, so one import of tools/ from shipped code would pull a dev tool into the
// .vsix: read the import lines of every source file and find those that reach into tools/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

function sources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|tsx|mts|cts)$/.test(p) ? [p] : [];
  });
}

/** Every module a file names: `import … from`, `export … from`, `import '…'`, `import(…)`, `require(…)`. */
function specifiersOf(text: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]/gm,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
    /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((re) => [...text.matchAll(re)].map((m) => m[1] ?? ''));
}

/** `file: spec` for each import, in the sources under `repo`/`folders`, that resolves into `repo`/tools. */
export function importsOfTools(repo: string, folders: readonly string[]): string[] {
  const tools = path.join(repo, 'tools') + path.sep;
  return folders.flatMap((folder) =>
    sources(path.join(repo, folder)).flatMap((file) =>
      specifiersOf(fs.readFileSync(file, 'utf8'))
        .filter((spec) =>
          spec.startsWith('.')
            ? path.resolve(path.dirname(file), spec).startsWith(tools)
            : spec === 'tools' || spec.startsWith('tools/'),
        )
        .map((spec) => `${path.relative(repo, file)}: ${spec}`),
    ),
  );
}

describe('layout: shipped code does not import tools/', () => {
  it('nothing under src/ or webview/ imports tools/', () => {
    assert.ok(sources(path.join(root, 'src')).length > 50, 'the sources are found');
    assert.deepEqual(importsOfTools(root, ['src', 'webview']), []);
  });

  it('the demo sandbox that ships in dist/sandboxProcess.js lives under src/', () => {
    assert.ok(fs.existsSync(path.join(root, 'src', 'demo', 'sandbox', 'process.ts')));
    assert.ok(!fs.existsSync(path.join(root, 'tools', 'sandbox', 'process.ts')));
    assert.ok(!fs.existsSync(path.join(root, 'tools', 'sandbox', 'worker.ts')));
  });

  it('finds each kind of import of tools/ (so the check above can fail)', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'np6-layout-'));
    try {
      const dir = path.join(repo, 'src', 'vscode');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'bad.ts'),
        [
          "import { a } from '../../tools/sandbox/catcher';",
          'import type {',
          '  B,',
          "} from '../../tools/sandbox/types';",
          "export { c } from '../../tools/x';",
          "import '../../tools/side';",
          "const d = require('../../tools/d');",
          "const e = import('tools/e');",
          "import { ok } from '../core/fine';",
          "import { alsoOk } from './tools/local';",
          "import * as vscode from 'vscode';",
        ].join('\n'),
      );
      const found = importsOfTools(repo, ['src']).sort();
      const file = path.join('src', 'vscode', 'bad.ts');
      assert.deepEqual(
        found,
        [
          '../../tools/d',
          '../../tools/sandbox/catcher',
          '../../tools/sandbox/types',
          '../../tools/side',
          '../../tools/x',
          'tools/e',
        ].map((s) => `${file}: ${s}`),
      );
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });
});
