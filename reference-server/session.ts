/**
 * The session a document with an opening and operations asks of its server: the opening first,
 * once; operation ids unique while they run; and, where the document gives one, the close code
 * of each violation (x-wsconform.closeCodes). The default scenario's server keeps this state per
 * connection; a document without close codes gets none of it.
 */
import { isDeepStrictEqual } from 'node:util';
import { fieldAt } from '../src/runner/messages.js';
import type { CloseCodeRule, OperationRule } from '../src/spec/extension.js';
import type { Spec } from '../src/spec/model.js';
import type { Connection } from './connection.js';

/** The close code the `wrong-close-codes` fault sends instead of each documented one (1008 Policy Violation). */
export const WRONG_CLOSE_CODE = 1008;

/**
 * The operation a start message begins: the one whose documented payload the request carries
 * (graphql: a query or a subscription, both `subscribe`), else the first with that start.
 */
export function operationFor(spec: Spec, start: string, request: unknown): OperationRule | undefined {
  const ops = (spec.ext.operations ?? []).filter((o) => o.start === start);
  return ops.find((o) => o.payload !== undefined && contains(request, o.payload)) ?? ops[0];
}

/** Whether `value` holds every field of `part`, recursively (arrays compared whole). */
function contains(value: unknown, part: unknown): boolean {
  if (part === null || typeof part !== 'object' || Array.isArray(part)) return isDeepStrictEqual(value, part);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(part).every(([k, v]) => contains((value as Record<string, unknown>)[k], v));
}

export class Session {
  private openingSeen = 0;
  private opened: boolean;
  private readonly running = new Set<unknown>();
  private readonly codes: Map<CloseCodeRule['violation'], number>;

  constructor(private readonly conn: Connection) {
    const { spec } = conn.ctx;
    this.codes = new Map((spec.ext.closeCodes ?? []).map((r) => [r.violation, r.code]));
    this.opened = !spec.ext.opening?.steps.length;
  }

  /** Starts the opening's timer, where the document closes a connection that does not open in time. */
  start(): void {
    const timeout = this.conn.ctx.spec.ext.opening?.serverTimeoutMs;
    if (!this.opened && timeout && this.codes.has('no-opening')) this.conn.later(timeout, () => !this.opened && this.violated('no-opening'));
  }

  /** Judges a client message (and the operation it starts, if any) against the session; true when it closed the connection. */
  onMessage(name: string, payload: unknown, op: OperationRule | undefined): boolean {
    const { spec } = this.conn.ctx;
    const steps = spec.ext.opening?.steps ?? [];
    if (steps.length && name === steps[0].send) {
      if (++this.openingSeen > 1) return this.violated('second-opening');
    }
    if (!this.opened && steps.length && name === steps[steps.length - 1].send) {
      this.opened = true;
      return false;
    }
    if (op) {
      if (!this.opened) return this.violated('before-opening');
      const id = fieldAt(payload, op.idField);
      if (id !== undefined && this.running.has(id)) return this.violated('duplicate-id');
      // An operation that ends on its own is over once answered; one that runs until cancelled is tracked.
      if (id !== undefined && op.ends === false) this.running.add(id);
    }
    for (const o of spec.ext.operations ?? []) if (o.cancel === name) this.running.delete(fieldAt(payload, o.cancelIdField ?? o.idField));
    return false;
  }

  private violated(violation: CloseCodeRule['violation']): boolean {
    const code = this.codes.get(violation);
    if (code === undefined) return false;
    this.conn.close(this.conn.ctx.faults.has('wrong-close-codes') ? WRONG_CLOSE_CODE : code, violation);
    return true;
  }
}
