// Valid JSON that is not an object (`[]`, `null`, `42`, `"x"`): a client message is a JSON object
// (Socket.IO: an EVENT array whose first element is a string), so these are bad input too. The
// answer is the document's (robustness.nonObjectJson, else its unknown-message answer, else any);
// in every case the documented address still serves.
import { basisOf, defineCheck, verdictOf } from '../../src/runner/index.js';
import type { BadInputAnswer, Basis } from '../../src/spec/extension.js';
import type { Spec } from '../../src/spec/model.js';
import { channelBasis, probeBadInput } from '../expect/index.js';

/** The inputs sent, each on a connection of its own. */
export const NON_OBJECTS = ['[]', 'null', '42', '"x"'] as const;

/**
 * The answer the document gives: its own `nonObjectJson`, else, for WebSocket, its answer to an
 * unknown message (a JSON value that names no message), and for Socket.IO its answer to invalid
 * input (an EVENT packet whose data is not [eventName, ...args] is a malformed packet).
 */
function ruleOf(spec: Spec): { rule: BadInputAnswer; basis: Basis } {
  const r = spec.ext.robustness;
  if (r?.nonObjectJson) return { rule: r.nonObjectJson, basis: basisOf(r.nonObjectJson, 'x-wsconform.robustness.nonObjectJson') };
  if (spec.transport === 'socket.io' && r?.invalidJson) return { rule: r.invalidJson, basis: basisOf(r.invalidJson, 'x-wsconform.robustness.invalidJson') };
  if (r?.unknownMessage) return { rule: r.unknownMessage, basis: basisOf(r.unknownMessage, 'x-wsconform.robustness.unknownMessage') };
  return { rule: { action: 'any' }, basis: channelBasis(spec) };
}

export default defineCheck({
  id: 'robustness/non-object-json',
  category: 'robustness',
  level: 'MUST',
  description: 'Sends valid JSON that is not an object: [], null, 42, "x"',
  requirement: 'The server answers JSON that is not a message object as documented (its answer to an unknown message where it gives no other, else any answer), and keeps serving: a new connection still opens.',
  basis: (spec) => {
    const { basis } = ruleOf(spec);
    const channel = channelBasis(spec);
    return basis === channel || JSON.stringify(basis) === JSON.stringify(channel) ? [channel] : [basis, channel];
  },
  appliesTo: () => true,
  async run(ctx) {
    const { rule, basis } = ruleOf(ctx.spec);
    const socketio = ctx.spec.transport === 'socket.io';
    const outs = await Promise.all(
      NON_OBJECTS.map((json) => probeBadInput(ctx, { text: socketio ? `42${json}` : json }, rule, `the JSON ${json} (not a message object)`, basis)),
    );
    const findings = outs.filter(Array.isArray).flat();
    if (!outs.some(Array.isArray)) return outs[0] as Exclude<(typeof outs)[number], unknown[]>;
    return verdictOf(findings);
  },
});
