/**
 * `wsconform diff <old> <new>`: every change between two documents, classified per party.
 *
 * A message has a writer and a reader: the server writes server messages (`receive` operations)
 * and clients read them; clients write client messages (`send`) and the server reads them. A
 * schema change that accepts less than before (a narrowed type, a new required field, a removed
 * enum value, a new format) breaks the **writers**: what they sent may no longer conform. A change
 * that accepts more (a widened type, a field no longer required, a new enum value) breaks the
 * **readers**: they may now get what they never had to handle. A change that does neither, or
 * both, breaks both. Each change names the party it breaks (`clients`, `servers`) and why.
 *
 * The `x-wsconform` rules are compared rule by rule: a stricter rule breaks the party it binds
 * (a new initial message binds servers, a new auth requirement binds clients), and a rule this
 * table does not know is reported as breaking both, with its path, never dropped.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Direction, MessageDef, Spec } from '../spec/model.js';

/** A party a change can break. */
export type Party = 'clients' | 'servers';

/** One change between two documents. */
export interface Change {
  /** A stable id of the rule that classified it (`message-removed`, `field-required`, …). */
  rule: string;
  /** Where: `messages.<name>` (with the field's path), `x-wsconform.<rule>`, `channels.<id>`, `servers.<id>`. */
  path: string;
  /** What changed, in words, with the old and new values. */
  message: string;
  /** The parties it breaks (empty: it breaks no one). */
  breaks: Party[];
  /** Why it breaks them, or why it does not. */
  reason: string;
}

/** The diff of two documents. */
export interface DiffReport {
  old: { id: string; title: string; version: string; file: string };
  new: { id: string; title: string; version: string; file: string };
  changes: Change[];
  summary: { changes: number; breaking: number; clients: number; servers: number };
}

/** Who writes and who reads the messages of a direction. */
const WRITER: Record<Direction, Party> = { receive: 'servers', send: 'clients' };
const READER: Record<Direction, Party> = { receive: 'clients', send: 'servers' };
const WHAT: Record<Direction, string> = { receive: 'server message', send: 'client message' };

type Schema = Record<string, unknown>;

/** Compares two documents. */
export function diffSpecs(a: Spec, b: Spec): DiffReport {
  const changes: Change[] = [];
  const add = (c: Change) => changes.push(c);

  if (a.transport !== b.transport) add({ rule: 'transport-changed', path: 'x-wsconform.transport', message: `transport ${a.transport} → ${b.transport}`, breaks: ['clients', 'servers'], reason: 'every client and every server speaks another transport' });

  // Messages, by direction and name.
  for (const d of ['receive', 'send'] as const) {
    const before = new Map(a.messages.filter((m) => m.direction === d).map((m) => [m.name, m]));
    const after = new Map(b.messages.filter((m) => m.direction === d).map((m) => [m.name, m]));
    for (const [name, m] of before) {
      const n = after.get(name);
      if (!n) {
        add({ rule: 'message-removed', path: `messages.${name}`, message: `${WHAT[d]} ${name} removed`, breaks: [READER[d], WRITER[d]], reason: `${READER[d]} that handle ${name} no longer get it, and ${WRITER[d]} that send it now send an undocumented message` });
        continue;
      }
      compareMessage(m, n, d, add);
    }
    for (const [name] of after) {
      if (before.has(name)) continue;
      if (d === 'receive') add({ rule: 'message-added', path: `messages.${name}`, message: `server message ${name} added`, breaks: [], reason: 'servers need not send it, and clients ignore a message they do not know' });
      else add({ rule: 'message-added', path: `messages.${name}`, message: `client message ${name} added`, breaks: ['servers'], reason: 'servers must now accept it and answer it as documented; clients need not send it' });
    }
  }

  // The envelope every server message shares.
  compareSchemaRoot(a.envelopeSchema, b.envelopeSchema, 'envelope', 'receive', add);

  compareNamed(a.channels.map((c) => [c.id, c.address || '/']), b.channels.map((c) => [c.id, c.address || '/']), 'channels', 'channel', add);
  compareNamed(a.servers.map((s) => [s.id, s.url]), b.servers.map((s) => [s.id, s.url]), 'servers', 'server', add);
  compareSecurity(a, b, add);
  compareExtension(a, b, add);
  foldTimestamps(changes);
  foldNameField(changes, a, b);

  const breaking = changes.filter((c) => c.breaks.length);
  return {
    old: { id: a.id, title: a.title, version: a.version, file: a.file },
    new: { id: b.id, title: b.title, version: b.version, file: b.file },
    changes,
    summary: { changes: changes.length, breaking: breaking.length, clients: breaking.filter((c) => c.breaks.includes('clients')).length, servers: breaking.filter((c) => c.breaks.includes('servers')).length },
  };
}

