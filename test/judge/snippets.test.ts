// The documents' own client snippets under judge-client, each with its honest verdict, and a
// user's document (test/judge/documents/ticker.asyncapi.yaml) whose client duties the judge reads
// from that document alone: how the token travels, and a keepalive at a stated interval.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeClient, type JudgeClientOptions } from '../../src/judge/client.js';
import { exitCodeOf, type RunReport } from '../../src/runner/index.js';
import { loadSpec } from '../../src/spec/load.js';
import { packageRoot } from '../../src/spec/paths.js';
import { runCli } from '../helpers.js';

const FAST: JudgeClientOptions = { port: 0, waitMs: 10_000, listenMs: 1200, timeoutMs: 1500 };
const dir = mkdtempSync(join(tmpdir(), 'wsconform-snippets-'));
const WS = createRequire(import.meta.url).resolve('ws');

/**
 * A browser snippet run in Node: `WebSocket` is ws's (it has the browser's onopen/onmessage), and
 * the document's URL literal is replaced by the judge's (WSCONFORM_URL). Nothing else changes.
 */
function browserSnippet(name: string, code: string, documentedUrl: string, prelude = ''): string {
  const file = join(dir, `${name}.cjs`);
  expect(code, 'the snippet holds its documented URL').toContain(documentedUrl);
  writeFileSync(file, `globalThis.WebSocket = require(${JSON.stringify(WS)});\n${prelude}${code.replace(`'${documentedUrl}'`, 'process.env.WSCONFORM_URL')}`);
  return `"${process.execPath}" "${file}"`;
}

/** The verdict of every check that did not pass, with its reason or first finding. */
function notPassed(report: RunReport): Record<string, string> {
  return Object.fromEntries(report.checks.filter((c) => c.verdict !== 'pass').map((c) => [c.id, `${c.verdict}: ${c.reason ?? c.findings[0]?.actual}`]));
}
const skipped = (report: RunReport) => Object.fromEntries(Object.entries(notPassed(report)).map(([k, v]) => [k, v.split(':')[0]]));

// Kiwi, "JavaScript Example".
const KIWI_JS = `const ws = new WebSocket('ws://localhost:7789/api/events');

ws.onmessage = (event) => {
  const data = JSON.parse(event.data);
  console.log(\`[\${data.event}]\`, data.data);
};
`;

// Kiwi, "Python Example" (websocket-client), its URL from the environment.
const KIWI_PYTHON = `import websocket
import json
import os

def on_message(ws, message):
    event = json.loads(message)
    print(f"[{event['event']}] {event.get('data', {})}", flush=True)

ws = websocket.WebSocketApp(
    os.environ["WSCONFORM_URL"],
    on_message=on_message
)
ws.run_forever()
`;

// Coda, "WebSocket Connection".
const CODA_JS = `const ws = new WebSocket('ws://localhost:8765');

ws.onmessage = (event) => {
    const data = JSON.parse(event.data);
    console.log('Event:', data.type, data);
};

ws.onopen = () => {
    console.log('Connected to Coda WebSocket');
};
`;

// The control plane's "Example: JavaScript Client". Its updateDashboard is the page's own
// function (the prelude defines one that prints); its 30 s ping interval is an example value,
// shortened to 400 ms so that a listening of 1.2 s sees pings.
const CONTROL_PLANE_JS = `const ws = new WebSocket('ws://localhost:8766/api/control-plane/stream');

ws.onmessage = (event) => {
  const data = JSON.parse(event.data);

  switch (data.type) {
    case 'agent_registered':
      console.log(\`Agent \${data.data.agent_id} joined\`);
      break;
    case 'task_completed':
      console.log(\`Task \${data.data.task_id} completed\`);
      break;
    case 'task_failed':
      console.error(\`Task \${data.data.task_id} failed: \${data.data.error}\`);
      break;
    case 'health_update':
      updateDashboard(data.data);
      break;
  }
};

// Keep connection alive
setInterval(() => {
  ws.send(JSON.stringify({ type: 'ping' }));
}, 30000);
`;

