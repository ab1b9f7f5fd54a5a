// Inputs whose answer the document states, beyond invalid JSON and unknown names. JSON-RPC 2.0,
// §5.1: "-32600 | Invalid Request | The JSON sent is not a valid Request object."; "-32602 |
// Invalid params | Invalid method parameter(s)."; §4.1: "The Server MUST NOT reply to a
// Notification, including those that are within a batch request."
import { basisOf, defineCheck, verdictOf } from '../../src/runner/index.js';
import { preview } from '../../src/spec/validator.js';
import { probeBadInput } from '../expect/index.js';

export default defineCheck({
  id: 'robustness/probes',
  category: 'robustness',
  level: 'MUST',
  description: 'Sends each input whose answer the document states (x-wsconform.robustness.probes)',
  requirement: 'The server answers each documented probe as documented (a reply carrying the documented values, a close with the documented code, or no answer), and keeps serving: a new connection still opens.',
  basis: (spec) => (spec.ext.robustness?.probes ?? []).map((p, i) => basisOf(p, `x-wsconform.robustness.probes[${i}]`)),
  appliesTo: (spec) => (spec.ext.robustness?.probes?.length ? true : 'the document states the answer to no further input'),
  async run(ctx) {
    const probes = ctx.spec.ext.robustness!.probes!;
    const outs = await Promise.all(
      probes.map(async (p, i) => {
        const what = `the ${p.id} probe (${p.description ?? preview(p.frame, 60)})`;
        // WebSocket: the exact text; Socket.IO: an EVENT packet holding the frame.
        const input = ctx.spec.transport === 'socket.io' ? { message: p.frame } : { text: JSON.stringify(p.frame) };
        const out = await probeBadInput(ctx, input, p, what, basisOf(p, `x-wsconform.robustness.probes[${i}]`));
        // One key per probe: a finding of one probe never hides another's.
        return Array.isArray(out) ? out.map((f) => ({ ...f, message: `${p.id}: ${f.message}` })) : out;
      }),
    );
    if (!outs.some(Array.isArray)) return outs[0] as Exclude<(typeof outs)[number], unknown[]>;
    return verdictOf(outs.filter(Array.isArray).flat());
  },
});
