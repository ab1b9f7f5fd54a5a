// Operations correlated by an id. graphql-transport-ws, "Subscribe": "This message provides a
// unique ID field to connect published messages to the operation requested by this message";
// "Next": "After all results have been emitted, the `Complete` message will follow"; "Complete",
// Client -> Server: "No further events, relevant to the original subscription, should be sent
// through."
import { Findings, at, basisOf, defineCheck, fieldAt, hasField, payloadOf, verdictOf } from '../../src/runner/index.js';
import type { Connection, Frame } from '../../src/transport/index.js';
import type { Basis, OperationRule } from '../../src/spec/extension.js';
import type { CheckContext, Finding } from '../../src/runner/index.js';
import { assignedId, barrier, describeClose, framesOf, lastFrame, openOrSkip, operationMessage, settleMs, startOperation } from '../expect/index.js';

async function judge(ctx: CheckContext, rule: OperationRule, i: number, findings: Findings): Promise<boolean> {
  const basis = basisOf(rule, `x-wsconform.operations[${i}]`);
  const stop = rule.stopBasis ?? basis;
  const conn = ctx.connect({});
  if (!(await openOrSkip(conn, ctx)).ok) return false;
  const started = startOperation(ctx, conn, rule);
  if (!started) return false;
  const { sent, id } = started;
  const add = (key: string, f: Omit<Finding, 'count' | 'occurrences'>, frame = lastFrame(conn)) => findings.add(`${rule.id}:${key}`, { ...f }, at(frame));
  // An id the server assigns (eth_subscribe's subscription id) comes in the start's reply.
  const assignment = await assignedId(ctx, conn, rule, id, sent.index + 1);
  if (assignment === null) {
    add('no-assigned-id', { message: `The ${rule.id} operation got no id from the server`, expected: `a reply with its id and the operation's own id at ${rule.assignedIdField} within ${ctx.settings.timeoutMs} ms`, actual: 'no such reply', basis });
    await conn.close();
    return true;
  }
  const assigned = assignment?.id;
  const ends = new Set(rule.end);
  const allowed = new Set([...(rule.during ?? []), ...rule.end]);
  const settle = settleMs(ctx) * 2;
  if (rule.ends !== false) {
    const end = await conn.waitFor((f) => f.dir === 'in' && (f.type === 'close' || (f.name !== undefined && ends.has(f.name) && framesOf(ctx.spec, rule, conn, id, f.index, assigned).length > 0)), ctx.settings.timeoutMs, sent.index + 1);
    if (!end || end.type === 'close') {
      const closed = end ? await conn.closed : undefined;
      add('no-end', { message: `The ${rule.id} operation never ended`, expected: `${rule.end.join(' or ')} with its id within ${ctx.settings.timeoutMs} ms`, actual: closed ? describeClose(closed) : `no ${rule.end.join(' or ')}`, basis });
      await conn.close();
      return true;
    }
    await ctx.sleep(settle);
  } else {
    // The first message of a running operation (the start's reply does not count where the server assigns an id).
    const from = (assignment?.reply.index ?? sent.index) + 1;
    const first = await conn.waitFor((f) => f.dir === 'in' && f.index >= from && framesOf(ctx.spec, rule, conn, id, f.index, assigned).length > 0, ctx.settings.timeoutMs, from);
    if (first && rule.cancel && conn.isOpen()) {
      // The operation's own pace (a second message before the cancel): the window after the
      // cancel covers two of its intervals, so a slow stream, or a loaded machine, cannot hide a
      // message that keeps coming.
      const second = await conn.waitFor((f) => f.dir === 'in' && f.index > first.index && framesOf(ctx.spec, rule, conn, id, f.index, assigned).length > 0, ctx.settings.timeoutMs, first.index + 1);
      const pace = second ? second.at - first.at : 0;
      const window = Math.max(settle, Math.min(2 * pace, ctx.settings.timeoutMs));
      const cancel = conn.send(operationMessage(ctx.spec, rule.cancel, rule.cancelIdField ?? rule.idField, assigned ?? id));
      // What the server had under way when it read the cancel may still arrive (a value the
      // stream had already produced): the window opens a settling pause after the barrier.
      await barrier(ctx, conn, settle);
      await ctx.sleep(settle);
      const cancelledAt = conn.frames.length;
      await ctx.sleep(window);
      const late = framesOf(ctx.spec, rule, conn, id, cancelledAt, assigned);
      if (cancel && late.length) add('after-cancel', { message: `${late[0].name ?? 'A message'} came for the ${rule.id} operation after the client's ${rule.cancel}`, expected: `nothing for the operation once the server has read ${rule.cancel} and settled`, actual: `${late.length} message(s) after it`, basis: stop }, late[0]);
    } else if (!first) {
      // Where the server assigned the id, messages carrying another one are the finding.
      const judged = assigned !== undefined && foreign(ctx, rule, conn, sent.index, assigned, basis, add);
      await conn.close();
      return judged;
    }
  }
  if (assigned !== undefined) foreign(ctx, rule, conn, sent.index, assigned, basis, add);
  const mine = framesOf(ctx.spec, rule, conn, id, sent.index + 1, assigned);
  const odd = mine.find((f) => f.name === undefined || !allowed.has(f.name));
  if (odd) add('unexpected', { message: `The ${rule.id} operation got ${odd.name ?? 'an unnamed message'}`, expected: `only ${[...allowed].join(', ')} with its id`, actual: odd.name ?? odd.text ?? '', basis }, odd);
  const endAt = mine.findIndex((f) => f.name !== undefined && ends.has(f.name));
  if (endAt >= 0 && endAt < mine.length - 1) {
    const after = mine[endAt + 1];
    add('after-end', { message: `${after.name ?? 'A message'} came for the ${rule.id} operation after its ${mine[endAt].name}`, expected: `nothing for the operation after ${rule.end.join(' or ')}`, actual: `${mine.length - endAt - 1} message(s) after it`, basis: stop }, after);
  }
  await conn.close();
  return true;
}

