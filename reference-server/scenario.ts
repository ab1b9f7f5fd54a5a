/**
 * The default scenario of a document that has no fixture (a user's own document served without
 * `--fixture`): built from the document alone, so a client author gets a server that speaks it.
 *
 * - the documented initial messages, in order, on connect;
 * - each client message with replies answered by the first reply that has an example (each step
 *   of the opening likewise);
 * - each operation's start answered by an example of its `during` messages, then of its end,
 *   carrying the request's id;
 * - every other server message, once, 100 ms apart, as the stream (a message without an example
 *   as the smallest value its schema accepts);
 * - sequence fields and envelope timestamps become the fixture's `${seq}`-style and
 *   `${timestamp}` markers, so the stream stays in order and in the documented format.
 */
import { isDeepStrictEqual } from 'node:util';
import { fieldAt, named } from '../src/runner/messages.js';
import type { BadInputAnswer } from '../src/spec/extension.js';
import { withField, withPayloadField } from '../src/runner/opening.js';
import { NO_PAYLOAD, type Spec } from '../src/spec/model.js';

/**
 * The smallest value a schema accepts, for a message the document gives no example of: its
 * `const`, first `enum` value or `default`, else per type (required properties only).
 */
export function sample(schema: unknown, root: unknown = schema, depth = 0): unknown {
  if (!schema || typeof schema !== 'object' || depth > 20) return null;
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === 'string' && s.$ref.startsWith('#/')) {
    let node: unknown = root;
    for (const key of s.$ref.slice(2).split('/')) node = (node as Record<string, unknown> | undefined)?.[key];
    return sample(node, root, depth + 1);
  }
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if ('default' in s) return s.default;
  for (const k of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(s[k]) && (s[k] as unknown[]).length) return sample((s[k] as unknown[])[0], root, depth + 1);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = (s.properties ?? {}) as Record<string, unknown>;
      for (const key of (s.required as string[] | undefined) ?? []) out[key] = sample(props[key] ?? {}, root, depth + 1);
      return complete(out, s, root);
    }
    case 'array':
      // A tuple (draft-07 `items: [...]`, or `prefixItems`): each position's smallest value.
      for (const k of ['prefixItems', 'items']) if (Array.isArray(s[k])) return (s[k] as unknown[]).map((item) => sample(item, root, depth + 1));
      return [];
    case 'string':
      return s.format === 'date-time' ? '2026-01-01T00:00:00Z' : 'x'.repeat(Number(s.minLength ?? 0));
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : 0;
    case 'boolean':
      return false;
    default:
      return props(s) ? sample({ ...s, type: 'object' }, root, depth + 1) : null;
  }
}
const props = (s: Record<string, unknown>) => !!s.properties;

/**
 * Completes an object so that its schema's requirements hold again after fields were set on it:
 * every required property missing gets the smallest value its schema accepts, including those a
 * matching `if`/`then` requires (an error reply's `error` once `success` is false).
 */
export function complete(value: unknown, schema: unknown, root: unknown = schema): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value) || !schema || typeof schema !== 'object') return value;
  const s = schema as Record<string, unknown>;
  const out = value as Record<string, unknown>;
  const properties = (s.properties ?? {}) as Record<string, unknown>;
  const required = new Set((s.required as string[] | undefined) ?? []);
  const cond = s.if as { properties?: Record<string, { const?: unknown }> } | undefined;
  const then = s.then as { required?: string[] } | undefined;
  if (cond?.properties && then?.required && Object.entries(cond.properties).every(([k, v]) => !('const' in v) || isDeepStrictEqual(out[k], v.const))) for (const r of then.required) required.add(r);
  for (const key of required) if (!(key in out)) out[key] = sample(properties[key] ?? {}, root);
  for (const [key, v] of Object.entries(out)) if (properties[key]) complete(v, properties[key], root);
  return out;
}

/** Whether an object schema declares a top-level property (the first segment of a dotted path). */
function hasProperty(schema: Record<string, unknown>, dotted: string): boolean {
  const properties = schema.properties as Record<string, unknown> | undefined;
  return !!properties && dotted.split('.')[0] in properties;
}

