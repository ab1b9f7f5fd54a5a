import { describe, expect, it } from 'vitest';
import { BUILTIN_PROTOCOLS } from '../../src/spec/paths.js';
import { connect, serve, sio } from './helpers.js';

const WS_COUNTS: Record<string, number> = { kiwi: 30, clown: 22, coda: 34, aragora: 121, 'aragora-control-plane': 36 };
const REQUESTS: Record<string, unknown[]> = {
  kiwi: [{ type: 'ping' }],
  aragora: [{ type: 'get_loops' }, { type: 'user_vote', loop_id: 'loop_abc123', payload: { choice: 'Option A', intensity: 7 } }],
  'aragora-control-plane': [{ type: 'ping' }],
};

async function wsTranscript(protocol: string, seed: number): Promise<string[]> {
  const server = await serve({ protocol, seed });
  const client = await connect(server.url);
  const n = WS_COUNTS[protocol];
  await client.count(n);
  for (const r of REQUESTS[protocol] ?? []) client.send(r);
  const replies: Record<string, number> = { kiwi: 1, aragora: 3, 'aragora-control-plane': 1 };
  await client.count(n + (replies[protocol] ?? 0));
  await server.close();
  return client.texts;
}

async function geminiTranscript(seed: number): Promise<string[]> {
  const server = await serve({ protocol: 'gemini-chat', seed });
  const c = await sio(server.url, 'dev-user-token');
  c.socket.emit('join-session', { sessionId: 'session_123_456' });
  c.socket.emit('chat:message', { content: 'Please read the file' });
  const request = await c.waitFor('gemini:tool-request');
  await c.waitFor('gemini:done');
  c.socket.emit('tool:approve', { callId: request.callId });
  c.socket.emit('tool:execute', { name: 'listFiles', args: { path: '/' } });
  await c.waitFor('tool:execution-complete', 2000, 5);
  await c.waitFor('tool:execution-complete', 2000, 8);
  await server.close();
  return c.events.map((e) => JSON.stringify(e));
}

describe('deterministic replay', () => {
  it.each(BUILTIN_PROTOCOLS.filter((p) => p !== 'gemini-chat'))('gives byte-identical frames for the same fixture and seed (%s)', async (protocol) => {
    const first = await wsTranscript(protocol, 7);
    const second = await wsTranscript(protocol, 7);
    expect(second).toEqual(first);
    expect(first.length).toBeGreaterThan(WS_COUNTS[protocol] - 1);
  });

  it('gives byte-identical frames for the same client actions and seed (gemini-chat)', async () => {
    const first = await geminiTranscript(3);
    expect(first).toHaveLength(13);
    expect(await geminiTranscript(3)).toEqual(first);
  });

  it('changes generated ids, and only them, with the seed', async () => {
    const a = await wsTranscript('aragora', 1);
    const b = await wsTranscript('aragora', 2);
    expect(JSON.parse(a[0]).data.client_id).not.toBe(JSON.parse(b[0]).data.client_id);
    expect(a.slice(1)).toEqual(b.slice(1));
  });
});
