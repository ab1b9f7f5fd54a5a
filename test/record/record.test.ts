import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceServer, type RunningServer } from '../../reference-server/index.js';
import { buildFixture } from '../../src/record/recorder.js';
import { connect } from '../../src/client/index.js';
import { loadSpec } from '../../src/spec/load.js';
import type { Frame } from '../../src/transport/index.js';
import { CLI, ROOT, runCli } from '../helpers.js';

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(options: Parameters<typeof startReferenceServer>[0]): Promise<RunningServer> {
  const s = await startReferenceServer({ port: 0, instant: true, ...options });
  servers.push(s);
  return s;
}

/** Every text message a plain ws client receives in `ms`, after sending `send`. */
async function transcript(url: string, ms: number, send: unknown[] = []): Promise<string[]> {
  const ws = new WebSocket(url);
  const got: string[] = [];
  ws.on('message', (d) => got.push(String(d)));
  await new Promise((r) => ws.once('open', r));
  for (const m of send) ws.send(JSON.stringify(m));
  await new Promise((r) => setTimeout(r, ms));
  ws.close();
  return got;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'wsconform-record-'));

describe('wsconform record', () => {
  it('ends early on SIGINT, keeps what it recorded, and exits 130', async () => {
    const original = await serve({ protocol: 'kiwi' });
    const out = join(tmp(), 'kiwi.jsonl');
    const child = spawn(process.execPath, [CLI, 'record', 'kiwi', '--url', original.url, '--duration', '60000', '--out', out], { cwd: ROOT });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Once recording has started (its first line is on standard error), interrupt it.
    await new Promise<void>((r) => child.stderr.once('data', () => setTimeout(r, 500)));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect([code, stderr]).toEqual([130, expect.stringContaining('record: ')]);
    expect(stdout).toMatch(/^recorded 30 messages \(0 not conforming, marked "nonconforming"\) to .*; stopped early by a signal\n$/);
    expect(readFileSync(out, 'utf8').split('\n').filter((l) => l.startsWith('{"at"'))).toHaveLength(30);
  }, 30_000);

  it('records a reference-server run into a fixture whose replay gives the same transcript', async () => {
    const original = await serve({ protocol: 'kiwi' });
    const out = join(tmp(), 'kiwi.jsonl');
    const r = await runCli(['record', 'kiwi', '--url', original.url, '--duration', '700', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^recorded 30 messages \(0 not conforming, marked "nonconforming"\) to /);
    // What the recorder received (the original server's first connection) is in the fixture;
    // the replay's first connection must receive exactly that.
    const recorded = readFileSync(out, 'utf8').trim().split('\n').filter((l) => l.startsWith('{"at"')).map((l) => JSON.parse(l).frame);
    expect(recorded).toHaveLength(30);
    const replay = await serve({ protocol: 'kiwi', fixture: out });
    expect((await transcript(replay.url, 500)).map((t) => JSON.parse(t))).toEqual(recorded);
  });

  it('marks each frame that does not conform, and the replay reproduces the drift verbatim', async () => {
    const drifting = await serve({ protocol: 'kiwi', faults: ['timestamp-iso'] });
    const out = join(tmp(), 'drift.jsonl');
    const r = await runCli(['record', 'kiwi', '--url', drifting.url, '--duration', '700', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('recorded 30 messages (30 not conforming');
    const lines = readFileSync(out, 'utf8').trim().split('\n').filter((l) => l.startsWith('{"at"'));
    const first = JSON.parse(lines[0]);
    expect(first.frame.event).toBe('WAKE_WORD_DETECTED');
    expect(typeof first.frame.timestamp).toBe('string');
    expect(first.nonconforming).toEqual([`$.timestamp must be a number of epoch seconds (e.g. 1709000000.0) (expected a number of epoch seconds (e.g. 1709000000.0), got string ${JSON.stringify(first.frame.timestamp)}) [envelope]`]);
    const replay = await serve({ protocol: 'kiwi', fixture: out });
    expect((await transcript(replay.url, 400)).map((t) => JSON.parse(t).timestamp)).toEqual(lines.map((l) => JSON.parse(l).frame.timestamp));
  });

  it('turns the first reply to a sent message into that message script', async () => {
    const original = await serve({ protocol: 'aragora-control-plane' });
    const dir = tmp();
    writeFileSync(join(dir, 'send.jsonl'), '{"at": 20, "frame": {"type": "ping"}}\n');
    const out = join(dir, 'cp.jsonl');
    const r = await runCli(['record', 'aragora-control-plane', '--url', original.url, '--duration', '600', '--send', join(dir, 'send.jsonl'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^\{"on":"\$connect","at":\d+,"frame":\{"type":"connected"/m);
    const pong = text.split('\n').find((l) => l.startsWith('{"on":"ping"'))!;
    expect(JSON.parse(pong).frame).toMatchObject({ type: 'pong' });
    expect(typeof JSON.parse(pong).frame.timestamp).toBe('number');
    const replay = await serve({ protocol: 'aragora-control-plane', fixture: out });
    const got = (await transcript(replay.url, 400, [{ type: 'ping' }])).map((t) => JSON.parse(t));
    expect(got[0].type).toBe('connected');
    expect(got.filter((m) => m.type === 'pong').map((m) => m.timestamp)).toEqual([JSON.parse(pong).frame.timestamp]);
  });

  it('records a Socket.IO session into a fixture the server loads and replays', async () => {
    const original = await serve({ protocol: 'gemini-chat', token: 'u', adminToken: 'a' });
    const dir = tmp();
    writeFileSync(join(dir, 'send.jsonl'), '["tool:list"]\n{"at": 30, "frame": ["chat:message", {"content": "Hello"}]}\n');
    const out = join(dir, 'chat.jsonl');
    const r = await runCli(['record', 'gemini-chat', '--url', original.url, '--token', 'u', '--duration', '800', '--send', join(dir, 'send.jsonl'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('{"on":"tool:list","at":');
    const replay = await serve({ protocol: 'gemini-chat', fixture: out, token: 'u' });
    const chat = await connect('gemini-chat', replay.url, { token: 'u' });
    const tools = chat.once('tool:list-response');
    chat.send('tool:list');
    expect(Array.isArray((await tools).tools)).toBe(true);
    await chat.close();
  });

  it('keeps a non-conforming initial message or reply as a marked stream line, so the fixture still loads', async () => {
    const spec = await loadSpec('aragora');
    const frame = (index: number, dir: 'in' | 'out', message: Record<string, unknown>): Frame => ({ index, at: index, dir, type: 'text', text: JSON.stringify(message), bytes: 0, message, json: true, name: String(message.type) });
    const frames = [
      frame(0, 'in', { type: 'connection_info', data: { authenticated: false, client_id: 5, write_access: true } }),
      frame(1, 'in', { type: 'loop_list', data: { loops: [] } }),
      frame(2, 'out', { type: 'get_loops' }),
      frame(3, 'in', { type: 'loop_list', data: 'not an object' }),
    ];
    const { text, nonconforming } = buildFixture({ spec, url: 'ws://x/ws', durationMs: 1 }, frames, 0);
    expect(nonconforming).toBe(2);
    const lines = text.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    // No recorded script line: those two triggers are scripted from the default scenario instead.
    const scripted = lines.filter((l) => l.on === '$connect' || l.on === 'get_loops');
    expect(scripted.length).toBeGreaterThan(0);
    expect(scripted.every((l) => l.note === 'copied from the default fixture: not recorded')).toBe(true);
    expect(lines.filter((l) => l.nonconforming).map((l) => l.frame.type)).toEqual(['connection_info', 'loop_list']);
    const file = join(tmp(), 'drift.jsonl');
    writeFileSync(file, text);
    await serve({ protocol: 'aragora', fixture: file });
  });

  it('exits 2 naming the server when it cannot be reached, and 2 without --url', async () => {
    const out = join(tmp(), 'x.jsonl');
    const r = await runCli(['record', 'kiwi', '--url', 'ws://127.0.0.1:1/api/events', '--duration', '300', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('wsconform: cannot connect to ws://127.0.0.1:1/api/events');
    const usage = await runCli(['record', 'kiwi', '--out', out]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('record needs --url');
  });

  it('names file and line of a malformed --send file', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'send.jsonl'), '{"type":"ping"}\n{oops\n');
    const r = await runCli(['record', 'kiwi', '--url', 'ws://127.0.0.1:1/', '--send', join(dir, 'send.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(dir, 'send.jsonl')}:2: not JSON`);
  });
});

describe('wsconform record, session protocols', () => {
  it('performs the opening and keeps the messages of an operation as its script, with the id of the replay\'s trigger', async () => {
    const { startGraphqlWs } = await import('../real/graphql-ws-server.js');
    const gql = await startGraphqlWs();
    try {
      const dir = tmp();
      writeFileSync(join(dir, 'send.jsonl'), '{"at": 50, "frame": {"type": "subscribe", "id": "q1", "payload": {"query": "{ hello }"}}}\n');
      const out = join(dir, 'gql.jsonl');
      const doc = join(ROOT, 'examples', 'graphql-transport-ws.asyncapi.yaml');
      const r = await runCli(['record', doc, '--url', gql.url, '--duration', '800', '--send', join(dir, 'send.jsonl'), '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      const lines = readFileSync(out, 'utf8').trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      expect(lines.filter((l) => l.on === 'connection_init').map((l) => l.frame)).toEqual([{ type: 'connection_ack' }]);
      expect(lines.filter((l) => l.on === 'subscribe').map((l) => l.frame)).toEqual([
        { id: '${request.id}', type: 'next', payload: { data: { hello: 'world' } } },
        { id: '${request.id}', type: 'complete' },
      ]);
      // Nothing of the operation is left as a stream line sent at connect time.
      expect(lines.filter((l) => l.at !== undefined && l.on === undefined)).toEqual([]);
    } finally {
      await gql.close();
    }
  }, 30_000);

  it('exits 1 when the server closes the connection before anything was recorded', async () => {
    const { wsServer } = await import('../runner/servers.js');
    const closing = await wsServer('/api/events', (ws) => ws.close(4406, 'Subprotocol not acceptable'));
    try {
      const out = join(tmp(), 'nothing.jsonl');
      const r = await runCli(['record', 'kiwi', '--url', closing.url, '--duration', '2000', '--out', out]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('wsconform: the connection was closed by the server (code 4406) before anything was recorded');
    } finally {
      await closing.close();
    }
  }, 30_000);
});
