// A text frame that is not JSON: the document's answer where it gives one (a reply, a close with
// its code), else any answer; in every case the documented address still serves.
import { basisOf, defineCheck, verdictOf } from '../../src/runner/index.js';
import { channelBasis, probeBadInput } from '../expect/index.js';

export default defineCheck({
  id: 'robustness/invalid-json',
  category: 'robustness',
  level: 'MUST',
  description: 'Sends a text frame that is not JSON',
  requirement: 'The server answers a text frame that is not JSON as documented (a reply, a close with the documented code, or nothing), and keeps serving: a new connection still opens.',
  basis: (spec) => [basisOf(spec.ext.robustness?.invalidJson, 'x-wsconform.robustness.invalidJson'), channelBasis(spec)],
  appliesTo: (spec) => (spec.ext.robustness?.invalidJson ? true : 'the document does not say how invalid JSON is answered'),
  async run(ctx) {
    const rule = ctx.spec.ext.robustness!.invalidJson!;
    const text = ctx.spec.transport === 'socket.io' ? '42["wsconform-invalid",{' : '{"wsconform": invalid json';
    const out = await probeBadInput(ctx, { text }, rule, 'a frame that is not JSON', basisOf(rule, 'x-wsconform.robustness.invalidJson'));
    return Array.isArray(out) ? verdictOf(out) : out;
  },
});
