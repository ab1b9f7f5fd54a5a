/**
 * A JSON Schema inferred from instances of a message: the types seen, `required` = present in
 * every instance, string formats recognised when every value has one. Values are never turned
 * into `enum` or `const` (they are examples; the caller keeps them as the message's example).
 */
import { jsonType } from '../spec/validator.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** String formats recognised, in order (the first every value matches wins). */
const FORMATS: [string, RegExp][] = [
  ['date-time', /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$/],
  ['date', /^\d{4}-\d{2}-\d{2}$/],
  ['uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i],
  ['email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/],
  ['uri', /^[a-z][a-z0-9+.-]*:\/\/[^\s]+$/i],
];

/** The format every string matches, if any. */
export function formatOf(values: readonly string[]): string | undefined {
  if (!values.length) return undefined;
  return FORMATS.find(([, re]) => values.every((v) => re.test(v)))?.[0];
}

/** JSON Schema type names of the observed values (an integer counts as `integer`; with a fraction anywhere, `number`). */
export function typesOf(values: readonly unknown[]): string[] {
  const seen = new Set(values.map(jsonType));
  if (seen.has('number')) seen.delete('integer');
  return [...seen].sort();
}

/** Infers a schema from instances (see the file comment). */
export function inferSchema(values: readonly unknown[]): Json {
  const types = typesOf(values);
  const out: Json = {};
  if (types.length === 1) out.type = types[0];
  else if (types.length > 1) out.type = types;
  const objects = values.filter(isObject);
  if (objects.length) {
    const keys: string[] = [];
    for (const o of objects) for (const k of Object.keys(o)) if (!keys.includes(k)) keys.push(k);
    const properties: Json = {};
    for (const k of keys) properties[k] = inferSchema(objects.filter((o) => k in o).map((o) => o[k]));
    out.properties = properties;
    const required = keys.filter((k) => objects.every((o) => k in o));
    if (required.length) out.required = required;
  }
  const arrays = values.filter(Array.isArray) as unknown[][];
  const items = arrays.flat();
  if (items.length) out.items = inferSchema(items);
  const strings = values.filter((v): v is string => typeof v === 'string');
  const format = strings.length === values.length ? formatOf(strings) : undefined;
  if (format) out.format = format;
  return out;
}