function example(spec: Spec, name: string): Record<string, unknown> | undefined {
  const def = spec.message('receive', name);
  // A message framed as a JSON array (shape: array) is an array; any other, an object.
  const arrays = spec.ext.shape === 'array';
  const payload = def?.examples.find((e) => e !== NO_PAYLOAD && e && typeof e === 'object' && Array.isArray(e) === arrays);
  if (payload) return structuredClone(payload as Record<string, unknown>);
  const made = def?.schema ? sample(def.schema) : undefined;
  return made && typeof made === 'object' && Array.isArray(made) === arrays ? (made as Record<string, unknown>) : undefined;
}

/** The fixture frame of a server message: its example with markers, on the wire (Socket.IO: `[event, payload]`). */
function frameOf(spec: Spec, name: string, request?: { field: string; from: string }): unknown {
  let payload = example(spec, name);
  if (!payload) return undefined;
  for (const rule of spec.ext.sequences ?? []) {
    if (rule.scope || rule.field.includes('.') || !(rule.field in payload) || (rule.messages && !rule.messages.includes(name))) continue;
    payload[rule.field] = `\${${rule.field}}`;
  }
  const exempt = new Set(spec.ext.envelope?.exempt ?? []);
  if (!exempt.has(name)) for (const t of spec.ext.envelope?.timestamps ?? []) if (!t.field.includes('.') && t.field in payload) payload[t.field] = '${timestamp}';
  if (request) payload = withField(payload, request.field, `\${request.${request.from}}`);
  if (spec.transport === 'socket.io') return [name, payload];
  return named(spec, 'receive', name, payload);
}

/**
 * The reply a document states for bad input or a probe: its first reply message, with the
 * documented `fields`. A field whose documented value is the probe's own (the id the probe
 * carries) is echoed from the request, so a client sending its own id gets it back.
 */
function answerFrame(spec: Spec, answer: BadInputAnswer | undefined, probe?: unknown): unknown {
  if (answer?.action !== 'reply') return undefined;
  for (const name of answer.messages ?? []) {
    let frame = frameOf(spec, name);
    if (frame === undefined) continue;
    for (const [path, value] of Object.entries(answer.fields ?? {})) {
      const echoed = value !== null && probe !== undefined && isDeepStrictEqual(fieldAt(probe, path), value);
      frame = withPayloadField(spec, frame, path, echoed ? `\${request.${path}}` : value);
    }
    const schema = spec.message('receive', name)?.schema;
    return spec.transport === 'socket.io' ? [name, complete((frame as unknown[])[1], schema)] : complete(frame, schema);
  }
  return undefined;
}

/** The id field a document correlates replies by (an operation's or the batch's), if any. */
function correlationField(spec: Spec): string | undefined {
  return spec.ext.batch?.idField ?? spec.ext.operations?.[0]?.idField;
}