/**
 * A changed timestamp representation is one change: the schemas' type and format of that field
 * (in the envelope and in every message) change with it, and are said once, by timestamp-changed.
 */
function foldTimestamps(changes: Change[]): void {
  const fields = changes.filter((c) => c.rule === 'timestamp-changed').map((c) => c.path.slice('x-wsconform.envelope.timestamps.'.length));
  if (!fields.length) return;
  const covered = (c: Change) =>
    ['type-changed', 'type-widened', 'type-narrowed', 'format-added', 'format-removed', 'format-changed'].includes(c.rule) &&
    fields.some((f) => c.path === `envelope.${f}` || (c.path.startsWith('messages.') && c.path.endsWith(`.${f}`) && c.path.split('.').length === 2 + f.split('.').length));
  for (let i = changes.length - 1; i >= 0; i--) if (covered(changes[i])) changes.splice(i, 1);
}

/**
 * A changed name field is one change: every schema's property renamed with it (the old field
 * removed, the new one required) is said once, by name-field-changed.
 */
function foldNameField(changes: Change[], a: Spec, b: Spec): void {
  for (const d of ['receive', 'send'] as const) {
    const x = a.ext.nameField?.[d] ?? 'type';
    const y = b.ext.nameField?.[d] ?? 'type';
    if (x === y || !changes.some((c) => c.rule === 'name-field-changed' && c.path === `x-wsconform.nameField.${d}`)) continue;
    const names = new Set([...a.messages, ...b.messages].filter((m) => m.direction === d).map((m) => m.name));
    const paths = new Set([...names].flatMap((n) => [`messages.${n}.${x}`, `messages.${n}.${y}`]));
    if (d === 'receive') paths.add(`envelope.${x}`).add(`envelope.${y}`);
    const rules = ['field-removed', 'field-required', 'field-optional', 'optional-field-added', 'optional-field-removed', 'schema-added', 'schema-removed', 'values-listed', 'values-unlisted'];
    for (let i = changes.length - 1; i >= 0; i--) if (rules.includes(changes[i].rule) && paths.has(changes[i].path)) changes.splice(i, 1);
  }
}

function compareMessage(m: MessageDef, n: MessageDef, d: Direction, add: (c: Change) => void): void {
  compareSchemaRoot(m.schema, n.schema, `messages.${m.name}`, d, add);
}

function compareSchemaRoot(a: Schema | undefined, b: Schema | undefined, path: string, d: Direction, add: (c: Change) => void): void {
  if (!a && !b) return;
  if (!a || !b) {
    add({ rule: a ? 'schema-removed' : 'schema-added', path, message: `${path}: schema ${a ? 'removed' : 'added'}`, breaks: [a ? READER[d] : WRITER[d]], reason: a ? `${READER[d]} lose every guarantee the schema gave` : `${WRITER[d]} must now send what the schema accepts` });
    return;
  }
  compareSchema(a, b, a, b, path, d, add, 0);
}

/** A local `$ref` (`#/definitions/X`) followed inside its own root. */
function deref(s: unknown, root: Schema, depth = 0): Schema {
  if (!s || typeof s !== 'object') return {};
  const ref = (s as Schema).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/') && depth < 20) {
    let node: unknown = root;
    for (const k of ref.slice(2).split('/')) node = (node as Schema | undefined)?.[k];
    return deref(node, root, depth + 1);
  }
  return s as Schema;
}

/** The JSON types a schema accepts (`undefined`: any); `integer` is a `number`. */
function typesOf(s: Schema): Set<string> | undefined {
  if ('const' in s) return new Set([jsonType(s.const)]);
  if (Array.isArray(s.enum)) return new Set((s.enum as unknown[]).map(jsonType));
  const t = s.type;
  if (t === undefined) return undefined;
  return new Set((Array.isArray(t) ? t : [t]) as string[]);
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (Number.isInteger(v)) return 'integer';
  return typeof v;
}

