// Coda, "Error Handling": "Event validation errors - Type checking with Pydantic"; Gemini:
// "Common Error Types: … Invalid message format".
import { defineCheck, verdictOf } from '../../src/runner/index.js';
import { expectAnswer, openOrSkip, stillServing, unknownName } from '../expect/index.js';

export default defineCheck({
  id: 'robustness/unknown-message',
  category: 'robustness',
  level: 'MUST',
  description: 'Sends a well-formed message whose name no document uses',
  requirement: 'The server answers an unknown client message as documented (a reply, a close with the documented code, or nothing), and keeps serving: a new connection still opens.',
  quote: 'Event validation errors - Type checking with Pydantic (Coda, Error Handling)',
  appliesTo: (spec) => (spec.ext.robustness?.unknownMessage ? true : 'the document does not say how an unknown message is answered'),
  async run(ctx) {
    const conn = ctx.connect();
    const open = await openOrSkip(conn, ctx);
    if (!open.ok) return open.outcome;
    const name = unknownName();
    const message = ctx.spec.transport === 'socket.io' ? [name, {}] : { [ctx.spec.ext.nameField?.send ?? 'type']: name };
    const sent = conn.send(message)!;
    const findings = await expectAnswer(ctx, conn, ctx.spec.ext.robustness!.unknownMessage!, sent, `an unknown message "${name}"`);
    const serving = await stillServing(ctx, 'an unknown message');
    return verdictOf(serving ? [...findings, serving] : findings);
  },
});
