/**
 * gemini-chat monitoring (admin only): the server-wide activity log, `monitoring:event` to
 * subscribed admins for every activity, `monitoring:events` and `monitoring:stats` on request,
 * and `monitoring:broadcast` relayed to every client as `system:broadcast`. The auth checks
 * (admin token) happen before these handlers run (inbound.ts).
 */
import type { Connection } from '../connection.js';

/** One logged activity. */
export interface Activity {
  type: string;
  userId: string;
  sessionId?: string;
  data: Record<string, unknown>;
  timestamp: string;
}

/** The per-server monitoring state. */
export interface MonitoringState {
  log: Activity[];
}

/** The largest activity log kept (oldest entries dropped). */
const MAX_LOG = 1000;

/** Logs an activity and streams it to the subscribed admins as `monitoring:event`. */
export function recordActivity(conn: Connection, type: string, data: Record<string, unknown> = {}): void {
  const state = conn.ctx.moduleState as MonitoringState;
  const entry: Activity = { type, userId: conn.user ?? 'unknown', ...(conn.room ? { sessionId: conn.room } : {}), data, timestamp: conn.renderer.format('iso-8601') as string };
  state.log.push(entry);
  if (state.log.length > MAX_LOG) state.log.splice(0, state.log.length - MAX_LOG);
  conn.runScript('$activity', undefined, { type, userId: entry.userId, data });
}

/** Handles a monitoring:* message; returns false for other messages. */
export function handleMonitoring(conn: Connection, name: string, payload: unknown): boolean {
  const state = conn.ctx.moduleState as MonitoringState;
  const p = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  switch (name) {
    case 'monitoring:subscribe':
      conn.monitoring = true;
      recordActivity(conn, 'monitoring:subscribe');
      return true;
    case 'monitoring:unsubscribe':
      conn.monitoring = false;
      return true;
    case 'monitoring:get-events': {
      const limit = typeof p.limit === 'number' && p.limit > 0 ? Math.floor(p.limit) : 100;
      const events = state.log.filter((e) => (p.userId === undefined || e.userId === p.userId) && (p.sessionId === undefined || e.sessionId === p.sessionId)).slice(-limit);
      conn.runScript(name, payload, { events });
      return true;
    }
    case 'monitoring:get-stats': {
      const entries = state.log.filter((e) => p.userId === undefined || e.userId === p.userId);
      const byType: Record<string, number> = {};
      const byUser: Record<string, number> = {};
      const toolUsage: Record<string, number> = {};
      for (const e of entries) {
        byType[e.type] = (byType[e.type] ?? 0) + 1;
        byUser[e.userId] = (byUser[e.userId] ?? 0) + 1;
        if (e.type === 'tool' && typeof e.data.name === 'string') toolUsage[e.data.name] = (toolUsage[e.data.name] ?? 0) + 1;
      }
      conn.runScript(name, payload, { totalEvents: entries.length, byType, byUser, toolUsage });
      return true;
    }
    case 'monitoring:broadcast':
      recordActivity(conn, 'broadcast', { message: p.message, type: p.type });
      conn.runScript(name, payload, { from: conn.user });
      return true;
  }
  return false;
}

/** Sample values for checking the monitoring scripts at load. */
export function monitoringSampleVars(on: string): Record<string, unknown> | undefined {
  const activity: Activity = { type: 'chat', userId: 'user-1', sessionId: 'session_123_456', data: { userMessage: 'Hello, Gemini!' }, timestamp: '2026-01-08T10:30:00Z' };
  switch (on) {
    case '$activity':
      return { type: activity.type, userId: activity.userId, data: activity.data };
    case 'monitoring:get-events':
      return { events: [activity] };
    case 'monitoring:get-stats':
      return { totalEvents: 1, byType: { chat: 1 }, byUser: { 'user-1': 1 }, toolUsage: {} };
    case 'monitoring:broadcast':
      return { from: 'admin-1' };
  }
  return undefined;
}