/** Whether every value of type `t` is accepted by the types `set` (`number` accepts `integer`). */
const accepts = (set: Set<string> | undefined, t: string) => !set || set.has(t) || (t === 'integer' && set.has('number'));
const subset = (a: Set<string> | undefined, b: Set<string> | undefined) => (a ? [...a].every((t) => accepts(b, t)) : !b);
const show = (set: Set<string> | undefined) => (set ? [...set].join(' | ') : 'any');

/** The values a schema allows by `const`/`enum`, or undefined when it does not list them. */
function valuesOf(s: Schema): unknown[] | undefined {
  if ('const' in s) return [s.const];
  if (Array.isArray(s.enum)) return s.enum as unknown[];
  return undefined;
}

function compareSchema(a: Schema, b: Schema, ra: Schema, rb: Schema, path: string, d: Direction, add: (c: Change) => void, depth: number): void {
  if (depth > 30) return;
  a = deref(a, ra);
  b = deref(b, rb);
  const W = WRITER[d];
  const R = READER[d];
  const narrowed = (rule: string, message: string) => add({ rule, path, message: `${path}: ${message}`, breaks: [W], reason: `the schema accepts less: ${W} that sent what it accepted before may no longer conform` });
  const widened = (rule: string, message: string) => add({ rule, path, message: `${path}: ${message}`, breaks: [R], reason: `the schema accepts more: ${R} may now get values they never had to handle` });
  const changed = (rule: string, message: string) => add({ rule, path, message: `${path}: ${message}`, breaks: [R, W], reason: `neither accepts what the other does: ${W} must send, and ${R} must read, something else` });

  // Alternatives (anyOf, oneOf, allOf): compared as a whole.
  for (const k of ['anyOf', 'oneOf', 'allOf']) {
    if (!isDeepStrictEqual(strip(a[k]), strip(b[k]))) {
      changed('alternatives-changed', `${k} changed`);
      return;
    }
  }

  // Values: const/enum.
  const va = valuesOf(a);
  const vb = valuesOf(b);
  if (va || vb) {
    const gone = va && vb ? va.filter((v) => !vb.some((w) => isDeepStrictEqual(v, w))) : [];
    const fresh = va && vb ? vb.filter((v) => !va.some((w) => isDeepStrictEqual(v, w))) : [];
    if (va && !vb) widened('values-unlisted', `no longer limited to ${va.map((v) => JSON.stringify(v)).join(', ')}`);
    else if (!va && vb) narrowed('values-listed', `now limited to ${vb.map((v) => JSON.stringify(v)).join(', ')}`);
    else if (gone.length && fresh.length) changed('values-changed', `values ${gone.map((v) => JSON.stringify(v)).join(', ')} → ${fresh.map((v) => JSON.stringify(v)).join(', ')}`);
    else if (gone.length) narrowed('values-removed', `value${gone.length > 1 ? 's' : ''} ${gone.map((v) => JSON.stringify(v)).join(', ')} removed`);
    else if (fresh.length) widened('values-added', `value${fresh.length > 1 ? 's' : ''} ${fresh.map((v) => JSON.stringify(v)).join(', ')} added`);
    if (va && vb) return;
  }

  // Types.
  const ta = typesOf(a);
  const tb = typesOf(b);
  const typeChanged = !(subset(ta, tb) && subset(tb, ta));
  if (typeChanged) {
    if (subset(tb, ta)) narrowed('type-narrowed', `type ${show(ta)} → ${show(tb)}`);
    else if (subset(ta, tb)) widened('type-widened', `type ${show(ta)} → ${show(tb)}`);
    else {
      changed('type-changed', `type ${show(ta)} → ${show(tb)}`);
      return;
    }
  }

  // Formats: a timestamp's representation is a format (date-time) or a type (number) change.
  if (a.format !== b.format) {
    if (a.format === undefined) narrowed('format-added', `format ${b.format} added`);
    else if (b.format === undefined) widened('format-removed', `format ${a.format} removed`);
    else changed('format-changed', `format ${a.format} → ${b.format}`);
  }

  // Bounds.
  for (const [k, lower] of [['minimum', true], ['exclusiveMinimum', true], ['minLength', true], ['minItems', true], ['maximum', false], ['exclusiveMaximum', false], ['maxLength', false], ['maxItems', false]] as const) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') {
      if (lower ? y > x : y < x) narrowed('bound-narrowed', `${k} ${x} → ${y}`);
      else widened('bound-widened', `${k} ${x} → ${y}`);
    } else if (x === undefined) narrowed('bound-added', `${k} ${String(y)} added`);
    else if (y === undefined) widened('bound-removed', `${k} ${String(x)} removed`);
  }
  if (a.pattern !== b.pattern) {
    if (a.pattern === undefined) narrowed('pattern-added', `pattern ${String(b.pattern)} added`);
    else if (b.pattern === undefined) widened('pattern-removed', `pattern ${String(a.pattern)} removed`);
    else changed('pattern-changed', `pattern ${String(a.pattern)} → ${String(b.pattern)}`);
  }

  // Objects: required fields, then each property.
  const reqA = new Set((a.required as string[] | undefined) ?? []);
  const reqB = new Set((b.required as string[] | undefined) ?? []);
  const pa = (a.properties ?? {}) as Record<string, Schema>;
  const pb = (b.properties ?? {}) as Record<string, Schema>;
  for (const f of reqB) if (!reqA.has(f)) add({ rule: 'field-required', path: `${path}.${f}`, message: `${path}.${f} is now required`, breaks: [W], reason: `${W} that left it out no longer conform; ${R} may now rely on it` });
  for (const f of reqA) {
    if (reqB.has(f)) continue;
    if (f in pb || !(f in pa)) add({ rule: 'field-optional', path: `${path}.${f}`, message: `${path}.${f} is no longer required`, breaks: [R], reason: `${R} that rely on it may now get messages without it` });
    else add({ rule: 'field-removed', path: `${path}.${f}`, message: `required field ${path}.${f} removed`, breaks: [R], reason: `${R} that read it no longer get it (${W} may still send it: extra fields are allowed)` });
  }
  for (const [f, s] of Object.entries(pa)) {
    if (!(f in pb)) {
      if (!reqA.has(f)) add({ rule: 'optional-field-removed', path: `${path}.${f}`, message: `optional field ${path}.${f} removed`, breaks: [], reason: 'it was never guaranteed, and an extra field is still allowed' });
      continue;
    }
    compareSchema(s, pb[f], ra, rb, `${path}.${f}`, d, add, depth + 1);
  }
  for (const f of Object.keys(pb)) if (!(f in pa) && !reqB.has(f)) add({ rule: 'optional-field-added', path: `${path}.${f}`, message: `optional field ${path}.${f} added`, breaks: [], reason: `${W} need not send it and ${R} ignore a field they do not know` });
  const closedA = a.additionalProperties === false;
  const closedB = b.additionalProperties === false;
  if (closedA !== closedB) {
    if (closedB) narrowed('closed', 'no longer allows fields beyond its properties');
    else widened('opened', 'now allows fields beyond its properties');
  }

  // Arrays: the items' schema.
  if (a.items && b.items && !Array.isArray(a.items) && !Array.isArray(b.items)) compareSchema(a.items as Schema, b.items as Schema, ra, rb, `${path}[]`, d, add, depth + 1);
  else if (!isDeepStrictEqual(strip(a.items), strip(b.items))) changed('items-changed', 'items changed');
}

