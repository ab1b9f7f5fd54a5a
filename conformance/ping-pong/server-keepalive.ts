// Coda, "Server Configuration": "ping_interval=20, # Ping interval (seconds)  ping_timeout=10,
// # Ping timeout (seconds)".
import { defineCheck, skip, verdictOf, basisOf } from '../../src/runner/index.js';
import { Beats } from '../expect/index.js';

export default defineCheck({
  id: 'ping-pong/server-keepalive',
  category: 'ping-pong',
  level: 'MUST',
  description: 'Times the ping frames the server sends during the observation',
  requirement:
    'The server sends a WebSocket ping frame every documented interval (at most interval + min(timeout, interval) apart); judged only when --observe covers that window, otherwise skipped.',
  basis: (spec) => [basisOf(spec.ext.keepalive?.serverPing, 'x-wsconform.keepalive.serverPing')],
  appliesTo: (spec) => (spec.ext.keepalive?.serverPing ? true : 'the document says the server sends no ping frames'),
  async run(ctx) {
    const rule = ctx.spec.ext.keepalive!.serverPing!;
    const interval = ctx.settings.keepaliveIntervalMs ?? rule.intervalMs;
    const docTimeout = rule.timeoutMs ?? rule.intervalMs;
    const timeout = ctx.settings.keepaliveIntervalMs ? (docTimeout * ctx.settings.keepaliveIntervalMs) / rule.intervalMs : docTimeout;
    const window = Math.round(interval + Math.min(timeout, interval));
    // Frame times count from the observation connection's start; the runner's stalls are on the clock.
    let origin = 0;
    const beats = new Beats(ctx.findings(), window, interval, 'a ping frame', (a, b) => ctx.heldUpMs(origin + a, origin + b));
    const watched = ctx.watchObservation((f, _m, conn) => {
      origin = conn.startedAt;
      if (f.dir === 'in' && f.type === 'ping') beats.beat(f);
    });
    const obs = await watched;
    const opened = await obs.conn.opened;
    if (!opened.ok) return skip(`the observation connection did not open (${opened.detail}); handshake/upgrade reports it`);
    if (obs.observedMs < window) return skip(`--observe ${ctx.settings.observeMs} ms is shorter than the ping interval plus tolerance (${window} ms); raise --observe to judge it`);
    origin = obs.conn.startedAt;
    return verdictOf(beats.end(opened.ms, opened.ms + obs.observedMs).list());
  },
});
