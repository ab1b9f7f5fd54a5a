// RFC 6455 §5.5.2: "Upon receipt of a Ping frame, an endpoint MUST send a Pong frame in response,
// unless it already received a Close frame." §5.5.3: "A Pong frame sent in response to a Ping
// frame must have identical "Application data" as found in the message body of the Ping frame
// being replied to."
import { Findings, at, defineCheck, verdictOf, TRANSPORT } from '../../src/runner/index.js';
import { closedNow, describeClose, lastFrame, openOrSkip } from '../expect/index.js';

export default defineCheck({
  id: 'ping-pong/ws-ping-frame',
  category: 'ping-pong',
  level: 'MUST',
  description: 'Sends a WebSocket ping frame with a payload',
  requirement: 'The server answers a ping frame with a pong frame carrying the same payload, within the timeout.',
  basis: () => [TRANSPORT.pingFrame, TRANSPORT.pongPayload],
  appliesTo: (spec) =>
    spec.transport !== 'websocket' ? 'Socket.IO keeps connections alive with Engine.IO heartbeats (ping-pong/socketio-heartbeat)' : spec.ext.keepalive?.answersPingFrames === false ? 'the document says the server does not answer ping frames' : true,
  async run(ctx) {
    const conn = ctx.connect();
    const open = await openOrSkip(conn, ctx);
    if (!open.ok) return open.outcome;
    const payload = `wsconform-${Math.random().toString(36).slice(2, 10)}`;
    const ping = conn.ping(payload);
    const from = ping ? ping.index + 1 : conn.frames.length;
    const pong = await conn.waitFor((f) => f.dir === 'in' && f.type === 'pong', ctx.settings.timeoutMs, from);
    const findings = new Findings();
    if (!pong) {
      const closed = await closedNow(conn);
      findings.add('no-pong', { message: 'No pong frame answered the ping frame', expected: `a pong frame with payload ${JSON.stringify(payload)} within ${ctx.settings.timeoutMs} ms`, actual: closed ? describeClose(closed) : `no pong frame within ${ctx.settings.timeoutMs} ms` }, at(lastFrame(conn)));
    } else if (pong.payload !== payload) {
      findings.add('payload', { message: 'The pong frame does not echo the ping payload', expected: `payload ${JSON.stringify(payload)}`, actual: `payload ${JSON.stringify(pong.payload)}` }, at(pong));
    }
    return verdictOf(findings.list());
  },
});