/** A schema without its words (descriptions, titles, examples): only what it accepts. */
function strip(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(strip);
  if (!s || typeof s !== 'object') return s;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (!['description', 'title', 'examples', '$id', '$schema', '$comment'].includes(k)) out[k] = strip(v);
  return out;
}

/** Channels and servers, by id: removed, added, or moved to another address. */
function compareNamed(a: [string, string][], b: [string, string][], path: string, what: string, add: (c: Change) => void): void {
  const before = new Map(a);
  const after = new Map(b);
  for (const [id, addr] of before) {
    const now = after.get(id);
    if (now === undefined) add({ rule: `${what}-removed`, path: `${path}.${id}`, message: `${what} ${id} (${addr}) removed`, breaks: ['clients', 'servers'], reason: what === 'channel' ? `clients that connect to ${addr} are refused; servers that serve it serve an undocumented address` : 'clients configured with it must move' });
    else if (now !== addr) add({ rule: `${what}-moved`, path: `${path}.${id}`, message: `${what} ${id}: ${addr} → ${now}`, breaks: ['clients', 'servers'], reason: 'clients must connect elsewhere, and servers must serve the new address' });
  }
  for (const [id, addr] of after) {
    if (before.has(id)) continue;
    add({ rule: `${what}-added`, path: `${path}.${id}`, message: `${what} ${id} (${addr}) added`, breaks: what === 'channel' ? ['servers'] : [], reason: what === 'channel' ? 'servers must now serve it' : 'another place to reach the service; no one must change' });
  }
}

