/**
 * Loads an AsyncAPI 3.0 document with its `x-wsconform` extension into a `Spec`.
 *
 * A user's document is first checked: with @asyncapi/parser's full diagnostics when it is
 * installed (an optional peer), else against the official AsyncAPI JSON Schema from
 * @asyncapi/specs (`document-schema.ts`). Either way an error names file and line. The built-in
 * documents skip that step: a test proves they pass both, and the CLI should not pay for it on
 * every start.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import { documentErrors, knownVersions } from './document-schema.js';
import { SpecError } from './errors.js';
import type { WsconformExtension } from './extension.js';
import { NO_PAYLOAD, type ChannelDef, type Direction, type MessageDef, type ServerDef, type Spec } from './model.js';
import { BUILTIN_PROTOCOLS, isBuiltin, packageRoot, specFile } from './paths.js';

type Json = Record<string, unknown>;

/** Options of `loadSpec`. */
export interface LoadOptions {
  /** Check the document's AsyncAPI structure (default: only for non-built-in documents). */
  parse?: boolean;
  /**
   * How to check it: `parser` needs @asyncapi/parser, `schema` uses the AsyncAPI JSON Schema,
   * `auto` (the default) uses the parser when it is installed and the schema otherwise.
   */
  diagnostics?: 'auto' | 'parser' | 'schema';
  /**
   * File texts that stand in for the files on disk (absolute path → text): a document and the
   * schema files it references as an edit would leave them (`wsconform suggest`). Read without
   * caching; the AsyncAPI structure is not checked (`parse` is ignored).
   */
  overlay?: ReadonlyMap<string, string>;
}

interface Source {
  file: string;
  data: Json;
  lineOf(path: (string | number)[]): number | undefined;
}

/** Referenced files already read, with the modification time they were read at (an edited file is read again). */
const fileCache = new Map<string, { mtimeMs: number; value: Json }>();
/** The overlay of the load in progress (buildSpec is synchronous, so one at a time). */
let overlay: ReadonlyMap<string, string> | undefined;

