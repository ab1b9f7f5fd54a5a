/**
 * The generation pipeline, as a pure function from the sources to file contents:
 *   src/types/<id>.ts  --typescript-json-schema-->  schemas/<id>/<Type>.json
 *   src/protocols/<id>.ts + schemas + fixtures/<id>/examples.jsonl  -->  asyncapi/<id>.yaml
 *   src/spec/extension.ts  -->  schemas/x-wsconform.schema.json
 * `scripts/generate.ts` writes the result; the drift test compares it with the committed files.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import * as TJS from 'typescript-json-schema';
import { stringify } from 'yaml';
import type { ProtocolMeta } from '../src/protocols/define.js';

export const SCHEMA_BASE = 'https://wsconform.dev/schemas/';

const TJS_ARGS: TJS.PartialArgs = {
  required: true,
  ref: true,
  strictNullChecks: true,
  noExtraProps: false,
  titles: false,
  excludePrivate: true,
};

const COMPILER_OPTIONS = { strictNullChecks: true, types: [], skipLibCheck: true, noEmit: true };

/** A message as the types file declares it. */
export interface DeclaredMessage {
  /** Wire name. */
  name: string;
  /** `receive` (server → client) or `send` (client → server). */
  direction: 'receive' | 'send';
  /** TypeScript type name, also the schema file name and the AsyncAPI component key; null: no payload. */
  type: string | null;
}

/** Reads `ServerEvents` / `ClientMessages` from a types file: wire name → type name. */
export function declaredMessages(program: ts.Program, file: string): DeclaredMessage[] {
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`${file}: not part of the program`);
  const out: DeclaredMessage[] = [];
  for (const statement of source.statements) {
    if (!ts.isInterfaceDeclaration(statement)) continue;
    const direction =
      statement.name.text === 'ServerEvents' ? 'receive' : statement.name.text === 'ClientMessages' ? 'send' : null;
    if (!direction) continue;
    for (const member of statement.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const name = ts.isStringLiteral(member.name) ? member.name.text : member.name.getText(source);
      const typeText = member.type.getText(source);
      const type = typeText === 'void' || typeText === 'undefined' ? null : typeText;
      if (type !== null && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(type)) {
        throw new Error(`${file}: ${statement.name.text}.${name} must name an exported type, not \`${typeText}\``);
      }
      out.push({ name, direction, type });
    }
  }
  if (out.length === 0) throw new Error(`${file}: declares no ServerEvents or ClientMessages interface`);
  return out;
}

/** Stable JSON text: two-space indent and a final newline. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

function schemaFor(generator: TJS.JsonSchemaGenerator, type: string, id: string): Record<string, unknown> {
  const schema = generator.getSchemaForSymbol(type) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return { $schema: $schema ?? 'http://json-schema.org/draft-07/schema#', $id: id, ...rest };
}

/** An example from `fixtures/<id>/examples.jsonl`. */
export interface DocExample {
  direction: 'receive' | 'send';
  from: string;
  frame: unknown;
}

/** Reads a protocol's document examples. */
export function readExamples(root: string, id: string): DocExample[] {
  const text = readFileSync(join(root, 'fixtures', id, 'examples.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as DocExample;
      } catch (err) {
        throw new Error(`fixtures/${id}/examples.jsonl:${i + 1}: ${(err as Error).message}`);
      }
    });
}

/** The wire name and payload of an example frame. */
export function exampleName(meta: ProtocolMeta, ex: DocExample): { name: string; payload: unknown } {
  if (meta.extension.transport === 'socket.io') {
    const [name, payload] = ex.frame as [string, unknown];
    return { name, payload };
  }
  const field = meta.extension.nameField![ex.direction];
  return { name: String((ex.frame as Record<string, unknown>)[field]), payload: ex.frame };
}

/** The protocol ids, from the meta files present. */
export function protocolIds(root: string): string[] {
  return readdirSync(join(root, 'src', 'protocols'))
    .filter((f) => f.endsWith('.ts') && f !== 'define.ts' && f !== 'index.ts')
    .map((f) => f.slice(0, -3))
    .sort();
}

