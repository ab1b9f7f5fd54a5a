/** Judging the documented answer to bad input: a reply, a close (with a code), or nothing. */
import { at, outgoing } from '../../src/runner/index.js';
import type { CheckContext, Finding } from '../../src/runner/index.js';
import type { BadInputAnswer } from '../../src/spec/extension.js';
import type { Connection, Frame } from '../../src/transport/index.js';
import { closeWithin, describeAbsence, describeClose, lastFrame, settleMs, waitForMessage } from './connection.js';

function finding(message: string, expected: string, actual: string, frame?: Frame): Finding {
  return { message, expected, actual, count: 1, occurrences: frame ? [at(frame)] : [] };
}

/**
 * Whether the server answered `sent` (bad input called `what`) as the document says. Returns
 * the findings (empty: it did).
 */
export async function expectAnswer(ctx: CheckContext, conn: Connection, rule: BadInputAnswer, sent: Frame, what: string): Promise<Finding[]> {
  const { timeoutMs } = ctx.settings;
  // The document does not say: any answer is acceptable; the caller still checks the server keeps serving.
  if (rule.action === 'any') return [];
  if (rule.action === 'reply') {
    const names = rule.messages ?? [];
    const reply = await waitForMessage(conn, names, sent.index + 1, timeoutMs);
    if (reply) return [];
    const closed = await closeWithin(conn, 0, ctx);
    return [finding(`No documented reply to ${what}`, `one of ${names.join(', ')} within ${timeoutMs} ms`, describeAbsence(conn, sent.index + 1, timeoutMs, closed), lastFrame(conn))];
  }
  if (rule.action === 'close') {
    const closed = await closeWithin(conn, timeoutMs, ctx);
    const expected = `the server closes the connection${rule.code ? ` with code ${rule.code}` : ''} within ${timeoutMs} ms`;
    if (!closed) return [finding(`The connection stayed open after ${what}`, expected, `still open after ${timeoutMs} ms`)];
    if (closed.by === 'server' && rule.code !== undefined && closed.code !== rule.code) {
      return [finding(`The server closed with the wrong code after ${what}`, expected, describeClose(closed), lastFrame(conn))];
    }
    return [];
  }
  // ignore: the connection stays and keeps answering.
  const ping = ctx.spec.ext.keepalive?.appPing;
  if (ping && conn.isOpen()) {
    const probe = conn.send(outgoing(ctx.spec, ping.ping, ping.payload));
    const pong = probe ? await waitForMessage(conn, [ping.pong], probe.index + 1, timeoutMs) : null;
    if (pong) return [];
    const closed = await closeWithin(conn, 0, ctx);
    if (closed) return [finding(`The server closed the connection after ${what}`, 'the input is ignored: the connection stays open', describeClose(closed), lastFrame(conn))];
    return [finding(`The server stopped answering after ${what}`, `the input is ignored: ${ping.ping} still gets ${ping.pong} within ${timeoutMs} ms`, `no ${ping.pong} within ${timeoutMs} ms`)];
  }
  const closed = await closeWithin(conn, settleMs(ctx) * 2, ctx);
  if (closed) return [finding(`The server closed the connection after ${what}`, 'the input is ignored: the connection stays open', describeClose(closed), lastFrame(conn))];
  return [];
}

/** A name no document uses, for unknown-message probes. */
export function unknownName(): string {
  return `wsconform-unknown-${Math.random().toString(36).slice(2, 8)}`;
}
