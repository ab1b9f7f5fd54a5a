// Clown: "All events are JSON objects". Kiwi: "All events follow the same structure: {"event": …}".
// Socket.IO protocol v5: an EVENT packet's data is a JSON array whose first element is the event name.
import { at, defineCheck, verdictOf } from '../../src/runner/index.js';
import type { Frame } from '../../src/transport/index.js';
import { jsonType, preview } from '../../src/spec/validator.js';
import { nothingToJudge, watchObserved, envelopeBasis } from '../expect/index.js';

export default defineCheck({
  id: 'envelope/json-objects',
  category: 'envelope',
  level: 'MUST',
  description: 'Parses every text frame the server sent',
  requirement:
    'Every text frame holds JSON with exactly one event: a JSON object (Socket.IO: an EVENT packet whose data is [eventName, ...args]; a document with shape: array, a JSON array). An array of events in one frame (batching) is a deviation of its own, unless the document allows it (x-wsconform.batching).',
  basis: (spec) => (spec.transport === 'socket.io' ? [{ spec: 'Socket.IO protocol v5, EVENT packet' }] : [envelopeBasis(spec)]),
  appliesTo: () => true,
  async run(ctx) {
    const findings = ctx.findings();
    const socketio = ctx.spec.transport === 'socket.io';
    let texts = 0;
    const judge = (f: Frame): void => {
      if (f.dir !== 'in' || f.type !== 'text') return;
      texts++;
      if (socketio) {
        if (f.sio?.engine === 'invalid') findings.add('not-packet', { message: 'A text frame is not an Engine.IO packet', expected: 'an Engine.IO packet (a digit 0-6, then data)', actual: preview(f.text, 60) }, at(f));
        else if (f.sio?.engine === 'message' && !f.sio.packet) findings.add('not-packet', { message: 'An Engine.IO message is not a Socket.IO packet', expected: 'a Socket.IO packet (a digit 0-6, then data)', actual: preview(f.text, 60) }, at(f));
        else if (f.json === false) findings.add('not-json', { message: 'A Socket.IO packet does not hold JSON', expected: 'packet data that is JSON', actual: `${preview(f.text, 60)} (${f.parseError})` }, at(f));
        else if (f.sio?.packet === 'EVENT' && (!Array.isArray(f.message) || typeof f.message[0] !== 'string')) {
          findings.add('not-event', { message: 'An EVENT packet is not [eventName, ...args]', expected: 'a JSON array whose first element is the event name', actual: `${jsonType(f.message)} ${preview(f.message, 60)}` }, at(f));
        }
        return;
      }
      if (ctx.spec.ext.shape === 'array') {
        // The document frames every message as a JSON array (x-wsconform.shape: array).
        if (!f.json) findings.add('not-json', { message: 'A text frame is not JSON', expected: 'a JSON array', actual: `text that is not JSON: ${preview(f.text, 60)}` }, at(f));
        else if (!Array.isArray(f.message)) findings.add('not-array', { message: 'A text frame holds JSON that is not an array', expected: 'a JSON array (the document frames every message as one)', actual: `${jsonType(f.message)} ${preview(f.message, 60)}` }, at(f));
        return;
      }
      if (!f.json) {
        findings.add('not-json', { message: 'A text frame is not JSON', expected: 'a JSON object', actual: `text that is not JSON: ${preview(f.text, 60)}` }, at(f));
      } else if (Array.isArray(f.message)) {
        const batch = f.message.length > 0 && f.message.every((e) => e !== null && typeof e === 'object' && !Array.isArray(e));
        // A document with batches (JSON-RPC §6) answers a batch with an array: request-response/batch judges it.
        if (batch && ctx.spec.ext.batch) return;
        // A document whose server batches events (x-wsconform.batching) allows the array; each event is judged on its own.
        if (batch && ctx.spec.ext.batching) return;
        if (batch) findings.add('batch', { message: 'Several events were batched in one frame', expected: 'one event (a JSON object) per frame', actual: `an array of ${f.message.length} events in one frame` }, at(f));
        else findings.add('not-object', { message: 'A text frame holds a JSON array', expected: 'a JSON object', actual: `array ${preview(f.message, 60)}` }, at(f));
      } else if (f.message === null || typeof f.message !== 'object') {
        findings.add('not-object', { message: 'A text frame holds JSON that is not an object', expected: 'a JSON object', actual: `${jsonType(f.message)} ${preview(f.message, 60)}` }, at(f));
      }
    };
    const o = await watchObserved(ctx, judge);
    if (!o.ok) return o.outcome;
    if (!texts) return nothingToJudge(o.obs, 'text frame');
    return verdictOf(findings.list());
  },
});