function compareSecurity(a: Spec, b: Spec, add: (c: Change) => void): void {
  const before = Object.keys(a.securitySchemes);
  const after = Object.keys(b.securitySchemes);
  for (const k of after) if (!before.includes(k)) add({ rule: 'security-added', path: `components.securitySchemes.${k}`, message: `security scheme ${k} added`, breaks: ['clients'], reason: 'clients may now have to present a credential' });
  for (const k of before) {
    if (!after.includes(k)) add({ rule: 'security-removed', path: `components.securitySchemes.${k}`, message: `security scheme ${k} removed`, breaks: ['servers'], reason: 'servers must accept clients without it' });
    else if (!isDeepStrictEqual(strip(a.securitySchemes[k]), strip(b.securitySchemes[k]))) add({ rule: 'security-changed', path: `components.securitySchemes.${k}`, message: `security scheme ${k} changed`, breaks: ['clients', 'servers'], reason: 'the credential travels, or is checked, differently' });
  }
}

/** A change of an `x-wsconform` rule, classified by the table below (unknown rules: breaking both). */
function compareExtension(a: Spec, b: Spec, add: (c: Change) => void): void {
  const x = a.ext as unknown as Record<string, unknown>;
  const y = b.ext as unknown as Record<string, unknown>;
  const seen = new Set<string>();
  for (const rule of EXTENSION_RULES) {
    for (const key of rule.keys) seen.add(key);
    rule.compare(a, b, add);
  }
  // Words (decisions, bases) do not change what conforms.
  for (const key of ['version', 'decisions', 'transport']) seen.add(key);
  for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
    if (seen.has(key) || isDeepStrictEqual(withoutBases(x[key]), withoutBases(y[key]))) continue;
    add({ rule: 'extension-changed', path: `x-wsconform.${key}`, message: `x-wsconform.${key} ${x[key] === undefined ? 'added' : y[key] === undefined ? 'removed' : 'changed'}`, breaks: ['clients', 'servers'], reason: 'a rule the diff does not classify: read it before merging' });
  }
}

/** A rule's value without its bases (the sentences it quotes): only what it requires. */
function withoutBases(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutBases);
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, w] of Object.entries(v)) if (k !== 'basis' && !k.endsWith('Basis')) out[k] = withoutBases(w);
  return out;
}

interface ExtensionRule {
  keys: string[];
  compare(a: Spec, b: Spec, add: (c: Change) => void): void;
}

const names = (list: { message: string }[] | undefined) => (list ?? []).map((m) => m.message);

