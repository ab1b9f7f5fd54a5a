/** Operations correlated by an id (`x-wsconform.operations`): starting one, and its messages. */
import { fieldAt, outgoing, payloadOf, withPayloadField } from '../../src/runner/index.js';
import type { CheckContext } from '../../src/runner/index.js';
import type { OperationRule } from '../../src/spec/extension.js';
import type { Spec } from '../../src/spec/model.js';
import type { Connection, Frame } from '../../src/transport/index.js';

/** A fresh operation id for this run. */
export function operationId(rule: OperationRule): string {
  return `wsc-${rule.id}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A client message of an operation (its start, or its cancel) with `id` at the id field. */
export function operationMessage(spec: Spec, name: string, idField: string, id: unknown, payload?: unknown): unknown {
  return withPayloadField(spec, outgoing(spec, name, payload), idField, id);
}

/** Starts an operation; resolves with the frame sent and the id as sent (after per-connection values). */
export function startOperation(ctx: CheckContext, conn: Connection, rule: OperationRule, id = operationId(rule)): { sent: Frame; id: unknown } | undefined {
  // An id the server knows (a topic) stays as the payload gives it.
  const sent = conn.send(rule.freshId === false ? outgoing(ctx.spec, rule.start, rule.payload) : operationMessage(ctx.spec, rule.start, rule.idField, id, rule.payload));
  if (!sent) return undefined;
  const message = ctx.spec.transport === 'socket.io' ? (sent.message as unknown[])[1] : sent.message;
  return { sent, id: fieldAt(message, rule.idField) };
}

/** The operation id a server frame carries, if any. */
export function idOf(spec: Spec, rule: OperationRule, frame: Frame): unknown {
  if (frame.dir !== 'in' || frame.message === undefined) return undefined;
  return fieldAt(payloadOf(spec, frame.message), rule.replyIdField ?? rule.idField);
}

/**
 * The server frames of one operation, from frame `from` on: those carrying its id, and, where the
 * server assigned the operation an id of its own (`assigned`), those carrying that one at
 * `streamIdField`.
 */
export function framesOf(spec: Spec, rule: OperationRule, conn: Connection, id: unknown, from = 0, assigned?: unknown): Frame[] {
  const streamField = rule.streamIdField ?? rule.replyIdField ?? rule.idField;
  return conn.frames.filter((f) => f.index >= from && (idOf(spec, rule, f) === id || (assigned !== undefined && f.dir === 'in' && f.message !== undefined && fieldAt(payloadOf(spec, f.message), streamField) === assigned)));
}

/**
 * Where the server assigns the operation an id (`assignedIdField`): waits for the reply carrying
 * the start's id and reads the assigned one from it, with the reply. Undefined when the rule has
 * none; `null` when no reply came, or one without that id.
 */
export async function assignedId(ctx: CheckContext, conn: Connection, rule: OperationRule, id: unknown, from: number): Promise<{ id: unknown; reply: Frame } | null | undefined> {
  if (!rule.assignedIdField) return undefined;
  const reply = await conn.waitFor((f) => f.dir === 'in' && idOf(ctx.spec, rule, f) === id, ctx.settings.timeoutMs, from);
  if (!reply || reply.message === undefined) return null;
  const value = fieldAt(payloadOf(ctx.spec, reply.message), rule.assignedIdField);
  return value === undefined ? null : { id: value, reply };
}

/**
 * Waits until the server has read everything sent so far: an application ping's pong where the
 * document has one (a server answers in order), else a settling pause.
 */
export async function barrier(ctx: CheckContext, conn: Connection, settle: number): Promise<void> {
  const ping = ctx.spec.ext.keepalive?.appPing;
  if (ping) {
    const sent = conn.send(outgoing(ctx.spec, ping.ping, ping.payload));
    if (sent && (await conn.waitFor((f) => f.dir === 'in' && f.name === ping.pong, ctx.settings.timeoutMs, sent.index + 1))) return;
  }
  await ctx.sleep(settle);
}
