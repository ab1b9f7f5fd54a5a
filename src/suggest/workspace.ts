/**
 * The files of a document as `suggest` edits them: the AsyncAPI document (YAML, edited through
 * the `yaml` Document so that comments and layout survive) and every file its `$ref`s reach
 * (JSON Schema files). An edit is a JSON Patch operation on one file; `locate` follows `$ref`s so
 * that an edit lands where the schema actually lives. Nothing is written to disk here.
 */
import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { isMap, isNode, isSeq, isScalar, parseDocument, type Document } from 'yaml';
import { SpecError } from '../spec/errors.js';

/** One edit: a JSON Patch operation on one file (`path`/`from` as segments). */
export interface Edit {
  file: string;
  op: 'add' | 'replace' | 'remove' | 'move';
  path: string[];
  /** For `move`: the key renamed (same parent as `path`). */
  from?: string[];
  value?: unknown;
}

/** A place in a file. */
export interface Place {
  file: string;
  path: string[];
}

type Json = Record<string, unknown>;

interface YamlFile {
  kind: 'yaml';
  original: string;
  doc: Document;
}
interface JsonFile {
  kind: 'json';
  original: string;
  data: unknown;
}

/** A JSON Pointer from segments. */
export function pointer(path: readonly string[]): string {
  return path.map((p) => `/${p.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The document's files, loaded as they are reached. */
export class Workspace {
  private readonly files = new Map<string, YamlFile | JsonFile>();
  private readonly dirty = new Set<string>();

  constructor(readonly document: string) {
    this.load(document);
  }

  private load(file: string): YamlFile | JsonFile {
    let f = this.files.get(file);
    if (f) return f;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new SpecError('WSC_SPEC_REF', `cannot read a file the document references (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { file });
    }
    if (extname(file) === '.json') f = { kind: 'json', original: text, data: JSON.parse(text) };
    else f = { kind: 'yaml', original: text, doc: parseDocument(text) };
    this.files.set(file, f);
    return f;
  }

  /** The value at a place (plain JSON), or undefined. */
  get(place: Place): unknown {
    const f = this.load(place.file);
    if (f.kind === 'json') {
      let node: unknown = f.data;
      for (const seg of place.path) {
        if (Array.isArray(node)) node = node[Number(seg)];
        else if (isObject(node)) node = node[seg];
        else return undefined;
      }
      return node;
    }
    if (!place.path.length) return f.doc.toJS();
    const node = f.doc.getIn(yamlKeys(f.doc, place.path), true);
    return isNode(node) ? node.toJS(f.doc) : node;
  }

  /** Where a `$ref` found in `file` points. */
  private target(file: string, ref: string): Place {
    const [path, fragment = ''] = ref.split('#');
    if (/^[a-z][a-z0-9+.-]*:/i.test(path)) throw new SpecError('WSC_SPEC_REF', `cannot edit through the remote $ref "${ref}"`, { file });
    return { file: path ? resolve(dirname(file), path) : file, path: fragment.split('/').filter(Boolean).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')) };
  }

  /** Follows `$ref`s at a place until it holds no `$ref`. */
  follow(place: Place): Place {
    let p = place;
    for (let i = 0; i < 32; i++) {
      const node = this.get(p);
      if (!isObject(node) || typeof node.$ref !== 'string') return p;
      p = this.target(p.file, node.$ref);
    }
    throw new SpecError('WSC_SPEC_REF', 'a $ref chain is longer than 32 (a cycle?)', { file: place.file });
  }

  /** The place of `path` below `base`, following every `$ref` on the way (and at the end). */
  locate(base: Place, path: readonly string[]): Place {
    let p = this.follow(base);
    for (const seg of path) p = this.follow({ file: p.file, path: [...p.path, seg] });
    return p;
  }

  /** Applies an edit. */
  apply(edit: Edit): void {
    const f = this.load(edit.file);
    this.dirty.add(edit.file);
    if (f.kind === 'json') return applyJson(f, edit);
    const doc = f.doc;
    const keys = (path: string[]) => yamlKeys(doc, path);
    if (edit.op === 'remove') return void doc.deleteIn(keys(edit.path));
    if (edit.op === 'move') {
      const parent = doc.getIn(keys(edit.from!.slice(0, -1)), true);
      const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && String(p.key.value) === edit.from!.at(-1)) : undefined;
      if (!pair || !isScalar(pair.key)) throw new Error(`suggest: nothing to rename at ${pointer(edit.from!)} in ${edit.file}`);
      pair.key.value = edit.path.at(-1);
      return;
    }
    const last = edit.path.at(-1);
    if (last === '-') {
      const seq = doc.getIn(keys(edit.path.slice(0, -1)), true);
      if (isSeq(seq)) seq.add(doc.createNode(edit.value));
      else doc.setIn(keys(edit.path.slice(0, -1)), doc.createNode([edit.value]));
      return;
    }
    doc.setIn(keys(edit.path), doc.createNode(edit.value));
  }

  /** Every file's current text (for `loadSpec`'s overlay). */
  texts(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [file, f] of this.files) out.set(file, this.dirty.has(file) ? render(f) : f.original);
    return out;
  }

  /** The files an edit changed: their text before and after. */
  changed(): { file: string; before: string; after: string }[] {
    const out: { file: string; before: string; after: string }[] = [];
    for (const file of this.dirty) {
      const f = this.files.get(file)!;
      const after = render(f);
      if (after !== f.original) out.push({ file, before: f.original, after });
    }
    return out;
  }
}

/** Path segments as `yaml` wants them: a sequence's index as a number. */
function yamlKeys(doc: Document, path: readonly string[]): (string | number)[] {
  return path.map((s, i) => (/^\d+$/.test(s) && isSeq(doc.getIn(path.slice(0, i), true)) ? Number(s) : s));
}

function render(f: YamlFile | JsonFile): string {
  if (f.kind === 'yaml') return f.doc.toString({ lineWidth: 0 });
  const text = JSON.stringify(f.data, null, 2);
  return f.original.endsWith('\n') ? `${text}\n` : text;
}

function applyJson(f: JsonFile, edit: Edit): void {
  const parentOf = (path: string[]): unknown => {
    let node: unknown = f.data;
    for (const seg of path.slice(0, -1)) {
      if (Array.isArray(node)) node = node[Number(seg)];
      else if (isObject(node)) {
        if (!(seg in node)) node[seg] = {};
        node = node[seg];
      } else throw new Error(`suggest: cannot edit ${pointer(path)} in ${edit.file}`);
    }
    return node;
  };
  const last = edit.path.at(-1)!;
  const parent = parentOf(edit.path);
  if (edit.op === 'move') {
    // A rename in place: the key keeps its position.
    const from = edit.from!.at(-1)!;
    if (!isObject(parent) || !(from in parent)) throw new Error(`suggest: nothing to rename at ${pointer(edit.from!)} in ${edit.file}`);
    const entries = Object.entries(parent).map(([k, v]) => [k === from ? last : k, v] as const);
    for (const k of Object.keys(parent)) delete parent[k];
    for (const [k, v] of entries) parent[k] = v;
    return;
  }
  if (Array.isArray(parent)) {
    if (edit.op === 'remove') parent.splice(Number(last), 1);
    else if (last === '-') parent.push(edit.value);
    else if (edit.op === 'add') parent.splice(Number(last), 0, edit.value);
    else parent[Number(last)] = edit.value;
    return;
  }
  if (!isObject(parent)) throw new Error(`suggest: cannot edit ${pointer(edit.path)} in ${edit.file}`);
  if (edit.op === 'remove') delete parent[last];
  else parent[last] = edit.value;
}
