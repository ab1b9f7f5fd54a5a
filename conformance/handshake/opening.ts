// The document's opening: graphql-transport-ws, "ConnectionAck: Expected response to the
// `ConnectionInit` message from the client acknowledging a successful connection with the server."
import { Findings, at, basisOf, defineCheck, openingMessage, presentToken, tokenOf, verdictOf } from '../../src/runner/index.js';
import { closeWithin, describeClose, lastFrame, openOrSkip, settleMs } from '../expect/index.js';

export default defineCheck({
  id: 'handshake/opening',
  category: 'handshake',
  level: 'MUST',
  description: 'Performs the documented opening and waits for each reply',
  requirement: 'Each message of the opening is answered with one of its documented replies within the timeout (with nothing else before it where the document says so), and the connection stays open after it.',
  basis: (spec) => [basisOf(spec.ext.opening, 'x-wsconform.opening'), ...(spec.ext.opening?.steps ?? []).map((s, i) => basisOf(s, `x-wsconform.opening.steps[${i}]`))],
  appliesTo: (spec) => (spec.ext.opening?.steps.length ? true : 'the document has no opening'),
  async run(ctx) {
    const rule = ctx.spec.ext.opening!;
    const conn = ctx.connect({ opening: false });
    const open = await openOrSkip(conn, ctx);
    if (!open.ok) return open.outcome;
    const { openingPayload } = presentToken(ctx.spec, tokenOf('best', ctx.settings));
    const findings = new Findings();
    for (const [i, step] of rule.steps.entries()) {
      const basis = step.basis ?? basisOf(rule, `x-wsconform.opening.steps[${i}]`);
      const sent = conn.send(openingMessage(ctx.spec, step, i, openingPayload));
      if (!sent) break;
      const expect = new Set(step.expect);
      const reply = await conn.waitFor((f) => f.dir === 'in' && (f.type === 'close' || (f.name !== undefined && expect.has(f.name))), ctx.settings.timeoutMs, sent.index + 1);
      const wanted = `${step.expect.join(' or ')} within ${ctx.settings.timeoutMs} ms of ${step.send}`;
      if (!reply || reply.type === 'close') {
        const closed = reply ? await conn.closed : undefined;
        findings.add(`reply:${step.send}`, { message: `${step.send} was not answered with ${step.expect.join(' or ')}`, expected: wanted, actual: closed ? describeClose(closed) : `no ${step.expect.join(' or ')}`, basis }, at(lastFrame(conn)));
        break;
      }
      if (step.exclusive) {
        const before = conn.frames.filter((f) => f.index > sent.index && f.index < reply.index && f.dir === 'in' && f.type === 'text');
        if (before.length) findings.add(`before:${step.send}`, { message: `The server sent ${before[0].name ?? 'a message'} before ${reply.name}`, expected: `nothing before ${step.expect.join(' or ')}`, actual: `${before.length} message(s) first`, basis }, at(before[0]));
      }
    }
    if (findings.empty) {
      const closed = await closeWithin(conn, settleMs(ctx) * 2, ctx);
      if (closed && closed.by === 'server') findings.add('closed', { message: 'The server closed the connection right after the opening', expected: 'the connection stays open', actual: describeClose(closed) }, at(lastFrame(conn)));
    }
    return verdictOf(findings.list());
  },
});
