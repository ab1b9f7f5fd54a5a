// Gemini, "Monitoring Events (Admin Only)": monitoring:subscribe, monitoring:get-events,
// monitoring:get-stats, monitoring:broadcast. "Common Error Types: … Access denied".
import { Findings, at, defineCheck, outgoing, skip, triggerPayload, verdictOf, basisOf } from '../../src/runner/index.js';
import { describeAbsence, lastFrame, openOrSkip, received, settleMs, waitForMessage } from '../expect/index.js';

export default defineCheck({
  id: 'auth/admin-refused',
  category: 'auth',
  level: 'MUST',
  description: 'Sends every admin-only message with a non-admin token',
  requirement: 'Every admin-only operation sent with a non-admin token is refused (with a documented refusal where one is listed) and produces none of its own replies (a privileged event that also reaches a client that asked nothing is auth/privileged-feed finding).',
  basis: (spec) => [basisOf(spec.ext.auth?.admin, 'x-wsconform.auth.admin')],
  appliesTo: (spec) => (spec.ext.auth?.admin?.messages.length ? true : 'the document has no admin-only operation'),
  async run(ctx) {
    if (!ctx.settings.token) return skip('no --token given (a non-admin token is needed)');
    const admin = ctx.spec.ext.auth!.admin!;
    const refusals = new Set(admin.refusals ?? ctx.spec.ext.auth!.refusals ?? []);
    const privileged = new Set(admin.privilegedEvents);
    const findings = new Findings();
    // A control connection with the same non-admin token sends nothing: a privileged event it
    // receives too flows whatever a client asks (auth/privileged-feed's finding), so it never
    // counts as an admin operation served.
    const control = ctx.connect({ as: 'user' });
    await control.opened;
    // One non-admin connection per admin message: the waits overlap and each answer is unambiguous.
    const judged = await Promise.all(
      admin.messages.map(async (message) => {
        const conn = ctx.connect({ as: 'user' });
        if (!(await openOrSkip(conn, ctx)).ok) return false;
        const granted = new Set((ctx.spec.replies.get(message) ?? []).filter((r) => !refusals.has(r)));
        const sent = conn.send(outgoing(ctx.spec, message, triggerPayload(ctx.spec, message)));
        if (!sent) return false;
        const wait = refusals.size ? ctx.settings.timeoutMs : settleMs(ctx) * 2;
        const refusal = refusals.size ? await waitForMessage(conn, refusals, sent.index + 1, wait) : (await ctx.sleep(wait), null);
        const flowing = new Set(received(ctx.spec, control).map((m) => m.name));
        const served = received(ctx.spec, conn).find((m) => m.frame.index > sent.index && m.name !== undefined && granted.has(m.name) && !(privileged.has(m.name) && flowing.has(m.name)));
        if (served) {
          findings.add(`granted:${message}`, { message: `${message} was served to a non-admin token`, expected: refusals.size ? `one of ${[...refusals].join(', ')}` : 'a refusal, or nothing', actual: served.name! }, at(served.frame));
        } else if (!refusal && refusals.size) {
          findings.add(`silent:${message}`, { message: `${message} from a non-admin token got no refusal`, expected: `one of ${[...refusals].join(', ')} within ${wait} ms`, actual: describeAbsence(conn, sent.index + 1, wait) }, at(lastFrame(conn)));
        }
        await conn.close();
        return true;
      }),
    );
    if (!judged.includes(true)) return skip('could not connect with the non-admin token; handshake/upgrade or auth/valid-token reports it');
    return verdictOf(findings.list());
  },
});
