// The third-party notices shipped in the .vsix list exactly the packages bundled into shipped code.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(__dirname, '..', '..', '..');
const requireCjs = createRequire(__filename);
const { shippedPackages, noticesText, packageOf } = requireCjs(
  path.join(root, 'tools', 'build', 'thirdPartyNotices.cjs'),
) as {
  shippedPackages: (m: unknown[]) => string[];
  noticesText: (names: string[], root: string) => string;
  packageOf: (input: string) => string | undefined;
};

const meta = [
  {
    outputs: {
      'dist/webview.js': {
        inputs: {
          'node_modules/lit-html/lit-html.js': {},
          'node_modules/@vscode-elements/elements/dist/vscode-button/index.js': {},
          'webview/main.ts': {},
        },
      },
      'dist/cli.js': { inputs: { 'node_modules/stream-json/index.js': {} } },
    },
  },
];

describe('third-party notices', () => {
  it('names the owning package of a bundled input, scoped or not', () => {
    assert.equal(packageOf('node_modules/@lit/reactive-element/x.js'), '@lit/reactive-element');
    assert.equal(packageOf('node_modules/a/node_modules/lit/index.js'), 'lit');
    assert.equal(packageOf('src/np6/client.ts'), undefined);
  });

  it('lists the packages of shipped bundles and the copied codicons, not those of the CLI', () => {
    assert.deepEqual(shippedPackages(meta), ['@vscode-elements/elements', '@vscode/codicons', 'lit-html']);
  });

  it('quotes each package license verbatim, with its name, version and license id', () => {
    const text = noticesText(shippedPackages(meta), root);
    for (const name of ['lit-html', '@vscode-elements/elements', '@vscode/codicons']) {
      const pkg = JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
        version: string;
        license: string;
      };
      assert.ok(text.includes(`${name} ${pkg.version} (${pkg.license})`), name);
      const license = readFileSync(path.join(root, 'node_modules', name, 'LICENSE'), 'utf8').trim();
      assert.ok(text.includes(license), `${name}'s LICENSE is quoted`);
    }
  });

  it('ships the notices in the .vsix', () => {
    const ignore = readFileSync(path.join(root, '.vscodeignore'), 'utf8');
    assert.match(ignore, /^!dist\/ThirdPartyNotices\.txt$/m);
  });
});
