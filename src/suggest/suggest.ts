/**
 * `wsconform suggest`: the smallest change to a document that makes observed traffic conform.
 *
 * It works in rounds on a copy of the document's files (`Workspace`): validate every observed
 * message against the document as edited so far, read one kind of drift from what fails, propose
 * the change that drift calls for, apply it, and validate again, until everything conforms or
 * nothing more can be proposed (what is left is said, never hidden). The order of the rounds
 * makes later findings honest: the framing first (batches), then the name field, then the
 * documented messages' fields (timestamps, types, missing and renamed fields), and last the
 * names nothing documents (a rename of a documented message, else a new message inferred from
 * its instances). Each change carries the evidence that calls for it: how many messages, of how
 * many, and the first ones (input line and value).
 */
import { loadSpec } from '../spec/load.js';
import type { Direction, MessageDef, Spec } from '../spec/model.js';
import { jsonType, preview, validatorFor, type ValidationIssue, type Validator } from '../spec/validator.js';
import { formatOf, inferSchema, typesOf } from './infer.js';
import type { Observed, ObservedInput } from './input.js';
import { pointer, Workspace, type Edit, type Place } from './workspace.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What kind of drift a change answers. */
export type SuggestionKind =
  | 'batching'
  | 'name-field'
  | 'timestamp-format'
  | 'widen-type'
  | 'change-type'
  | 'format'
  | 'widen-enum'
  | 'optional'
  | 'rename-field'
  | 'add-property'
  | 'rename-message'
  | 'new-message';

/** The messages that call for a change. */
export interface Evidence {
  /** Messages that show the drift. */
  count: number;
  /** Messages the change was judged on. */
  of: number;
  /** The first of them: input line (and index in a batch), and the value. */
  first: { line: number; batchIndex?: number; value: string }[];
}

/** One proposed change. */
export interface Suggestion {
  kind: SuggestionKind;
  /** The message it is about (wire name), when it is about one. */
  message?: string;
  direction?: Direction;
  /** The field (JSON path inside the message), when it is about one. */
  field?: string;
  /** One line: what changes and why. */
  summary: string;
  evidence: Evidence;
  /** The edits, file by file (JSON Patch operations; paths as segments). */
  edits: Edit[];
}

/** The result of `suggest`. */
export interface SuggestReport {
  document: string;
  kind: ObservedInput['kind'];
  /** Messages read (events of a batch counted one by one). */
  messages: number;
  /** How many of them did not conform before, and still do not after the changes. */
  nonconformingBefore: number;
  nonconformingAfter: number;
  suggestions: Suggestion[];
  /** What no change can fix, or what was not decided (said, not guessed). */
  notes: string[];
  /** The files the changes touch: text before and after. */
  files: { file: string; before: string; after: string }[];
}

/** One message to judge: an observed line, or one event of a batch. */
interface Item {
  obs: Observed;
  value: unknown;
  batchIndex?: number;
  direction: Direction;
  name?: string;
  issues: readonly ValidationIssue[];
  valid: boolean;
}

const MAX_ROUNDS = 12;
const FIRST = 3;

/** Proposes the changes a recording or transcript calls for (see the file comment). */
export async function suggest(spec: Spec, input: ObservedInput): Promise<SuggestReport> {
  const ws = new Workspace(spec.file);
  const suggestions: Suggestion[] = [];
  const notes: string[] = [];
  const u = input.skipped.unjudgeable.length;
  if (u) notes.push(`${u} recorded frame${u === 1 ? ' was' : 's were'} not JSON or binary (first: line ${input.skipped.unjudgeable[0].line}); no document change makes such a frame conform.`);
  const nj = input.skipped.notJson.length;
  if (nj) notes.push(`${nj} line${nj === 1 ? ' is' : 's are'} not JSON (first: line ${input.skipped.notJson[0].line}: ${input.skipped.notJson[0].error}); they were not judged.`);
  let current = spec;
  let before: number | undefined;
  let items: Item[] = [];
  const applied = new Set<string>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (round > 0) current = await loadSpec(spec.file, { overlay: ws.texts() });
    items = judge(current, input.messages);
    before ??= items.filter((i) => !i.valid).length;
    if (items.every((i) => i.valid)) break;
    // A change proposed twice did not take effect: stop rather than loop.
    const found = nextChanges(current, ws, items, notes, suggestions).filter((s) => !applied.has(identity(s)));
    if (!found.length) {
      notes.push(...leftovers(items));
      break;
    }
    for (const s of found) {
      applied.add(identity(s));
      for (const e of s.edits) ws.apply(e);
      suggestions.push(s);
    }
  }
  return {
    document: spec.file,
    kind: input.kind,
    messages: items.length,
    nonconformingBefore: before ?? 0,
    nonconformingAfter: items.filter((i) => !i.valid).length,
    suggestions,
    notes: [...new Set(notes)],
    files: ws.changed(),
  };
}

const identity = (s: Suggestion) => JSON.stringify([s.kind, s.direction, s.message, s.field]);

/** A JSON array of event objects: a batch. */
const isBatch = (v: unknown): v is Json[] => Array.isArray(v) && v.length > 0 && v.every(isObject);

/** Validates every observed message against the document as it stands. */
function judge(spec: Spec, observed: readonly Observed[]): Item[] {
  const validator = validatorFor(spec);
  const out: Item[] = [];
  const splits = spec.transport === 'websocket' && spec.ext.shape !== 'array';
  for (const obs of observed) {
    const values = splits && obs.direction !== 'send' && isBatch(obs.value) ? obs.value : [obs.value];
    for (const [i, value] of values.entries()) {
      const direction = obs.direction ?? directionOf(spec, validator, value);
      const r = validator.validate(value, direction);
      const batchIndex = values === obs.value ? i : undefined;
      // A batch the document does not allow is a deviation of its own, however valid its events.
      if (batchIndex !== undefined && !spec.ext.batching && !spec.ext.batch) {
        const batched: ValidationIssue = { code: 'not-object', path: '$', message: 'one event per frame', expected: 'a JSON object', actual: `an array of ${values.length} events` };
        out.push({ obs, value, batchIndex, direction, name: r.name, issues: [batched, ...r.issues], valid: false });
      } else out.push({ obs, value, batchIndex, direction, name: r.name, issues: r.issues, valid: r.valid });
    }
  }
  return out;
}

