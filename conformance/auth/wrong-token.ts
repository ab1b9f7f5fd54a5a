// Gemini, "Error Handling": "Common Error Types: Authentication failed". Aragora: "The server
// replies with `ack`, `error`, or `auth_revoked` depending on the request and auth state."
import { Findings, defineCheck, verdictOf, basisOf } from '../../src/runner/index.js';
import { expectRefused, meansLabel, optionalAuthUnknown, wrongToken } from '../expect/index.js';

export default defineCheck({
  id: 'auth/wrong-token',
  category: 'auth',
  level: 'MUST',
  description: 'Connects with a wrong token by each documented means',
  requirement: 'A wrong token is refused, or downgraded, as x-wsconform.auth.withoutToken says, whichever means carries it.',
  basis: (spec) => [spec.ext.auth?.withoutTokenBasis ?? basisOf(spec.ext.auth, 'x-wsconform.auth')],
  appliesTo: (spec) => (spec.ext.auth ? true : 'the document has no authentication'),
  async run(ctx) {
    const unknown = optionalAuthUnknown(ctx);
    if (unknown) return unknown;
    const token = wrongToken(ctx);
    const findings = new Findings();
    await Promise.all(
      ctx.spec.ext.auth!.means.map(async (means) => {
        const conn = ctx.connect({ as: { token, means } });
        for (const f of await expectRefused(ctx, conn, `with a wrong token in the ${meansLabel(means)}`)) findings.add(`${means.in}:${f.message}`, f, f.occurrences[0]);
        await conn.close();
      }),
    );
    return verdictOf(findings.list());
  },
});
