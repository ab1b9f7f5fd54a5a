// server.mjs — Socket.IO chat server written from SEED.md ("WebSocket Events Reference").
// Usage: node server.mjs [--port N] [--fault NAME] [--token T] [--admin-token A]
// Sessions are socket.io rooms; the "Gemini" model is simulated and streams its answers.
import { createServer } from 'node:http';
import { randomInt, timingSafeEqual, createHash } from 'node:crypto';
import { Server } from 'socket.io';

// ---------------------------------------------------------------- command line
const FAULTS = ['content-no-accumulated', 'stats-without-admin'];
const opts = { port: 0, fault: null, token: null, adminToken: null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  let [flag, val] = argv[i].split(/=(.*)/s);
  if (val === undefined) val = argv[++i];
  if (val === undefined) usage(`missing value for ${flag}`);
  if (flag === '--port') opts.port = Number(val);
  else if (flag === '--fault') opts.fault = val;
  else if (flag === '--token') opts.token = val;
  else if (flag === '--admin-token') opts.adminToken = val;
  else usage(`unknown option ${flag}`);
}
if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) usage('bad --port');
if (opts.fault !== null && !FAULTS.includes(opts.fault)) usage(`unknown fault (known: ${FAULTS.join(', ')})`);
if (!opts.token && !opts.adminToken) console.error('warning: no --token/--admin-token given; every connection will be refused');
function usage(msg) {
  console.error(`${msg}\nusage: node server.mjs [--port N] [--fault NAME] [--token T] [--admin-token A]`);
  process.exit(2);
}
const fault = (name) => opts.fault === name;

// ---------------------------------------------------------------- helpers
const now = () => new Date().toISOString();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pace = () => 10 + randomInt(21);                          // 10–30 ms between streamed pieces
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const newCallId = () => `call_${Date.now()}_${randomInt(100000, 999999)}`;
const sessionRoom = (id) => `session:${id}`;                    // prefixed: can never collide with a socket id
const MONITOR_ROOM = 'monitoring';
const ERR = { auth: 'Authentication failed', noSession: 'Session not found', denied: 'Access denied',
  format: 'Invalid message format', toolFailed: 'Tool execution failed' };