/** A transcript line without a direction: a client message if it names one, else the server's. */
function directionOf(spec: Spec, validator: Validator, value: unknown): Direction {
  const asReceive = validator.nameOf(value, 'receive');
  if (asReceive !== undefined && spec.message('receive', asReceive)) return 'receive';
  const asSend = validator.nameOf(value, 'send');
  return asSend !== undefined && spec.message('send', asSend) ? 'send' : 'receive';
}

function evidence(items: readonly Item[], of: number, valueOf: (i: Item) => unknown = (i) => i.value): Evidence {
  return { count: items.length, of, first: items.slice(0, FIRST).map((i) => ({ line: i.obs.line, ...(i.batchIndex !== undefined ? { batchIndex: i.batchIndex } : {}), value: preview(valueOf(i), 100) })) };
}

/** The drift of this round, as changes (an empty list: nothing more can be proposed). */
function nextChanges(spec: Spec, ws: Workspace, items: Item[], notes: string[], applied: readonly Suggestion[]): Suggestion[] {
  const ctx = new Context(spec, ws);
  const batching = batchingChange(ctx, items);
  if (batching) return [batching];
  // One name-field change per direction: a second would undo the first for the messages that kept the old one.
  const done = new Set(applied.filter((s) => s.kind === 'name-field').map((s) => s.direction!));
  const named = nameFieldChanges(ctx, items, notes, done);
  if (named.length) return named;
  const fields = fieldChanges(ctx, items, notes);
  if (fields.length) return fields;
  return unknownMessageChanges(ctx, items);
}

/** What the rounds' rules need of the document. */
class Context {
  readonly socketio: boolean;
  readonly nameField: { receive: string; send: string };
  constructor(
    readonly spec: Spec,
    readonly ws: Workspace,
  ) {
    this.socketio = spec.transport === 'socket.io';
    this.nameField = spec.ext.nameField ?? { receive: 'type', send: 'type' };
  }

  /** The document's place of a message object (`components.messages.<key>`, else inline in a channel). */
  messagePlace(m: MessageDef): Place | undefined {
    const doc = { file: this.spec.file, path: [] as string[] };
    const components = this.ws.get({ file: doc.file, path: ['components', 'messages'] });
    if (isObject(components) && m.key in components) {
      const place = this.ws.follow({ file: doc.file, path: ['components', 'messages', m.key] });
      const node = this.ws.get(place);
      if (isObject(node) && String(node.name ?? m.key) === m.name) return place;
    }
    const channels = this.ws.get({ file: doc.file, path: ['channels'] });
    for (const cid of Object.keys(isObject(channels) ? channels : {})) {
      const messages = this.ws.get(this.ws.locate({ file: doc.file, path: ['channels', cid] }, ['messages']));
      for (const mid of Object.keys(isObject(messages) ? messages : {})) {
        const place = this.ws.locate({ file: doc.file, path: ['channels', cid] }, ['messages', mid]);
        const node = this.ws.get(place);
        if (isObject(node) && String(node.name ?? mid) === m.name) return place;
      }
    }
    return undefined;
  }

  /** The place of a message's payload schema. */
  payloadPlace(m: MessageDef): Place | undefined {
    const place = this.messagePlace(m);
    if (!place) return undefined;
    const payload = this.ws.get({ file: place.file, path: [...place.path, 'payload'] });
    if (payload === undefined) return undefined;
    const inner = isObject(payload) && 'schemaFormat' in payload && 'schema' in payload ? ['payload', 'schema'] : ['payload'];
    return this.ws.locate(place, inner);
  }

  /** The envelope schema's place (x-wsconform.envelope.schema). */
  envelopePlace(): Place | undefined {
    return this.spec.ext.envelope ? this.ws.follow({ file: this.spec.file, path: ['x-wsconform', 'envelope', 'schema'] }) : undefined;
  }

  /** The schema place of a field inside a schema (`properties` / `items`, following `$ref`s), if the schema has it. */
  fieldPlace(schema: Place, field: readonly string[]): Place | undefined {
    let p = schema;
    for (const seg of field) {
      const node = this.ws.get(p);
      if (!isObject(node)) return undefined;
      if (/^\d+$/.test(seg) && isObject(node.items)) p = this.ws.locate(p, ['items']);
      else if (isObject(node.properties) && seg in node.properties) p = this.ws.locate(p, ['properties', seg]);
      else return undefined;
    }
    return p;
  }

  /** The payload of a message value (Socket.IO: the first argument). */
  payload(value: unknown): unknown {
    return this.socketio ? (Array.isArray(value) ? value[1] : undefined) : value;
  }

  /** Server messages the envelope applies to. */
  enveloped(): MessageDef[] {
    const exempt = new Set(this.spec.ext.envelope?.exempt ?? []);
    return this.spec.messages.filter((m) => m.direction === 'receive' && !exempt.has(m.name));
  }
}

/** `$.data[0].x` (or Socket.IO's `$[1].data`) → payload segments `data`, `0`, `x`. */
function segmentsOf(ctx: Context, jsonPath: string): string[] {
  let rest = jsonPath.replace(/^\$/, '');
  if (ctx.socketio) rest = rest.replace(/^\[1\]/, '');
  const out: string[] = [];
  const re = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(rest))) out.push(m[1] ?? m[2] ?? (JSON.parse(m[3]) as string));
  return out;
}

const dotted = (segs: readonly string[]) => (segs.length ? `$.${segs.join('.')}` : '$');

