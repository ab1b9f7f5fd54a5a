// RFC 6455 §7.4.1: "1009 indicates that an endpoint is terminating the connection because it has
// received a message that is too big for it to process." x-wsconform.robustness.maxFrameBytes:
// "The largest frame the server accepts, in bytes; larger frames are closed with 1009."
import { defineCheck, verdictOf } from '../../src/runner/index.js';
import { expectAnswer, openOrSkip, stillServing, unknownName } from '../expect/index.js';

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
  quote: '1009 indicates that an endpoint is terminating the connection because it has received a message that is too big for it to process. (RFC 6455 §7.4.1)',
  appliesTo: (spec) =>
    spec.ext.robustness?.maxFrameBytes || spec.ext.robustness?.oversizedProbeBytes ? true : 'the document gives no maximum frame size and no probe size',
  async run(ctx) {
    const { maxFrameBytes: max, oversizedProbeBytes: probe } = ctx.spec.ext.robustness!;
    const bytes = max ? max + 1 : probe!;
    const conn = ctx.connect();
    const open = await openOrSkip(conn, ctx);
    if (!open.ok) return open.outcome;
    const sent = conn.sendText(oversizedText(ctx.spec.transport, ctx.spec.ext.nameField?.send ?? 'type', bytes))!;
    const what = max ? `a frame of ${bytes} bytes (maxFrameBytes ${max})` : `a frame of ${bytes} bytes (no documented limit)`;
    const findings = await expectAnswer(ctx, conn, max ? { action: 'close', code: 1009 } : { action: 'any' }, sent, what);
    const serving = await stillServing(ctx, 'an oversized frame');
    return verdictOf(serving ? [...findings, serving] : findings);
  },
});
