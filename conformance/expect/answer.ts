/** Judging the documented answer to bad input: a reply, a close (with a code), or nothing. */
import { isDeepStrictEqual } from 'node:util';
import { at, fieldAt, hasField, payloadOf, skip } from '../../src/runner/index.js';
import { preview } from '../../src/spec/validator.js';
import type { CheckContext, Finding, Outcome } from '../../src/runner/index.js';
import type { BadInputAnswer, Basis } from '../../src/spec/extension.js';
import type { Connection, Frame } from '../../src/transport/index.js';
import { closeWithin, describeAbsence, describeClose, lastFrame, liveRequest, openOrSkip, settleMs, stillServing, waitForMessage } from './connection.js';

/** One finding of a single occurrence, carrying the basis of its rule. */
export function single(message: string, expected: string, actual: string, basis: Basis | undefined, frame?: Frame): Finding {
  return { message, expected, actual, count: 1, occurrences: frame ? [at(frame)] : [], ...(basis ? { basis } : {}) };
}

/**
 * Whether the server answered `sent` (bad input called `what`) as the document says. Returns
 * the findings (empty: it did).
 */
export async function expectAnswer(ctx: CheckContext, conn: Connection, rule: BadInputAnswer, sent: Frame, what: string, basis: Basis | undefined = rule.basis): Promise<Finding[]> {
  const { timeoutMs } = ctx.settings;
  const finding = (message: string, expected: string, actual: string, frame?: Frame) => single(message, expected, actual, basis, frame);
  // The document does not say: any answer is acceptable; the caller still checks the server keeps serving.
  if (rule.action === 'any') return [];
  if (rule.action === 'reply') {
    const names = rule.messages ?? [];
    const reply = await waitForMessage(conn, names, sent.index + 1, timeoutMs);
    if (reply) return wrongFields(ctx, rule, reply, what, basis);
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
  // ignore: the connection stays and keeps answering (a request the run has seen answered);
  // none of the messages that would answer the input comes.
  const unwanted = new Set(rule.messages ?? []);
  // The reply to the live request asked afterwards is no answer to the input.
  const answered = (liveReply?: Frame) => {
    const got = conn.frames.find((f) => f.index > sent.index && f !== liveReply && f.dir === 'in' && f.name !== undefined && unwanted.has(f.name));
    return got ? [finding(`${what} was answered`, `no answer to it (no ${[...unwanted].join(', ')})`, `${got.name} ${preview(got.message, 80)}`, got)] : [];
  };
  const live = await liveRequest(ctx);
  if (live && conn.isOpen()) {
    const probe = conn.send(live.message);
    const reply = probe ? await waitForMessage(conn, live.replies, probe.index + 1, timeoutMs) : null;
    if (reply) return answered(reply);
    const closed = await closeWithin(conn, 0, ctx);
    if (closed) return [finding(`The server closed the connection after ${what}`, 'the input is ignored: the connection stays open', describeClose(closed), lastFrame(conn))];
    return [finding(`The server stopped answering after ${what}`, `the input is ignored: ${live.name} still gets ${live.replies.join(' or ')} within ${timeoutMs} ms`, `no ${live.replies.join(' or ')} within ${timeoutMs} ms`)];
  }
  const closed = await closeWithin(conn, settleMs(ctx) * 2, ctx);
  if (closed) return [finding(`The server closed the connection after ${what}`, 'the input is ignored: the connection stays open', describeClose(closed), lastFrame(conn))];
  return answered();
}

/** The reply's documented field values (`fields`) it does not carry, as findings. */
function wrongFields(ctx: CheckContext, rule: BadInputAnswer, reply: Frame, what: string, basis: Basis | undefined): Finding[] {
  const payload = payloadOf(ctx.spec, reply.message);
  const wrong = Object.entries(rule.fields ?? {}).filter(([path, want]) => !isDeepStrictEqual(fieldAt(payload, path), want));
  if (!wrong.length) return [];
  const expected = wrong.map(([path, want]) => `${path} ${JSON.stringify(want)}`).join(', ');
  const actual = wrong.map(([path]) => (hasField(payload, path) ? `${path} ${JSON.stringify(fieldAt(payload, path))}` : `no ${path}`)).join(', ');
  return [single(`The reply to ${what} is the wrong answer`, `${reply.name} with ${expected}`, `${reply.name} with ${actual}`, basis, reply)];
}

/** A name no document uses, for unknown-message probes. */
export function unknownName(): string {
  return `wsconform-unknown-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Sends one bad input on a connection of its own and judges the answer, then that the server
 * keeps serving. `input` is a raw text frame or a message; `basis` is the answer rule's.
 */
export async function probeBadInput(ctx: CheckContext, input: { text: string } | { message: unknown }, rule: BadInputAnswer, what: string, basis: Basis): Promise<Finding[] | Outcome> {
  const conn = ctx.connect();
  const open = await openOrSkip(conn, ctx);
  if (!open.ok) return open.outcome;
  const sent = conn.isOpen() ? ('text' in input ? conn.sendText(input.text) : conn.send(input.message)) : undefined;
  if (!sent) return skip(`the connection closed before ${what} could be sent (${describeAbsence(conn, 0, 0)})`);
  const findings = await expectAnswer(ctx, conn, rule, sent, what, basis);
  await conn.close();
  const serving = await stillServing(ctx, what);
  return serving ? [...findings, serving] : findings;
}