/** The value at payload segments. */
function at(value: unknown, segs: readonly string[]): unknown {
  let node = value;
  for (const s of segs) {
    if (Array.isArray(node)) node = node[Number(s)];
    else if (isObject(node)) node = node[s];
    else return undefined;
  }
  return node;
}
const has = (value: unknown, segs: readonly string[]) => {
  const parent = at(value, segs.slice(0, -1));
  return isObject(parent) && Object.prototype.hasOwnProperty.call(parent, segs.at(-1)!);
};

// ---------------------------------------------------------------------------------------------
// Round 1: batches.

function batchingChange(ctx: Context, items: Item[]): Suggestion | undefined {
  if (ctx.socketio || ctx.spec.ext.shape === 'array' || ctx.spec.ext.batching || ctx.spec.ext.batch) return undefined;
  const batched = items.filter((i) => i.batchIndex !== undefined);
  if (!batched.length) return undefined;
  const frames = [...new Set(batched.map((i) => i.obs))];
  const all = new Set(items.map((i) => i.obs)).size;
  return {
    kind: 'batching',
    summary: `the server batches events: ${frames.length} frame${frames.length === 1 ? '' : 's'} held a JSON array of events; the document must state it (x-wsconform.batching), so that clients read arrays`,
    evidence: { count: frames.length, of: all, first: frames.slice(0, FIRST).map((o) => ({ line: o.line, value: preview(o.value, 100) })) },
    edits: [{ file: ctx.spec.file, op: 'add', path: ['x-wsconform', 'batching'], value: { events: 'array' } }],
  };
}

// ---------------------------------------------------------------------------------------------
// Round 2: the name field.

function nameFieldChanges(ctx: Context, items: Item[], notes: string[], done: ReadonlySet<Direction>): Suggestion[] {
  if (ctx.socketio || ctx.spec.ext.shape === 'array') return [];
  const out: Suggestion[] = [];
  for (const direction of ['receive', 'send'] as const) {
    if (done.has(direction)) continue;
    const nameless = items.filter((i) => i.direction === direction && !i.valid && i.issues[0]?.code === 'missing-name' && isObject(i.value));
    if (!nameless.length) continue;
    const documented = new Set(ctx.spec.messages.filter((m) => m.direction === direction).map((m) => m.name));
    const old = ctx.nameField[direction];
    // The field that holds a string in every nameless message, a documented name in most of them
    // (an undocumented name among them is judged once the field is known).
    const candidates = Object.keys(nameless[0].value as Json).filter(
      (k) => k !== old && nameless.every((i) => typeof (i.value as Json)[k] === 'string') && nameless.filter((i) => documented.has((i.value as Json)[k] as string)).length * 2 > nameless.length,
    );
    if (candidates.length !== 1) {
      notes.push(`${nameless.length} ${direction === 'receive' ? 'server' : 'client'} message${nameless.length === 1 ? '' : 's'} carry no name in "${old}" (first: line ${nameless[0].obs.line}) and no other field names a documented message in most of them${candidates.length > 1 ? ` (${candidates.join(', ')} could)` : ''}; no change proposed.`);
      continue;
    }
    const field = candidates[0];
    const edits: Edit[] = [];
    const ext = ctx.spec.ext.nameField;
    if (ext) edits.push({ file: ctx.spec.file, op: 'replace', path: ['x-wsconform', 'nameField', direction], value: field });
    else edits.push({ file: ctx.spec.file, op: 'add', path: ['x-wsconform', 'nameField'], value: { ...ctx.nameField, [direction]: field } });
    // Messages seen still naming themselves in the old field (and not in the new one) keep it:
    // x-wsconform.identify names them by that shape, and their schemas stay as they are.
    const kept: string[] = [];
    for (const i of items) {
      if (i.direction !== direction || i.name === undefined || !i.issues.every((x) => x.code !== 'missing-name' && x.code !== 'unknown-message')) continue;
      if (!isObject(i.value) || typeof i.value[field] === 'string' || kept.includes(i.name)) continue;
      kept.push(i.name);
    }
    const shaped = kept.map((message) => ({ message, when: { type: 'object', required: [old], properties: { [old]: { const: message } } } }));
    if (shaped.length) {
      const existing = ctx.spec.ext.identify?.[direction];
      if (existing) for (const rule of shaped) edits.push({ file: ctx.spec.file, op: 'add', path: ['x-wsconform', 'identify', direction, '-'], value: rule });
      else if (ctx.spec.ext.identify) edits.push({ file: ctx.spec.file, op: 'add', path: ['x-wsconform', 'identify', direction], value: shaped });
      else edits.push({ file: ctx.spec.file, op: 'add', path: ['x-wsconform', 'identify'], value: { [direction]: shaped } });
    }
    // Every other schema of that direction that names its message in the old field now does in
    // the new one. A message seen both ways names itself in either (neither required); so does
    // the envelope, where some messages kept the old field.
    const both = kept.filter((n) => nameless.some((i) => (i.value as Json)[field] === n));
    const seen = new Set<string>();
    const once = (p: Place | undefined): p is Place => {
      if (!p || seen.has(`${p.file}#${pointer(p.path)}`)) return false;
      seen.add(`${p.file}#${pointer(p.path)}`);
      return true;
    };
    for (const m of ctx.spec.messages.filter((m) => m.direction === direction)) {
      const p = ctx.payloadPlace(m);
      if (!once(p)) continue;
      if (both.includes(m.name)) edits.push(...eitherProperty(ctx.ws, p, old, field));
      else if (!kept.includes(m.name)) edits.push(...renameProperty(ctx.ws, p, old, field));
    }
    const envelope = direction === 'receive' ? ctx.envelopePlace() : undefined;
    if (once(envelope)) edits.push(...(kept.length ? [...renameProperty(ctx.ws, envelope, old, field, false)] : renameProperty(ctx.ws, envelope, old, field)));
    out.push({
      kind: 'name-field',
      direction,
      field: `$.${field}`,
      summary: `${direction === 'receive' ? 'server' : 'client'} messages carry their name in "${field}", not "${old}": x-wsconform.nameField.${direction} and every schema of that direction change with it${kept.length ? ` (${kept.join(', ')} still name${kept.length === 1 ? 's itself' : ' themselves'} in "${old}": named by that shape, x-wsconform.identify)` : ''}`,
      evidence: evidence(nameless, items.filter((i) => i.direction === direction).length),
      edits,
    });
  }
  return out;
}

