// Aragora: "Browser clients cannot set custom headers; the server accepts a `token` query
// parameter" — a secret that travels on every connection must never come back in a frame that
// other software logs or displays.
import { KIT } from '../expect/index.js';
import { at, defineCheck, skip, verdictOf } from '../../src/runner/index.js';

export default defineCheck({
  id: 'auth/token-not-echoed',
  category: 'auth',
  level: 'MUST',
  description: 'Searches every server frame of the run for the tokens',
  requirement: 'No server frame of any connection of the run contains the token or the admin token (plain or URL-encoded).',
  basis: () => [KIT.tokenNotEchoed],
  appliesTo: (spec) => (spec.ext.auth ? true : 'the document has no authentication'),
  budgetMs: (ctx) => ctx.settings.observeMs + ctx.settings.timeoutMs * (ctx.spec.messages.length + 12) + 5000,
  async run(ctx) {
    const secrets = [ctx.settings.token, ctx.settings.adminToken].filter((t): t is string => !!t);
    if (!secrets.length) return skip('no --token or --admin-token given');
    const forms = [...new Set(secrets.flatMap((s) => [s, encodeURIComponent(s)]))];
    const findings = ctx.findings();
    let judged = 0;
    await ctx.watchRun((f, _, conn) => {
      // What the server sent: not an error the client noted, not an abnormal closure (1006, no frame).
      if (f.dir !== 'in' || f.type === 'error' || (f.type === 'close' && f.code === 1006)) return;
      judged++;
      const text = [f.text, f.reason, f.payload].filter(Boolean).join('\n');
      if (forms.some((s) => text.includes(s))) {
        findings.add('echo', { message: 'A server frame contains the token', expected: 'no server frame contains a token', actual: `the token appears in a frame of ${conn.label}` }, conn.label === 'observation' ? at(f) : { ...at(f), connection: conn.label });
      }
    });
    if (!judged) return skip('the server sent no frame in the whole run');
    return verdictOf(findings.list());
  },
});
