// Aragora, "Authentication": "include an `Authorization: Bearer` header during the handshake … the
// server accepts a `token` query parameter for WebSocket authentication (e.g. wss://.../ws?token=...)".
// Gemini: "const socket = io('http://localhost:3000', { auth: { token: 'your-jwt-token' } });"
import { Findings, defineCheck, skip, verdictOf, basisOf } from '../../src/runner/index.js';
import { expectAccepted, meansLabel } from '../expect/index.js';

export default defineCheck({
  id: 'auth/valid-token',
  category: 'auth',
  level: 'MUST',
  description: 'Connects with the valid token by each documented means',
  requirement: 'A valid token is accepted by every documented means (bearer header, query parameter, Socket.IO handshake auth), and reported authenticated where the document has a status message.',
  basis: (spec) => [basisOf(spec.ext.auth, 'x-wsconform.auth')],
  appliesTo: (spec) => (spec.ext.auth ? true : 'the document has no authentication'),
  async run(ctx) {
    const token = ctx.settings.token;
    if (!token) return skip('no --token given');
    const findings = new Findings();
    await Promise.all(
      ctx.spec.ext.auth!.means.map(async (means) => {
        const conn = ctx.connect({ as: { token, means } });
        for (const f of await expectAccepted(ctx, conn, `in the ${meansLabel(means)}`)) findings.add(`${means.in}:${f.message}`, f, f.occurrences[0]);
        await conn.close();
      }),
    );
    return verdictOf(findings.list());
  },
});
