/**
 * Client messages: bad input gets the protocol's documented answer (x-wsconform.robustness, else
 * the documented choice in reference-server/README.md); a valid message passes the auth checks,
 * then the protocol module, then the fixture's script of the same name.
 */
import { isDeepStrictEqual } from 'node:util';
import { fieldAt } from '../src/runner/messages.js';
import { withField } from '../src/runner/opening.js';
import { openingAuthState } from './auth.js';
import type { ProbeRule } from '../src/spec/extension.js';
import type { Connection } from './connection.js';
import { operationFor } from './session.js';
import type { ValidationResult } from '../src/spec/validator.js';
import { documentedRequests } from './faults.js';

/** Close code for a frame that is not JSON when the document says `close` without a code. */
export const INVALID_DATA_CLOSE = 1007;

/** A text or binary WebSocket frame from the client. */
export function handleFrame(conn: Connection, data: Buffer, isBinary: boolean): void {
  if (conn.closed) return;
  const { spec, faults, validator } = conn.ctx;
  const robustness = spec.ext.robustness ?? {};
  let value: unknown;
  let parsed = !isBinary;
  if (parsed) {
    try {
      value = JSON.parse(data.toString('utf8'));
    } catch {
      parsed = false;
    }
  }
  if (!parsed) {
    // A binary frame is not a JSON text frame: it gets the same answer as invalid JSON.
    if (faults.has('crash-on-invalid-json')) return conn.ctx.hub.crash();
    if (faults.has('close-on-invalid-json')) return conn.close(INVALID_DATA_CLOSE, 'invalid JSON');
    return answer(conn, robustness.invalidJson, '$invalid-json', value);
  }
  // A batch (x-wsconform.batch): each message handled in turn, the replies sent at once in one array.
  if (Array.isArray(value) && value.length > 0 && spec.ext.batch && spec.transport === 'websocket') {
    const replies = conn.collecting(() => {
      for (const item of value as unknown[]) handleMessage(conn, item, true);
    });
    if (faults.has('batch-unbatched')) for (const r of replies) conn.sendNow(r);
    else if (replies.length) conn.sendNow(replies);
    return;
  }
  handleMessage(conn, value);
}

/** One client message (a JSON value): a documented probe, bad input, or a message to dispatch. */
function handleMessage(conn: Connection, value: unknown, inBatch = false): void {
  const { spec, faults, validator } = conn.ctx;
  const robustness = spec.ext.robustness ?? {};
  // An input whose answer the document states (x-wsconform.robustness.probes).
  const probe = robustness.probes?.find((p) => isDeepStrictEqual(p.frame, value));
  if (probe) {
    // The fault misanswers a probe sent on its own; inside a batch it is answered as documented.
    if (faults.has('misanswer-probes') && !inBatch) return misanswer(conn, probe, value);
    return answer(conn, probe, `$probe:${probe.id}`, value);
  }
  let result: ValidationResult;
  try {
    result = validator.validate(value, 'send');
  } catch {
    // A value the validator cannot even describe (e.g. JSON nested thousands deep) is no message.
    result = { valid: false, issues: [{ code: 'not-object', path: '$', message: 'unreadable', expected: 'a JSON object', actual: 'unreadable' }] };
  }
  if (result.valid) return dispatch(conn, result.name!, value);
  const code = result.issues[0]?.code;
  if (code === 'schema' || code === 'envelope') {
    // An opening without its token (the payload then misses a required field) is refused as such.
    if (openingRefused(conn, result.name!, value) || refused(conn, result.name!, value)) return;
    if (conn.hasScript('$invalid-message')) conn.runScript('$invalid-message', value, { issue: result.issues[0].message });
    return;
  }
  // The unknown-message faults break the answer to a message with an undocumented name; JSON
  // that is not a message object at all gets its own (close-on-non-object).
  if (code === 'unknown-message') {
    if (faults.has('crash-on-unknown')) return conn.ctx.hub.crash();
    if (faults.has('ignore-unknown')) return;
    if (faults.has('close-on-unknown')) return conn.close(INVALID_DATA_CLOSE, 'unknown message');
  } else if (faults.has('crash-on-non-object')) return conn.ctx.hub.crash();
  else if (faults.has('close-on-non-object')) return conn.close(INVALID_DATA_CLOSE, 'not a message object');
  else if (robustness.nonObjectJson && (value === null || typeof value !== 'object' || Array.isArray(value))) return answer(conn, robustness.nonObjectJson, '$non-object-json', value);
  answer(conn, robustness.unknownMessage, '$unknown-message', value);
}

/**
 * The `misanswer-probes` fault: a probe the document answers gets its reply with every documented
 * value changed (a number one less, a string with a suffix, null as 0); a probe the document
 * leaves unanswered gets the first of the messages that would answer it.
 */
