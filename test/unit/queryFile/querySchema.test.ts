// schemas/np6query.schema.json (what the editor checks as you type) and the parser the extension
// runs (src/core/queryFile/queryFile.ts) agree on sample files: every valid sample passes both,
// every invalid one fails both. The schema ships in the .vsix and is contributed for *.np6query.json.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DATE_PRESETS } from '../../../src/core/dates';
import { QUERY_EVENT_TYPES } from '../../../src/core/query/queryAnswers';
import { parseQueryFileText } from '../../../src/core/queryFile/queryFile';
import { HIT_SUBTYPES } from '../../../src/np6/events';
import { check, type Schema } from './schemaCheck';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SAMPLES = path.join(ROOT, 'test', 'fixtures', 'queryFiles');
const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'np6query.schema.json'), 'utf8')) as Schema;

function samples(kind: 'valid' | 'invalid'): [string, string][] {
  const dir = path.join(SAMPLES, kind);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.np6query.json'))
    .map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]);
}

describe('query file schema', () => {
  it('is contributed for *.np6query.json and shipped in the .vsix', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { jsonValidation?: { fileMatch: string; url: string }[] };
    };
    const entry = pkg.contributes.jsonValidation?.find((j) => j.fileMatch === '*.np6query.json');
    assert.equal(entry?.url, './schemas/np6query.schema.json');
    const ignore = readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!schemas/np6query.schema.json'), '.vscodeignore keeps the schema');
  });

  it('has enough samples of both kinds to mean something', () => {
    assert.ok(samples('valid').length >= 4);
    assert.ok(samples('invalid').length >= 12);
  });

  for (const [name, text] of samples('valid')) {
    it(`accepts ${name} (schema and parser)`, () => {
      assert.deepEqual(check(schema, JSON.parse(text)), []);
      const parsed = parseQueryFileText(text);
      assert.ok('value' in parsed, 'error' in parsed ? parsed.error : '');
    });
  }

  for (const [name, text] of samples('invalid')) {
    it(`refuses ${name} (schema and parser)`, () => {
      assert.notDeepEqual(check(schema, JSON.parse(text)), [], 'the schema refuses it');
      assert.ok('error' in parseQueryFileText(text), 'the parser refuses it');
    });
  }

  it('lists the same event types, subtypes, presets and sorts as the code', () => {
    const props = (
      schema as {
        properties: Record<
          string,
          {
            items?: { enum?: string[] };
            enum?: string[];
            oneOf?: { properties: Record<string, { enum?: string[] }> }[];
          }
        >;
      }
    ).properties;
    assert.deepEqual(props.types?.items?.enum, [...QUERY_EVENT_TYPES]);
    assert.deepEqual(props.subtypes?.items?.enum, [...HIT_SUBTYPES]);
    assert.deepEqual(
      props.range?.oneOf?.[1]?.properties.preset?.enum,
      DATE_PRESETS.map((p) => p.id),
    );
    assert.deepEqual(props.sort?.enum, ['asc', 'desc', 'none']);
  });

  it('the checker itself finds each kind of problem (so the tests above can fail)', () => {
    const s: Schema = {
      type: 'object',
      required: ['a'],
      additionalProperties: false,
      properties: { a: { type: 'string', pattern: '^x$' } },
    };
    assert.deepEqual(check(s, { a: 'x' }), []);
    assert.equal(check(s, {}).length, 1);
    assert.equal(check(s, { a: 'y' }).length, 1);
    assert.equal(check(s, { a: 'x', b: 1 }).length, 1);
    assert.throws(() => check({ format: 'date' }, 'x'), /unknown keyword/);
  });
});
