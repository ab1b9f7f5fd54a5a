// RFC 6455 §4.2.2: the server selects one of the subprotocols the client offered, or none.
// graphql-transport-ws: "The WebSocket sub-protocol for this specification is:
// `graphql-transport-ws`." A document that requires its subprotocol says how the server refuses
// a connection that offers none.
import { Findings, at, basisOf, defineCheck, verdictOf, TRANSPORT } from '../../src/runner/index.js';
import { closeWithin, describeClose, describeOpenFailure, lastFrame } from '../expect/index.js';

export default defineCheck({
  id: 'handshake/subprotocol',
  category: 'handshake',
  level: 'MUST',
  description: 'Offers the documented subprotocol, then none',
  requirement:
    'Offered the documented subprotocols, the server selects one of them (or, where the document does not require one, none); where the document requires one, a connection that offers none is refused (with the documented close code).',
  basis: (spec) => [basisOf(spec.ext.subprotocol, 'x-wsconform.subprotocol'), ...(spec.ext.subprotocol?.requiredBasis ? [spec.ext.subprotocol.requiredBasis] : []), TRANSPORT.subprotocol],
  appliesTo: (spec) => (spec.transport !== 'websocket' ? 'Socket.IO negotiates no WebSocket subprotocol' : spec.ext.subprotocol ? true : 'the document names no subprotocol'),
  async run(ctx) {
    const rule = ctx.spec.ext.subprotocol!;
    const basis = basisOf(rule, 'x-wsconform.subprotocol');
    const findings = new Findings();
    const offered = ctx.connect({ opening: false });
    const r = await offered.opened;
    if (!r.ok) {
      // ws refuses a selection the client never offered: that is the server's fault here.
      const invalid = /invalid subprotocol|Sec-WebSocket-Protocol/i.test(r.detail);
      findings.add(
        'offered',
        { message: invalid ? 'The server selected a subprotocol the client did not offer' : `A connection offering ${rule.offer.join(', ')} was refused`, expected: `101 with Sec-WebSocket-Protocol one of ${rule.offer.join(', ')}`, actual: describeOpenFailure(r, ctx.settings.timeoutMs), basis: invalid ? TRANSPORT.subprotocol : basis },
        at(lastFrame(offered)),
      );
    } else if (rule.required && !rule.offer.includes(r.protocol ?? '')) {
      findings.add('selected', { message: 'The server did not select the documented subprotocol', expected: `Sec-WebSocket-Protocol: ${rule.offer.join(' or ')}`, actual: r.protocol ? `Sec-WebSocket-Protocol: ${r.protocol}` : 'no Sec-WebSocket-Protocol header', basis }, at(lastFrame(offered)));
    }
    await offered.close();
    if (rule.required) {
      const refusal = rule.requiredBasis ?? basis;
      const bare = ctx.connect({ opening: false, protocols: [] });
      const b = await bare.opened;
      const code = rule.refusalCode;
      const expected = code ? `a close with code ${code}` : 'a refusal (HTTP 4xx, or a close)';
      if (b.ok) {
        const closed = await closeWithin(bare, ctx.settings.timeoutMs, ctx);
        if (!closed || closed.by !== 'server') {
          findings.add('accepted', { message: 'A connection offering no subprotocol was accepted', expected, actual: `still open after ${ctx.settings.timeoutMs} ms`, basis: refusal }, at(lastFrame(bare)));
        } else if (code && closed.code !== code) {
          findings.add('code', { message: 'A connection offering no subprotocol was closed with another code', expected, actual: describeClose(closed), basis: refusal }, at(lastFrame(bare)));
        }
      } else if (code && !(b.kind === 'closed' && b.code === code) && !(b.kind === 'http' && b.status! >= 400 && b.status! < 500)) {
        findings.add('code', { message: 'A connection offering no subprotocol was not refused as documented', expected, actual: describeOpenFailure(b, ctx.settings.timeoutMs), basis: refusal }, at(lastFrame(bare)));
      }
      await bare.close();
    }
    return verdictOf(findings.list());
  },
});
