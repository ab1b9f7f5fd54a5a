/**
 * The shared observation: one connection per run that waits for the initial messages, sends
 * the document's triggers (each awaiting its reply), then listens until `observeMs` is over.
 * Every stream check judges its wire log, so a run costs one observation window, not one per check.
 */
import type { Spec } from '../spec/model.js';
import type { Connection, Frame } from '../transport/types.js';
import { outgoing } from './messages.js';
import type { ChannelTarget, CheckConnectOptions, Observation, RunSettings } from './types.js';

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

/** Runs the observation; resolves when the window is over and the connection is closed. */
export async function observe(deps: ObservationDeps): Promise<Observation> {
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
  if (conn.isOpen() && left() > 0) await Promise.race([deps.sleep(left()), conn.closed]);
  result.observedMs = Math.round(performance.now() - openedAt);
  await conn.close();
  return result;
}
