/** Client messages as the runner sends them, and field access inside messages. */
import type { Spec } from '../spec/model.js';

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
  const body = payload !== undefined ? payload : def?.examples[0];
  if (spec.transport === 'socket.io') return body === undefined ? [name] : [name, body];
  const field = spec.ext.nameField?.send ?? 'type';
  if (body && typeof body === 'object' && !Array.isArray(body)) return { [field]: name, ...(body as object) };
  return { [field]: name };
}

/** The trigger payload the document gives for a client message, if any. */
export function triggerPayload(spec: Spec, name: string): unknown {
  return spec.ext.triggers?.find((t) => t.message === name)?.payload;
}
