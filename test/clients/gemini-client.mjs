// A gemini-chat client for the judge-client tests (socket.io-client). Its behaviour is chosen by argv[2]:
//   good          the token in the handshake auth, join-session, then chat once session-joined
//                 comes, and tool:approve with the callId of each gemini:tool-request
//   chat-first    sends chat:message before join-session
//   stale-callid  approves the document's example callId, not the one it was sent
//   no-token      connects without a token (the server refuses it)
//   fragile       disconnects on an event it does not know
//   no-heartbeat  speaks Engine.IO by hand over a WebSocket and never answers a ping
import { io } from 'socket.io-client';
import WebSocket from 'ws';

const mode = process.argv[2] ?? 'good';
const url = process.env.WSCONFORM_URL;
const token = process.env.WSCONFORM_TOKEN;
const KNOWN = new Set(['session-joined', 'error', 'gemini:content', 'gemini:thought', 'gemini:tool-request', 'gemini:tool-result', 'gemini:done', 'gemini:error', 'gemini:cancelled', 'chat:history', 'chat:typing', 'tool:list', 'tool:execution-start', 'tool:execution-complete', 'tool:approved', 'tool:rejected', 'system:broadcast']);

if (mode === 'no-heartbeat') {
  // Engine.IO v4 over a WebSocket: open packet in, CONNECT with the auth out, pings ("2") unanswered.
  const ws = new WebSocket(`${url.replace(/^http/, 'ws').replace(/\/$/, '')}/socket.io/?EIO=4&transport=websocket`);
  ws.on('message', (data) => {
    const text = data.toString();
    if (text.startsWith('0')) ws.send(`40${JSON.stringify({ token })}`);
    if (text.startsWith('40')) ws.send(`42${JSON.stringify(['join-session', { sessionId: 'judge-session' }])}`);
  });
  ws.on('close', () => process.exit(0));
} else {
  const socket = io(url, { auth: mode === 'no-token' ? {} : { token }, transports: ['websocket'] });
  socket.on('connect', () => {
    if (mode === 'chat-first') socket.emit('chat:message', { content: 'Hello before joining' });
    socket.emit('join-session', { sessionId: 'judge-session' });
  });
  socket.once('session-joined', () => socket.emit('chat:message', { content: 'Hello, Gemini!' }));
  socket.on('gemini:tool-request', (data) => socket.emit('tool:approve', { callId: mode === 'stale-callid' ? 'call_123_456' : data.callId }));
  socket.onAny((event) => {
    if (mode === 'fragile' && !KNOWN.has(event)) socket.disconnect();
  });
  socket.on('connect_error', (err) => console.log(`connect_error: ${err.message}`));
}
