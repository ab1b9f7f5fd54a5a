import { describe, expect, it } from 'vitest';
import { connect, serve } from './helpers.js';

describe('aragora-control-plane reference server', () => {
  it('serves both documented addresses', async () => {
    const server = await serve({ protocol: 'aragora-control-plane' });
    expect(server.urls).toEqual([`ws://127.0.0.1:${server.port}/api/control-plane/stream`, `ws://127.0.0.1:${server.port}/ws/control-plane`]);
  });

  it('sends connected first, then the orchestration stream, on either address', async () => {
    const server = await serve({ protocol: 'aragora-control-plane' });
    for (const url of server.urls) {
      const client = await connect(url);
      const frames = await client.count(36);
      expect(frames[0]).toEqual({ type: 'connected', timestamp: 1732735053.123, data: { message: 'Connected to control plane stream' } });
      expect(frames[1]).toEqual({ type: 'agent_registered', timestamp: 1732735053.123, data: { agent_id: 'agent-abc123', capabilities: ['debate', 'critique', 'summarize'], model: 'claude-3-opus', provider: 'anthropic' } });
      const t2 = frames.filter((f) => f.data.task_id === 'task-uvw456').map((f) => f.type);
      expect(t2).toEqual(['task_submitted', 'task_claimed', 'task_started', 'task_failed', 'task_retrying', 'task_claimed', 'task_started', 'task_failed', 'task_retrying', 'task_claimed', 'task_started', 'task_failed', 'task_dead_lettered']);
      expect(frames.find((f) => f.type === 'agent_timeout')).toEqual({ type: 'agent_timeout', timestamp: 1732735153.123, data: { agent_id: 'agent-def456', last_heartbeat: 1732735093.123 } });
      client.close();
    }
  });

  it('answers ping with pong carrying a timestamp', async () => {
    const server = await serve({ protocol: 'aragora-control-plane' });
    const client = await connect(server.url);
    await client.count(36);
    client.send({ type: 'ping' });
    expect(await client.waitFor((f) => f.type === 'pong', 2000, 36)).toEqual({ type: 'pong', timestamp: 1732735173.123 });
  });

  it('filters the stream to the subscribed events after a subscribe, but still answers ping', async () => {
    const server = await serve({ protocol: 'aragora-control-plane', speed: 100 });
    const client = await connect(server.url);
    client.send({ type: 'subscribe', events: ['task_completed', 'task_failed'] });
    client.send({ type: 'ping' });
    await client.waitFor((f) => f.type === 'pong', 2000);
    await client.waitFor((f) => f.type === 'task_failed' && f.data.retries_left === 0, 5000);
    await new Promise((r) => setTimeout(r, 900));
    const afterPong = client.frames.slice(client.frames.findIndex((f) => f.type === 'pong') + 1).map((f) => f.type);
    expect(client.frames[0].type).toBe('connected');
    expect(afterPong).toEqual(['task_completed', 'task_failed', 'task_failed', 'task_failed']);
  });
});
