// EXTENSION.md, "Channels": "Every address a document names is a channel of its own. Aragora has
// `/ws` and `/`. ... The handshake check upgrades at each one." Aragora: "The WebSocket server
// accepts `/` or `/ws`." Gemini: "`connect` — Emitted when successfully connected to the server."
import { Findings, defineCheck, skip, verdictOf, TRANSPORT } from '../../src/runner/index.js';
import { closeWithin, describeClose, describeOpenFailure, lastFrame, settleMs, channelBasis } from '../expect/index.js';
import { at } from '../../src/runner/index.js';

export default defineCheck({
  id: 'handshake/upgrade',
  category: 'handshake',
  level: 'MUST',
  description: 'Opens a connection at every documented channel address',
  requirement:
    'Every documented channel address accepts the WebSocket upgrade (Socket.IO: the Engine.IO handshake and the namespace CONNECT succeed) within the timeout, and keeps the connection open.',
  basis: (spec) => [...spec.channels.map((c) => channelBasis(spec, c.address)), spec.transport === 'socket.io' ? TRANSPORT.socketioConnect : TRANSPORT.upgrade],
  appliesTo: () => true,
  async run(ctx) {
    if (ctx.spec.ext.auth?.withoutToken === 'refuse' && !ctx.settings.token && !ctx.settings.adminToken) {
      return skip('the document refuses connections without a token; give --token');
    }
    const findings = new Findings();
    await Promise.all(
      ctx.channels.map(async (channel) => {
        const conn = ctx.connect({ address: channel.address, opening: false });
        const r = await conn.opened;
        const expected = ctx.spec.transport === 'socket.io' ? `the Engine.IO handshake and CONNECT to namespace ${channel.address} within ${ctx.settings.timeoutMs} ms` : `101 Switching Protocols at ${channel.address} within ${ctx.settings.timeoutMs} ms`;
        if (!r.ok) {
          findings.add(`open:${channel.address}`, { message: `The channel ${channel.address} did not open`, expected, actual: describeOpenFailure(r, ctx.settings.timeoutMs) }, at(lastFrame(conn)));
          return;
        }
        const closed = await closeWithin(conn, settleMs(ctx), ctx);
        if (closed && closed.by === 'server') {
          findings.add(`closed:${channel.address}`, { message: `The channel ${channel.address} closed right after opening`, expected: `${expected}, staying open`, actual: describeClose(closed) }, at(lastFrame(conn)));
        }
      }),
    );
    return verdictOf(findings.list());
  },
});