/**
 * An operation whose id the server assigned: the operation's stream messages (its `during`, the
 * start's reply aside) on this connection, where only it runs, that carry another id at
 * `streamIdField`. Adds the finding; whether there were any.
 */
function foreign(ctx: CheckContext, rule: OperationRule, conn: Connection, from: number, assigned: unknown, basis: Basis, add: (key: string, f: Omit<Finding, 'count' | 'occurrences'>, frame?: Frame) => void): boolean {
  const field = rule.streamIdField ?? rule.replyIdField ?? rule.idField;
  const stream = new Set(rule.during ?? []);
  for (const r of ctx.spec.replies.get(rule.start) ?? []) stream.delete(r);
  const other = conn.frames.find((f) => f.index > from && f.dir === 'in' && f.name !== undefined && stream.has(f.name) && f.message !== undefined && hasField(payloadOf(ctx.spec, f.message), field) && fieldAt(payloadOf(ctx.spec, f.message), field) !== assigned);
  if (!other) return false;
  const got = fieldAt(payloadOf(ctx.spec, other.message), field);
  add('foreign-id', { message: `${other.name} carries an id the ${rule.id} operation was not given`, expected: `${field} ${JSON.stringify(assigned)}, the id the server assigned it`, actual: `${field} ${JSON.stringify(got)}`, basis }, other);
  return true;
}

export default defineCheck({
  id: 'ordering/operations',
  category: 'ordering',
  level: 'MUST',
  description: 'Starts each documented operation and follows its id',
  requirement:
    'The messages for an operation id are only the documented ones; an operation that ends does so with one documented end message, after which nothing comes for its id; after the client cancels one, nothing more comes for its id once the server has read the cancel.',
  basis: (spec) => (spec.ext.operations ?? []).flatMap((r, i) => [basisOf(r, `x-wsconform.operations[${i}]`), ...(r.stopBasis ? [r.stopBasis] : [])]),
  appliesTo: (spec) => (spec.ext.operations?.length ? true : 'the document has no operations correlated by an id'),
  async run(ctx) {
    const findings = new Findings();
    const judged = await Promise.all(ctx.spec.ext.operations!.map((rule, i) => judge(ctx, rule, i, findings)));
    if (!judged.includes(true)) return { verdict: 'skip', reason: 'no operation could be started and followed (could not connect, or the server sent nothing for it)' };
    return verdictOf(findings.list());
  },
});