function readSource(file: string): Source {
  let text: string;
  try {
    text = overlay?.get(file) ?? readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new SpecError('WSC_SPEC_NOT_FOUND', `cannot read the document (${code}); give a built-in protocol (${BUILTIN_PROTOCOLS.join(', ')}) or the path of an AsyncAPI document`, { file });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new SpecError('WSC_SPEC_SYNTAX', e.message.split('\n')[0], { file, line: lineCounter.linePos(e.pos[0]).line });
  }
  const data = doc.toJS({ maxAliasCount: 1000 }) as Json;
  if (!data || typeof data !== 'object') throw new SpecError('WSC_SPEC_INVALID', 'the document is not a YAML or JSON object', { file });
  return {
    file,
    data,
    // The line of the key that holds the path's value (a map's value starts at its first key,
    // one line too late), else of the value, else of the nearest ancestor found.
    lineOf(path) {
      for (let n = path.length; n >= 0; n--) {
        if (n > 0) {
          const parent = doc.getIn(path.slice(0, n - 1), true) as unknown;
          const key = path[n - 1];
          if (isMap(parent)) {
            const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
            const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
            if (range) return lineCounter.linePos(range[0]).line;
          }
        }
        const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
        if (node && typeof node === 'object' && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
}

function readJsonFile(file: string): Json {
  const overlaid = overlay?.get(file);
  let mtimeMs = -1;
  if (overlaid === undefined) {
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      // Unreadable: the read below says why.
    }
    const cached = fileCache.get(file);
    if (cached && cached.mtimeMs === mtimeMs) return cached.value;
  }
  let value: Json;
  try {
    const text = overlaid ?? readFileSync(file, 'utf8');
    value = (extname(file) === '.json' ? JSON.parse(text) : parseDocument(text).toJS()) as Json;
  } catch (err) {
    throw new SpecError('WSC_SPEC_REF', `cannot load referenced file: ${(err as Error).message}`, { file });
  }
  if (overlaid === undefined) fileCache.set(file, { mtimeMs, value });
  return value;
}

function pointer(root: unknown, fragment: string, where: string): unknown {
  let node = root;
  for (const raw of fragment.replace(/^\//, '').split('/').filter((p) => p !== '')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in (node as Json))) {
      throw new SpecError('WSC_SPEC_REF', `unresolvable $ref "${where}"`);
    }
    node = (node as Json)[key];
  }
  return node;
}

/**
 * Follows `$ref`s of a document node (internal pointers and relative files) and returns the
 * target with its own base file. Schemas keep their inner refs: Ajv resolves those.
 */
function follow(node: unknown, base: { file: string; data: Json }, depth = 0): { node: Json; base: { file: string; data: Json } } {
  if (depth > 32) throw new SpecError('WSC_SPEC_REF', 'a $ref chain is longer than 32 (a cycle?)', { file: base.file });
  if (node && typeof node === 'object' && typeof (node as Json).$ref === 'string') {
    const ref = (node as Json).$ref as string;
    const [path, fragment = ''] = ref.split('#');
    if (path === '') return follow(pointer(base.data, fragment, ref), base, depth + 1);
    const file = resolve(dirname(base.file), path);
    const data = readJsonFile(file);
    const next = { file, data };
    return follow(fragment ? pointer(data, fragment, ref) : data, next, depth + 1);
  }
  return { node: (node ?? {}) as Json, base };
}

/**
 * A schema usable by Ajv on its own: an external file's schema is returned as is (with an `$id`,
 * so its inner `#/definitions` refs resolve); an inline schema has its document-internal refs
 * inlined.
 */
function resolveSchema(node: unknown, base: { file: string; data: Json }): Json {
  const target = follow(node, base);
  if (target.base.file !== base.file && target.node === target.base.data) {
    const schema = target.node;
    return schema.$id ? schema : { ...schema, $id: `file://${target.base.file}` };
  }
  const seen = new Set<unknown>();
  const inline = (value: unknown, b: { file: string; data: Json }): unknown => {
    if (Array.isArray(value)) return value.map((v) => inline(v, b));
    if (!value || typeof value !== 'object') return value;
    if (typeof (value as Json).$ref === 'string' && !((value as Json).$ref as string).startsWith('#/definitions')) {
      if (seen.has(value)) throw new SpecError('WSC_SPEC_REF', `recursive $ref ${(value as Json).$ref} in an inline schema`, { file: b.file });
      seen.add(value);
      const t = follow(value, b);
      const out = inline(t.node, t.base);
      seen.delete(value);
      return out;
    }
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) if (!k.startsWith('x-parser-')) out[k] = inline(v, b);
    return out;
  };
  return inline(target.node, target.base) as Json;
}

let extensionValidator: ((data: unknown) => boolean) & { errors?: unknown[] | null } = undefined as never;

function checkExtension(source: Source, ext: unknown): WsconformExtension {
  if (ext === undefined) {
    throw new SpecError('WSC_SPEC_EXTENSION', 'the document has no x-wsconform extension (see asyncapi/EXTENSION.md)', { file: source.file, line: 1 });
  }
  if (!extensionValidator) {
    const schema = readJsonFile(resolve(packageRoot(), 'schemas', 'x-wsconform.schema.json'));
    extensionValidator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  if (!extensionValidator(ext)) {
    const errs = (extensionValidator.errors ?? []) as { instancePath: string; message?: string; params?: Json }[];
    const first = errs[0];
    const path = ['x-wsconform', ...first.instancePath.split('/').filter(Boolean)];
    const detail = errs
      .slice(0, 5)
      .map((e) => `x-wsconform${e.instancePath.replace(/\//g, '.')} ${e.message}${e.params?.allowedValues ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`)
      .join('; ');
    throw new SpecError('WSC_SPEC_EXTENSION', `invalid extension: ${detail}`, { file: source.file, line: source.lineOf(path) });
  }
  return ext as WsconformExtension;
}

type ParserModule = { Parser: typeof import('@asyncapi/parser').Parser; fromFile: typeof import('@asyncapi/parser').fromFile };

/** @asyncapi/parser when it is installed, else undefined. */
async function optionalParser(): Promise<ParserModule | undefined> {
  try {
    return (await import('@asyncapi/parser')) as never;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

async function parserDiagnostics(parser: ParserModule, file: string): Promise<void> {
  const { Parser, fromFile } = parser;
  const { diagnostics } = await fromFile(new Parser(), file).parse();
  const errors = diagnostics.filter((d) => d.severity === 0);
  if (errors.length) {
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw new SpecError('WSC_SPEC_INVALID', `${first.message} at ${first.path.join('.') || 'the root'}${more}`, {
      file,
      line: first.range ? first.range.start.line + 1 : undefined,
    });
  }
}

function schemaDiagnostics(source: Source): void {
  const version = String(source.data.asyncapi);
  const errors = documentErrors(source.data, version);
  if (!errors) {
    throw new SpecError('WSC_SPEC_INVALID', `no AsyncAPI JSON Schema for version ${version} (this wsconform knows ${knownVersions().join(', ')}); install @asyncapi/parser for newer versions`, {
      file: source.file,
      line: source.lineOf(['asyncapi']),
    });
  }
  if (errors.length) {
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw new SpecError('WSC_SPEC_INVALID', `${first.path.join('.') || 'the document'} ${first.message}${more}`, {
      file: source.file,
      line: source.lineOf(first.path),
    });
  }
}

async function checkDocument(source: Source, how: LoadOptions['diagnostics'] = 'auto'): Promise<void> {
  if (how === 'schema') return schemaDiagnostics(source);
  const parser = await optionalParser();
  if (parser) return parserDiagnostics(parser, source.file);
  if (how === 'parser') throw new SpecError('WSC_SPEC_INVALID', 'the full diagnostics need @asyncapi/parser (npm install @asyncapi/parser)', { file: source.file });
  return schemaDiagnostics(source);
}

/** Refuses a document that is not AsyncAPI 3.x, naming its version and what to do. */
function checkVersion(source: Source): void {
  const version = String(source.data.asyncapi ?? '');
  if (version.startsWith('3.')) return;
  const what = version
    ? `wsconform reads AsyncAPI 3.0 documents; this one is ${version} (convert it with \`npx @asyncapi/cli convert\`, then add the x-wsconform extension)`
    : 'not an AsyncAPI document: it has no `asyncapi:` version field (wsconform reads AsyncAPI 3.0)';
  throw new SpecError('WSC_SPEC_INVALID', what, { file: source.file, line: source.lineOf(['asyncapi']) });
}

const parsedBuiltins = new Map<string, Spec>();

/** Loads a protocol by built-in id or by AsyncAPI file path. */
export async function loadSpec(ref: string, options: LoadOptions = {}): Promise<Spec> {
  if (options.overlay) return loadOverlaid(ref, options.overlay);
  const builtin = isBuiltin(ref);
  if (builtin && parsedBuiltins.has(ref) && !options.parse) return parsedBuiltins.get(ref)!;
  const file = specFile(ref);
  const source = readSource(file);
  // The version first: the parser's diagnostics of a 2.x document against 3.0 rules mislead.
  checkVersion(source);
  if (options.parse ?? !builtin) await checkDocument(source, options.diagnostics);
  const spec = buildSpec(source, builtin ? ref : basename(file).replace(/\.(ya?ml|json)$/i, ''));
  if (builtin) parsedBuiltins.set(ref, spec);
  return spec;
}

/** A document read through an overlay of file texts (see LoadOptions.overlay). */
function loadOverlaid(ref: string, files: ReadonlyMap<string, string>): Spec {
  const file = specFile(ref);
  overlay = files;
  try {
    const source = readSource(file);
    checkVersion(source);
    return buildSpec(source, isBuiltin(ref) ? ref : basename(file).replace(/\.(ya?ml|json)$/i, ''));
  } finally {
    overlay = undefined;
  }
}

/** Builds a Spec from a document already read (exported for tests of malformed documents). */
export function buildSpec(source: Source, id: string): Spec {
  const { data, file } = source;
  const base = { file, data };
  checkVersion(source);
  const ext = checkExtension(source, data['x-wsconform']);
  const info = (data.info ?? {}) as Json;

  const servers: ServerDef[] = Object.entries((data.servers ?? {}) as Json).map(([sid, raw]) => {
    const s = follow(raw, base).node;
    const protocol = String(s.protocol ?? 'ws');
    const pathname = String(s.pathname ?? '');
    return { id: sid, host: String(s.host ?? ''), protocol, pathname, url: `${protocol}://${s.host}${pathname}` };
  });

  const channels: ChannelDef[] = [];
  const channelOfNode = new Map<unknown, string>();
  for (const [cid, raw] of Object.entries((data.channels ?? {}) as Json)) {
    const c = follow(raw, base).node;
    channels.push({ id: cid, address: String(c.address ?? '/') });
    channelOfNode.set(raw, cid);
  }

  // Messages: from the channels (every channel's messages), direction from the operations.
  const byNode = new Map<Json, MessageDef>();
  const messages: MessageDef[] = [];
  const defOf = (ref: unknown, direction: Direction | undefined): MessageDef => {
    const { node, base: b } = follow(ref, base);
    let def = byNode.get(node);
    if (!def) {
      const key = typeof (ref as Json)?.$ref === 'string' ? String((ref as Json).$ref).split('/').pop()! : String(node.name);
      let payload = node.payload as Json | undefined;
      if (payload && typeof payload === 'object' && 'schemaFormat' in payload && 'schema' in payload) payload = payload.schema as Json;
      def = {
        key,
        name: String(node.name ?? key),
        direction: direction ?? 'receive',
        summary: typeof node.summary === 'string' ? node.summary : undefined,
        schema: payload ? resolveSchema(payload, b) : undefined,
        examples: Array.isArray(node.examples) ? (node.examples as Json[]).filter((e) => e && typeof e === 'object').map((e) => ('payload' in e ? e.payload : NO_PAYLOAD)) : [],
      };
      byNode.set(node, def);
      messages.push(def);
    } else if (direction && def.direction !== direction && messages.includes(def)) {
      throw new SpecError('WSC_SPEC_INVALID', `message ${def.key} is used by both send and receive operations; give each direction its own message`, { file });
    }
    return def;
  };

  const replies = new Map<string, string[]>();
  const operationSecurity = new Map<string, string[]>();
  const ops = Object.entries((data.operations ?? {}) as Json);
  const seenOpDirection = new Map<Json, Direction>();
  for (const [opId, raw] of ops) {
    const op = follow(raw, base).node;
    const direction = op.action === 'send' ? 'send' : op.action === 'receive' ? 'receive' : undefined;
    if (!direction) throw new SpecError('WSC_SPEC_INVALID', `operation ${opId}: action must be send or receive`, { file, line: source.lineOf(['operations', opId, 'action']) });
    const opMessages = (Array.isArray(op.messages) ? op.messages : []).map((m) => {
      const n = follow(m, base).node;
      const prev = seenOpDirection.get(n);
      if (prev && prev !== direction) {
        throw new SpecError('WSC_SPEC_INVALID', `message ${String(n.name)} is used by both send and receive operations; give each direction its own message`, { file, line: source.lineOf(['operations', opId]) });
      }
      seenOpDirection.set(n, direction);
      return defOf(m, direction);
    });
    const reply = op.reply ? follow(op.reply, base).node : undefined;
    if (direction === 'send') {
      for (const m of opMessages) {
        if (reply && Array.isArray(reply.messages)) {
          const names = (reply.messages as unknown[]).map((r) => {
            const n = follow(r, base).node;
            seenOpDirection.set(n, 'receive');
            return defOf(r, 'receive').name;
          });
          replies.set(m.name, [...new Set([...(replies.get(m.name) ?? []), ...names])]);
        }
        if (Array.isArray(op.security)) {
          const ids = (op.security as Json[]).map((s) => String(s.$ref ?? '').split('/').pop() ?? '');
          operationSecurity.set(m.name, ids);
        }
      }
    }
  }
  // Channel messages not used by any operation are server messages.
  for (const [, raw] of Object.entries((data.channels ?? {}) as Json)) {
    const c = follow(raw, base).node;
    for (const m of Object.values((c.messages ?? {}) as Json)) defOf(m, seenOpDirection.get(follow(m, base).node));
  }

  const index = new Map<string, MessageDef>();
  for (const m of messages) {
    const k = `${m.direction}:${m.name}`;
    if (index.has(k)) throw new SpecError('WSC_SPEC_INVALID', `two ${m.direction} messages are named "${m.name}"`, { file });
    index.set(k, m);
  }

  const securitySchemes: Record<string, Json> = {};
  for (const [sid, raw] of Object.entries(((data.components as Json)?.securitySchemes ?? {}) as Json)) {
    securitySchemes[sid] = follow(raw, base).node;
  }

  const envelopeSchema = ext.envelope ? resolveSchema(ext.envelope.schema, base) : undefined;
  for (const [rule, names] of ruleNames(ext)) {
    for (const n of names) {
      if (!index.has(`receive:${n}`) && !index.has(`send:${n}`)) {
        throw new SpecError('WSC_SPEC_EXTENSION', `x-wsconform.${rule} names "${n}", which is no message of the document`, {
          file,
          line: source.lineOf(['x-wsconform', rule.split('.')[0]]),
        });
      }
    }
  }

  return {
    id,
    title: String(info.title ?? id),
    version: String(info.version ?? ''),
    file,
    transport: ext.transport,
    ext,
    envelopeSchema,
    servers,
    channels,
    messages,
    replies,
    operationSecurity,
    securitySchemes,
    message: (direction, name) => index.get(`${direction}:${name}`),
  };
}

/** Every message name the extension mentions, by rule, so that a typo is a clear error. */
function ruleNames(ext: WsconformExtension): [string, string[]][] {
  const out: [string, string[]][] = [];
  if (ext.envelope?.exempt) out.push(['envelope.exempt', ext.envelope.exempt]);
  if (ext.initialMessages) out.push(['initialMessages', ext.initialMessages.map((m) => m.message)]);
  for (const l of ext.lifecycles ?? []) out.push([`lifecycles.${l.id}`, [l.start, ...l.end, ...(l.during ?? [])]]);
  for (const a of ext.accumulations ?? []) out.push([`accumulations.${a.id}`, [a.message, ...(a.final ? [a.final.message] : []), ...(a.resetOn ?? [])]]);
  if (ext.keepalive?.appPing) out.push(['keepalive.appPing', [ext.keepalive.appPing.ping, ext.keepalive.appPing.pong]]);
  if (ext.client?.reconnect?.resend) out.push(['client.reconnect.resend', ext.client.reconnect.resend]);
  if (ext.client?.keepalive) out.push(['client.keepalive', [ext.client.keepalive.message]]);
  for (const [i, o] of (ext.client?.order ?? []).entries()) out.push([`client.order.${i}`, [o.first, ...o.then]]);
  for (const [i, a] of (ext.client?.answers ?? []).entries()) out.push([`client.answers.${i}`, [...a.messages, a.to]]);
  if (ext.keepalive?.serverAppPing) out.push(['keepalive.serverAppPing', [ext.keepalive.serverAppPing.ping, ext.keepalive.serverAppPing.pong]]);
  if (ext.auth) {
    out.push(['auth', [...(ext.auth.writes ?? []), ...(ext.auth.refusals ?? []), ...(ext.auth.statusMessage ? [ext.auth.statusMessage.message] : [])]]);
    if (ext.auth.admin) out.push(['auth.admin', [...ext.auth.admin.messages, ...ext.auth.admin.privilegedEvents, ...(ext.auth.admin.refusals ?? [])]]);
  }
  for (const k of ['invalidJson', 'unknownMessage', 'nonObjectJson'] as const) {
    const a = ext.robustness?.[k];
    if (a?.messages) out.push([`robustness.${k}`, a.messages]);
  }
  for (const p of ext.robustness?.probes ?? []) if (p.messages) out.push([`robustness.probes.${p.id}`, p.messages]);
  if (ext.triggers) out.push(['triggers', ext.triggers.map((t) => t.message)]);
  if (ext.lifecycle) out.push(['lifecycle', ext.lifecycle]);
  for (const s of ext.sequences ?? []) if (s.messages) out.push([`sequences.${s.field}`, s.messages]);
  for (const d of ['receive', 'send'] as const) if (ext.identify?.[d]) out.push([`identify.${d}`, ext.identify[d]!.map((r) => r.message)]);
  if (ext.batch) out.push(['batch', [...ext.batch.items.map((i) => i.send), ...(ext.batch.replies ?? [])]]);
  if (ext.opening) out.push(['opening', ext.opening.steps.flatMap((s) => [s.send, ...s.expect])]);
  for (const o of ext.operations ?? []) out.push([`operations.${o.id}`, [o.start, ...(o.during ?? []), ...o.end, ...(o.cancel ? [o.cancel] : [])]]);
  return out;
}
