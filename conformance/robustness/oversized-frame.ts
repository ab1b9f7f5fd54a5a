// RFC 6455 §7.4.1: "1009 indicates that an endpoint is terminating the connection because it has
// received a message that is too big for it to process." x-wsconform.robustness.maxFrameBytes:
// "The largest frame the server accepts, in bytes; larger frames are closed with 1009."
import { defineCheck, verdictOf, TRANSPORT } from '../../src/runner/index.js';
import { channelBasis, probeBadInput, unknownName } from '../expect/index.js';

/** A JSON text of exactly `bytes` bytes that is a plausible client message. */
export function oversizedText(transport: 'websocket' | 'socket.io', nameField: string, bytes: number): string {
  const head = transport === 'socket.io' ? `42["${unknownName()}",{"pad":"` : `{"${nameField}":"${unknownName()}","pad":"`;
  const tail = transport === 'socket.io' ? '"}]' : '"}';
  return head + 'x'.repeat(Math.max(0, bytes - head.length - tail.length)) + tail;
}

export default defineCheck({
  id: 'robustness/oversized-frame',
  category: 'robustness',
  level: 'MUST',
  description: 'Sends a frame one byte larger than the documented maximum (or a large probe frame where none is documented)',
  requirement: 'A frame above a documented maxFrameBytes is answered with a close 1009 (Message Too Big); where the document states no limit, any answer is accepted. Either way the server keeps serving: a new connection still opens.',
  basis: (spec) => (spec.ext.robustness?.maxFrameBytes ? [spec.ext.robustness.maxFrameBasis ?? { source: 'x-wsconform.robustness.maxFrameBytes' }, TRANSPORT.tooBig, channelBasis(spec)] : [channelBasis(spec)]),
  appliesTo: (spec) =>
    spec.ext.robustness?.maxFrameBytes || spec.ext.robustness?.oversizedProbeBytes ? true : 'the document gives no maximum frame size and no probe size',
  async run(ctx) {
    const robustness = ctx.spec.ext.robustness!;
    const { maxFrameBytes: max, oversizedProbeBytes: probe } = robustness;
    const bytes = max ? max + 1 : probe!;
    const text = oversizedText(ctx.spec.transport, ctx.spec.ext.nameField?.send ?? 'type', bytes);
    const what = max ? `a frame of ${bytes} bytes (maxFrameBytes ${max})` : `a frame of ${bytes} bytes (no documented limit)`;
    const basis = max ? (robustness.maxFrameBasis ?? { source: 'x-wsconform.robustness.maxFrameBytes' }) : channelBasis(ctx.spec);
    const out = await probeBadInput(ctx, { text }, max ? { action: 'close', code: 1009 } : { action: 'any' }, what, basis);
    return Array.isArray(out) ? verdictOf(out) : out;
  },
});
