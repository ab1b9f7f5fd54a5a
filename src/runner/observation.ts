/**
 * The shared observation: one connection per run that waits for the initial messages, sends
 * the document's triggers (each awaiting its reply), then listens until `observeMs` is over.
 * Every stream check judges its wire log, so a run costs one observation window, not one per check.
 */
import type { Spec } from '../spec/model.js';
import type { Connection, Frame } from '../transport/types.js';
import { outgoing } from './messages.js';
import type { ChannelTarget, CheckConnectOptions, ClientLatency, Observation, RunSettings } from './types.js';

/** What the observation needs from the run. */
export interface ObservationDeps {
  spec: Spec;
  settings: RunSettings;
  primary: ChannelTarget;
  connect(options: CheckConnectOptions & { label: string }): Connection;
  sleep(ms: number): Promise<void>;
}

/** Initial messages documented for a channel address. */
export function initialMessagesFor(spec: Spec, address: string) {
  return (spec.ext.initialMessages ?? []).filter((m) => !m.channels || m.channels.includes(address));
}

/** How often each client pings while it observes (`--clients`). */
const PING_EVERY_MS = 250;

/** The latency figures of a list of round trips. */
function percentiles(client: string, ms: number[], unanswered: number): ClientLatency {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const round = (v: number) => Math.round(v * 10) / 10;
  return sorted.length ? { client, samples: sorted.length, unanswered, p50Ms: round(at(0.5)), p99Ms: round(at(0.99)), maxMs: round(sorted[sorted.length - 1]) } : { client, samples: 0, unanswered };
}

/**
 * One client's part of the window: it opens (performing the opening), then, where the document
 * has an application ping, pings every PING_EVERY_MS and times each pong, until `until`.
 */
async function listen(deps: ObservationDeps, conn: Connection, until: number): Promise<ClientLatency | undefined> {
  const { spec, settings } = deps;
  const opened = await conn.opened;
  const ping = spec.ext.keepalive?.appPing;
  const rtts: number[] = [];
  let unanswered = 0;
  if (opened.ok && ping) {
    // A ping every PING_EVERY_MS while the window lasts; each pong is awaited the full timeout
    // (a ping near the end may keep the client a moment longer), so only a pong that never came
    // within --timeout counts as unanswered.
    while (conn.isOpen()) {
      const t0 = performance.now();
      const sent = conn.send(outgoing(spec, ping.ping, ping.payload));
      if (!sent) break;
      const pong = await conn.waitFor((f) => f.dir === 'in' && f.name === ping.pong, settings.timeoutMs, sent.index + 1);
      if (pong) rtts.push(pong.at - sent.at);
      else if (conn.isOpen()) unanswered++;
      const next = t0 + PING_EVERY_MS;
      if (next >= until) break;
      const wait = next - performance.now();
      if (wait > 0) await deps.sleep(wait);
    }
  }
  const left = until - performance.now();
  if (conn.isOpen() && left > 0) await Promise.race([deps.sleep(left), conn.closed]);
  return ping ? percentiles(conn.label, rtts, unanswered) : undefined;
}

/**
 * Runs the observation; resolves when the window is over and the connection is closed. With
 * `settings.clients` N, N - 1 more clients listen through the same window (each judged by the
 * per-connection checks like any connection of the run), and every client, the observation
 * included, times the document's ping → pong.
 */
export async function observe(deps: ObservationDeps): Promise<Observation> {
  const { settings } = deps;
  if (!settings.clients) return observeOne(deps);
  const until = performance.now() + settings.observeMs;
  const clients = Array.from({ length: settings.clients - 1 }, (_, i) => deps.connect({ as: 'best', label: `client-${i + 2}` }));
  const listening = clients.map((c) => listen(deps, c, until));
  const result = await observeOne(deps, true);
  const latency = await Promise.all(listening);
  await Promise.all(clients.map((c) => c.close()));
  result.clients = clients;
  const all = [result.latency?.[0], ...latency].filter((l): l is ClientLatency => l !== undefined);
  if (all.length) result.latency = all;
  return result;
}

async function observeOne(deps: ObservationDeps, timed = false): Promise<Observation> {
  const { spec, settings } = deps;
  const conn = deps.connect({ as: 'best', label: 'observation' });
  const opened = await conn.opened;
  const result: Observation = { conn, observedMs: 0, sent: [], unsent: [], answered: [] };
  if (!opened.ok) return result;
  const openedAt = performance.now();
  const left = () => settings.observeMs - (performance.now() - openedAt);

  // Let the documented initial messages arrive before anything is sent.
  const initial = initialMessagesFor(spec, deps.primary.address);
  const needed = new Set(initial.filter((m) => (m.count ?? 'one') === 'one').map((m) => m.message));
  const names = new Set(initial.map((m) => m.message));
  if (needed.size) {
    await conn.waitFor((f: Frame) => {
      if (f.dir !== 'in' || f.name === undefined) return false;
      needed.delete(f.name);
      return needed.size === 0 || !names.has(f.name);
    }, Math.min(settings.timeoutMs, Math.max(0, left())));
  }

  for (const trigger of spec.ext.triggers ?? []) {
    if (!conn.isOpen() || left() <= 0) break;
    const allowed = trigger.needs === 'admin' ? !!settings.adminToken : trigger.needs === 'token' ? !!(settings.token || settings.adminToken) : true;
    if (!allowed) {
      result.unsent.push({ message: trigger.message, needs: trigger.needs! });
      continue;
    }
    const sent = conn.send(outgoing(spec, trigger.message, trigger.payload));
    if (!sent) break;
    result.sent.push(trigger.message);
    const replies = new Set(spec.replies.get(trigger.message) ?? []);
    if (replies.size) {
      const reply = await conn.waitFor((f) => f.dir === 'in' && f.name !== undefined && replies.has(f.name), Math.min(settings.timeoutMs, Math.max(0, left())), sent.index);
      if (reply) result.answered.push(trigger.message);
    }
  }
  if (timed && conn.isOpen() && left() > 0) {
    // The observation's own round trips, after its triggers, for the rest of the window.
    const latency = await listen(deps, conn, performance.now() + left());
    if (latency) result.latency = [latency];
  }
  if (conn.isOpen() && left() > 0) await Promise.race([deps.sleep(left()), conn.closed]);
  result.observedMs = Math.round(performance.now() - openedAt);
  await conn.close();
  return result;
}