/** Edits renaming a property of an object schema (properties and required), in place; `required: false` drops it from required. */
function renameProperty(ws: Workspace, schema: Place, from: string, to: string, required = true): Edit[] {
  const node = ws.get(schema);
  if (!isObject(node)) return [];
  const edits: Edit[] = [];
  if (isObject(node.properties) && from in node.properties && !(to in node.properties)) {
    edits.push({ file: schema.file, op: 'move', from: [...schema.path, 'properties', from], path: [...schema.path, 'properties', to] });
  }
  if (Array.isArray(node.required) && node.required.includes(from)) edits.push(requiredEdit(schema, node.required, required ? node.required.map((r) => (r === from ? to : r)) : node.required.filter((r) => r !== from)));
  return edits;
}

/** Edits letting an object schema carry a property under either name (the new one added alike, neither required). */
function eitherProperty(ws: Workspace, schema: Place, from: string, to: string): Edit[] {
  const node = ws.get(schema);
  if (!isObject(node) || !isObject(node.properties) || !(from in node.properties) || to in node.properties) return [];
  const edits: Edit[] = [{ file: schema.file, op: 'add', path: [...schema.path, 'properties', to], value: node.properties[from] }];
  if (Array.isArray(node.required) && node.required.includes(from)) edits.push(requiredEdit(schema, node.required, node.required.filter((r) => r !== from)));
  return edits;
}

/** The edit setting an object schema's `required` (removed when empty). */
function requiredEdit(schema: Place, before: unknown[], after: unknown[]): Edit {
  return after.length || !before.length ? { file: schema.file, op: 'replace', path: [...schema.path, 'required'], value: after } : { file: schema.file, op: 'remove', path: [...schema.path, 'required'] };
}

// ---------------------------------------------------------------------------------------------
// Round 3: the fields of documented messages.

/** Issues of documented messages, grouped by the drift they show. */
interface Group {
  key: string;
  /** `envelope`: every enveloped server message; `message`: one message; `timestamp`: a documented timestamp field. */
  scope: 'envelope' | 'message' | 'timestamp';
  keyword: string;
  field: string[];
  message?: MessageDef;
  items: Item[];
  issue: ValidationIssue;
}

function fieldChanges(ctx: Context, items: Item[], notes: string[]): Suggestion[] {
  const groups = new Map<string, Group>();
  const timestampFields = new Map((ctx.spec.ext.envelope?.timestamps ?? []).map((t, i) => [t.field, i]));
  for (const item of items) {
    if (item.valid) continue;
    const message = item.name !== undefined ? ctx.spec.message(item.direction, item.name) : undefined;
    for (const issue of item.issues) {
      if (issue.code !== 'schema' && issue.code !== 'envelope') continue;
      const field = segmentsOf(ctx, issue.path);
      const keyword = issue.keyword ?? '';
      const normal = field.map((s) => (/^\d+$/.test(s) ? '*' : s)).join('.');
      let group: Omit<Group, 'items'>;
      if (item.direction === 'receive' && (keyword === 'type' || keyword === 'format') && timestampFields.has(field.join('.'))) {
        group = { key: `timestamp ${field.join('.')}`, scope: 'timestamp', keyword, field, issue };
      } else if (!message) {
        continue; // an undocumented message: round 4 (its envelope is judged once it is documented)
      } else if (issue.code === 'envelope') {
        group = { key: `envelope ${keyword} ${normal}`, scope: 'envelope', keyword, field, issue };
      } else {
        group = { key: `${item.direction} ${message.name} ${keyword} ${normal}`, scope: 'message', keyword, field, message, issue };
      }
      let g = groups.get(group.key);
      if (!g) groups.set(group.key, (g = { ...group, items: [] }));
      if (!g.items.includes(item)) g.items.push(item);
    }
  }
  const out: Suggestion[] = [];
  for (const g of groups.values()) {
    const s = fieldChange(ctx, g, items);
    if (s) out.push(s);
    else notes.push(`${g.items.length} message${g.items.length === 1 ? '' : 's'} fail ${g.issue.message} (keyword ${g.keyword}; first: line ${g.items[0].obs.line}); no change proposed: decide by hand.`);
  }
  return out;
}

/** The schema places a group's field lives at: the envelope's and the messages'. */
function placesOf(ctx: Context, g: Group, messages: readonly MessageDef[], field: readonly string[]): Place[] {
  const out: Place[] = [];
  const seen = new Set<string>();
  const add = (schema: Place | undefined) => {
    const p = schema && ctx.fieldPlace(schema, field);
    if (!p || seen.has(`${p.file}#${pointer(p.path)}`)) return;
    seen.add(`${p.file}#${pointer(p.path)}`);
    out.push(p);
  };
  if (g.scope !== 'message') add(ctx.envelopePlace());
  for (const m of messages) add(ctx.payloadPlace(m));
  return out;
}

/** The documented messages of a group's items. */
function messagesOf(ctx: Context, items: readonly Item[]): MessageDef[] {
  const out: MessageDef[] = [];
  for (const i of items) {
    const m = i.name !== undefined ? ctx.spec.message(i.direction, i.name) : undefined;
    if (m && !out.includes(m)) out.push(m);
  }
  return out;
}

/** The items a group's rule is judged on (every instance, conforming or not). */
function scopeItems(ctx: Context, g: Group, items: readonly Item[]): Item[] {
  if (g.scope === 'message') return items.filter((i) => i.direction === g.message!.direction && i.name === g.message!.name);
  const enveloped = new Set(ctx.enveloped().map((m) => m.name));
  return items.filter((i) => i.direction === 'receive' && i.name !== undefined && (g.scope === 'timestamp' || enveloped.has(i.name)));
}

