/**
 * gemini-chat: sessions, chat with scripted Gemini responses, tool calls and approvals, and the
 * admin monitoring feed (gemini-monitoring.ts). Frames come from the fixture's scripts; this
 * module chooses the script and supplies computed values as `${vars.*}`:
 *
 * - `join-session`: a session listed in the fixture's `state.sessions` joins its room; any other
 *   id gets the `$session-not-found` script (`error` {message: "Session not found"}).
 * - `chat:message`: the `chat:message` script variant `tool` when the content mentions a file or
 *   a tool, `error` when it mentions an error or failure, else `answer`; the user turn and the
 *   response (the script's content chunks) join the connection's history.
 * - `tool:execute`: a tool of `state.tools` runs the `tool:execute` script (start, complete);
 *   any other name runs `$tool-error` (start, error). `callId` is the client's or a seeded id.
 * - `tool:approve`: `tool:approved` for any callId; a callId of a `gemini:tool-request` sent to
 *   this connection then runs `$tool-call` (start, complete, gemini:tool-result, the answer).
 * - `chat:cancel` cancels what is still pending and answers `gemini:cancelled`.
 */
import type { Connection } from '../connection.js';
import type { FixtureHeader, Script } from '../fixture.js';
import { handleMonitoring, monitoringSampleVars, recordActivity, type MonitoringState } from './gemini-monitoring.js';
import type { ProtocolModule } from './types.js';

/** A tool the fixture offers (`state.tools`). */
export interface ToolDef {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  result: unknown;
  resultDisplay?: unknown;
  executionTime?: number;
}

interface Turn {
  role: 'user' | 'model';
  content: string;
  timestamp: string;
}

interface ChatState {
  history: Turn[];
  pending: Map<string, { tool: string; args: unknown }>;
}

function chat(conn: Connection): ChatState {
  let s = conn.state.chat as ChatState | undefined;
  if (!s) conn.state.chat = s = { history: [], pending: new Map() };
  return s;
}

function headerState(header: FixtureHeader): { sessions: string[]; tools: ToolDef[] } {
  const st = (header.state ?? {}) as { sessions?: string[]; tools?: ToolDef[] };
  return { sessions: st.sessions ?? [], tools: st.tools ?? [] };
}

function toolVars(tool: ToolDef, callId: string, args: unknown): Record<string, unknown> {
  return { callId, name: tool.name, args, result: tool.result, resultDisplay: tool.resultDisplay ?? String(tool.result), executionTime: tool.executionTime ?? 0 };
}

/** The text a script streams as `gemini:content` chunks. */
function responseText(script: Script | undefined): string {
  let text = '';
  for (const line of script?.lines ?? []) {
    const src = line.template.source as [string, { text?: unknown }];
    if (line.name === 'gemini:content' && typeof src[1]?.text === 'string') text += src[1].text;
  }
  return text;
}

/** The `chat:message` variant for a message's content. */
export function chatVariant(content: string): 'tool' | 'error' | 'answer' {
  if (/\b(file|files|tool|tools|read)\b/i.test(content)) return 'tool';
  if (/\b(error|fail|failure)\b/i.test(content)) return 'error';
  return 'answer';
}