/** The scenario text (fixture JSON Lines) for a document. */
export function defaultScenario(spec: Spec): string {
  const lines: unknown[] = [{ wsconform: 'fixture', version: 1, protocol: spec.id, title: `Default scenario of ${spec.title}`, description: 'generated from the document (no --fixture given): initial messages, replies, operations and one of each other message' }];
  const used = new Set<string>();
  for (const m of spec.ext.initialMessages ?? []) {
    const frame = frameOf(spec, m.message);
    if (frame) lines.push({ on: '$connect', at: 0, frame });
    used.add(m.message);
  }
  const answered = new Set<string>();
  const ops = spec.ext.operations ?? [];
  for (const op of ops) {
    // Operations sharing a start message get a script variant each, chosen by their payload.
    const variant = ops.filter((o) => o.start === op.start).length > 1 ? { variant: op.id } : {};
    const request = { field: op.replyIdField ?? op.idField, from: op.idField };
    if (op.assignedIdField) {
      // The server assigns the operation its id: the reply to the start carries it (and the
      // request's id), every later message carries it at streamIdField.
      const assigned = `0x\${id:${op.id}}`;
      const replies = new Set(spec.replies.get(op.start) ?? []);
      const reply = [...replies].map((r) => frameOf(spec, r, request)).find(Boolean);
      const stream = (op.during ?? []).filter((d) => !replies.has(d)).map((d) => frameOf(spec, d)).filter(Boolean);
      if (reply) lines.push({ on: op.start, at: 0, frame: withPayloadField(spec, reply, op.assignedIdField, assigned), ...variant });
      stream.forEach((frame, i) => lines.push({ on: op.start, at: 10 + i * 10, frame: withPayloadField(spec, frame, op.streamIdField ?? request.field, assigned), ...variant }));
      if (reply) answered.add(op.start);
      for (const n of [...(op.during ?? []), ...op.end]) used.add(n);
      continue;
    }
    const durings = (op.during ?? []).map((d) => frameOf(spec, d, request)).filter(Boolean);
    const during = durings[0];
    // One that runs until cancelled sends each of its messages once and keeps running.
    const end = op.ends === false ? undefined : op.end.map((e) => frameOf(spec, e, request)).find(Boolean);
    if (op.ends === false) durings.forEach((frame, i) => lines.push({ on: op.start, at: i * 10, frame, ...variant }));
    else if (during) lines.push({ on: op.start, at: 0, frame: during, ...variant });
    // An end with nothing before it is the answer itself: sent at once (so a batch holds it).
    if (end) lines.push({ on: op.start, at: during ? 10 : 0, frame: end, ...variant });
    if (during || end) answered.add(op.start);
    for (const n of [...(op.during ?? []), ...op.end]) used.add(n);
  }
  const asked = [...(spec.ext.opening?.steps ?? []).map((s) => [s.send, s.expect] as const), ...[...spec.replies].map(([m, r]) => [m, r] as const)];
  for (const [message, replies] of asked) {
    if (answered.has(message)) continue;
    const reply = replies.find((r) => frameOf(spec, r) !== undefined);
    if (reply) {
      // Where replies are correlated by an id, the reply carries the request's.
      const id = correlationField(spec);
      const echo = id && spec.message('receive', reply)?.schema && hasProperty(spec.message('receive', reply)!.schema!, id) ? { field: id, from: id } : undefined;
      let frame = frameOf(spec, reply, echo);
      // The documented pong carries back the ping's echoed paths.
      const ping = spec.ext.keepalive?.appPing;
      if (ping && message === ping.ping && reply === ping.pong) for (const path of ping.echo ?? []) frame = withPayloadField(spec, frame, path, `\${request.${path}}`);
      lines.push({ on: message, at: 0, frame });
      answered.add(message);
    }
    for (const r of replies) used.add(r);
  }
  // The refusal of a token carried in the opening (auth.means: opening-payload).
  const refusal = spec.ext.auth?.means.some((m) => m.in === 'opening-payload') ? (spec.ext.auth.refusals ?? []).map((r) => frameOf(spec, r)).find(Boolean) : undefined;
  if (refusal) lines.push({ on: '$auth-refused', at: 0, frame: refusal });
  for (const r of spec.ext.auth?.refusals ?? []) used.add(r);
  const robustness = spec.ext.robustness ?? {};
  for (const [on, rule] of [['$invalid-json', robustness.invalidJson], ['$unknown-message', robustness.unknownMessage], ['$non-object-json', robustness.nonObjectJson]] as const) {
    const probe = on === '$unknown-message' ? rule?.payload : undefined;
    const frame = answerFrame(spec, rule, probe);
    if (frame) lines.push({ on, at: 0, frame });
    for (const r of rule?.messages ?? []) used.add(r);
  }
  for (const p of robustness.probes ?? []) {
    const frame = answerFrame(spec, p, spec.transport === 'socket.io' && Array.isArray(p.frame) ? p.frame[1] : p.frame);
    if (frame) lines.push({ on: `$probe:${p.id}`, at: 0, frame });
    for (const r of p.messages ?? []) used.add(r);
  }
  let at = 100;
  for (const def of spec.messages) {
    if (def.direction !== 'receive' || used.has(def.name)) continue;
    const frame = frameOf(spec, def.name);
    if (!frame) continue;
    lines.push({ at, frame });
    at += 100;
  }
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}