const NO_RECONNECT = { 'client/reconnect': 'skip', 'client/backoff': 'skip', 'client/resend': 'skip' };
/** A WebSocket document without order or answer rules. */
const WS_ONLY = { 'client/order': 'skip', 'client/answers': 'skip', 'client/heartbeat': 'skip' };
const NOT_ASKED = { 'client/auth': 'skip', 'client/keepalive': 'skip', ...WS_ONLY, ...NO_RECONNECT };

describe("judge-client on the documents' own snippets", () => {
  it('Kiwi (JavaScript): answers pings, tolerates the probes, sends nothing to judge', async () => {
    const r = await judgeClient(await loadSpec('kiwi'), { ...FAST, exec: browserSnippet('kiwi', KIWI_JS, 'ws://localhost:7789/api/events') });
    expect(skipped(r), JSON.stringify(notPassed(r))).toEqual({ 'client/messages': 'skip', ...NOT_ASKED });
    expect(notPassed(r)['client/messages']).toBe('skip: the client sent no message');
    expect(r.client!.output).toContain('[WsconformUndocumented]');
    expect(exitCodeOf(r)).toBe(0);
  });

  it('Kiwi (Python, websocket-client): the same verdict', async () => {
    const file = join(dir, 'kiwi_example.py');
    writeFileSync(file, KIWI_PYTHON);
    const r = await judgeClient(await loadSpec('kiwi'), { ...FAST, exec: `/usr/bin/python3 "${file}"` });
    expect(skipped(r), JSON.stringify(notPassed(r))).toEqual({ 'client/messages': 'skip', ...NOT_ASKED });
    expect(r.client!.output).toContain('[WsconformUndocumented]');
  });

  it('Coda (JavaScript): the same verdict', async () => {
    const r = await judgeClient(await loadSpec('coda'), { ...FAST, exec: browserSnippet('coda', CODA_JS, 'ws://localhost:8765') });
    expect(skipped(r), JSON.stringify(notPassed(r))).toEqual({ 'client/messages': 'skip', ...NOT_ASKED });
    expect(r.client!.output).toContain('Connected to Coda WebSocket');
  });

  it('the control plane (JavaScript): its pings are documented and valid, and it passes', async () => {
    const code = CONTROL_PLANE_JS.replace('}, 30000);', '}, 400);');
    const r = await judgeClient(await loadSpec('aragora-control-plane'), { ...FAST, exec: browserSnippet('control-plane', code, 'ws://localhost:8766/api/control-plane/stream', 'globalThis.updateDashboard = (d) => console.log("dashboard", JSON.stringify(d));\n') });
    expect(skipped(r), JSON.stringify(notPassed(r))).toEqual(NOT_ASKED);
    const sent = r.client!.connections[0].frames.map((f) => f.frame);
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(sent.every((f) => f.includes('"type":"ping"'))).toBe(true);
    expect(exitCodeOf(r)).toBe(0);
  });

  it('the control plane with a broken ping (the bare word, not JSON): client/messages fails, and only it', async () => {
    const code = CONTROL_PLANE_JS.replace('}, 30000);', '}, 400);').replace("ws.send(JSON.stringify({ type: 'ping' }));", "ws.send('ping');");
    const r = await judgeClient(await loadSpec('aragora-control-plane'), { ...FAST, exec: browserSnippet('control-plane-broken', code, 'ws://localhost:8766/api/control-plane/stream', 'globalThis.updateDashboard = () => undefined;\n') });
    expect(skipped(r), JSON.stringify(notPassed(r))).toEqual({ 'client/messages': 'fail', ...NOT_ASKED });
    const m = r.checks.find((c) => c.id === 'client/messages')!;
    expect(m.findings[0]).toMatchObject({ message: 'The client sent text that is not JSON', level: 'MUST' });
    expect(m.findings[0].occurrences[0].frame).toContain('ping');
  });
});

const TICKER = join(packageRoot(), 'test', 'judge', 'documents', 'ticker.asyncapi.yaml');
const TICKER_CLIENT = join(packageRoot(), 'test', 'clients', 'ticker-client.mjs');
const ticker = async (mode: string, extra: JudgeClientOptions = {}) => judgeClient(await loadSpec(TICKER), { ...FAST, waitMs: 3000, ...extra, exec: `"${process.execPath}" "${TICKER_CLIENT}" ${mode}` });

