import { describe, expect, it } from 'vitest';
import { startReferenceServer } from '../../reference-server/index.js';
import { KEEPALIVE, result, run } from './suite.js';

async function against(protocol: string, faults: string[], options: Record<string, unknown>, only: string) {
  const server = await startReferenceServer({ protocol, port: 0, instant: true, token: 'ka-token', adminToken: 'ka-admin', keepaliveIntervalMs: KEEPALIVE, faults });
  try {
    return result(await run(protocol, server.url, { token: 'ka-token', adminToken: 'ka-admin', only: [only], ...options }), only);
  } finally {
    await server.close();
  }
}

describe('keepalive checks judge only a window long enough, and never pass without one', () => {
  it('skips ping-pong/server-keepalive when --observe is shorter than the documented interval plus tolerance', async () => {
    const r = await against('coda', [], { observeMs: 300 }, 'ping-pong/server-keepalive');
    expect([r.verdict, r.reason]).toEqual(['skip', '--observe 300 ms is shorter than the ping interval plus tolerance (30000 ms); raise --observe to judge it']);
  });

  it('passes ping-pong/server-keepalive with the configured interval (the timeout scales with it)', async () => {
    const r = await against('coda', [], { observeMs: 1200, keepaliveIntervalMs: KEEPALIVE }, 'ping-pong/server-keepalive');
    expect(r.verdict).toBe('pass');
  });

  it('fails ping-pong/server-keepalive when no ping frame comes in the window', async () => {
    const r = await against('coda', ['no-keepalive'], { observeMs: 1200, keepaliveIntervalMs: KEEPALIVE }, 'ping-pong/server-keepalive');
    expect(r.verdict).toBe('fail');
    expect(r.findings.map(({ message, expected, count }) => ({ message, expected, count }))).toEqual([{ message: 'No ping frame arrived', expected: 'a ping frame every 500 ms (at most 750 ms apart)', count: 1 }]);
    expect(r.findings[0].actual).toMatch(/^none in \d+ ms$/);
  });

  it("skips ping-pong/socketio-heartbeat when --observe is shorter than the handshake's pingInterval plus tolerance", async () => {
    const r = await against('gemini-chat', [], { observeMs: 250 }, 'ping-pong/socketio-heartbeat');
    expect([r.verdict, r.reason]).toEqual(['skip', '--observe 250 ms is shorter than pingInterval plus tolerance (1000 ms); raise --observe to judge it']);
  });

  it('passes ping-pong/socketio-heartbeat when the pings follow the advertised pingInterval, and fails when they stop', async () => {
    expect((await against('gemini-chat', [], { observeMs: 1200 }, 'ping-pong/socketio-heartbeat')).verdict).toBe('pass');
    const slow = await against('gemini-chat', ['slow-heartbeat'], { observeMs: 1200 }, 'ping-pong/socketio-heartbeat');
    expect(slow.findings.map(({ message, expected }) => ({ message, expected }))).toEqual([{ message: 'No Engine.IO ping arrived', expected: 'an Engine.IO ping every 500 ms (at most 1000 ms apart)' }]);
  });
});
