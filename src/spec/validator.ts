/**
 * Message validation: which message a frame is, and precise issues (JSON path, expected,
 * actual, schema path). Validators are compiled once per loaded spec, on first use of each
 * message, and reused for every frame.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TimestampField } from './extension.js';
import { NO_PAYLOAD, type Direction, type MessageDef, type Spec } from './model.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv, opts?: { mode?: 'fast' | 'full' }) => Ajv;

/** Stable codes of validation issues (listed in the README). */
export type IssueCode =
  | 'not-json'
  | 'not-object'
  | 'not-array'
  | 'missing-name'
  | 'unknown-message'
  | 'envelope'
  | 'schema';

/** One thing wrong with a message. */
export interface ValidationIssue {
  code: IssueCode;
  /** JSON path of the offending value, e.g. `$.data.text` (`$` is the whole message). */
  path: string;
  /** A sentence stating the rule, e.g. "$.timestamp must be number". */
  message: string;
  /** What the document requires there. */
  expected: string;
  /** What the message holds there. */
  actual: string;
  /** Ajv keyword and schema path, for schema issues. */
  keyword?: string;
  schemaPath?: string;
}

/** The verdict on one message. */
export interface ValidationResult {
  valid: boolean;
  /** The message validated (parsed, for `validateText`). */
  value?: unknown;
  /** The wire name, when one could be read. */
  name?: string;
  /** The documented message it was matched to. */
  message?: MessageDef;
  issues: ValidationIssue[];
}

/** A compiled validator for one spec. */
export interface Validator {
  /** Validates a parsed message (WebSocket: an object; Socket.IO: `[event, ...args]`). */
  validate(value: unknown, direction?: Direction): ValidationResult;
  /** Parses a text frame, then validates it; the parsed value is in `value`. */
  validateText(text: string, direction?: Direction): ValidationResult & { value?: unknown };
  /** The wire name of a parsed message, or undefined. */
  nameOf(value: unknown, direction?: Direction): string | undefined;
}

const cache = new WeakMap<Spec, Validator>();

/** The issues of every valid message: one shared, frozen empty list. */
const NO_ISSUES: ValidationIssue[] = Object.freeze([]) as unknown as ValidationIssue[];

const strip = (s: unknown): unknown => {
  if (Array.isArray(s)) return s.map(strip);
  if (!s || typeof s !== 'object') return s;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(s).sort()) {
    const v = (s as Record<string, unknown>)[k];
    if (k === 'description' || k === '$id' || k === '$schema' || k === 'title') continue;
    // `additionalProperties: {}` or `true` constrains nothing.
    if (k === 'additionalProperties' && (v === true || (v && typeof v === 'object' && Object.keys(v).length === 0))) continue;
    out[k] = strip(v);
  }
  return out;
};

/**
 * Whether `schema` (an object schema) states every property and requirement of `envelope`
 * identically, so that data valid against `schema` is valid against `envelope`.
 */
export function schemaIncludes(schema: Record<string, unknown>, envelope: Record<string, unknown>): boolean {
  const keys = Object.keys(envelope).filter((k) => !['description', '$id', '$schema', 'title', 'properties', 'required', 'type', 'definitions'].includes(k));
  if (keys.length || envelope.type !== 'object' || schema.type !== 'object') return false;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  if (!((envelope.required as string[] | undefined) ?? []).every((r) => required.has(r))) return false;
  const props = (schema.properties ?? {}) as Record<string, unknown>;
  const defsOf = (x: Record<string, unknown>) => JSON.stringify(strip(x.definitions ?? {}));
  return Object.entries((envelope.properties ?? {}) as Record<string, unknown>).every(([k, v]) => {
    const mine = props[k];
    if (mine === undefined) return false;
    const a = JSON.stringify(strip(v));
    const b = JSON.stringify(strip(mine));
    // A message may narrow an envelope field (e.g. a const name, a typed data object) only
    // where the envelope's field is a plain type the narrowing keeps; otherwise require equality.
    if (a === b) return !a.includes('$ref') || defsOf(envelope) === defsOf(schema);
    const ea = strip(v) as Record<string, unknown>;
    const eb = strip(mine) as Record<string, unknown>;
    return Object.keys(ea).length === 1 && typeof ea.type === 'string' && eb.type === ea.type && !JSON.stringify(eb).includes('$ref');
  });
}

