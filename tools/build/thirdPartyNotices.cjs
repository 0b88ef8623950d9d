// Third-party notices for what the .vsix ships: every npm package whose code esbuild put into a
// shipped bundle (read from the production metafile), plus the codicons font copied into dist/.
// Each entry: name, version, license id and the package's own license file(s), verbatim.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** The bundles that go into the .vsix (see .vscodeignore); the CLI and sandbox CLI do not. */
const SHIPPED = new Set(['dist/extension.js', 'dist/sandboxProcess.js', 'dist/webview.js']);
/** Copied into dist/ as files, not bundled: always shipped. */
const COPIED = ['@vscode/codicons'];

/** The package that owns a bundled input path (`node_modules/@scope/name/...` or `node_modules/name/...`). */
function packageOf(input) {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

/** Package names bundled into the shipped outputs of esbuild metafiles, plus the copied ones, sorted. */
function shippedPackages(metafiles) {
  const names = new Set(COPIED);
  for (const meta of metafiles) {
    for (const [out, info] of Object.entries(meta.outputs)) {
      if (!SHIPPED.has(out)) continue;
      for (const input of Object.keys(info.inputs)) {
        const p = packageOf(input);
        if (p) names.add(p);
      }
    }
  }
  return [...names].sort();
}

/** The notices text for `names`, read from `root`/node_modules. Throws when a package has no license file. */
function noticesText(names, root) {
  const parts = ['NP6 Event Explorer ships code from the following packages. Their licenses follow.', ''];
  for (const name of names) {
    const dir = path.join(root, 'node_modules', name);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const files = fs
      .readdirSync(dir)
      .filter((f) => /^(licen[cs]e|notice)/i.test(f))
      .sort();
    if (files.length === 0) throw new Error(`${name} has no license file to quote`);
    parts.push('='.repeat(78), `${pkg.name} ${pkg.version} (${pkg.license})`, '='.repeat(78));
    for (const f of files) {
      if (files.length > 1) parts.push(`--- ${f}`);
      parts.push(fs.readFileSync(path.join(dir, f), 'utf8').trim(), '');
    }
  }
  return parts.join('\n') + '\n';
}

module.exports = { shippedPackages, noticesText, packageOf };