function fieldChange(ctx: Context, g: Group, items: readonly Item[]): Suggestion | undefined {
  if (g.scope === 'timestamp') return timestampChange(ctx, g, items);
  switch (g.keyword) {
    case 'required':
      return requiredChange(ctx, g, items);
    case 'type':
      return typeChange(ctx, g, items);
    case 'format':
      return formatChange(ctx, g, items);
    case 'enum':
      return enumChange(ctx, g, items);
    case 'additionalProperties':
      return additionalChange(ctx, g, items);
    default:
      return undefined;
  }
}

const where = (g: Group) => (g.scope === 'message' ? `${g.message!.name}` : 'the envelope');

type TimestampFormat = 'epoch-seconds' | 'epoch-millis' | 'iso-8601';

function representationOf(v: unknown): TimestampFormat | undefined {
  if (typeof v === 'string') return formatOf([v]) === 'date-time' ? 'iso-8601' : undefined;
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) >= 1e11 ? 'epoch-millis' : 'epoch-seconds';
  return undefined;
}

const REPRESENTATION_SCHEMA: Record<TimestampFormat, { type: string; format?: string }> = {
  'epoch-seconds': { type: 'number' },
  'epoch-millis': { type: 'integer' },
  'iso-8601': { type: 'string', format: 'date-time' },
};

function timestampChange(ctx: Context, g: Group, items: readonly Item[]): Suggestion | undefined {
  const fieldName = g.field.join('.');
  const index = (ctx.spec.ext.envelope?.timestamps ?? []).findIndex((t) => t.field === fieldName);
  const documented = ctx.spec.ext.envelope!.timestamps![index].format;
  const scope = scopeItems(ctx, g, items).filter((i) => has(ctx.payload(i.value), g.field));
  const reprs = new Set(scope.map((i) => representationOf(at(ctx.payload(i.value), g.field))));
  const drifted = scope.filter((i) => representationOf(at(ctx.payload(i.value), g.field)) !== documented);
  if (reprs.size !== 1 || reprs.has(undefined) || reprs.has(documented)) return undefined;
  const observed = [...reprs][0]!;
  const schema = REPRESENTATION_SCHEMA[observed];
  const edits: Edit[] = [{ file: ctx.spec.file, op: 'replace', path: ['x-wsconform', 'envelope', 'timestamps', String(index), 'format'], value: observed }];
  // The envelope's messages follow the envelope; a message exempt from it changes where it was seen drifting.
  const messages = [...new Set([...ctx.enveloped(), ...messagesOf(ctx, drifted)])];
  for (const p of placesOf(ctx, g, messages, g.field)) edits.push(...setType(ctx.ws, p, schema.type, schema.format ?? null));
  return {
    kind: 'timestamp-format',
    field: dotted(g.field),
    summary: `${dotted(g.field)} is sent as ${observed}, not ${documented}: the documented representation (x-wsconform.envelope.timestamps) and the schemas change with it`,
    evidence: evidence(drifted, scope.length, (i) => at(ctx.payload(i.value), g.field)),
    edits,
  };
}

/** Edits setting a schema's `type` (and its `format`: a value, or null to remove it). */
function setType(ws: Workspace, place: Place, type: string | string[], format: string | null | undefined): Edit[] {
  const node = ws.get(place);
  if (!isObject(node)) return [];
  const edits: Edit[] = [{ file: place.file, op: node.type === undefined ? 'add' : 'replace', path: [...place.path, 'type'], value: type }];
  if (format === null && node.format !== undefined) edits.push({ file: place.file, op: 'remove', path: [...place.path, 'format'] });
  if (typeof format === 'string' && node.format !== format) edits.push({ file: place.file, op: node.format === undefined ? 'add' : 'replace', path: [...place.path, 'format'], value: format });
  return edits;
}

const typeList = (t: unknown): string[] => (Array.isArray(t) ? t.map(String) : typeof t === 'string' ? [t] : []);
const accepts = (types: readonly string[], t: string) => types.includes(t) || (t === 'integer' && types.includes('number'));

function typeChange(ctx: Context, g: Group, items: readonly Item[]): Suggestion | undefined {
  const scope = scopeItems(ctx, g, items).filter((i) => has(ctx.payload(i.value), g.field) || (g.field.length && /^\d+$/.test(g.field.at(-1)!)));
  const places = placesOf(ctx, g, messagesOf(ctx, g.items), g.field);
  if (!places.length) return undefined;
  const documented = typeList(ctx.ws.get(places[0]) && (ctx.ws.get(places[0]) as Json).type);
  if (!documented.length) return undefined;
  const values = scope.map((i) => at(ctx.payload(i.value), g.field)).filter((v) => v !== undefined);
  const wrong = scope.filter((i) => {
    const v = at(ctx.payload(i.value), g.field);
    return v !== undefined && !accepts(documented, jsonType(v));
  });
  if (!wrong.length) return undefined;
  const observed = typesOf(values);
  // null never replaces a documented type: it widens it (a value that may be absent).
  const conforming = values.some((v) => accepts(documented, jsonType(v))) || observed.every((t) => t === 'null' || accepts(documented, t));
  let next = conforming ? [...documented, ...observed.filter((t) => !accepts(documented, t))] : observed;
  if (next.includes('number')) next = next.filter((t) => t !== 'integer');
  const type = next.length === 1 ? next[0] : next;
  const strings = values.filter((v): v is string => typeof v === 'string');
  const format = !next.includes('string') ? null : conforming ? undefined : (formatOf(strings) ?? null);
  const edits = places.flatMap((p) => setType(ctx.ws, p, type, format));
  const added = next.filter((t) => !documented.includes(t));
  const words = conforming ? `may also be ${added.join(' or ')}` : `is ${next.join(' or ')}, not ${documented.join(' or ')}`;
  return {
    kind: conforming ? 'widen-type' : 'change-type',
    message: g.message?.name,
    direction: g.message?.direction,
    field: dotted(g.field),
    summary: `${dotted(g.field)} of ${where(g)} ${words}`,
    evidence: evidence(wrong, values.length, (i) => at(ctx.payload(i.value), g.field)),
    edits,
  };
}

