import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkNumberSetting, NUMBER_SETTINGS, type NumberSetting } from '../../../src/core/numberSettings';

describe('checkNumberSetting', () => {
  it('keeps a value within range and uses the default when unset', () => {
    assert.deepEqual(checkNumberSetting('requestTimeoutSeconds', 30), { value: 30 });
    assert.deepEqual(checkNumberSetting('requestTimeoutSeconds', undefined), { value: 60 });
    assert.deepEqual(checkNumberSetting('results.maxStorageMB', 16), { value: 16 });
  });

  it('falls back to the default, saying why, for anything out of range or not a number', () => {
    for (const raw of [0, -1, 3601, 3_000_000, Number.NaN, Infinity, '30', null, true]) {
      const r = checkNumberSetting('requestTimeoutSeconds', raw);
      assert.equal(r.value, 60, String(raw));
      assert.match(r.problem ?? '', /np6\.requestTimeoutSeconds must be a number from 1 to 3600/);
    }
    assert.equal(checkNumberSetting('results.maxStorageMB', 15).value, 1024);
    assert.equal(checkNumberSetting('export.maxDocumentSizeMB', 4096).value, 50);
  });

  it('matches package.json: same bounds and defaults, machine scope for the user-only ones', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, Record<string, unknown>> } };
      capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
    };
    const props = pkg.contributes.configuration.properties;
    for (const key of Object.keys(NUMBER_SETTINGS) as NumberSetting[]) {
      const p = props[`np6.${key}`];
      const s = NUMBER_SETTINGS[key];
      assert.ok(p, key);
      assert.deepEqual([p.default, p.minimum, p.maximum], [s.def, s.min, s.max], key);
      assert.equal(p.scope === 'machine', s.userOnly, `${key} scope`);
    }
    assert.equal(props['np6.baseUrl']?.scope, 'machine');
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('np6.campaigns'));
  });
});