const geminiChat: ProtocolModule = {
  hooks: ['$session-not-found', '$tool-error', '$tool-call', '$activity'],
  handles: ['monitoring:subscribe'],
  requiredScripts: ['$session-not-found', '$tool-error', '$tool-call', '$activity'],
  createServerState: (): MonitoringState => ({ log: [] }),

  sampleVars(on, header) {
    const { tools } = headerState(header);
    const tool = tools[0] ?? { name: 'readFile', description: '', parameters: {}, result: '' };
    switch (on) {
      case 'tool:execute':
      case '$tool-call':
        return toolVars(tool, 'call_123_456', { path: '/workspace/file.txt' });
      case '$tool-error':
        return { ...toolVars(tool, 'call_123_456', {}), error: 'Unknown tool: nope', executionTime: 0 };
      case 'chat:get-history':
        return { history: [{ role: 'user', content: 'Hello, Gemini!', timestamp: '2026-01-08T10:30:00Z' }] };
      case 'tool:list':
        return { tools: tools.map(({ name, description, parameters }) => ({ name, description, parameters })) };
      case 'chat:message':
      case 'tool:approve':
      case 'tool:reject':
        return { userId: 'user-1' };
    }
    return monitoringSampleVars(on);
  },

  onOpen(conn) {
    conn.user = conn.auth.admin ? `admin-${conn.ordinal}` : `user-${conn.ordinal}`;
    recordActivity(conn, 'connect');
  },

  onClose(conn) {
    recordActivity(conn, 'disconnect');
  },

  onSent(conn, name, frame) {
    if (name !== 'gemini:tool-request') return;
    const p = (frame as [string, { callId?: string; tool?: string; args?: unknown }])[1];
    if (p?.callId && p.tool) chat(conn).pending.set(p.callId, { tool: p.tool, args: p.args });
  },

  onMessage(conn, name, payload) {
    if (name.startsWith('monitoring:')) return handleMonitoring(conn, name, payload);
    const p = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
    const { sessions, tools } = headerState(conn.ctx.fixture.header);
    const state = chat(conn);
    const now = () => conn.renderer.format('iso-8601') as string;
    switch (name) {
      case 'join-session': {
        const id = p.sessionId as string;
        if (!sessions.includes(id)) {
          conn.runScript('$session-not-found', payload);
          return true;
        }
        conn.room = id;
        recordActivity(conn, 'session', { sessionId: id });
        conn.runScript(name, payload);
        return true;
      }
      case 'chat:message': {
        const content = String(p.content);
        state.history.push({ role: 'user', content, timestamp: now() });
        recordActivity(conn, 'chat', { userMessage: content });
        const script = conn.runScript(name, payload, { userId: conn.user }, chatVariant(content));
        const answer = responseText(script);
        if (answer) state.history.push({ role: 'model', content: answer, timestamp: now() });
        return true;
      }
      case 'chat:cancel':
        conn.cancelPending();
        conn.runScript(name, payload);
        return true;
      case 'chat:clear':
        state.history = [];
        conn.runScript(name, payload);
        return true;
      case 'chat:get-history':
        conn.runScript(name, payload, { history: state.history.map((t) => ({ ...t })) });
        return true;
      case 'tool:list':
        conn.runScript(name, payload, { tools: tools.map(({ name: n, description, parameters }) => ({ name: n, description, parameters })) });
        return true;
      case 'tool:execute': {
        const callId = typeof p.callId === 'string' ? p.callId : `call_${conn.renderer.newId()}`;
        const tool = tools.find((t) => t.name === p.name);
        recordActivity(conn, 'tool', { name: p.name, callId });
        if (tool) conn.runScript(name, payload, toolVars(tool, callId, p.args));
        else conn.runScript('$tool-error', payload, { callId, name: p.name, args: p.args, error: `Unknown tool: ${String(p.name)}`, executionTime: 0 });
        return true;
      }
      case 'tool:approve': {
        const callId = String(p.callId);
        conn.runScript(name, payload, { userId: conn.user });
        const pending = state.pending.get(callId);
        recordActivity(conn, 'tool:approve', { callId });
        if (pending) {
          state.pending.delete(callId);
          const tool = tools.find((t) => t.name === pending.tool);
          if (tool) {
            const script = conn.runScript('$tool-call', payload, toolVars(tool, callId, pending.args));
            const answer = responseText(script);
            if (answer) state.history.push({ role: 'model', content: answer, timestamp: now() });
          }
        }
        return true;
      }
      case 'tool:reject':
        state.pending.delete(String(p.callId));
        recordActivity(conn, 'tool:reject', { callId: p.callId });
        conn.runScript(name, payload, { userId: conn.user });
        return true;
    }
    return false;
  },
};

export default geminiChat;