function formatChange(ctx: Context, g: Group, items: readonly Item[]): Suggestion | undefined {
  const places = placesOf(ctx, g, messagesOf(ctx, g.items), g.field);
  if (!places.length) return undefined;
  const documented = (ctx.ws.get(places[0]) as Json).format;
  const scope = scopeItems(ctx, g, items).filter((i) => typeof at(ctx.payload(i.value), g.field) === 'string');
  const strings = scope.map((i) => at(ctx.payload(i.value), g.field) as string);
  const observed = formatOf(strings);
  const edits: Edit[] = places.map((p) => (observed ? { file: p.file, op: 'replace', path: [...p.path, 'format'], value: observed } : { file: p.file, op: 'remove', path: [...p.path, 'format'] }));
  return {
    kind: 'format',
    message: g.message?.name,
    direction: g.message?.direction,
    field: dotted(g.field),
    summary: `${dotted(g.field)} of ${where(g)} is ${observed ? `in format ${observed}` : 'a string in no one format'}, not ${String(documented)}`,
    evidence: evidence(g.items, scope.length, (i) => at(ctx.payload(i.value), g.field)),
    edits,
  };
}

function enumChange(ctx: Context, g: Group, items: readonly Item[]): Suggestion | undefined {
  const places = placesOf(ctx, g, messagesOf(ctx, g.items), g.field);
  const node = places.length ? (ctx.ws.get(places[0]) as Json) : undefined;
  if (!node || !Array.isArray(node.enum)) return undefined;
  const known = node.enum as unknown[];
  const scope = scopeItems(ctx, g, items).filter((i) => has(ctx.payload(i.value), g.field));
  const extra: unknown[] = [];
  for (const i of scope) {
    const v = at(ctx.payload(i.value), g.field);
    if (!known.some((k) => JSON.stringify(k) === JSON.stringify(v)) && !extra.some((k) => JSON.stringify(k) === JSON.stringify(v))) extra.push(v);
  }
  if (!extra.length) return undefined;
  return {
    kind: 'widen-enum',
    message: g.message?.name,
    direction: g.message?.direction,
    field: dotted(g.field),
    summary: `${dotted(g.field)} of ${where(g)} also takes ${extra.map((v) => preview(v, 40)).join(', ')}: the documented list of values grows`,
    evidence: evidence(g.items, scope.length, (i) => at(ctx.payload(i.value), g.field)),
    edits: places.map((p) => ({ file: p.file, op: 'replace', path: [...p.path, 'enum'], value: [...known, ...extra] })),
  };
}

function requiredChange(ctx: Context, g: Group, items: readonly Item[]): Suggestion | undefined {
  const parent = g.field.slice(0, -1);
  const key = g.field.at(-1)!;
  const scope = scopeItems(ctx, g, items).filter((i) => isObject(at(ctx.payload(i.value), parent)));
  const missing = scope.filter((i) => !has(ctx.payload(i.value), g.field));
  if (!missing.length) return undefined;
  // The messages it is missing from: their schemas (and the envelope's) change.
  const messages = messagesOf(ctx, missing);
  const parents = placesOf(ctx, g, messages, parent);
  if (!parents.length) return undefined;
  const schemaOf = (p: Place) => ctx.ws.get(p) as Json;
  // Missing from every instance, and one undocumented field present in all of them that fits the documented field's schema: a rename.
  if (missing.length === scope.length) {
    const declared = new Set(parents.flatMap((p) => Object.keys((schemaOf(p).properties as Json | undefined) ?? {})));
    const property = parents.map((p) => ((schemaOf(p).properties as Json | undefined) ?? {})[key]).find(isObject);
    const first = at(ctx.payload(missing[0].value), parent) as Json;
    const candidates = Object.keys(first).filter((k) => !declared.has(k) && missing.every((i) => has(ctx.payload(i.value), [...parent, k])) && (!property || fits(ctx, parents[0], key, missing.map((i) => at(ctx.payload(i.value), [...parent, k])))));
    if (candidates.length === 1) {
      const to = candidates[0];
      return {
        kind: 'rename-field',
        message: g.scope === 'message' ? g.message!.name : undefined,
        direction: g.message?.direction,
        field: dotted(g.field),
        summary: `${dotted(g.field)} of ${where(g)} is sent as ${dotted([...parent, to])} in every message: a rename`,
        evidence: evidence(missing, scope.length, (i) => at(ctx.payload(i.value), parent)),
        edits: parents.flatMap((p) => renameProperty(ctx.ws, p, key, to)),
      };
    }
  }
  const edits: Edit[] = [];
  for (const p of parents) {
    const required = schemaOf(p).required;
    if (!Array.isArray(required) || !required.includes(key)) continue;
    const rest = required.filter((r) => r !== key);
    edits.push(rest.length ? { file: p.file, op: 'replace', path: [...p.path, 'required'], value: rest } : { file: p.file, op: 'remove', path: [...p.path, 'required'] });
  }
  if (!edits.length) return undefined;
  return {
    kind: 'optional',
    message: g.scope === 'message' ? g.message!.name : undefined,
    direction: g.message?.direction,
    field: dotted(g.field),
    summary: `${dotted(g.field)} of ${where(g)} is missing in ${missing.length} of ${scope.length} message${scope.length === 1 ? '' : 's'}: it becomes optional${g.scope === 'envelope' ? ` (in the envelope and in ${messages.map((m) => m.name).join(', ')})` : ''}`,
    evidence: evidence(missing, scope.length),
    edits,
  };
}