describe("judge-client reads a user's document: the token's means and a stated keepalive", () => {
  it.each(['good', 'bearer'])('%s: every check that applies passes (exit 0)', async (mode) => {
    const r = await ticker(mode);
    expect(skipped(r), JSON.stringify(notPassed(r))).toEqual({ ...WS_ONLY, ...NO_RECONNECT });
    expect(exitCodeOf(r)).toBe(0);
  });

  it.each([
    ['no-token', 'no token at all (WSCONFORM_TOKEN)'],
    ['api-key', 'the token in the query parameter api_key, which the document does not name (WSCONFORM_TOKEN)'],
  ])('%s: refused with 401, so client/auth fails on the refused attempts, quoting the document; the rest is not judged', async (mode, actual) => {
    const r = await ticker(mode);
    const auth = r.checks.find((c) => c.id === 'client/auth')!;
    expect([auth.verdict, auth.findings.map((f) => f.actual)]).toEqual(['fail', [actual]]);
    expect(auth.findings[0].count).toBeGreaterThanOrEqual(1);
    expect(auth.findings[0].basis?.quote).toContain('Connect with `?key=<token>`');
    expect(auth.findings[0].occurrences[0].connection).toBe('refused#1');
    expect(Object.values(notPassed(r)).filter((v) => v.startsWith('fail'))).toHaveLength(1);
    expect(r.problems![0]).toMatch(/^the client never connected to .* the server refused its \d+ attempt\(s\) \(HTTP 401 on \/ticks\)/);
    expect(exitCodeOf(r)).toBe(1);
  });

  it.each([
    ['silent', /^none in \d+ ms$/],
    ['slow', /^\d+ ms without one$/],
  ])('%s: client/keepalive fails, and only it', async (mode, actual) => {
    const r = await ticker(mode);
    const failing = r.checks.filter((c) => c.verdict === 'fail');
    expect(failing.map((c) => c.id), JSON.stringify(notPassed(r))).toEqual(['client/keepalive']);
    expect(failing[0].findings[0].actual).toMatch(actual);
    expect(failing[0].findings[0].expected).toBe('heartbeat every 300 ms (at most 450 ms apart)');
  });

  it('skips client/keepalive when the listening is shorter than the interval plus tolerance', async () => {
    const r = await ticker('silent', { listenMs: 200 });
    expect(notPassed(r)['client/keepalive']).toMatch(/^skip: the client was listened to for \d+ ms, less than the interval plus tolerance \(450 ms\); raise --listen to judge it$/);
  });

  it('Aragora: authentication is optional there, so without --token client/auth says how to judge it', async () => {
    const r = await judgeClient(await loadSpec('aragora'), { ...FAST, exec: browserSnippet('aragora', "const ws = new WebSocket('ws://localhost:8765/ws');\n", 'ws://localhost:8765/ws') });
    expect(notPassed(r)['client/auth']).toBe('skip: authentication is optional in the document and no --token was given: give one (the client gets it as WSCONFORM_TOKEN) to judge how the client presents it');
    const withToken = await judgeClient(await loadSpec('aragora'), { ...FAST, token: 't0k3n', exec: browserSnippet('aragora', "const ws = new WebSocket('ws://localhost:8765/ws');\n", 'ws://localhost:8765/ws') });
    expect(notPassed(withToken)['client/auth']).toBe('fail: no token at all (WSCONFORM_TOKEN)');
  });
});

// gemini-chat, "Example Usage Patterns": the Basic Chat Flow and the Tool Execution Flow, as one
// client. `io`, `jwtToken` and `sessionId` are the page's (the prelude defines them: the token
// from WSCONFORM_TOKEN); the documented URL is the judge's.
const GEMINI_FLOWS = `// Connect and authenticate
const socket = io('http://localhost:3000', {
  auth: { token: jwtToken }
});

// Join session
socket.on('connect', () => {
  socket.emit('join-session', { sessionId });
});

// Handle session join
socket.on('session-joined', () => {
  // Send message
  socket.emit('chat:message', {
    content: 'Hello, Gemini!'
  });
});

// Handle response
let fullResponse = '';
socket.on('gemini:content', (data) => {
  fullResponse += data.text;
  console.log('Partial response:', data.text);
});

socket.on('gemini:done', () => {
  console.log('Full response:', fullResponse);
});

// Listen for tool requests
socket.on('gemini:tool-request', (data) => {
  console.log(\`Gemini wants to use \${data.tool}\`);

  // Approve the tool
  socket.emit('tool:approve', { callId: data.callId });
});
`;

