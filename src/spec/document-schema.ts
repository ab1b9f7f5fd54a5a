/**
 * Checks a user's AsyncAPI 3.x document against the official AsyncAPI JSON Schema
 * (`@asyncapi/specs`) with Ajv: the structural part of what `@asyncapi/parser` reports, without
 * its linting stack (about 140 packages and 50 MB that a CI gate would install on every run).
 * When `@asyncapi/parser` is installed, `load.ts` uses its full diagnostics instead.
 *
 * The filtering of Ajv's errors follows the parser's own (its `documentStructure` rule): a
 * `oneOf` over "a Reference Object or the object itself" yields a `required $ref` error and a
 * `oneOf` error beside the real one, and those two say nothing to a reader.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const require = createRequire(import.meta.url);
const validators = new Map<string, ValidateFunction>();

/** One structural error: the document path it is at and what is wrong there. */
export interface DocumentError {
  path: string[];
  message: string;
}

/** The AsyncAPI versions `@asyncapi/specs` has a schema for, among those given. */
function schemaFile(version: string): string | undefined {
  try {
    return require.resolve(`@asyncapi/specs/schemas/${version}.json`);
  } catch {
    return undefined;
  }
}

function validatorFor(version: string): ValidateFunction | undefined {
  const cached = validators.get(version);
  if (cached) return cached;
  const file = schemaFile(version);
  if (!file) return undefined;
  const schema = JSON.parse(readFileSync(file, 'utf8')) as { definitions: Record<string, unknown> };
  // Ajv has the draft-07 meta-schema already and refuses a second schema with its $id.
  delete schema.definitions['http://json-schema.org/draft-07/schema'];
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  validators.set(version, validate);
  return validate;
}

function pathOf(error: ErrorObject): string[] {
  const path = error.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty));
  return path;
}

/** The errors a reader can act on, most specific first, as the parser filters them. */
function readable(errors: ErrorObject[]): DocumentError[] {
  const kept = errors.filter((e) => !(e.keyword === 'required' && e.params.missingProperty === '$ref'));
  const out: { path: string[]; key: string; message: string; keyword: string }[] = [];
  for (const e of kept) {
    const path = pathOf(e);
    const key = path.join('/');
    if (out.length && out[out.length - 1].key === key) continue;
    const vague = e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if';
    if (vague && out.some((o) => o.key.startsWith(key))) continue;
    const message = e.keyword === 'additionalProperties' ? 'is not allowed here' : e.keyword === 'enum' ? `${e.message} (${(e.params.allowedValues as unknown[]).join(', ')})` : (e.message ?? 'is invalid');
    out.push({ path, key, message, keyword: e.keyword });
  }
  return out.map(({ path, message }) => ({ path, message }));
}

/**
 * The structural errors of an AsyncAPI document (as plain data), or `undefined` when there is no
 * schema for its version. An empty list means the document is valid.
 */
export function documentErrors(data: unknown, version: string): DocumentError[] | undefined {
  const validate = validatorFor(version);
  if (!validate) return undefined;
  if (validate(data)) return [];
  return readable(validate.errors ?? []);
}

/** The 3.x versions the installed `@asyncapi/specs` has a schema for. */
export function knownVersions(): string[] {
  return ['3.0.0', '3.1.0'].filter((v) => schemaFile(v) !== undefined);
}