/** Describes a JSON value's type for `actual`. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** A short rendering of a value for evidence (at most 120 characters). */
export function preview(value: unknown, max = 120): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : JSON.stringify(value);
  } catch {
    // Too deep to print (or cyclic): say what it is without recursing into it.
    text = Array.isArray(value) ? `[array of ${value.length}, too deeply nested to print]` : '{object too deeply nested to print}';
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `/data/items/0` → `$.data.items[0]`. */
export function jsonPath(pointer: string): string {
  if (!pointer) return '$';
  return (
    '$' +
    pointer
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((p) => (/^\d+$/.test(p) ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`))
      .join('')
  );
}

function at(value: unknown, pointer: string): unknown {
  let node = value;
  for (const p of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[p.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

const FORMAT_WORDS: Record<TimestampField['format'], string> = {
  'epoch-seconds': 'a number of epoch seconds (e.g. 1709000000.0)',
  'epoch-millis': 'an integer of epoch milliseconds',
  'iso-8601': 'an ISO 8601 string (e.g. "2026-01-08T10:30:00Z")',
};

function toIssue(e: ErrorObject, root: unknown, code: IssueCode, timestamps: Map<string, TimestampField['format']>, prefix = ''): ValidationIssue {
  const pointer = prefix + e.instancePath;
  let path = jsonPath(pointer);
  const value = at(root, pointer);
  let expected: string;
  let actual = `${jsonType(value)} ${preview(value, 60)}`;
  switch (e.keyword) {
    case 'required': {
      const prop = (e.params as { missingProperty: string }).missingProperty;
      path = jsonPath(`${pointer}/${prop}`);
      expected = 'present';
      actual = 'missing';
      break;
    }
    case 'type':
      expected = String((e.params as { type: string | string[] }).type);
      break;
    case 'const':
      expected = preview((e.params as { allowedValue: unknown }).allowedValue);
      break;
    case 'enum':
      expected = `one of ${preview((e.params as { allowedValues: unknown[] }).allowedValues)}`;
      break;
    case 'format':
      expected = `string in format ${(e.params as { format: string }).format}`;
      break;
    default:
      expected = e.message ?? e.keyword;
  }
  const tsFormat = timestamps.get(path);
  if (tsFormat && (e.keyword === 'type' || e.keyword === 'format')) expected = FORMAT_WORDS[tsFormat];
  const rule = e.keyword === 'required' ? `${path} is required` : `${path} must be ${expected}`;
  return { code, path, message: rule, expected, actual, keyword: e.keyword, schemaPath: e.schemaPath };
}

/** The compiled validator of a spec (built once, then cached on the spec). */
export function validatorFor(spec: Spec): Validator {
  const existing = cache.get(spec);
  if (existing) return existing;

  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, validateSchema: false });
  addFormats(ajv, { mode: 'fast' });
  const compiled = new Map<MessageDef, ValidateFunction | null>();
  const compile = (m: MessageDef): ValidateFunction | null => {
    let fn = compiled.get(m);
    if (fn === undefined) {
      fn = m.schema ? compileSchema(m.schema) : null;
      compiled.set(m, fn);
    }
    return fn;
  };
  const compileSchema = (schema: Record<string, unknown>): ValidateFunction => {
    const id = typeof schema.$id === 'string' ? schema.$id : undefined;
    if (id) {
      const known = ajv.getSchema(id);
      if (known) return known;
    }
    return ajv.compile(schema);
  };
  const envelope = spec.envelopeSchema ? compileSchema(spec.envelopeSchema) : null;
  // When a message's schema already states every envelope field exactly as the envelope does
  // (true of the generated schemas, whose types extend the envelope), a message that passes its
  // own schema passes the envelope too: the envelope validator is then only run on failure, to
  // tell envelope faults from payload faults.
  const subsumes = new Map<MessageDef, boolean>();
  const envelopeSubsumed = (m: MessageDef): boolean => {
    let known = subsumes.get(m);
    if (known === undefined) {
      known = !!spec.envelopeSchema && !!m.schema && schemaIncludes(m.schema, spec.envelopeSchema);
      subsumes.set(m, known);
    }
    return known;
  };
  const exempt = new Set(spec.ext.envelope?.exempt ?? []);
  const timestamps = new Map((spec.ext.envelope?.timestamps ?? []).map((t) => [`$.${t.field}`, t.format] as const));
  const socketio = spec.transport === 'socket.io';
  // Messages framed as JSON arrays (x-wsconform.shape: array) rather than objects.
  const arrays = !socketio && spec.ext.shape === 'array';
  const nameField = spec.ext.nameField ?? { receive: 'type', send: 'type' };

  interface Entry {
    message: MessageDef;
    fn: ValidateFunction | null;
    checkEnvelope: boolean;
    subsumed: boolean;
    /** Socket.IO: the document shows the event sent without an argument. */
    bareForm: boolean;
  }
  const entries = { receive: new Map<string, Entry | null>(), send: new Map<string, Entry | null>() };
  const entryFor = (direction: Direction, name: string): Entry | null => {
    let entry = entries[direction].get(name);
    if (entry === undefined) {
      const message = spec.message(direction, name);
      entry = message
        ? { message, fn: compile(message), checkEnvelope: envelope !== null && direction === 'receive' && !exempt.has(name), subsumed: envelopeSubsumed(message), bareForm: message.examples.includes(NO_PAYLOAD) }
        : null;
      entries[direction].set(name, entry);
    }
    return entry;
  };

  // Messages named by their shape (x-wsconform.identify): the first rule whose schema matches.
  const shapes = {
    receive: (spec.ext.identify?.receive ?? []).map((r) => ({ message: r.message, match: ajv.compile(r.when) })),
    send: (spec.ext.identify?.send ?? []).map((r) => ({ message: r.message, match: ajv.compile(r.when) })),
  };
  // With shapes and no name field, a message no shape matches has no name.
  const byField = { receive: !shapes.receive.length || !!spec.ext.nameField, send: !shapes.send.length || !!spec.ext.nameField };
  const nameOf = (value: unknown, direction: Direction = 'receive'): string | undefined => {
    if (socketio) return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
    if (value === null || typeof value !== 'object' || Array.isArray(value) !== arrays) return undefined;
    for (const s of shapes[direction]) if (s.match(value)) return s.message;
    if (!byField[direction]) return undefined;
    const n = (value as Record<string, unknown>)[nameField[direction]];
    return typeof n === 'string' ? n : undefined;
  };

  const validate = (value: unknown, direction: Direction = 'receive'): ValidationResult => {
    if (socketio) {
      if (!Array.isArray(value) || value.length === 0) {
        return fail('not-array', '$', 'a Socket.IO event: a JSON array [eventName, ...args]', `${jsonType(value)} ${preview(value, 60)}`);
      }
      if (typeof value[0] !== 'string') {
        return fail('missing-name', '$[0]', 'the event name (a string)', `${jsonType(value[0])} ${preview(value[0], 60)}`);
      }
    } else if (arrays) {
      if (!Array.isArray(value)) return fail('not-array', '$', 'a JSON array (the document frames every message as one)', `${jsonType(value)} ${preview(value, 60)}`);
    } else if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return fail('not-object', '$', 'a JSON object', `${jsonType(value)} ${preview(value, 60)}`);
    }
    const name = nameOf(value, direction);
    if (name === undefined) {
      const known = shapes[direction].map((s) => s.message);
      if (!byField[direction]) return fail('missing-name', '$', `a message of a documented shape (${known.join(', ')})`, `${preview(value, 60)}, which matches none`);
      const field = nameField[direction];
      const v = (value as Record<string, unknown>)[field];
      if (arrays) return fail('missing-name', jsonPath(`/${field.split('.').join('/')}`), `the message name at position ${field} (a string)`, v === undefined ? 'missing' : `${jsonType(v)} ${preview(v, 60)}`);
      const shaped = known.length ? `, or a message of a documented shape (${known.join(', ')})` : '';
      return fail('missing-name', `$.${field}`, `the message name in "${field}" (a string)${shaped}`, v === undefined ? 'missing' : `${jsonType(v)} ${preview(v, 60)}`);
    }
    const entry = entryFor(direction, name);
    if (!entry) {
      const issues: ValidationIssue[] = [{ code: 'unknown-message', path: socketio ? '$[0]' : `$.${nameField[direction]}`, message: `"${name}" is not a documented ${direction === 'receive' ? 'server' : 'client'} message`, expected: 'a documented message name', actual: JSON.stringify(name) }];
      // The envelope is documented for every server event, named or not: an undocumented event
      // still carries it (unless its name is exempt).
      if (envelope && direction === 'receive' && !exempt.has(name)) {
        const payload = socketio ? (value as unknown[])[1] : value;
        if (!envelope(payload)) for (const e of envelope.errors ?? []) issues.push(toIssue(e, value, 'envelope', timestamps, socketio ? '/1' : ''));
      }
      return { valid: false, name, issues, value };
    }
    const { message, fn, checkEnvelope, subsumed, bareForm } = entry;
    const payload = socketio ? (value as unknown[])[1] : value;
    // A Socket.IO event sent without an argument is valid where the document shows that form.
    const bare = bareForm && (value as unknown[]).length === 1;
    const ok = fn === null || bare || fn(payload);
    if (ok && (!checkEnvelope || subsumed || envelope!(payload))) return { valid: true, name, message, issues: NO_ISSUES, value };
    const issues: ValidationIssue[] = [];
    const prefix = socketio ? '/1' : '';
    if (checkEnvelope && !envelope!(payload)) {
      for (const e of envelope!.errors ?? []) issues.push(toIssue(e, value, 'envelope', timestamps, prefix));
    }
    if (!ok && fn && !fn(payload)) {
      const seen = new Set(issues.map((i) => `${i.path} ${i.keyword}`));
      for (const e of fn.errors ?? []) {
        const issue = toIssue(e, value, 'schema', timestamps, prefix);
        if (!seen.has(`${issue.path} ${issue.keyword}`)) issues.push(issue);
      }
    }
    return { valid: issues.length === 0, name, message, issues, value };

    function fail(code: IssueCode, path: string, expected: string, actual: string): ValidationResult {
      return { valid: false, issues: [{ code, path, message: `${path} must be ${expected}`, expected, actual }], value };
    }
  };

  const validator: Validator = {
    validate,
    nameOf,
    validateText(text, direction = 'receive') {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        return { valid: false, issues: [{ code: 'not-json', path: '$', message: 'the frame must be JSON', expected: 'JSON text', actual: `${preview(text, 60)} (${(err as Error).message})` }] };
      }
      return validate(value, direction);
    },
  };
  cache.set(spec, validator);
  return validator;
}