/** The classified `x-wsconform` rules. */
const EXTENSION_RULES: ExtensionRule[] = [
  {
    keys: ['initialMessages'],
    compare(a, b, add) {
      const x = names(a.ext.initialMessages);
      const y = names(b.ext.initialMessages);
      for (const m of y) if (!x.includes(m)) add({ rule: 'initial-message-added', path: 'x-wsconform.initialMessages', message: `${m} is now sent first on every connection`, breaks: ['servers'], reason: 'servers must now send it on connect' });
      for (const m of x) if (!y.includes(m)) add({ rule: 'initial-message-removed', path: 'x-wsconform.initialMessages', message: `${m} is no longer sent first on every connection`, breaks: ['clients'], reason: 'clients that wait for it on connect may wait forever' });
      if (x.length === y.length && x.every((m) => y.includes(m)) && !isDeepStrictEqual(x, y)) add({ rule: 'initial-order-changed', path: 'x-wsconform.initialMessages', message: `initial messages ${x.join(', ')} → ${y.join(', ')}`, breaks: ['clients', 'servers'], reason: 'servers must send them in the new order, and clients that read them in order must follow' });
    },
  },
  {
    keys: ['nameField'],
    compare(a, b, add) {
      for (const d of ['receive', 'send'] as const) {
        const x = a.ext.nameField?.[d] ?? 'type';
        const y = b.ext.nameField?.[d] ?? 'type';
        if (x !== y) add({ rule: 'name-field-changed', path: `x-wsconform.nameField.${d}`, message: `the ${WHAT[d]}s' name field ${x} → ${y}`, breaks: ['clients', 'servers'], reason: 'every message is named in another field: no one reads the other side any more' });
      }
    },
  },
  {
    keys: ['sequences'],
    compare(a, b, add) {
      const key = (s: { field: string; scope?: string }) => `${s.field}@${s.scope ?? 'connection'}`;
      const x = new Map((a.ext.sequences ?? []).map((s) => [key(s), s]));
      const y = new Map((b.ext.sequences ?? []).map((s) => [key(s), s]));
      const strictness: Record<string, number> = { 'strictly-increasing': 1, consecutive: 2 };
      for (const [k, s] of y) {
        const old = x.get(k);
        if (!old) add({ rule: 'sequence-added', path: `x-wsconform.sequences.${s.field}`, message: `${s.field} must now be ${s.order}`, breaks: ['servers'], reason: 'servers must now number their messages so' });
        else if (old.order !== s.order) {
          const stricter = (strictness[s.order] ?? 0) > (strictness[old.order] ?? 0);
          add({ rule: stricter ? 'sequence-stricter' : 'sequence-looser', path: `x-wsconform.sequences.${s.field}`, message: `${s.field}: ${old.order} → ${s.order}`, breaks: [stricter ? 'servers' : 'clients'], reason: stricter ? 'servers must number more strictly' : 'clients may no longer rely on the stricter order' });
        }
      }
      for (const [k, s] of x) if (!y.has(k)) add({ rule: 'sequence-removed', path: `x-wsconform.sequences.${s.field}`, message: `${s.field} need no longer be ${s.order}`, breaks: ['clients'], reason: 'clients that rely on the order (gap detection) may no longer' });
    },
  },
  {
    keys: ['auth'],
    compare(a, b, add) {
      const x = a.ext.auth;
      const y = b.ext.auth;
      if (!x && y) return add({ rule: 'auth-added', path: 'x-wsconform.auth', message: `authentication added (${y.means.map((m) => m.in).join(', ')}${y.optional ? ', optional' : ''})`, breaks: y.optional ? [] : ['clients'], reason: y.optional ? 'optional: a server may require it only when configured so' : 'clients must now present a token' });
      if (x && !y) return add({ rule: 'auth-removed', path: 'x-wsconform.auth', message: 'authentication removed', breaks: ['servers'], reason: 'servers must accept clients without a token' });
      if (!x || !y) return;
      const mk = (m: { in: string; name?: string }) => `${m.in}:${m.name ?? 'token'}`;
      for (const m of x.means) if (!y.means.some((n) => mk(n) === mk(m))) add({ rule: 'auth-means-removed', path: 'x-wsconform.auth.means', message: `a token may no longer travel as ${mk(m)}`, breaks: ['clients'], reason: 'clients that present it so are refused' });
      for (const m of y.means) if (!x.means.some((n) => mk(n) === mk(m))) add({ rule: 'auth-means-added', path: 'x-wsconform.auth.means', message: `a token may now travel as ${mk(m)}`, breaks: ['servers'], reason: 'servers must now read it there' });
      if (x.optional && !y.optional) add({ rule: 'auth-required', path: 'x-wsconform.auth.optional', message: 'authentication is no longer optional', breaks: ['clients'], reason: 'clients without a token are now refused or downgraded' });
      if (!x.optional && y.optional) add({ rule: 'auth-optional', path: 'x-wsconform.auth.optional', message: 'authentication is now optional', breaks: ['servers'], reason: 'servers must serve clients without a token' });
      if (x.withoutToken !== y.withoutToken) add({ rule: 'auth-refusal-changed', path: 'x-wsconform.auth.withoutToken', message: `without a token: ${x.withoutToken} → ${y.withoutToken}`, breaks: y.withoutToken === 'either' ? ['clients'] : x.withoutToken === 'either' ? ['servers'] : ['clients', 'servers'], reason: 'what happens to a client without a token changes' });
      const wx = x.writes ?? [];
      const wy = y.writes ?? [];
      for (const w of wy) if (!wx.includes(w)) add({ rule: 'auth-write-added', path: 'x-wsconform.auth.writes', message: `${w} now needs a token`, breaks: ['clients'], reason: 'clients that send it without one are refused' });
      for (const w of wx) if (!wy.includes(w)) add({ rule: 'auth-write-removed', path: 'x-wsconform.auth.writes', message: `${w} no longer needs a token`, breaks: ['servers'], reason: 'servers must accept it without one' });
      const rest = (r: typeof x) => withoutBases({ ...r, means: undefined, optional: undefined, withoutToken: undefined, writes: undefined });
      if (!isDeepStrictEqual(rest(x), rest(y))) add({ rule: 'extension-changed', path: 'x-wsconform.auth', message: 'x-wsconform.auth changed (status message, refusals or admin rules)', breaks: ['clients', 'servers'], reason: 'a rule the diff does not classify: read it before merging' });
    },
  },
  {
    keys: ['subprotocol'],
    compare(a, b, add) {
      const x = a.ext.subprotocol;
      const y = b.ext.subprotocol;
      if (isDeepStrictEqual(withoutBases(x), withoutBases(y))) return;
      const ox = x?.offer ?? [];
      const oy = y?.offer ?? [];
      const removed = ox.filter((p) => !oy.includes(p));
      const added = oy.filter((p) => !ox.includes(p));
      if (removed.length) add({ rule: 'subprotocol-removed', path: 'x-wsconform.subprotocol', message: `subprotocol ${removed.join(', ')} removed`, breaks: ['clients'], reason: 'clients that offer only it get none selected' });
      if (added.length) add({ rule: 'subprotocol-added', path: 'x-wsconform.subprotocol', message: `subprotocol ${added.join(', ')} added`, breaks: ['servers'], reason: 'servers must now select it when offered' });
      if (!!x?.required !== !!y?.required) add({ rule: y?.required ? 'subprotocol-required' : 'subprotocol-optional', path: 'x-wsconform.subprotocol.required', message: `a subprotocol is ${y?.required ? 'now' : 'no longer'} required`, breaks: [y?.required ? 'clients' : 'servers'], reason: y?.required ? 'clients that offer none are refused' : 'servers must accept clients that offer none' });
      if (x?.refusalCode !== y?.refusalCode) add({ rule: 'close-code-changed', path: 'x-wsconform.subprotocol.refusalCode', message: `refusal close code ${x?.refusalCode ?? 'none'} → ${y?.refusalCode ?? 'none'}`, breaks: ['clients', 'servers'], reason: 'servers must close with the new code, and clients that read it must expect it' });
    },
  },
  {
    keys: ['identify'],
    compare(a, b, add) {
      for (const d of ['receive', 'send'] as const) {
        const x = a.ext.identify?.[d] ?? [];
        const y = b.ext.identify?.[d] ?? [];
        if (!isDeepStrictEqual(x, y)) add({ rule: 'identify-changed', path: `x-wsconform.identify.${d}`, message: `${WHAT[d]}s are told apart by other shapes (${[...new Set([...x, ...y].map((r) => r.message))].join(', ')})`, breaks: ['clients', 'servers'], reason: 'a message is named by another shape: what one side sends, the other may name differently' });
      }
    },
  },
  {
    keys: ['batching'],
    compare(a, b, add) {
      const x = a.ext.batching;
      const y = b.ext.batching;
      if (!x && y) add({ rule: 'batching-allowed', path: 'x-wsconform.batching', message: 'the server may now batch events into one array frame', breaks: ['clients'], reason: 'clients that read one event per frame meet arrays' });
      if (x && !y) add({ rule: 'batching-forbidden', path: 'x-wsconform.batching', message: 'the server may no longer batch events', breaks: ['servers'], reason: 'servers that batch must send one event per frame' });
    },
  },
  {
    keys: ['closeCodes'],
    compare(a, b, add) {
      const x = (a.ext as unknown as Record<string, unknown>).closeCodes;
      const y = (b.ext as unknown as Record<string, unknown>).closeCodes;
      if (!isDeepStrictEqual(withoutBases(x), withoutBases(y))) add({ rule: 'close-code-changed', path: 'x-wsconform.closeCodes', message: 'close codes changed', breaks: ['clients', 'servers'], reason: 'servers must close with the new codes, and clients that act on a code must expect them' });
    },
  },
  {
    keys: ['envelope'],
    compare(a, b, add) {
      // The envelope's schema is compared with the messages; here its timestamps and exemptions.
      const tx = new Map((a.ext.envelope?.timestamps ?? []).map((t) => [t.field, t.format]));
      const ty = new Map((b.ext.envelope?.timestamps ?? []).map((t) => [t.field, t.format]));
      for (const [f, fmt] of ty) {
        const old = tx.get(f);
        if (old !== undefined && old !== fmt) add({ rule: 'timestamp-changed', path: `x-wsconform.envelope.timestamps.${f}`, message: `timestamp ${f}: ${old} → ${fmt}`, breaks: ['clients', 'servers'], reason: 'servers must write, and clients parse, another representation' });
        if (old === undefined) add({ rule: 'timestamp-added', path: `x-wsconform.envelope.timestamps.${f}`, message: `timestamp ${f} is now ${fmt}`, breaks: ['servers'], reason: 'servers must use that representation' });
      }
      for (const [f, fmt] of tx) if (!ty.has(f)) add({ rule: 'timestamp-removed', path: `x-wsconform.envelope.timestamps.${f}`, message: `timestamp ${f} no longer ${fmt}`, breaks: ['clients'], reason: 'clients may no longer rely on the representation' });
      const ex = a.ext.envelope?.exempt ?? [];
      const ey = b.ext.envelope?.exempt ?? [];
      for (const m of ex) if (!ey.includes(m)) add({ rule: 'envelope-extended', path: 'x-wsconform.envelope.exempt', message: `${m} now carries the envelope`, breaks: ['servers'], reason: 'servers must wrap it in the envelope' });
      for (const m of ey) if (!ex.includes(m)) add({ rule: 'envelope-exempted', path: 'x-wsconform.envelope.exempt', message: `${m} no longer carries the envelope`, breaks: ['clients'], reason: 'clients that read the envelope from it no longer find it' });
    },
  },
];

