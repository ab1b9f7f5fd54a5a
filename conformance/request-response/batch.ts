// Several client messages in one frame. JSON-RPC 2.0, §6: "The Server should respond with an
// Array containing the corresponding Response objects, after all of the batch Request objects
// have been processed. A Response object SHOULD exist for each Request object, except that there
// SHOULD NOT be any Response objects for notifications."
import { isDeepStrictEqual } from 'node:util';
import { Findings, at, basisOf, defineCheck, fieldAt, outgoing, verdictOf } from '../../src/runner/index.js';
import type { Spec } from '../../src/spec/model.js';
import { preview } from '../../src/spec/validator.js';
import type { Frame } from '../../src/transport/index.js';
import { describeAbsence, lastFrame, openOrSkip, settleMs } from '../expect/index.js';

/** The wire names of the replies to a batch: the rule's, else every server message named by its shape. */
export function batchReplies(spec: Spec): Set<string> {
  return new Set(spec.ext.batch?.replies ?? (spec.ext.identify?.receive ?? []).map((r) => r.message));
}

export default defineCheck({
  id: 'request-response/batch',
  category: 'request-response',
  level: 'MUST',
  description: 'Sends the documented batch of client messages in one frame',
  requirement: 'The server answers a batch with one frame holding an array of replies: one for each message of the batch that has an id, carrying that id, in any order, and none for a message without one.',
  basis: (spec) => [basisOf(spec.ext.batch, 'x-wsconform.batch')],
  appliesTo: (spec) => (spec.ext.batch ? (spec.transport === 'websocket' ? true : 'batches are a WebSocket rule') : 'the document has no batches'),
  async run(ctx) {
    const rule = ctx.spec.ext.batch!;
    const basis = basisOf(rule, 'x-wsconform.batch');
    const conn = ctx.connect();
    const open = await openOrSkip(conn, ctx);
    if (!open.ok) return open.outcome;
    const items = rule.items.map((i) => outgoing(ctx.spec, i.send, i.payload));
    const sent = conn.send(items);
    if (!sent) return { verdict: 'skip', reason: 'the connection closed before the batch could be sent' };
    // The ids as sent (after per-connection values): a reply is matched to its message by them.
    const ids = (sent.message as unknown[]).map((m) => fieldAt(m, rule.idField)).filter((id) => id !== undefined);
    const replyNames = batchReplies(ctx.spec);
    const isReply = (f: Frame) => f.dir === 'in' && f.json === true && (Array.isArray(f.message) || (f.name !== undefined && replyNames.has(f.name)));
    const findings = new Findings();
    const add = (key: string, message: string, expected: string, actual: string, frame = lastFrame(conn)) => findings.add(key, { message, expected, actual, basis }, frame ? at(frame) : undefined);
    const first = await conn.waitFor((f) => isReply(f) || (f.dir === 'in' && f.type === 'close'), ids.length ? ctx.settings.timeoutMs : settleMs(ctx) * 2, sent.index + 1);
    // A server that answers in several frames is given time to send them all.
    if (first && first.type !== 'close') await ctx.sleep(settleMs(ctx) * 2);
    const answers = conn.frames.filter((f) => f.index > sent.index && isReply(f));
    await conn.close();
    if (!ids.length) {
      if (answers.length) add('answered', 'A batch of messages without ids was answered', 'nothing at all', preview(answers[0].message, 80), answers[0]);
      return verdictOf(findings.list());
    }
    if (!answers.length) {
      add('no-answer', 'The batch got no answer', `an array of ${ids.length} replies within ${ctx.settings.timeoutMs} ms`, describeAbsence(conn, sent.index + 1, ctx.settings.timeoutMs));
      return verdictOf(findings.list());
    }
    const arrays = answers.filter((f) => Array.isArray(f.message));
    if (answers.length > 1 || !arrays.length) {
      add('not-one-array', 'The batch was not answered with one array', 'one frame holding an array of the replies', `${answers.length} frame(s)${arrays.length < answers.length ? `, ${answers.length - arrays.length} of them a single reply` : ''}`, answers[0]);
    }
    const replies = answers.flatMap((f) => (Array.isArray(f.message) ? f.message : [f.message]));
    const got = replies.map((r) => fieldAt(r, rule.idField));
    for (const id of ids) {
      const n = got.filter((g) => isDeepStrictEqual(g, id)).length;
      if (n === 0) add(`missing:${String(id)}`, `No reply in the batch answer carries the id ${JSON.stringify(id)}`, `a reply with ${rule.idField} ${JSON.stringify(id)}`, `ids ${preview(got, 80)}`, answers[0]);
      else if (n > 1) add(`twice:${String(id)}`, `The id ${JSON.stringify(id)} was answered ${n} times`, 'one reply per id', `${n} replies`, answers[0]);
    }
    const extra = replies.filter((r) => !ids.some((id) => isDeepStrictEqual(fieldAt(r, rule.idField), id)));
    if (extra.length) add('unasked', `The batch answer holds ${extra.length} reply(ies) for no message of the batch that has an id`, `replies only for ids ${preview(ids, 60)} (none for a message without an id)`, preview(extra[0], 80), answers[0]);
    return verdictOf(findings.list());
  },
});