const GEMINI_CLIENT = join(packageRoot(), 'test', 'clients', 'gemini-client.mjs');
const SIO = createRequire(import.meta.url).resolve('socket.io-client');
const gemini = async (exec: string) => judgeClient(await loadSpec('gemini-chat'), { ...FAST, waitMs: 5000, exec });
const geminiMode = (mode: string) => gemini(`"${process.execPath}" "${GEMINI_CLIENT}" ${mode}`);
const SIO_NOT_ASKED = { 'client/keepalive': 'skip', 'client/ws-ping': 'skip', ...NO_RECONNECT };

describe('judge-client on a Socket.IO client (gemini-chat)', () => {
  it("the document's chat and tool flows pass every check that applies: token in the handshake auth, join before chat, approvals of requested calls", async () => {
    const file = join(dir, 'gemini-flows.cjs');
    writeFileSync(file, `const { io } = require(${JSON.stringify(SIO)});\nconst jwtToken = process.env.WSCONFORM_TOKEN;\nconst sessionId = 'session_123_456';\n${GEMINI_FLOWS.replace("'http://localhost:3000'", 'process.env.WSCONFORM_URL')}`);
    const r = await gemini(`"${process.execPath}" "${file}"`);
    expect(skipped(r), JSON.stringify(notPassed(r))).toEqual(SIO_NOT_ASKED);
    const names = r.client!.connections[0].frames.map((f) => JSON.parse(f.frame)[0]);
    expect(names.slice(0, 2)).toEqual(['join-session', 'chat:message']);
    expect(names).toContain('tool:approve');
    expect(r.client!.output).toContain('Gemini wants to use');
    expect(exitCodeOf(r)).toBe(0);
  });

  it.each([
    ['good', {}],
    ['chat-first', { 'client/order': 'non-strict' }],
    ['stale-callid', { 'client/answers': 'fail' }],
    ['fragile', { 'client/tolerance': 'non-strict' }],
    ['no-heartbeat', { 'client/heartbeat': 'fail' }],
    ['no-token', { 'client/auth': 'non-strict' }],
  ])('%s fails only %o', async (mode, expected) => {
    const r = await geminiMode(mode);
    const failing = Object.fromEntries(r.checks.filter((c) => c.verdict === 'fail' || c.verdict === 'non-strict').map((c) => [c.id, c.verdict]));
    expect(failing, JSON.stringify(notPassed(r))).toEqual(expected);
    if (mode === 'good') expect(skipped(r)).toEqual(SIO_NOT_ASKED);
  });

  it('from the CLI: exit 1 for a client that fails a MUST, and the client (a shell\'s child) is stopped, so the command ends', async () => {
    const r = await runCli(['judge-client', 'gemini-chat', '--port', '0', '--listen', '1.2s', '--timeout', '1.5s', '--exec', `"${process.execPath}" "${GEMINI_CLIENT}" stale-callid`], { timeoutMs: 30_000 });
    expect([r.code, r.stdout.match(/^ {2}FAIL {2}\S+/gm)]).toEqual([1, ['  FAIL  client/answers']]);
  });

  it('the evidence names the frame and the document: an approval of the example callId, chat before join', async () => {
    const stale = (await geminiMode('stale-callid')).checks.find((c) => c.id === 'client/answers')!;
    expect(stale.findings[0]).toMatchObject({ message: "The client's tool:approve names no gemini:tool-request it was sent", actual: 'callId "call_123_456"', basis: { quote: 'Approve a tool execution request.' } });
    expect(stale.findings[0].occurrences[0].frame).toContain('["tool:approve",{"callId":"call_123_456"}]');
    const early = (await geminiMode('chat-first')).checks.find((c) => c.id === 'client/order')!;
    expect(early.findings[0]).toMatchObject({ message: 'The client sent chat:message before join-session', actual: 'chat:message at message 1, join-session only at message 2', level: 'SHOULD' });
  });
});
