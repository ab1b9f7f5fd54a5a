import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect, serve, sleep } from './helpers.js';

describe('clown reference server', () => {
  it('replays the daemon session with ISO 8601 timestamps from the virtual clock', async () => {
    const server = await serve({ protocol: 'clown' });
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}/ws`);
    const client = await connect(server.url);
    const frames = await client.count(22);
    expect(client.texts[0]).toBe('{"type":"DaemonStarted","timestamp":"2026-01-08T10:30:00Z","data":{"version":"0.1.0","pid":12345}}');
    expect(frames[1].timestamp).toBe('2026-01-08T10:30:00.400Z');
    expect(frames[21]).toEqual({ type: 'DaemonShuttingDown', timestamp: '2026-01-08T11:00:30Z', data: { reason: 'idle_timeout' } });
  });

  it('sends only the subscribed event types after {"action":"subscribe"}', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsc-clown-'));
    const file = join(dir, 'paced.jsonl');
    const ev = (at: number, type: string, data: object) => JSON.stringify({ at, frame: { type, timestamp: '${timestamp}', data } });
    writeFileSync(
      file,
      [
        JSON.stringify({ wsconform: 'fixture', version: 1, protocol: 'clown' }),
        ev(300, 'ProfileCreated', { alias: 'a', agent_id: 'claude', provider_id: 'anthropic', model: 'm' }),
        ev(320, 'AgentDetected', { id: 'claude', name: 'Claude Code', version: '1.0.0', binary_path: '/bin/claude' }),
        ev(340, 'UsageUpdated', { profile: 'a', tokens: { input_tokens: 1, output_tokens: 2 }, cost: { total_cost: 0.1 } }),
        ev(360, 'ProfileDeleted', { alias: 'a' }),
        ev(380, 'DaemonShuttingDown', { reason: 'idle_timeout' }),
      ].join('\n'),
    );
    const server = await serve({ protocol: 'clown', fixture: file, speed: 1 });
    const client = await connect(server.url);
    client.send({ action: 'subscribe', events: ['ProfileCreated', 'ProfileDeleted', 'UsageUpdated'] });
    await sleep(500);
    expect(client.frames.map((f) => f.type)).toEqual(['ProfileCreated', 'UsageUpdated', 'ProfileDeleted']);
  });

  it('ignores invalid JSON and unknown actions and keeps the connection', async () => {
    const server = await serve({ protocol: 'clown' });
    const client = await connect(server.url);
    await client.count(22);
    client.send('nonsense');
    client.send({ action: 'explode' });
    client.send([1, 2, 3]);
    await sleep(100);
    expect(client.frames).toHaveLength(22);
    expect(client.ws.readyState).toBe(1);
  });
});

describe('coda reference server', () => {
  it('sends the replay buffer first, then the live stream, with seq strictly increasing from 1', async () => {
    const server = await serve({ protocol: 'coda' });
    expect(server.url).toBe(`ws://127.0.0.1:${server.port}/`);
    const client = await connect(server.url);
    const frames = await client.count(34);
    expect(frames.slice(0, 3).map((f) => [f.type, f.timestamp])).toEqual([
      ['system_info', 1704066600],
      ['conversation_start', 1704066900],
      ['system_error', 1704067188],
    ]);
    expect(frames[3]).toEqual({ version: '1.0', seq: 4, timestamp: 1704067200, type: 'system_metrics', session_id: null, cpu_percent: 23.5, memory_mb: 2310.4, gpu_percent: 41.0 });
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i + 1));
    expect(frames.find((f) => f.type === 'stt_result')).toMatchObject({ text: 'Hello world', confidence: 0.95, duration_ms: 1500, language: 'en' });
  });

  it('sends WebSocket ping frames every keepaliveIntervalMs', async () => {
    const server = await serve({ protocol: 'coda', keepaliveIntervalMs: 100 });
    const client = await connect(server.url);
    const pings: number[] = [];
    const t0 = Date.now();
    client.ws.on('ping', () => pings.push(Date.now() - t0));
    await sleep(450);
    expect(pings.length).toBeGreaterThanOrEqual(3);
    expect(pings.length).toBeLessThanOrEqual(5);
  });

  it('closes a client that does not answer ping frames with 1011', async () => {
    const server = await serve({ protocol: 'coda', keepaliveIntervalMs: 100 });
    const client = await connect(server.url, { autoPong: false });
    const closed = await client.closed;
    expect(closed).toEqual({ code: 1011, reason: 'keepalive ping timeout' });
  });
});
