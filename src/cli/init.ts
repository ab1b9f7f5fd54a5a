/**
 * `wsconform init <protocol> --out FILE`: writes a protocol's AsyncAPI document self-contained,
 * every schema file it references inlined under `components.schemas`, so a copy loads anywhere
 * (a built-in document's schemas are files of this package, referenced by relative paths).
 * The written document is loaded back before the command reports success.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { stringify } from 'yaml';
import { parse } from 'yaml';
import { SpecError } from '../spec/errors.js';
import { loadSpec } from '../spec/load.js';
import { isBuiltin, specFile } from '../spec/paths.js';
import type { CommandImpl } from './commands.js';
import { outputDir, outputFile } from './output.js';

type Json = Record<string, unknown>;

/** Rewrites a schema file's own `#/definitions/…` refs to its place in the document. */
function relocate(node: unknown, at: string): unknown {
  if (Array.isArray(node)) return node.map((n) => relocate(n, at));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/')) out[k] = `${at}/${v.slice(2)}`;
    else out[k] = relocate(v, at);
  }
  return out;
}

/** The document with every external `$ref` inlined; the number of files inlined. */
export function bundle(file: string): { doc: Json; inlined: number } {
  const doc = parse(readFileSync(file, 'utf8')) as Json;
  const components = ((doc.components ??= {}) as Json);
  const schemas = ((components.schemas ??= {}) as Json);
  const byFile = new Map<string, string>();
  const nameFor = (path: string): string => {
    const known = byFile.get(path);
    if (known) return known;
    const base = basename(path).replace(/\.(json|ya?ml)$/i, '').replace(/[^A-Za-z0-9_.-]/g, '_');
    let name = base;
    for (let n = 2; name in schemas; n++) name = `${base}_${n}`;
    let schema: Json;
    try {
      const text = readFileSync(path, 'utf8');
      schema = (path.endsWith('.json') ? JSON.parse(text) : parse(text)) as Json;
    } catch (err) {
      throw new SpecError('WSC_SPEC_REF', `cannot inline ${path}: ${(err as Error).message}`, { file });
    }
    const { $id: _id, $schema: _schema, ...rest } = schema;
    schemas[name] = relocate(rest, `#/components/schemas/${name}`);
    byFile.set(path, name);
    return name;
  };
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const ref = (node as Json).$ref;
    if (typeof ref === 'string' && !ref.startsWith('#')) {
      const [path, fragment] = ref.split('#');
      const name = nameFor(resolve(dirname(file), path));
      return { ...(node as Json), $ref: `#/components/schemas/${name}${fragment ? fragment.replace(/^\/?/, '/') : ''}` };
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
  };
  const out = walk(doc) as Json;
  (out.components as Json).schemas = schemas;
  if (!Object.keys(schemas).length) delete (out.components as Json).schemas;
  return { doc: out, inlined: byFile.size };
}

const impl: CommandImpl = async ({ args, opts, io }) => {
  const ref = args[0]!;
  const source = specFile(ref);
  const id = isBuiltin(ref) ? ref : basename(source).replace(/\.(asyncapi\.)?(ya?ml|json)$/i, '');
  const out = resolve(String(opts.out ?? `${id}.asyncapi.yaml`));
  outputDir(dirname(out), '--out');
  outputFile(out, '--out');
  const { doc, inlined } = bundle(source);
  const header = `# ${id}: written by \`wsconform init\` from ${isBuiltin(ref) ? `the built-in document asyncapi/${id}.yaml` : source}, self-contained\n# (${inlined} schema files inlined under components.schemas). Edit it as your own.\n`;
  writeFileSync(out, header + stringify(doc, { lineWidth: 0 }));
  // The copy must load on its own: checked the way a user's document is.
  const spec = await loadSpec(out, { parse: true, diagnostics: 'schema' });
  io.out.write(`init: ${id} → ${out} (${spec.messages.length} messages, ${inlined} schema files inlined)\n`);
  return 0;
};

export default impl;
