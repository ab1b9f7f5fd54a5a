// Aragora: "If `ARAGORA_API_TOKEN` is set, include an `Authorization: Bearer` header during the
// handshake"; connection_info carries "authenticated": false. Gemini: "`connect_error` — Emitted
// when connection fails." "Common Error Types: Authentication failed".
import { defineCheck, verdictOf, basisOf } from '../../src/runner/index.js';
import { expectRefused, optionalAuthUnknown } from '../expect/index.js';

export default defineCheck({
  id: 'auth/missing-token',
  category: 'auth',
  level: 'MUST',
  description: 'Connects without a token',
  requirement: 'A connection without a token is refused, or downgraded (accepted, reported unauthenticated, without write access), as x-wsconform.auth.withoutToken says.',
  basis: (spec) => [spec.ext.auth?.withoutTokenBasis ?? basisOf(spec.ext.auth, 'x-wsconform.auth')],
  appliesTo: (spec) => (spec.ext.auth ? true : 'the document has no authentication'),
  async run(ctx) {
    const unknown = optionalAuthUnknown(ctx);
    if (unknown) return unknown;
    const conn = ctx.connect({ as: 'anonymous' });
    return verdictOf(await expectRefused(ctx, conn, 'without a token'));
  },
});