function misanswer(conn: Connection, probe: ProbeRule, request: unknown): void {
  if (probe.action === 'ignore') {
    // The answer a request of that name would get: the first script line sending one of the messages.
    const names = new Set(probe.messages ?? []);
    for (const [on, scripts] of conn.ctx.fixture.scripts) {
      if (on.startsWith('$') || !scripts[0].lines.some((l) => l.name !== undefined && names.has(l.name))) continue;
      for (const frame of conn.collecting(() => conn.runScript(on, request))) conn.sendNow(frame);
      return;
    }
    return;
  }
  for (const frame of conn.collecting(() => conn.runScript(`$probe:${probe.id}`, request))) {
    let out = frame;
    for (const [path, v] of Object.entries(probe.fields ?? {})) out = withField(out, path, typeof v === 'number' ? v - 1 : typeof v === 'string' ? `${v}-other` : v === null ? 0 : null);
    conn.sendNow(out);
  }
}
function answer(conn: Connection, rule: { action: 'reply' | 'close' | 'ignore' | 'any'; code?: number } | undefined, script: string, request: unknown): void {
  // `any` (the document does not say): the reference server answers with the fixture's script
  // where it has one (Aragora's `error`), else it ignores the input. Its own choice, not a rule.
  if (rule?.action === 'any' && conn.hasScript(script)) {
    conn.runScript(script, request);
    return;
  }
  if (!rule || rule.action === 'ignore' || rule.action === 'any') return;
  if (rule.action === 'close') return conn.close(rule.code ?? INVALID_DATA_CLOSE, 'invalid message');
  conn.runScript(script, request);
}

/**
 * Refuses a write without a valid token (`$write-refused`, or `$auth-revoked` for a token that is
 * not valid) and an admin operation without the admin token (`$admin-refused`). Checked before
 * the payload, so that a malformed admin request is still "Access denied".
 */
export function refused(conn: Connection, name: string, payload: unknown): boolean {
  const { spec, faults } = conn.ctx;
  const auth = spec.ext.auth;
  if (auth?.writes?.includes(name) && !conn.auth.write && !faults.has('allow-unauth-writes')) {
    const revoked = conn.auth.token === 'wrong' && conn.hasScript('$auth-revoked');
    conn.runScript(revoked ? '$auth-revoked' : '$write-refused', payload);
    return true;
  }
  if (auth?.admin?.messages.includes(name) && !conn.auth.admin && !faults.has('allow-admin-ops')) {
    conn.runScript('$admin-refused', payload);
    return true;
  }
  return false;
}

/** A valid client message: auth checks, the protocol module, then the script of its name. */
export function dispatch(conn: Connection, name: string, payload: unknown): void {
  const { spec, faults, module } = conn.ctx;
  if (refused(conn, name, payload)) return;
  if (openingRefused(conn, name, payload)) return;
  const op = operationFor(spec, name, payload);
  if (spec.transport === 'websocket' && conn.session.onMessage(name, payload, op)) return;
  const ping = spec.ext.keepalive?.appPing;
  if (ping && name === ping.ping && faults.has('no-pong')) return;
  if (faults.has('no-reply') && documentedRequests(spec).includes(name)) return;
  if (faults.has('no-opening-reply') && spec.ext.opening?.steps[0]?.send === name) return;
  if (faults.has('operation-after-end') && spec.ext.operations?.some((o) => o.start === name)) conn.runScript(name, payload);
  if (module.onMessage?.(conn, name, payload)) return;
  // Operations sharing a start message (a query, a subscription) have a script each.
  conn.runScript(name, payload, undefined, op && conn.ctx.fixture.scripts.get(name)?.some((s) => s.variant === op.id) ? op.id : undefined);
}

/**
 * A token carried in the opening's first message (`auth.means: opening-payload`): the connection's
 * auth state is decided from it; where the document refuses a connection without a valid token,
 * the server answers with the documented refusal and closes (1008, Policy Violation).
 */
function openingRefused(conn: Connection, name: string, payload: unknown): boolean {
  const { spec, faults, options } = conn.ctx;
  const auth = spec.ext.auth;
  const means = auth?.means.filter((m) => m.in === 'opening-payload') ?? [];
  if (!means.length || spec.ext.opening?.steps[0]?.send !== name) return false;
  const presented = means.map((m) => fieldAt(payload, m.name ?? 'token')).filter((t): t is string => typeof t === 'string' && t !== '');
  Object.assign(conn.auth, openingAuthState(spec, presented, options, faults));
  if (auth!.withoutToken !== 'refuse' || conn.auth.authenticated || !(options.token || options.adminToken || options.jwtSecret)) return false;
  if (conn.hasScript('$auth-refused')) for (const frame of conn.collecting(() => conn.runScript('$auth-refused', payload))) conn.sendNow(frame);
  conn.close(1008, 'authentication failed');
  return true;
}
