// Engine.IO protocol v4, "Heartbeat": "the server sends a ping packet every pingInterval ms, and
// the client has pingTimeout ms to send a pong packet back."
import { at, defineCheck, skip, verdictOf, TRANSPORT } from '../../src/runner/index.js';
import { Beats } from '../expect/index.js';
import type { Frame } from '../../src/transport/index.js';

export default defineCheck({
  id: 'ping-pong/socketio-heartbeat',
  category: 'ping-pong',
  level: 'MUST',
  description: "Times the Engine.IO pings against the handshake's pingInterval",
  requirement:
    'The server advertises pingInterval in the Engine.IO handshake and sends a ping packet every pingInterval (at most pingInterval + min(pingTimeout, pingInterval) apart); skipped when --observe is shorter than that.',
  basis: () => [TRANSPORT.engineioHeartbeat],
  appliesTo: (spec) => (spec.transport === 'socket.io' ? true : 'not a Socket.IO protocol'),
  async run(ctx) {
    // The pings are judged as they come, against the interval of the open packet before them.
    let open: Frame | undefined;
    let beats: Beats | undefined;
    const findings = ctx.findings();
    // Frame times count from the observation connection's start; the runner's stalls are on the clock.
    let origin = 0;
    const obs = await ctx.watchObservation((f, _m, conn) => {
      origin = conn.startedAt;
      if (f.dir !== 'in') return;
      if (f.sio?.engine === 'open' && !open) {
        open = f;
        const hs = f.sio.data as { pingInterval?: unknown; pingTimeout?: unknown } | undefined;
        if (typeof hs?.pingInterval === 'number' && hs.pingInterval > 0) {
          const timeout = typeof hs.pingTimeout === 'number' ? hs.pingTimeout : hs.pingInterval;
          beats = new Beats(findings, Math.round(hs.pingInterval + Math.min(timeout, hs.pingInterval)), hs.pingInterval, 'an Engine.IO ping', (a, b) => ctx.heldUpMs(origin + a, origin + b));
        }
      } else if (f.sio?.engine === 'ping') beats?.beat(f);
    });
    const opened = await obs.conn.opened;
    if (!opened.ok) return skip(`the observation connection did not open (${opened.detail}); handshake/upgrade reports it`);
    const interval = opened.handshake?.pingInterval;
    if (typeof interval !== 'number' || interval <= 0) {
      return verdictOf([{ message: 'The Engine.IO handshake advertises no pingInterval', expected: 'pingInterval (ms) in the open packet', actual: JSON.stringify(opened.handshake ?? null), count: 1, occurrences: open ? [at(open)] : [] }]);
    }
    const timeout = typeof opened.handshake?.pingTimeout === 'number' ? opened.handshake.pingTimeout : interval;
    const window = Math.round(interval + Math.min(timeout, interval));
    if (obs.observedMs < window) return skip(`--observe ${ctx.settings.observeMs} ms is shorter than pingInterval plus tolerance (${window} ms); raise --observe to judge it`);
    const start = open?.at ?? opened.ms;
    if (!beats) throw new Error('the Engine.IO open packet was not seen by the observation');
    origin = obs.conn.startedAt;
    return verdictOf(beats.end(start, opened.ms + obs.observedMs).list());
  },
});
