// Engine.IO protocol v4, "Heartbeat": "the server sends a ping packet every pingInterval ms, and
// the client has pingTimeout ms to send a pong packet back."
import { at, defineCheck, skip, verdictOf, TRANSPORT } from '../../src/runner/index.js';
import { judgeBeats } from '../expect/index.js';

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
    const obs = await ctx.observation();
    const opened = await obs.conn.opened;
    if (!opened.ok) return skip(`the observation connection did not open (${opened.detail}); handshake/upgrade reports it`);
    const open = obs.conn.frames.find((f) => f.dir === 'in' && f.sio?.engine === 'open');
    const interval = opened.handshake?.pingInterval;
    if (typeof interval !== 'number' || interval <= 0) {
      return verdictOf([{ message: 'The Engine.IO handshake advertises no pingInterval', expected: 'pingInterval (ms) in the open packet', actual: JSON.stringify(opened.handshake ?? null), count: 1, occurrences: open ? [at(open)] : [] }]);
    }
    const timeout = typeof opened.handshake?.pingTimeout === 'number' ? opened.handshake.pingTimeout : interval;
    const window = Math.round(interval + Math.min(timeout, interval));
    if (obs.observedMs < window) return skip(`--observe ${ctx.settings.observeMs} ms is shorter than pingInterval plus tolerance (${window} ms); raise --observe to judge it`);
    const start = open?.at ?? opened.ms;
    const pings = obs.conn.frames.filter((f) => f.dir === 'in' && f.sio?.engine === 'ping');
    return verdictOf(judgeBeats(pings, start, opened.ms + obs.observedMs, window, interval, 'an Engine.IO ping').list());
  },
});
