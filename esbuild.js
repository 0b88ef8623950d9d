// One build script, several bundles built together (pattern of vscode-eslint's esbuild.js):
//   dist/extension.js  the extension host code (node, cjs, `vscode` external)
//   dist/cli.js        the np6-events command-line tool (node, cjs, with a shebang)
//   dist/sandbox.js    the NP6 sandbox's CLI (tools/sandbox/main.ts, a dev tool), `npm run sandbox`
//   dist/sandboxProcess.js the same sandbox (src/demo/sandbox/) as its own process, for demo mode
//   dist/webview.js    the timeline webview (browser, iife) + dist/webview.css, codicons
// esbuild does not type-check: `npm run check-types` (tsc) does, in compile, package and CI.
// Flags: --production (minify, metafile), --watch, --names (with --production: keep identifiers, so
// a CPU profile of the packaged build names its functions; same code otherwise).
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const keepNames = process.argv.includes('--names');
const watch = process.argv.includes('--watch');
// --tests also bundles the suites that run inside VS Code (test/integration) into out/, each entry
// a cjs file with `vscode` and `mocha` left external (the extension host and node_modules give them).
const tests = process.argv.includes('--tests');

/**
 * Reports errors as "✘ [ERROR] text" followed by an indented "file:line:col:" line (esbuild's own
 * log format, which the problem matcher in .vscode/tasks.json reads). In --watch mode it also prints
 * warnings itself and brackets rebuilds with "[watch] build started" / "[watch] build finished",
 * the matcher's background begin/end patterns: "finished" waits until every context has done its
 * first build and none is building, so a launch that waits for it finds every bundle written.
 */
let building = 0;
let neverBuilt = 0;
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    let first = true;
    neverBuilt++;
    build.onStart(() => {
      if (watch && building++ === 0) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (!watch) return;
      for (const { text, location } of result.warnings) {
        console.error(`▲ [WARNING] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (first) neverBuilt--;
      first = false;
      if (--building === 0 && neverBuilt === 0) console.log('[watch] build finished');
    });
  },
};

/** Codicons are served from dist/ (the one localResourceRoot), never from node_modules. */
function copyCodicons() {
  const from = path.join(__dirname, 'node_modules', '@vscode', 'codicons', 'dist');
  const to = path.join(__dirname, 'dist', 'codicons');
  fs.mkdirSync(to, { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(path.join(from, f), path.join(to, f));
}

const common = {
  bundle: true,
  minify: production && !keepNames,
  ...(production && keepNames ? { minifyWhitespace: true, minifySyntax: true } : {}),
  sourcemap: !production,
  sourcesContent: false,
  // In --watch the plugin above prints errors and warnings once each, for the problem matcher.
  logLevel: watch ? 'silent' : 'warning',
  metafile: production,
  plugins: [problemMatcher],
};

const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] };

const builds = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  {
    ...node,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  },
  { ...node, entryPoints: ['tools/sandbox/main.ts'], outfile: 'dist/sandbox.js' },
  // Demo mode forks the sandbox as its own process: neither its CPU nor its memory is the host's.
  { ...node, entryPoints: ['src/demo/sandbox/process.ts'], outfile: 'dist/sandboxProcess.js' },
];
if (fs.existsSync(path.join(__dirname, 'webview', 'main.ts'))) {
  builds.push({
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'chrome114',
    tsconfig: 'webview/tsconfig.json',
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
  });
}

if (tests && fs.existsSync(path.join(__dirname, 'test', 'integration'))) {
  const entries = fs
    .readdirSync(path.join(__dirname, 'test', 'integration'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join('test', 'integration', f));
  builds.push({
    ...node,
    sourcemap: true,
    entryPoints: entries,
    outdir: 'out/test/integration',
    outbase: 'test/integration',
    external: ['vscode', 'mocha'],
  });
}

async function main() {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  if (fs.existsSync(path.join(__dirname, 'node_modules', '@vscode', 'codicons'))) copyCodicons();
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (production) {
    const meta = results.map((r) => r.metafile).filter(Boolean);
    fs.writeFileSync(path.join(__dirname, 'dist', 'meta.json'), JSON.stringify(meta));
    // The licenses of what the .vsix ships, from what esbuild actually bundled.
    const { shippedPackages, noticesText } = require('./tools/build/thirdPartyNotices.cjs');
    fs.writeFileSync(
      path.join(__dirname, 'dist', 'ThirdPartyNotices.txt'),
      noticesText(shippedPackages(meta), __dirname),
    );
  }
  fs.chmodSync(path.join(__dirname, 'dist', 'cli.js'), 0o755);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
