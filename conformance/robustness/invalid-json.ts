// Coda, "Error Handling": "Message parsing errors - Invalid JSON handling"; Gemini: "Common Error
// Types: … Invalid message format".
import { defineCheck, verdictOf } from '../../src/runner/index.js';
import { expectAnswer, openOrSkip, stillServing } from '../expect/index.js';

export default defineCheck({
  id: 'robustness/invalid-json',
  category: 'robustness',
  level: 'MUST',
  description: 'Sends a text frame that is not JSON',
  requirement: 'The server answers a text frame that is not JSON as documented (a reply, a close with the documented code, or nothing), and keeps serving: a new connection still opens.',
  quote: 'Message parsing errors - Invalid JSON handling (Coda, Error Handling)',
  appliesTo: (spec) => (spec.ext.robustness?.invalidJson ? true : 'the document does not say how invalid JSON is answered'),
  async run(ctx) {
    const conn = ctx.connect();
    const open = await openOrSkip(conn, ctx);
    if (!open.ok) return open.outcome;
    const text = ctx.spec.transport === 'socket.io' ? '42["wsconform-invalid",{' : '{"wsconform": invalid json';
    const sent = conn.sendText(text)!;
    const findings = await expectAnswer(ctx, conn, ctx.spec.ext.robustness!.invalidJson!, sent, 'a frame that is not JSON');
    const serving = await stillServing(ctx, 'a frame that is not JSON');
    return verdictOf(serving ? [...findings, serving] : findings);
  },
});