// Constant-time token comparison.
function sameToken(given, expected) {
  if (typeof given !== 'string' || !expected) return false;
  const a = Buffer.from(given), b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
// A stable user id derived from the token (a JWT would carry it; literal tokens do not).
const userIdFor = (prefix, token) => `${prefix}_${createHash('sha256').update(token).digest('hex').slice(0, 6)}`;

// ---------------------------------------------------------------- simulated workspace and tools
const workspace = new Map(Object.entries({
  '/workspace/README.md': '# Demo project\n\nA small Node.js service that exposes a chat API.\n\n## Scripts\n- npm start\n- npm test\n',
  '/workspace/file.txt': 'Quarterly notes\nRevenue grew 12% quarter over quarter.\nHiring: two backend engineers.\nNext review: first Monday of the month.\n',
  '/workspace/package.json': '{\n  "name": "demo-service",\n  "version": "1.4.2",\n  "type": "module",\n  "scripts": { "start": "node src/index.js", "test": "node --test" }\n}\n',
  '/workspace/src/index.js': "import http from 'node:http';\n\nconst server = http.createServer((req, res) => res.end('ok'));\nserver.listen(8080);\n",
}));
const norm = (p) => (typeof p === 'string' ? p.replace(/\/+$/, '') || '/' : null);
const TOOLS = {
  readFile: {
    description: 'Read the contents of a file in the workspace.',
    parameters: { type: 'object', properties: { path: { type: 'string', description: 'Absolute path of the file' } }, required: ['path'] },
    run({ path }) {
      const p = norm(path); if (!p) throw new Error('Missing required parameter: path');
      if (!workspace.has(p)) throw new Error(`File not found: ${p}`);
      const text = workspace.get(p);
      return { result: text, resultDisplay: `Read ${text.split('\n').filter(Boolean).length} lines from ${p}` };
    },
  },
  writeFile: {
    description: 'Create or overwrite a file in the workspace.',
    parameters: { type: 'object', properties: { path: { type: 'string', description: 'Absolute path of the file' },
      content: { type: 'string', description: 'New file contents' } }, required: ['path', 'content'] },
    run({ path, content }) {
      const p = norm(path); if (!p || typeof content !== 'string') throw new Error('Parameters path and content must be strings');
      if (!p.startsWith('/workspace/')) throw new Error(`Path is outside the workspace: ${p}`);
      if (content.length > 100_000 || (workspace.size >= 200 && !workspace.has(p))) throw new Error('Workspace quota exceeded');
      workspace.set(p, content);
      return { result: `Wrote ${Buffer.byteLength(content)} bytes to ${p}`, resultDisplay: `Wrote ${p}` };
    },
  },
  listDirectory: {
    description: 'List the files and folders directly inside a workspace directory.',
    parameters: { type: 'object', properties: { path: { type: 'string', description: 'Absolute directory path' } }, required: ['path'] },
    run({ path }) {
      const p = norm(path); if (!p) throw new Error('Missing required parameter: path');
      const prefix = p === '/' ? '/' : `${p}/`;
      const names = new Set([...workspace.keys()].filter((k) => k.startsWith(prefix))
        .map((k) => { const rest = k.slice(prefix.length); return rest.includes('/') ? `${rest.split('/')[0]}/` : rest; }));
      if (!names.size) throw new Error(`Directory not found: ${p}`);
      const list = [...names].sort();
      return { result: list.join('\n'), resultDisplay: `Listed ${list.length} entries in ${p}` };
    },
  },
  searchFiles: {
    description: 'Search workspace files for lines containing a text pattern.',
    parameters: { type: 'object', properties: { pattern: { type: 'string', description: 'Text to look for' },
      path: { type: 'string', description: 'Directory to search (default /workspace)' } }, required: ['pattern'] },
    run({ pattern, path = '/workspace' }) {
      if (typeof pattern !== 'string' || !pattern) throw new Error('Missing required parameter: pattern');
      const base = norm(path) ?? '/workspace', hits = [];
      for (const [file, text] of workspace) {
        if (!file.startsWith(base)) continue;
        text.split('\n').forEach((line, i) => { if (line.toLowerCase().includes(pattern.toLowerCase())) hits.push(`${file}:${i + 1}: ${line}`); });
      }
      return { result: hits.join('\n') || 'No matches found', resultDisplay: `Found ${hits.length} matches for "${pattern}"` };
    },
  },
};

// ---------------------------------------------------------------- server state
const httpServer = createServer((req, res) => { res.writeHead(404).end(); });
const io = new Server(httpServer, { cors: { origin: '*' } });
const sessions = new Map();      // sessionId -> { id, history: [], gen: null | generation }
const pendingCalls = new Map();  // callId -> { sessionId, tool, args, resolve }
const eventLog = [];             // monitoring history (bounded)
let eventSeq = 0;

function getSession(id) {
  if (!sessions.has(id)) sessions.set(id, { id, history: [], gen: null, createdAt: now() });
  return sessions.get(id);
}
// Record an activity event and push it to subscribed admins.
function record(type, userId, sessionId, data = {}) {
  const ev = { id: `evt_${++eventSeq}`, type, userId, sessionId: sessionId ?? null, data, timestamp: now() };
  eventLog.push(ev);
  if (eventLog.length > 5000) eventLog.shift();
  io.to(MONITOR_ROOM).emit('monitoring:event', ev);
}

// ---------------------------------------------------------------- tool execution (shared by model calls and tool:execute)
// `target` is a room broadcast operator or a single socket.
async function runTool(target, { callId, name, args, userId, sessionId }) {
  const tool = TOOLS[name];
  if (!tool) {
    const error = `Unknown tool: ${name}`;
    target.emit('tool:execution-error', { callId, name, error, executionTime: 0 });
    record('tool', userId, sessionId, { tool: name, callId, args, success: false, error });
    return { ok: false, error };
  }
  target.emit('tool:execution-start', { callId, name, args });
  const t0 = performance.now();
  await sleep(5 + randomInt(20));                                // pretend the tool does some I/O
  try {
    const { result, resultDisplay } = tool.run(args);
    const executionTime = Math.round(performance.now() - t0);
    target.emit('tool:execution-complete', { callId, name, result, resultDisplay, executionTime });
    record('tool', userId, sessionId, { tool: name, callId, args, success: true, executionTime });
    return { ok: true, result };
  } catch (e) {
    const executionTime = Math.round(performance.now() - t0);
    target.emit('tool:execution-error', { callId, name, error: e.message, executionTime });
    record('tool', userId, sessionId, { tool: name, callId, args, success: false, error: e.message, executionTime });
    return { ok: false, error: e.message };
  }
}

// ---------------------------------------------------------------- simulated model
// Split text into pieces of 1–3 words, keeping whitespace, so the concatenation is exact.
function pieces(text) {
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  const out = [];
  for (let i = 0; i < words.length;) { const n = 1 + randomInt(3); out.push(words.slice(i, i + n).join('')); i += n; }
  return out;
}
// Decide how the model answers: either plain text, or a tool call followed by text built from the result.
function planReply(content) {
  const c = content.toLowerCase();
  const path = content.match(/\/[\w.\/-]+/)?.[0]?.replace(/[.,]+$/, '');
  const topic = content.trim().replace(/\s+/g, ' ').slice(0, 60);
  if (path || /\b(files?|director(y|ies)|folders?|workspace|readme)\b/.test(c)) {
    const tool = path && /\.\w+$/.test(path) ? 'readFile' : /readme/.test(c) ? 'readFile' : 'listDirectory';
    const args = { path: tool === 'readFile' ? (path && /\.\w+$/.test(path) ? path : '/workspace/README.md') : (path || '/workspace') };
    return {
      thought: { thought: `The user is asking about ${args.path}. I should inspect it with ${tool} before answering.`, summary: 'Inspecting the workspace' },
      preface: tool === 'readFile' ? `Let me open ${args.path} to take a look. ` : `Let me list what is in ${args.path}. `,
      tool, args,
      after(r) {
        if (!r.ok) return `I tried, but the tool reported an error: ${r.error}. Could you double-check the path?`;
        const lines = String(r.result).split('\n').filter(Boolean);
        return tool === 'readFile'
          ? `The file has ${lines.length} non-empty lines. It begins with "${lines[0] ?? ''}". Let me know if you want a summary of a specific part or any changes made to it.`
          : `It contains ${lines.length} entries: ${lines.join(', ')}. Would you like me to open one of them?`;
      },
    };
  }
  if (/^\s*(hi|hello|hey|good (morning|afternoon|evening))\b/.test(c) || /\bhelp\b/.test(c)) {
    return { thought: { thought: 'The user is greeting me and wants to know what I can do. A short overview of capabilities fits best.', summary: 'Greeting and capabilities overview' },
      text: "Hello! I'm Gemini, and I can help in several ways: answering questions, explaining or writing code, summarizing documents, and working with files in your workspace when you approve the tools I request. What would you like to start with?" };
  }
  if (/\b(code|function|javascript|python|bug|error|regex|sql)\b/.test(c)) {
    return { thought: { thought: 'This is a programming question. I should give a concise explanation with a small example.', summary: 'Answering a coding question' },
      text: "Here's a compact approach. First, isolate the smallest input that shows the behaviour. Then write a function that handles just that case, for example:\n\n```javascript\nfunction sum(values) {\n  return values.reduce((total, v) => total + v, 0);\n}\n```\n\nOnce that works, add tests for edge cases such as empty input and non-numeric values. Want me to adapt it to your code?" };
  }
  return { thought: { thought: `The user asked: "${topic}". I should answer directly and offer to go deeper.`, summary: 'Composing a direct answer' },
    text: `Good question. Regarding "${topic}": the short answer is that it depends on your goals and constraints. A practical way to approach it is to list the options, compare them on cost, effort and risk, and try the most promising one on a small scale first. If you share more details, I can give you a more specific recommendation.` };
}

// Run one model turn for a session. Everything is broadcast to the session room.
async function generate(session, userId, content) {
  const room = io.to(sessionRoom(session.id));
  const gen = { cancelled: false, callId: null };
  session.gen = gen;
  let accumulated = '';
  const stream = async (text) => {                              // returns false if cancelled mid-way
    for (const piece of pieces(text)) {
      await sleep(pace());
      if (gen.cancelled) return false;
      accumulated += piece;
      room.emit('gemini:content', fault('content-no-accumulated') ? { text: piece } : { text: piece, accumulated });
    }
    return true;
  };
  try {
    await sleep(pace());
    if (gen.cancelled) return;
    const plan = planReply(content);
    room.emit('gemini:thought', plan.thought);
    if (plan.tool) {
      if (!(await stream(plan.preface))) return;
      const callId = (gen.callId = newCallId());
      const decision = await new Promise((resolve) => {
        pendingCalls.set(callId, { sessionId: session.id, tool: plan.tool, args: plan.args, resolve });
        room.emit('gemini:tool-request', { callId, tool: plan.tool, args: plan.args });
      });
      gen.callId = null;
      if (gen.cancelled || decision.cancelled) return;
      let followUp;
      if (decision.approved) {
        const r = await runTool(room, { callId, name: plan.tool, args: plan.args, userId, sessionId: session.id });
        room.emit('gemini:tool-result', { callId, result: r.ok ? r.result : `Error: ${r.error}` });
        if (gen.cancelled) return;
        followUp = plan.after(r);
      } else {
        followUp = `Understood, I won't run ${plan.tool}${decision.reason ? ` (${decision.reason})` : ''}. If you paste the relevant content here, I can still help.`;
      }
      if (!(await stream(followUp))) return;
    } else if (!(await stream(plan.text))) return;
    session.history.push({ role: 'model', content: accumulated, timestamp: now() });
    if (session.history.length > 200) session.history.splice(0, session.history.length - 200);
    room.emit('gemini:done', { fullResponse: accumulated, timestamp: now() });
  } catch (e) {
    console.error('generation failed:', e);
    if (!gen.cancelled) room.emit('gemini:error', { error: 'Message generation failed' });
  } finally {
    if (session.gen === gen) session.gen = null;
  }
}

// Stop a session's running turn (also releases a tool call awaiting approval).
function cancelGeneration(session) {
  const gen = session.gen;
  if (!gen) return false;
  gen.cancelled = true;
  if (gen.callId && pendingCalls.has(gen.callId)) {
    pendingCalls.get(gen.callId).resolve({ cancelled: true });
    pendingCalls.delete(gen.callId);
  }
  session.gen = null;
  return true;
}

// ---------------------------------------------------------------- authentication (handshake auth.token)
io.use((socket, next) => {
  let token = socket.handshake.auth?.token;
  if (typeof token === 'string') token = token.replace(/^Bearer\s+/i, '');
  if (sameToken(token, opts.adminToken)) socket.data.user = { userId: userIdFor('admin', token), role: 'admin' };
  else if (sameToken(token, opts.token)) socket.data.user = { userId: userIdFor('user', token), role: 'user' };
  else return next(new Error(ERR.auth));
  next();
});

// ---------------------------------------------------------------- per-connection events
io.on('connection', (socket) => {
  const { userId, role } = socket.data.user;
  const isAdmin = role === 'admin';
  const fail = (message) => socket.emit('error', { message });
  const currentSession = () => (socket.data.sessionId ? sessions.get(socket.data.sessionId) : null);
  // Register a handler that never throws into socket.io (a bad payload must not hurt other clients).
  const on = (event, fn) => socket.on(event, async (...args) => {
    if (typeof args.at(-1) === 'function') args.pop();         // acknowledgements are not part of the protocol
    try { await fn(args[0]); } catch (e) { console.error(`${event} handler failed:`, e); fail('Internal server error'); }
  });
  // Leave the current session; cancel its turn if nobody is left to receive it.
  const leaveSession = () => {
    const id = socket.data.sessionId;
    if (!id) return;
    socket.leave(sessionRoom(id));
    socket.data.sessionId = null;
    if (!io.sockets.adapter.rooms.get(sessionRoom(id))?.size) { const s = sessions.get(id); if (s) cancelGeneration(s); }
  };
  record('connect', userId, null, { role });

  // ---- sessions
  on('join-session', (data) => {
    const id = isObj(data) ? data.sessionId : undefined;
    if (typeof id !== 'string' || !/^[\w.:-]{1,128}$/.test(id)) return fail(ERR.format);
    if (socket.data.sessionId !== id) { leaveSession(); getSession(id); socket.join(sessionRoom(id)); socket.data.sessionId = id; }
    socket.emit('session-joined', { sessionId: id });
    record('session', userId, id, { action: 'join' });
  });

  // ---- chat
  on('chat:message', (data) => {
    const content = isObj(data) ? data.content : undefined;
    if (typeof content !== 'string' || !content.trim() || content.length > 32_000) return fail(ERR.format);
    const session = currentSession();
    if (!session) return fail(ERR.noSession);
    if (session.gen) return socket.emit('gemini:error', { error: 'A response is already being generated for this session' });
    session.history.push({ role: 'user', userId, content, timestamp: now() });
    record('chat', userId, session.id, { userMessage: content });
    generate(session, userId, content);
  });
  on('chat:cancel', () => {
    const session = currentSession();
    if (!session) return fail(ERR.noSession);
    if (!cancelGeneration(session)) return fail('No message generation in progress');
    io.to(sessionRoom(session.id)).emit('gemini:cancelled', { message: 'Message generation cancelled' });
    record('cancel', userId, session.id);
  });
  on('chat:clear', () => {
    const session = currentSession();
    if (!session) return fail(ERR.noSession);
    if (cancelGeneration(session)) io.to(sessionRoom(session.id)).emit('gemini:cancelled', { message: 'Message generation cancelled' });
    session.history = [];
    io.to(sessionRoom(session.id)).emit('chat:cleared', { timestamp: now() });
    record('clear', userId, session.id);
  });
  on('chat:get-history', () => {
    const session = currentSession();
    if (!session) return fail(ERR.noSession);
    socket.emit('chat:history', { history: session.history.map((m) => ({ ...m })), timestamp: now() });
  });
  // Typing indicator: a member's {typing: boolean} is relayed to the *other* members of the session.
  on('chat:typing', (data) => {
    if (!isObj(data) || typeof data.typing !== 'boolean') return fail(ERR.format);
    const session = currentSession();
    if (!session) return fail(ERR.noSession);
    socket.to(sessionRoom(session.id)).emit('chat:typing', { userId, typing: data.typing });
  });

  // ---- tools
  on('tool:list', () => {
    socket.emit('tool:list-response', { tools: Object.entries(TOOLS).map(([name, t]) => ({ name, description: t.description, parameters: t.parameters })) });
  });
  on('tool:execute', async (data) => {
    if (!isObj(data) || typeof data.name !== 'string' || !data.name) return fail(ERR.format);
    if (data.args !== undefined && !isObj(data.args)) return fail(ERR.format);
    if (data.callId !== undefined && (typeof data.callId !== 'string' || !data.callId)) return fail(ERR.format);
    const session = currentSession();
    const target = session ? io.to(sessionRoom(session.id)) : socket;   // session members see manual runs too
    await runTool(target, { callId: data.callId ?? newCallId(), name: data.name, args: data.args ?? {}, userId, sessionId: session?.id });
  });
  // Approve/reject a tool call the model requested; only members of that call's session may decide.
  const decide = (data, approved) => {
    if (!isObj(data) || typeof data.callId !== 'string') return fail(ERR.format);
    if (!approved && data.reason !== undefined && typeof data.reason !== 'string') return fail(ERR.format);
    const call = pendingCalls.get(data.callId);
    if (!call) return fail('Tool call not found');
    if (call.sessionId !== socket.data.sessionId) return fail(ERR.denied);
    pendingCalls.delete(data.callId);
    const room = io.to(sessionRoom(call.sessionId));
    if (approved) room.emit('tool:approved', { callId: data.callId, approvedBy: userId, timestamp: now() });
    else room.emit('tool:rejected', { callId: data.callId, rejectedBy: userId, reason: data.reason || 'No reason given' });
    record('tool-approval', userId, call.sessionId, { tool: call.tool, callId: data.callId, approved, reason: approved ? undefined : data.reason });
    call.resolve({ approved, reason: data.reason });
  };
  on('tool:approve', (data) => decide(data, true));
  on('tool:reject', (data) => decide(data, false));

  // ---- monitoring (admin only)
  const adminOnly = (fn) => (data) => (isAdmin ? fn(data) : fail(ERR.denied));
  on('monitoring:subscribe', adminOnly(() => socket.join(MONITOR_ROOM)));
  on('monitoring:unsubscribe', adminOnly(() => socket.leave(MONITOR_ROOM)));
  on('monitoring:get-events', adminOnly((data = {}) => {
    if (!isObj(data)) return fail(ERR.format);
    const { userId: u, sessionId: s, limit = 100 } = data;
    if ((u !== undefined && typeof u !== 'string') || (s !== undefined && typeof s !== 'string')) return fail(ERR.format);
    if (!Number.isInteger(limit) || limit < 1) return fail(ERR.format);
    const events = eventLog.filter((e) => (u === undefined || e.userId === u) && (s === undefined || e.sessionId === s));
    socket.emit('monitoring:events', { events: events.slice(-Math.min(limit, 1000)) });
  }));
  const getStats = (data = {}) => {
    if (!isObj(data) || (data.userId !== undefined && typeof data.userId !== 'string')) return fail(ERR.format);
    const stats = { totalEvents: 0, byType: {}, byUser: {}, toolUsage: {} };
    for (const e of eventLog) {
      if (data.userId !== undefined && e.userId !== data.userId) continue;
      stats.totalEvents++;
      stats.byType[e.type] = (stats.byType[e.type] ?? 0) + 1;
      stats.byUser[e.userId] = (stats.byUser[e.userId] ?? 0) + 1;
      if (e.type === 'tool') stats.toolUsage[e.data.tool] = (stats.toolUsage[e.data.tool] ?? 0) + 1;
    }
    socket.emit('monitoring:stats', stats);
  };
  on('monitoring:get-stats', fault('stats-without-admin') ? getStats : adminOnly(getStats));
  on('monitoring:broadcast', adminOnly((data) => {
    if (!isObj(data) || typeof data.message !== 'string' || !data.message.trim()) return fail(ERR.format);
    const type = data.type ?? 'info';
    if (!['info', 'warning', 'error'].includes(type)) return fail(ERR.format);
    io.emit('system:broadcast', { message: data.message, type, from: userId, timestamp: now() });
    record('broadcast', userId, null, { message: data.message, type });
  }));

  socket.on('disconnect', (reason) => {
    leaveSession();
    record('disconnect', userId, null, { reason });
  });
});

// ---------------------------------------------------------------- start / stop
httpServer.listen(opts.port, '127.0.0.1', () => {
  process.stdout.write(`${httpServer.address().port}\n`);
  if (opts.fault) console.error(`fault enabled: ${opts.fault}`);
});
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => { io.close(() => process.exit(0)); setTimeout(() => process.exit(0), 1000).unref(); });
}
process.on('uncaughtException', (e) => console.error('uncaught:', e));
