// The layout is the architecture: src/shared (protocol and timeline format/math) is the only code
// the webview and the host share, so it imports neither side, and the layers never import each
// other in a circle. Read from the import lines of the sources themselves.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

interface ImportLine {
  file: string;
  spec: string;
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

function importsOf(file: string): ImportLine[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: ImportLine[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
    out.push({ file: path.relative(root, file), spec: m[1] ?? '' });
  }
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) {
    out.push({ file: path.relative(root, file), spec: m[1] ?? '' });
  }
  return out;
}

/** The repository-relative file a relative import points at (undefined for a package). */
function target(i: ImportLine): string | undefined {
  if (!i.spec.startsWith('.')) return undefined;
  return path.relative(root, path.resolve(root, path.dirname(i.file), i.spec));
}

/** `src/core/timeline/x.ts` → `src/core`; `webview/bench/x.ts` → `webview`. */
function layerOf(file: string): string {
  const parts = file.split(path.sep);
  return parts[0] === 'src' || parts[0] === 'tools' ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? '');
}

const VSCODE = path.join('src', 'vscode');
/** The top-level files of src/vscode (the services: np6Extension, results, settings...), as one node. */
export const VSCODE_TOP = 'src/vscode/*.ts';

/** `src/vscode/tree/x.ts` → `src/vscode/tree`; `src/vscode/results.ts` → the top-level node. */
function vscodeNodeOf(file: string): string | undefined {
  if (!file.startsWith(VSCODE + path.sep)) return undefined;
  const rest = file.slice(VSCODE.length + 1).split(path.sep);
  return rest.length > 1 ? `src/vscode/${rest[0] ?? ''}` : VSCODE_TOP;
}

/** The folder-level graph inside src/vscode: who imports whom, between different nodes only. */
export function vscodeFolderEdges(lines: ImportLine[]): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const i of lines) {
    const t = target(i);
    const a = vscodeNodeOf(i.file);
    const b = t === undefined ? undefined : vscodeNodeOf(t);
    if (a === undefined || b === undefined || a === b) continue;
    edges.set(a, (edges.get(a) ?? new Set()).add(b));
  }
  return edges;
}

/** Every cycle found by a depth-first walk, as "a -> b -> a". */
export function cycles(edges: Map<string, Set<string>>): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (n: string): void => {
    const at = stack.indexOf(n);
    if (at >= 0) {
      found.push([...stack.slice(at), n].join(' -> '));
      return;
    }
    if (done.has(n)) return;
    stack.push(n);
    for (const m of edges.get(n) ?? []) visit(m);
    stack.pop();
    done.add(n);
  };
  for (const n of edges.keys()) visit(n);
  return found;
}

describe('import graph', () => {
  const all = [...sources(path.join(root, 'src')), ...sources(path.join(root, 'webview'))].flatMap(importsOf);

  it('src/shared imports only src/shared: no vscode, no node modules, no host or webview code', () => {
    const shared = all.filter((i) => i.file.startsWith(`src${path.sep}shared${path.sep}`));
    assert.ok(shared.length > 5, 'the shared folder has imports to check');
    const bad = shared.filter((i) => {
      const t = target(i);
      return t === undefined || !t.startsWith(`src${path.sep}shared${path.sep}`);
    });
    assert.deepEqual(bad, []);
  });

  it('the webview imports only webview/ and src/shared (plus browser packages)', () => {
    const web = all.filter((i) => i.file.startsWith(`webview${path.sep}`));
    const bad = web.filter((i) => {
      const t = target(i);
      if (t === undefined) return i.spec === 'vscode' || i.spec.startsWith('node:');
      return !t.startsWith(`webview${path.sep}`) && !t.startsWith(`src${path.sep}shared${path.sep}`);
    });
    assert.deepEqual(bad, []);
  });

  it('no cycle between the layers (src/np6, src/core, src/shared, src/cli, src/vscode, webview)', () => {
    const edges = new Map<string, Set<string>>();
    for (const i of all) {
      const t = target(i);
      if (t === undefined) continue;
      const a = layerOf(i.file);
      const b = layerOf(t);
      if (a === b) continue;
      edges.set(a, (edges.get(a) ?? new Set()).add(b));
    }
    assert.ok(edges.get('src/core')?.has('src/shared'), 'src/core/timeline builds the shared format');
    assert.deepEqual(cycles(edges), []);
  });

  it('no cycle between the folders of src/vscode (each subfolder, and the top-level files as one node)', () => {
    const edges = vscodeFolderEdges(all);
    // The direction: services (top level) ← tree, query, timeline ← commands ← activation.
    assert.ok(edges.get('src/vscode/commands')?.has(VSCODE_TOP), 'the commands use the services');
    assert.ok(
      edges.get('src/vscode/activation')?.has('src/vscode/commands'),
      'activate() registers the commands',
    );
    assert.deepEqual(cycles(edges), []);
  });

  it('the top-level services of src/vscode import none of its subfolders (they are the bottom layer)', () => {
    assert.deepEqual([...(vscodeFolderEdges(all).get(VSCODE_TOP) ?? [])], []);
  });

  it('only activate() knows the whole Np6Extension: every command and view takes the narrow services it uses', () => {
    const importers = all
      .filter((i) => target(i) === path.join('src', 'vscode', 'np6Extension'))
      .map((i) => i.file);
    assert.deepEqual(importers, [path.join('src', 'vscode', 'activation', 'activate.ts')]);
  });

  it('the src/vscode folder check finds the cycle the old layout had (so it can fail)', () => {
    // Before: np6Extension.ts imported tree/nodes (for instanceof) and commands imported np6Extension.
    const old: ImportLine[] = [
      { file: path.join('src', 'vscode', 'np6Extension.ts'), spec: './tree/nodes' },
      { file: path.join('src', 'vscode', 'np6Extension.ts'), spec: './commands/nextSteps' },
      { file: path.join('src', 'vscode', 'tree', 'nodes.ts'), spec: '../untrustedUi' },
      { file: path.join('src', 'vscode', 'commands', 'queryCommands.ts'), spec: '../np6Extension' },
    ];
    const edges = vscodeFolderEdges(old);
    assert.deepEqual(cycles(edges), [
      `${VSCODE_TOP} -> src/vscode/tree -> ${VSCODE_TOP}`,
      `${VSCODE_TOP} -> src/vscode/commands -> ${VSCODE_TOP}`,
    ]);
  });

  it('the cycle finder finds a cycle (so the check above can fail)', () => {
    const edges = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    assert.deepEqual(cycles(edges), ['a -> b -> c -> a']);
  });
});
