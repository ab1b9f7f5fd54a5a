// Aragora: "The server replies with `ack`, `error`, or `auth_revoked` depending on the request and
// auth state." connection_info: "write_access": true.
import { Findings, at, defineCheck, outgoing, skip, triggerPayload, verdictOf } from '../../src/runner/index.js';
import { describeAbsence, lastFrame, openOrSkip, optionalAuthUnknown, settleMs, waitForMessage } from '../expect/index.js';

export default defineCheck({
  id: 'auth/write-refused',
  category: 'auth',
  level: 'MUST',
  description: 'Sends every documented write without a token',
  requirement: 'Every write sent without a token is refused with a documented refusal, never acknowledged.',
  basis: (spec) => [spec.ext.auth?.writesBasis ?? { source: 'x-wsconform.auth.writes' }],
  appliesTo: (spec) => {
    const auth = spec.ext.auth;
    if (!auth?.writes?.length) return 'the document names no write that needs a token';
    if (auth.withoutToken === 'refuse') return 'connections without a token are refused outright (auth/missing-token)';
    return true;
  },
  async run(ctx) {
    const unknown = optionalAuthUnknown(ctx);
    if (unknown) return unknown;
    const auth = ctx.spec.ext.auth!;
    const refusals = new Set(auth.refusals ?? []);
    const findings = new Findings();
    // One anonymous connection per write: the waits overlap and each answer is unambiguous.
    const judged = await Promise.all(
      auth.writes!.map(async (write) => {
        const conn = ctx.connect({ as: 'anonymous' });
        if (!(await openOrSkip(conn, ctx)).ok) return false;
        const accepted = (ctx.spec.replies.get(write) ?? []).filter((r) => !refusals.has(r));
        const sent = conn.send(outgoing(ctx.spec, write, triggerPayload(ctx.spec, write)));
        if (!sent) return false;
        const wait = refusals.size ? ctx.settings.timeoutMs : settleMs(ctx) * 2;
        const answer = await waitForMessage(conn, [...refusals, ...accepted], sent.index + 1, wait);
        if (answer && !refusals.has(answer.name!)) {
          findings.add(`accepted:${write}`, { message: `${write} was accepted without a token`, expected: refusals.size ? `one of ${[...refusals].join(', ')}` : 'no acknowledgement', actual: answer.name! }, at(answer));
        } else if (!answer && refusals.size) {
          findings.add(`silent:${write}`, { message: `${write} without a token got no refusal`, expected: `one of ${[...refusals].join(', ')} within ${wait} ms`, actual: describeAbsence(conn, sent.index + 1, wait) }, at(lastFrame(conn)));
        }
        await conn.close();
        return true;
      }),
    );
    if (!judged.includes(true)) return skip('could not connect without a token to send a write; handshake/upgrade and auth/missing-token report it');
    return verdictOf(findings.list());
  },
});
