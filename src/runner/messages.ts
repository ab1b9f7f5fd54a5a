/** Client messages as the runner sends them, and field access inside messages. */
import { NO_PAYLOAD, type Spec } from '../spec/model.js';

/** The payload part of a message: WebSocket, the object itself; Socket.IO, the first argument. */
export function payloadOf(spec: Spec, message: unknown): unknown {
  return spec.transport === 'socket.io' ? (Array.isArray(message) ? message[1] : undefined) : message;
}

/** Reads a dotted path (`data.agent`) inside a value; `undefined` when absent. */
export function fieldAt(value: unknown, dotted: string): unknown {
  let node = value;
  for (const key of dotted.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Whether a dotted path is present inside a value. */
export function hasField(value: unknown, dotted: string): boolean {
  const parts = dotted.split('.');
  const last = parts.pop()!;
  const parent = parts.length ? fieldAt(value, parts.join('.')) : value;
  return parent !== null && typeof parent === 'object' && Object.prototype.hasOwnProperty.call(parent, last);
}

/**
 * The client message to send for a wire name: the given payload, else the message's first
 * example, else the bare name. WebSocket: an object carrying the name field; Socket.IO:
 * `[event, payload?]`.
 */
export function outgoing(spec: Spec, name: string, payload?: unknown): unknown {
  const def = spec.message('send', name);
  const given = payload !== undefined ? payload : def?.examples[0];
  const body = given === NO_PAYLOAD ? undefined : given;
  if (spec.transport === 'socket.io') return body === undefined ? [name] : [name, body];
  return named(spec, 'send', name, body);
}

/**
 * Whether a message is named by its shape (`x-wsconform.identify`) rather than a name field: such
 * a message travels as its payload is.
 */
export function namedByShape(spec: Spec, direction: 'receive' | 'send', name: string): boolean {
  return !!spec.ext.identify?.[direction]?.some((r) => r.message === name);
}

/** A WebSocket message of a wire name: the payload with the name field set, unless the message is named by its shape. */
export function named(spec: Spec, direction: 'receive' | 'send', name: string, body: unknown): Record<string, unknown> {
  if (spec.ext.shape === 'array') {
    // The example is the whole array; the name goes at its position.
    const array = Array.isArray(body) ? [...body] : [];
    if (!namedByShape(spec, direction, name)) array[Number(spec.ext.nameField?.[direction] ?? 0)] = name;
    return array as unknown as Record<string, unknown>;
  }
  const object = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (namedByShape(spec, direction, name)) return { ...object };
  return { [spec.ext.nameField?.[direction] ?? 'type']: name, ...object };
}

/** The trigger payload the document gives for a client message, if any. */
export function triggerPayload(spec: Spec, name: string): unknown {
  return spec.ext.triggers?.find((t) => t.message === name)?.payload;
}

/** The placeholder a trigger payload may use for the connection's own value. */
export const CONNECTION_ID = '${connectionId}';

/**
 * A client message with this connection's own values: every `${connectionId}` in a string is
 * replaced by `id`, and every string field the document lists in `perConnection` gets `id` appended,
 * so that traffic a value scopes (a session, a request) stays on the connection that caused it.
 */
export function personalize(spec: Spec, message: unknown, id: string): unknown {
  const paths = spec.ext.perConnection ?? [];
  const replaced = replaceDeep(message, id);
  if (!paths.length) return replaced;
  const payload = payloadOf(spec, replaced);
  for (const path of paths) {
    const parts = path.split('.');
    const last = parts.pop()!;
    const parent = parts.length ? fieldAt(payload, parts.join('.')) : payload;
    if (parent === null || typeof parent !== 'object' || !Object.prototype.hasOwnProperty.call(parent, last)) continue;
    const record = parent as Record<string, unknown>;
    const v = record[last];
    if (typeof v === 'string' && !v.endsWith(id)) record[last] = `${v}-${id}`;
  }
  return replaced;
}

/** A deep copy with `${connectionId}` replaced in every string (a copy even without one, so the caller may edit it). */
function replaceDeep(value: unknown, id: string): unknown {
  if (typeof value === 'string') return value.includes(CONNECTION_ID) ? value.split(CONNECTION_ID).join(id) : value;
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, id));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = replaceDeep(v, id);
    return out;
  }
  return value;
}

/**
 * Numbers a client message's id where the document asks for growing ids (`messageIds`): the
 * field, where the message has it, becomes one more than the last id sent on the connection
 * unless it is already a larger integer. `last` is the connection's state.
 */
export function numberId(spec: Spec, message: unknown, last: { id: number }): unknown {
  const rule = spec.ext.messageIds;
  if (!rule) return message;
  const payload = payloadOf(spec, message);
  const parts = rule.field.split('.');
  const key = parts.pop()!;
  const parent = parts.length ? fieldAt(payload, parts.join('.')) : payload;
  if (parent === null || typeof parent !== 'object' || !Object.prototype.hasOwnProperty.call(parent, key)) return message;
  const record = parent as Record<string, unknown>;
  const value = record[key];
  last.id = typeof value === 'number' && Number.isInteger(value) && value > last.id ? value : last.id + 1;
  record[key] = last.id;
  return message;
}
