// Gemini, "Monitoring Events (Admin Only)": "monitoring:subscribe — Subscribe to real-time
// monitoring events." "monitoring:event — Real-time activity event."
import { Findings, at, defineCheck, outgoing, skip, triggerPayload, verdictOf, basisOf } from '../../src/runner/index.js';
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
    const sendAll = (conn: Connection, admin: boolean) => {
      for (const m of auth.admin!.messages) conn.send(outgoing(spec, m, triggerPayload(spec, m)));
      for (const t of spec.ext.triggers ?? []) {
        if (t.needs === 'admin' && !admin) continue;
        if (t.needs === 'token' && !admin && !ctx.settings.token) continue;
        conn.send(outgoing(spec, t.message, t.payload));
      }
    };
    const user = ctx.connect({ as: ctx.settings.token ? 'user' : 'anonymous' });
    // The admin client opens alongside, so that admin traffic flows while the non-admin listens.
    const admin = ctx.settings.adminToken ? ctx.connect({ as: 'admin' }) : undefined;
    const [open] = await Promise.all([openOrSkip(user, ctx), admin?.opened.then((r) => r.ok && sendAll(admin, true))]);
    if (!open.ok) return open.outcome;
    sendAll(user, false);
    await ctx.sleep(Math.min(ctx.settings.observeMs, Math.max(ctx.settings.timeoutMs, 300)));
    const listened: Connection[] = [user];
    const obs = await ctx.observation();
    if (!ctx.settings.adminToken) listened.push(obs.conn);
    const findings = new Findings();
    let heard = 0;
    for (const conn of listened) {
      for (const m of received(spec, conn)) {
        heard++;
        if (m.name !== undefined && privileged.has(m.name)) {
          findings.add(`leak:${m.name}`, { message: `The privileged event ${m.name} reached a non-admin client`, expected: `no ${[...privileged].join(', ')} without an admin token`, actual: `${m.name} on ${conn === user ? 'a connection that tried to subscribe' : 'the observation connection'}` }, at(m.frame));
        }
      }
    }
    if (!heard) return skip('the non-admin connection received nothing (no evidence either way)');
    return verdictOf(findings.list());
  },
});