/** The rules the diff classifies by name (the README's table). */
export const DIFF_RULES = [
  'message-removed', 'message-added', 'schema-added', 'schema-removed', 'alternatives-changed', 'values-listed', 'values-unlisted', 'values-added', 'values-removed', 'values-changed',
  'type-narrowed', 'type-widened', 'type-changed', 'format-added', 'format-removed', 'format-changed', 'bound-narrowed', 'bound-widened', 'bound-added', 'bound-removed',
  'pattern-added', 'pattern-removed', 'pattern-changed', 'field-required', 'field-optional', 'field-removed', 'optional-field-added', 'optional-field-removed', 'closed', 'opened', 'items-changed',
  'channel-added', 'channel-removed', 'channel-moved', 'server-added', 'server-removed', 'server-moved', 'security-added', 'security-removed', 'security-changed',
  'transport-changed', 'initial-message-added', 'initial-message-removed', 'initial-order-changed', 'name-field-changed', 'sequence-added', 'sequence-removed', 'sequence-stricter', 'sequence-looser',
  'auth-added', 'auth-removed', 'auth-means-added', 'auth-means-removed', 'auth-required', 'auth-optional', 'auth-refusal-changed', 'auth-write-added', 'auth-write-removed',
  'subprotocol-added', 'subprotocol-removed', 'subprotocol-required', 'subprotocol-optional', 'close-code-changed', 'timestamp-changed', 'timestamp-added', 'timestamp-removed', 'envelope-extended', 'envelope-exempted', 'batching-allowed', 'batching-forbidden', 'identify-changed', 'extension-changed',
] as const;
