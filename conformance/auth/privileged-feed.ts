// Gemini, "Monitoring Events (Admin Only)": "monitoring:subscribe — Subscribe to real-time
// monitoring events." "monitoring:event — Real-time activity event."
import { at, defineCheck, outgoing, skip, triggerPayload, verdictOf, basisOf } from '../../src/runner/index.js';
import type { Received } from '../../src/runner/index.js';
import type { Connection } from '../../src/transport/index.js';
import { openOrSkip, received } from '../expect/index.js';

export default defineCheck({
  id: 'auth/privileged-feed',
  category: 'auth',
  level: 'MUST',
  description: 'Listens as a non-admin client that tries to subscribe to the admin feed',
  requirement: 'No privileged event reaches a non-admin client, even after it tries to subscribe, while an admin client (when --admin-token is given) produces admin traffic.',
  basis: (spec) => [basisOf(spec.ext.auth?.admin, 'x-wsconform.auth.admin')],
  appliesTo: (spec) => (spec.ext.auth?.admin?.privilegedEvents.length ? true : 'the document names no privileged event'),
  async run(ctx) {
    const auth = ctx.spec.ext.auth!;
    if (!ctx.settings.token && auth.withoutToken === 'refuse') return skip('no --token given (a non-admin token is needed)');
    const spec = ctx.spec;
    const privileged = new Set(auth.admin!.privilegedEvents);
    // A privileged event that answers an admin operation this client sent is auth/admin-refused's
    // finding (the operation was served); only the feed counts here: one cause, one finding.
    const answers = new Set(auth.admin!.messages.flatMap((m) => spec.replies.get(m) ?? []));
    const findings = ctx.findings();
    let heard = 0;
    const judge = (m: Received, where: string, asked: boolean) => {
      heard++;
      if (m.name === undefined || !privileged.has(m.name) || (asked && answers.has(m.name))) return;
      findings.add(`leak:${m.name}`, { message: `The privileged event ${m.name} reached a non-admin client`, expected: `no ${[...privileged].join(', ')} without an admin token`, actual: `${m.name} on ${where}` }, at(m.frame));
    };
    // Without an admin token the observation is a non-admin client too: it is judged as it listens.
    const observation = ctx.settings.adminToken
      ? ctx.observation()
      : ctx.watchObservation((_, messages) => {
          for (const m of messages) judge(m, 'the observation connection', false);
        });
    const sendAll = (conn: Connection, admin: boolean) => {
      for (const m of auth.admin!.messages) conn.send(outgoing(spec, m, triggerPayload(spec, m)));
      for (const t of spec.ext.triggers ?? []) {
        if (t.needs === 'admin' && !admin) continue;
        if (t.needs === 'token' && !admin && !ctx.settings.token) continue;
        conn.send(outgoing(spec, t.message, t.payload));
      }
    };
    const as = ctx.settings.token ? 'user' : 'anonymous';
    const user = ctx.connect({ as });
    // A passive non-admin client sends only the triggers it may send: any privileged event it gets is a leak.
    const passive = ctx.connect({ as });
    // The admin client opens alongside, so that admin traffic flows while the non-admins listen.
    const admin = ctx.settings.adminToken ? ctx.connect({ as: 'admin' }) : undefined;
    const [open] = await Promise.all([openOrSkip(user, ctx), passive.opened, admin?.opened.then((r) => r.ok && sendAll(admin, true))]);
    if (!open.ok) return open.outcome;
    sendAll(user, false);
    for (const t of spec.ext.triggers ?? []) if (!t.needs || (t.needs === 'token' && ctx.settings.token)) passive.send(outgoing(spec, t.message, t.payload));
    await ctx.sleep(Math.min(ctx.settings.observeMs, Math.max(ctx.settings.timeoutMs, 300)));
    for (const m of received(spec, user)) judge(m, 'a connection that tried to subscribe', true);
    for (const m of received(spec, passive)) judge(m, 'a connection that asked for nothing privileged', false);
    await observation;
    if (!heard) return skip('the non-admin connection received nothing (no evidence either way)');
    return verdictOf(findings.list());
  },
});