/** Generates every file; returns relative path → content. */
export async function generateAll(root: string, only?: string[]): Promise<Map<string, string>> {
  const files = new Map<string, string>();

  const extFile = join(root, 'src', 'spec', 'extension.ts');
  const extProgram = TJS.getProgramFromFiles([extFile], COMPILER_OPTIONS);
  const extGen = TJS.buildGenerator(extProgram, TJS_ARGS, [extFile]);
  if (!extGen) throw new Error('src/spec/extension.ts: typescript-json-schema could not build a generator');
  files.set('schemas/x-wsconform.schema.json', jsonText(schemaFor(extGen, 'WsconformExtension', `${SCHEMA_BASE}x-wsconform.schema.json`)));

  for (const id of protocolIds(root).filter((p) => !only?.length || only.includes(p))) {
    const meta = (await import(join(root, 'src', 'protocols', `${id}.ts`))).default as ProtocolMeta;
    const typesFile = join(root, 'src', 'types', `${id}.ts`);
    const program = TJS.getProgramFromFiles([typesFile], COMPILER_OPTIONS);
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (diagnostics.length) {
      throw new Error(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' }));
    }
    const generator = TJS.buildGenerator(program, TJS_ARGS, [typesFile]);
    if (!generator) throw new Error(`${typesFile}: typescript-json-schema could not build a generator`);
    const messages = declaredMessages(program, typesFile);
    const types = new Set(messages.map((m) => m.type).filter((t): t is string => t !== null));
    if (meta.envelope) types.add(meta.envelope.type);
    const schemas = new Map<string, Record<string, unknown>>();
    for (const type of [...types].sort()) {
      const schema = schemaFor(generator, type, `${SCHEMA_BASE}${id}/${type}.json`);
      schemas.set(type, schema);
      files.set(`schemas/${id}/${type}.json`, jsonText(schema));
    }
    const examples = readExamples(root, id);
    files.set(`asyncapi/${id}.yaml`, asyncapiText(meta, messages, schemas, examples));
  }
  return files;
}

const pascal = (s: string) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

/** Component key of a message: its type name, or for payload-less messages a name from the wire name. */
export function messageKey(m: DeclaredMessage): string {
  return m.type ?? `${pascal(m.name)}${m.direction === 'send' ? 'Message' : 'Event'}`;
}

function asyncapiText(
  meta: ProtocolMeta,
  messages: DeclaredMessage[],
  schemas: Map<string, Record<string, unknown>>,
  examples: DocExample[],
): string {
  const byName = (direction: 'receive' | 'send', name: string) => {
    const m = messages.find((x) => x.direction === direction && x.name === name);
    if (!m) throw new Error(`src/protocols/${meta.id}.ts names ${direction} message "${name}", which src/types/${meta.id}.ts does not declare`);
    return m;
  };

  const componentsMessages: Record<string, unknown> = {};
  for (const m of messages) {
    const schema = m.type ? schemas.get(m.type) : undefined;
    const description = typeof schema?.description === 'string' ? schema.description : undefined;
    const own = examples.filter((ex) => ex.direction === m.direction && exampleName(meta, ex).name === m.name);
    const msg: Record<string, unknown> = {
      name: m.name,
      title: m.name,
      summary: description?.split('\n')[0] ?? `${m.direction === 'send' ? 'Client' : 'Server'} message ${m.name}.`,
    };
    if (description && description.includes('\n')) msg.description = description;
    if (m.type) msg.payload = { $ref: `../schemas/${meta.id}/${m.type}.json` };
    if (own.length) {
      msg.examples = own.map((ex, i) => {
        const payload = exampleName(meta, ex).payload;
        const e: Record<string, unknown> = { name: `${pascal(m.name) || 'example'}${own.length > 1 ? i + 1 : ''}`, summary: `From the document: ${ex.from}` };
        // A frame without a payload (a Socket.IO event emitted with no argument) is an example
        // without `payload`; AsyncAPI wants `payload` or `headers` in every example, so it carries
        // empty headers.
        if (payload !== undefined) e.payload = payload;
        else e.headers = {};
        return e;
      });
    }
    componentsMessages[messageKey(m)] = msg;
  }

  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const channelIds = Object.keys(meta.channels);
  for (const chId of channelIds) {
    const ch = meta.channels[chId];
    const chMessages: Record<string, unknown> = {};
    for (const m of messages) chMessages[messageKey(m)] = { $ref: `#/components/messages/${messageKey(m)}` };
    channels[chId] = { address: ch.address, description: ch.description, messages: chMessages };
    const suffix = channelIds.length > 1 ? pascal(chId) : '';
    const ref = (m: DeclaredMessage) => ({ $ref: `#/channels/${chId}/messages/${messageKey(m)}` });
    operations[`receiveEvents${suffix}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${chId}` },
      summary: 'Every message the server sends.',
      messages: messages.filter((m) => m.direction === 'receive').map(ref),
    };
    for (const m of messages.filter((x) => x.direction === 'send')) {
      const op: Record<string, unknown> = {
        action: 'send',
        channel: { $ref: `#/channels/${chId}` },
        summary: `The client sends ${m.name}.`,
        messages: [ref(m)],
      };
      const replies = meta.replies[m.name];
      if (replies?.length) {
        op.reply = { channel: { $ref: `#/channels/${chId}` }, messages: replies.map((r) => ref(byName('receive', r))) };
      }
      const sec = meta.operationSecurity?.[m.name];
      if (sec) op.security = sec.map((s) => ({ $ref: `#/components/securitySchemes/${s}` }));
      operations[`send${pascal(m.name)}${suffix}`] = op;
    }
  }
  for (const name of Object.keys(meta.replies)) byName('send', name);

  const servers: Record<string, unknown> = {};
  for (const [sid, s] of Object.entries(meta.servers)) {
    const server: Record<string, unknown> = { ...s };
    if (meta.serverSecurity?.length) server.security = meta.serverSecurity.map((x) => ({ $ref: `#/components/securitySchemes/${x}` }));
    servers[sid] = server;
  }

  const { envelope, extension } = meta;
  const ext: Record<string, unknown> = { version: 1, ...extension };
  if (envelope) {
    const { type, ...rule } = envelope;
    ext.envelope = { schema: { $ref: `../schemas/${meta.id}/${type}.json` }, ...rule };
  }
  ext.decisions = [`See asyncapi/DECISIONS.md, section "${meta.id}".`];

  const doc: Record<string, unknown> = {
    asyncapi: '3.0.0',
    id: `urn:wsconform:${meta.id}`,
    info: { title: meta.title, version: meta.version, description: meta.description },
    defaultContentType: 'application/json',
    servers,
    channels,
    operations,
    components: {
      messages: componentsMessages,
      ...(meta.securitySchemes ? { securitySchemes: meta.securitySchemes } : {}),
    },
    'x-wsconform': ext,
  };
  const header = `# Generated by \`npm run generate\` from src/types/${meta.id}.ts, src/protocols/${meta.id}.ts and\n# fixtures/${meta.id}/examples.jsonl. Edit those, not this file. The x-wsconform extension is\n# documented in asyncapi/EXTENSION.md; decisions on ambiguities in asyncapi/DECISIONS.md.\n`;
  return header + stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}
