/**
 * The subscription filter of clown and the control plane: after
 * `{"action"|"type": "subscribe", "events": [...]}` the connection receives only the listed
 * stream events (replies and initial messages always pass). A later subscribe replaces the list;
 * an empty list means every event again.
 */
import type { Connection } from '../connection.js';
import type { ProtocolModule } from './types.js';

/** A module that filters the replay by the client's subscribe message. */
export function subscriptionFilter(message = 'subscribe'): ProtocolModule {
  return {
    handles: [message],
    onMessage(conn, name, payload) {
      if (name !== message) return false;
      const events = (payload as { events?: unknown }).events;
      const list = Array.isArray(events) ? events.filter((e): e is string => typeof e === 'string') : [];
      conn.state.subscribed = list.length ? new Set(list) : undefined;
      return true;
    },
    accepts(conn: Connection, name: string) {
      const subscribed = conn.state.subscribed as Set<string> | undefined;
      if (!subscribed || subscribed.has(name)) return true;
      return alwaysSent(conn).has(name);
    },
  };
}

const cache = new WeakMap<object, Set<string>>();

/** Replies and initial messages: never filtered out. */
function alwaysSent(conn: Connection): Set<string> {
  const spec = conn.ctx.spec;
  let set = cache.get(spec);
  if (!set) {
    set = new Set([...(spec.ext.initialMessages ?? []).map((m) => m.message), ...[...spec.replies.values()].flat()]);
    cache.set(spec, set);
  }
  return set;
}
