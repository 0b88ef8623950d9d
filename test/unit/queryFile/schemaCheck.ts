// A small JSON Schema (draft-07) checker for the keywords schemas/np6query.schema.json uses, so the
// schema the editor applies can be tested against sample files without a validator dependency.
// A keyword the schema uses and this checker does not know fails loudly instead of passing.

export type Schema = { [k: string]: unknown } | boolean;

const KNOWN = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  'default',
  'enumDescriptions',
  'errorMessage',
  'type',
  'required',
  'additionalProperties',
  'properties',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'items',
  'anyOf',
  'oneOf',
  'not',
  '$ref',
  'minimum',
  'definitions',
]);

function typeOk(t: string, v: unknown): boolean {
  switch (t) {
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    default:
      throw new Error(`schemaCheck: unknown type ${t}`);
  }
}

/** The problems of `value` against `schema` (empty: valid). `root` resolves "#/definitions/…". */
export function check(schema: Schema, value: unknown, root: Schema = schema, at = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${at}: not allowed`];
  for (const k of Object.keys(schema)) {
    if (!KNOWN.has(k)) throw new Error(`schemaCheck: unknown keyword ${k}`);
  }
  const s = schema as Record<string, unknown>;
  const out: string[] = [];
  if (typeof s.$ref === 'string') {
    const name = /^#\/definitions\/(.+)$/.exec(s.$ref)?.[1];
    const target = name ? (root as Record<string, Record<string, Schema>>).definitions?.[name] : undefined;
    if (target === undefined) throw new Error(`schemaCheck: cannot resolve ${s.$ref}`);
    out.push(...check(target, value, root, at));
  }
  if (typeof s.type === 'string' && !typeOk(s.type, value)) return [...out, `${at}: not ${s.type}`];
  if (Array.isArray(s.enum) && !s.enum.includes(value)) out.push(`${at}: not in enum`);
  if (typeof value === 'string') {
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) out.push(`${at}: pattern`);
    if (typeof s.minLength === 'number' && [...value].length < s.minLength) out.push(`${at}: minLength`);
    if (typeof s.maxLength === 'number' && [...value].length > s.maxLength) out.push(`${at}: maxLength`);
  }
  if (typeof value === 'number' && typeof s.minimum === 'number' && value < s.minimum) {
    out.push(`${at}: minimum`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) out.push(`${at}: minItems`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) out.push(`${at}: maxItems`);
    if (s.uniqueItems === true && new Set(value.map((x) => JSON.stringify(x))).size !== value.length) {
      out.push(`${at}: uniqueItems`);
    }
    if (s.items !== undefined) {
      value.forEach((x, i) => out.push(...check(s.items as Schema, x, root, `${at}[${i}]`)));
    }
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const props = (s.properties ?? {}) as Record<string, Schema>;
    for (const r of (s.required ?? []) as string[]) if (!(r in o)) out.push(`${at}: missing ${r}`);
    for (const [k, v] of Object.entries(o)) {
      if (k in props) out.push(...check(props[k] as Schema, v, root, `${at}.${k}`));
      else if (s.additionalProperties === false) out.push(`${at}: unknown ${k}`);
    }
  }
  if (Array.isArray(s.anyOf) && !s.anyOf.some((x) => check(x as Schema, value, root, at).length === 0)) {
    out.push(`${at}: matches no anyOf`);
  }
  if (Array.isArray(s.oneOf)) {
    const n = s.oneOf.filter((x) => check(x as Schema, value, root, at).length === 0).length;
    if (n !== 1) out.push(`${at}: matches ${n} of oneOf`);
  }
  if (s.not !== undefined && check(s.not as Schema, value, root, at).length === 0) {
    out.push(`${at}: matches not`);
  }
  return out;
}
