// A well-formed message whose name the document does not list: the document's answer where it
// gives one, else any answer; in every case the documented address still serves.
import { basisOf, defineCheck, named, verdictOf } from '../../src/runner/index.js';
import { channelBasis, probeBadInput, unknownName } from '../expect/index.js';

export default defineCheck({
  id: 'robustness/unknown-message',
  category: 'robustness',
  level: 'MUST',
  description: 'Sends a well-formed message whose name no document uses',
  requirement: 'The server answers an unknown client message as documented (a reply, a close with the documented code, or nothing), and keeps serving: a new connection still opens.',
  basis: (spec) => [basisOf(spec.ext.robustness?.unknownMessage, 'x-wsconform.robustness.unknownMessage'), channelBasis(spec)],
  appliesTo: (spec) => (spec.ext.robustness?.unknownMessage ? true : 'the document does not say how an unknown message is answered'),
  async run(ctx) {
    const rule = ctx.spec.ext.robustness!.unknownMessage!;
    const name = unknownName();
    const message = ctx.spec.transport === 'socket.io' ? [name, rule.payload ?? {}] : ctx.spec.ext.shape === 'array' ? named(ctx.spec, 'send', name, rule.payload) : { ...rule.payload, [ctx.spec.ext.nameField?.send ?? 'type']: name };
    const out = await probeBadInput(ctx, { message }, rule, `an unknown message "${name}"`, basisOf(rule, 'x-wsconform.robustness.unknownMessage'));
    return Array.isArray(out) ? verdictOf(out) : out;
  },
});