/** Whether values fit the schema of property `key` of the object schema at `parent`. */
function fits(ctx: Context, parent: Place, key: string, values: unknown[]): boolean {
  const place = ctx.fieldPlace(parent, [key]);
  const schema = place && ctx.ws.get(place);
  if (!isObject(schema)) return true;
  const types = typeList(schema.type);
  return values.every((v) => !types.length || accepts(types, jsonType(v)));
}

function additionalChange(ctx: Context, g: Group, items: readonly Item[]): Suggestion | undefined {
  const places = placesOf(ctx, g, messagesOf(ctx, g.items), g.field);
  if (!places.length) return undefined;
  const scope = scopeItems(ctx, g, items).filter((i) => isObject(at(ctx.payload(i.value), g.field)));
  const declared = new Set(Object.keys(((ctx.ws.get(places[0]) as Json).properties as Json | undefined) ?? {}));
  const extra = new Map<string, unknown[]>();
  for (const i of scope) for (const [k, v] of Object.entries(at(ctx.payload(i.value), g.field) as Json)) if (!declared.has(k)) extra.set(k, [...(extra.get(k) ?? []), v]);
  if (!extra.size) return undefined;
  const edits: Edit[] = [];
  for (const p of places) for (const [k, vs] of extra) edits.push({ file: p.file, op: 'add', path: [...p.path, 'properties', k], value: { ...inferSchema(vs), description: `Undocumented: seen in ${vs.length} recorded message${vs.length === 1 ? '' : 's'} (wsconform suggest).` } });
  return {
    kind: 'add-property',
    message: g.message?.name,
    direction: g.message?.direction,
    field: dotted(g.field),
    summary: `${where(g)} carries fields its schema forbids (${[...extra.keys()].join(', ')} at ${dotted(g.field)}): they are documented, optional`,
    evidence: evidence(g.items, scope.length),
    edits,
  };
}

// ---------------------------------------------------------------------------------------------
// Round 4: undocumented names.

function unknownMessageChanges(ctx: Context, items: Item[]): Suggestion[] {
  const groups = new Map<string, Item[]>();
  for (const i of items) {
    if (i.valid || i.issues[0]?.code !== 'unknown-message' || i.name === undefined) continue;
    const k = `${i.direction} ${i.name}`;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  }
  const out: Suggestion[] = [];
  const renamed = new Set<MessageDef>();
  const keys = new Set<string>();
  for (const group of groups.values()) {
    const { direction, name } = group[0];
    // The documented messages whose schema every instance fits: valid under its name, with no
    // field its schema does not declare, all the way down, and at least one field of its own
    // (not only a name and the envelope). A recording does not see every
    // message, so a guess would drop a documented one.
    const packets = new Set(ctx.spec.ext.lifecycle ?? []);
    // Fields that tell a message apart: not its name, not the envelope every event carries.
    const envelope = ctx.spec.envelopeSchema && direction === 'receive' ? Object.keys((ctx.spec.envelopeSchema.properties as Json | undefined) ?? {}) : [];
    const own = (path: readonly string[]) => !(path.length === 1 && (envelope.includes(path[0]) || (!ctx.socketio && path[0] === ctx.nameField[direction])));
    const seen = (m: MessageDef) => items.some((i) => i.direction === direction && i.name === m.name);
    const fitting = ctx.spec.messages.filter((m) => m.direction === direction && !packets.has(m.name) && !renamed.has(m)).filter((m) =>
      group.every((i) => {
        const renamedValue = withName(ctx, i.value, direction, m.name);
        if (!validatorFor(ctx.spec).validate(renamedValue, direction).valid || m.schema === undefined) return false;
        const matched = sameShape(m.schema, ctx.payload(renamedValue), m.schema, 0, own);
        return matched !== false && matched > 0;
      }),
    );
    const of = items.filter((i) => i.direction === direction).length;
    // A rename replaces a name: of the messages with that shape, the one never seen. Messages
    // seen under their own names were not replaced; two unseen ones leave it open.
    const absent = fitting.filter((m) => !seen(m));
    if (absent.length === 1) {
      renamed.add(absent[0]);
      out.push(renameMessage(ctx, absent[0], name!, group, of));
    } else {
      out.push(newMessage(ctx, direction, name!, group, of, keys, absent));
    }
  }
  return out;
}

/**
 * Whether a value has only fields the schema declares (where it lists `properties`), all the
 * way down: false if not, else how many of its fields `counts` (the message's own fields, not
 * its name or envelope).
 */
function sameShape(schema: Json, value: unknown, root: Json, depth: number, counts: (path: readonly string[]) => boolean, path: string[] = []): number | false {
  if (depth > 32) return 0;
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/')) {
    const target = schema.$ref.slice(2).split('/').reduce<unknown>((n, k) => (isObject(n) ? n[k] : undefined), root);
    return isObject(target) ? sameShape(target, value, root, depth + 1, counts, path) : 0;
  }
  if (isObject(value) && isObject(schema.properties)) {
    const props = schema.properties;
    const keys = Object.keys(value);
    if (!keys.every((k) => k in props)) return false;
    let n = 0;
    for (const k of keys) {
      const inner = isObject(props[k]) ? sameShape(props[k] as Json, value[k], root, depth + 1, counts, [...path, k]) : 0;
      if (inner === false) return false;
      n += inner + (counts([...path, k]) ? 1 : 0);
    }
    return n;
  }
  if (Array.isArray(value) && isObject(schema.items)) {
    let n = 0;
    for (const v of value) {
      const inner = sameShape(schema.items as Json, v, root, depth + 1, counts, [...path, '*']);
      if (inner === false) return false;
      n = Math.max(n, inner);
    }
    return n;
  }
  return 0;
}

function withName(ctx: Context, value: unknown, direction: Direction, name: string): unknown {
  if (ctx.socketio) return Array.isArray(value) ? [name, ...value.slice(1)] : value;
  return isObject(value) ? { ...value, [ctx.nameField[direction]]: name } : value;
}

