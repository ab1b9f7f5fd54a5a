/**
 * The opening a document requires of every connection (`x-wsconform.opening`): each step sends a
 * client message and waits for one of its replies. The runner performs it on every connection
 * of a run before the check sees it open, so a check judges the session, not the handshake; the
 * checks that judge the opening itself (handshake/opening, robustness/close-codes) ask for a
 * connection without it.
 */
import type { OpeningStep } from '../spec/extension.js';
import type { Spec } from '../spec/model.js';
import type { Connection, Frame, OpenResult } from '../transport/index.js';
import { fieldAt, hasField, outgoing, payloadOf } from './messages.js';

/** Sets a dotted path inside a (copied) object payload. */
export function withField(payload: unknown, dotted: string, value: unknown): Record<string, unknown> {
  // An array (a message framed as one, x-wsconform.shape: array) stays an array: positions are keys.
  const root: Record<string, unknown> = payload && typeof payload === 'object' ? structuredClone(payload as Record<string, unknown>) : {};
  const parts = dotted.split('.');
  let node = root;
  for (const key of parts.slice(0, -1)) {
    const next = node[key];
    node = node[key] = next && typeof next === 'object' ? (next as Record<string, unknown>) : {};
  }
  node[parts[parts.length - 1]] = value;
  return root;
}

/**
 * The path of a payload field inside the whole message: the same for WebSocket, inside the
 * event's first argument (`1.`) for Socket.IO's `[event, payload]`.
 */
export function messagePath(spec: Spec, dotted: string): string {
  return spec.transport === 'socket.io' ? `1.${dotted}` : dotted;
}

/** A copy of a message with a payload field set (for Socket.IO, inside the event's argument). */
export function withPayloadField(spec: Spec, message: unknown, dotted: string, value: unknown): unknown {
  return withField(message, messagePath(spec, dotted), value);
}

/** A copy without the dotted path (arrays and objects alike: `1.token` inside a Socket.IO event). */
function withoutField(value: unknown, dotted: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  const copy = structuredClone(value) as Record<string, unknown>;
  const parts = dotted.split('.');
  let node: Record<string, unknown> | undefined = copy;
  for (const key of parts.slice(0, -1)) node = node && typeof node[key] === 'object' && node[key] !== null ? (node[key] as Record<string, unknown>) : undefined;
  if (node) delete node[parts[parts.length - 1]];
  return copy;
}

/** The message a step sends, with the token at its payload path when the document says so. */
export function openingMessage(spec: Spec, step: OpeningStep, index: number, token?: { path: string; token: string }): unknown {
  const message = outgoing(spec, step.send, step.payload);
  if (index !== 0) return message;
  if (!token) {
    // Without a token, none travels: the example's own placeholder token is taken out.
    const paths = (spec.ext.auth?.means ?? []).filter((m) => m.in === 'opening-payload').map((m) => m.name ?? 'token');
    return paths.reduce((m, path) => withoutField(m, messagePath(spec, path)), message);
  }
  // The payload path is inside the message (e.g. `payload.token` of connection_init).
  return withPayloadField(spec, message, token.path, token.token);
}

/** What ended a step that did not complete, as an open failure. */
function failure(conn: Connection, step: OpeningStep, reply: Frame | null, timeoutMs: number): Extract<OpenResult, { ok: false }> {
  const close = reply?.type === 'close' ? reply : [...conn.frames].reverse().find((f) => f.dir === 'in' && f.type === 'close');
  if (close || !conn.isOpen()) {
    const code = close?.code ?? 1006;
    const reason = close?.reason ? `, reason ${JSON.stringify(close.reason)}` : '';
    return { ok: false, ms: reply?.at ?? 0, kind: 'closed', code, detail: `the server closed the connection (code ${code}${reason}) after ${step.send}, before ${step.expect.join(' or ')}` };
  }
  return { ok: false, ms: timeoutMs, kind: 'timeout', detail: `no ${step.expect.join(' or ')} after ${step.send}` };
}

/**
 * Performs the opening on an open connection: undefined when every step was answered, else the
 * failure (the server closed the connection, or a reply did not come within `timeoutMs`).
 */
export async function performOpening(spec: Spec, conn: Connection, timeoutMs: number, token?: { path: string; token: string }): Promise<Extract<OpenResult, { ok: false }> | undefined> {
  const steps = spec.ext.opening?.steps ?? [];
  for (const [i, step] of steps.entries()) {
    const sent = conn.send(openingMessage(spec, step, i, token));
    if (!sent) return failure(conn, step, null, timeoutMs);
    const expect = new Set(step.expect);
    const reply = await conn.waitFor((f) => f.dir === 'in' && (f.type === 'close' || (f.name !== undefined && expect.has(f.name))), timeoutMs, sent.index + 1);
    if (!reply || reply.type === 'close') return failure(conn, step, reply, timeoutMs);
  }
  return undefined;
}

/**
 * The answer every connection gives the document's server ping (`keepalive.serverAppPing`): its
 * pong, carrying back the echoed paths of the ping. Undefined when the document has none.
 */
export function serverPingAnswer(spec: Spec): ((frame: Frame) => unknown) | undefined {
  const rule = spec.ext.keepalive?.serverAppPing;
  if (!rule) return undefined;
  return (frame) => {
    if (frame.name !== rule.ping) return undefined;
    const ping = payloadOf(spec, frame.message);
    let pong = outgoing(spec, rule.pong);
    for (const path of rule.echo ?? []) {
      if (!hasField(ping, path)) continue;
      pong = withPayloadField(spec, pong, path, fieldAt(ping, path));
    }
    return pong;
  };
}