function renameMessage(ctx: Context, m: MessageDef, to: string, group: Item[], of: number): Suggestion {
  const edits: Edit[] = [];
  const place = ctx.messagePlace(m);
  if (place) edits.push({ file: place.file, op: (ctx.ws.get(place) as Json).name === undefined ? 'add' : 'replace', path: [...place.path, 'name'], value: to });
  const field = ctx.nameField[m.direction];
  const payload = ctx.payloadPlace(m);
  const nameSchema = payload && !ctx.socketio ? ctx.fieldPlace(payload, [field]) : undefined;
  const node = nameSchema ? (ctx.ws.get(nameSchema) as Json) : undefined;
  if (nameSchema && node?.const === m.name) edits.push({ file: nameSchema.file, op: 'replace', path: [...nameSchema.path, 'const'], value: to });
  if (nameSchema && Array.isArray(node?.enum)) edits.push({ file: nameSchema.file, op: 'replace', path: [...nameSchema.path, 'enum'], value: (node.enum as unknown[]).map((v) => (v === m.name ? to : v)) });
  // The extension's rules that name the message follow it.
  edits.push(...renameInRules(ctx, m.name, to));
  return {
    kind: 'rename-message',
    message: m.name,
    direction: m.direction,
    summary: `${m.name} is sent as "${to}": no ${m.name} was seen, and every "${to}" fits ${m.name}'s schema; the name changes (x-wsconform rules that name it too)`,
    evidence: evidence(group, of),
    edits,
  };
}

/** Edits replacing a message name wherever an x-wsconform rule names it (bases and schemas aside). */
function renameInRules(ctx: Context, from: string, to: string): Edit[] {
  const edits: Edit[] = [];
  const walk = (node: unknown, path: string[]): void => {
    if (node === from && path.length) edits.push({ file: ctx.spec.file, op: 'replace', path, value: to });
    else if (Array.isArray(node)) node.forEach((v, i) => walk(v, [...path, String(i)]));
    else if (isObject(node)) for (const [k, v] of Object.entries(node)) if (k !== 'basis' && k !== 'when' && k !== 'payload' && k !== 'schema') walk(v, [...path, k]);
  };
  walk(ctx.ws.get({ file: ctx.spec.file, path: ['x-wsconform'] }), ['x-wsconform']);
  return edits;
}

/** A component key for a wire name: `UNDOCUMENTED_EVENT`, `tool:done` → `UndocumentedEvent`, `ToolDone`. */
function keyFor(name: string, taken: (k: string) => boolean): string {
  const base = name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
    .join('') || 'Message';
  let key = /^[0-9]/.test(base) ? `M${base}` : base;
  for (let n = 2; taken(key); n++) key = `${base}${n}`;
  return key;
}

function newMessage(ctx: Context, direction: Direction, name: string, group: Item[], of: number, keys: Set<string>, candidates: MessageDef[]): Suggestion {
  const file = ctx.spec.file;
  const components = (ctx.ws.get({ file, path: ['components', 'messages'] }) ?? {}) as Json;
  const key = keyFor(name, (k) => k in components || keys.has(k));
  keys.add(key);
  const payloads = group.map((i) => ctx.payload(i.value)).filter((p) => p !== undefined);
  const edits: Edit[] = [];
  const message: Json = {
    name,
    title: name,
    summary: `Undocumented: inferred by wsconform suggest from ${group.length} recorded message${group.length === 1 ? '' : 's'}; describe it.`,
  };
  if (payloads.length) {
    const schema = inferSchema(payloads);
    if (!ctx.socketio && isObject(schema.properties) && isObject(schema.properties[ctx.nameField[direction]])) {
      (schema.properties[ctx.nameField[direction]] as Json).const = name;
    }
    message.payload = schema;
    message.examples = [{ name: 'recorded', summary: `Line ${group[0].obs.line} of the input.`, payload: payloads[0] }];
  }
  edits.push({ file, op: 'add', path: ['components', 'messages', key], value: message });
  // In the channel of the first operation of that direction, and in that operation.
  const action = direction === 'receive' ? 'receive' : 'send';
  const operations = (ctx.ws.get({ file, path: ['operations'] }) ?? {}) as Json;
  const opId = Object.keys(operations).find((id) => isObject(operations[id]) && (operations[id] as Json).action === action);
  const channelRef = opId ? String(((operations[opId] as Json).channel as Json | undefined)?.$ref ?? '') : '';
  const channelId = channelRef.startsWith('#/channels/') ? channelRef.slice('#/channels/'.length) : Object.keys((ctx.ws.get({ file, path: ['channels'] }) ?? {}) as Json)[0];
  if (channelId) edits.push({ file, op: 'add', path: ['channels', channelId, 'messages', key], value: { $ref: `#/components/messages/${key}` } });
  if (opId && channelId) edits.push({ file, op: 'add', path: ['operations', opId, 'messages', '-'], value: { $ref: `#/channels/${channelId}/messages/${key}` } });
  const ambiguous = candidates.length > 1 ? ` (it has the shape of ${candidates.map((c) => c.name).join(', ')}, none of them seen: it may replace one of them)` : '';
  return {
    kind: 'new-message',
    message: name,
    direction,
    summary: `"${name}" is no documented ${direction === 'receive' ? 'server' : 'client'} message: a new message ${key}, its schema inferred from ${group.length} instance${group.length === 1 ? '' : 's'}${ambiguous}`,
    evidence: evidence(group, of),
    edits,
  };
}

/** What is still wrong when no change can be proposed. */
function leftovers(items: readonly Item[]): string[] {
  const byIssue = new Map<string, Item[]>();
  for (const i of items) {
    if (i.valid) continue;
    const issue = i.issues[0];
    const k = issue ? `${issue.code}: ${issue.message}` : 'invalid';
    byIssue.set(k, [...(byIssue.get(k) ?? []), i]);
  }
  return [...byIssue].map(([k, is]) => `still nonconforming, ${is.length} message${is.length === 1 ? '' : 's'} (first: line ${is[0].obs.line}): ${k}`);
}
