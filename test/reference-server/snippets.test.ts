import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { io } from 'socket.io-client';
import { documentedPort } from '../../reference-server/index.js';
import { loadSpec } from '../../src/spec/load.js';
import { serve, sleep } from './helpers.js';

/** A console that records what the snippets print. */
function recorder() {
  const lines: string[] = [];
  const fmt = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  return { lines, console: { log: (...a: unknown[]) => lines.push(fmt(a)), error: (...a: unknown[]) => lines.push(`ERR ${fmt(a)}`) } };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
}

describe('the documents\' JavaScript snippets run unchanged against the reference server (only the URL adapted)', () => {
  it('listens on each document\'s own port by default', async () => {
    const ports = await Promise.all(['kiwi', 'clown', 'coda', 'aragora', 'aragora-control-plane', 'gemini-chat'].map(async (id) => documentedPort(await loadSpec(id))));
    expect(ports).toEqual([7789, 8765, 8765, 8765, 8766, 3000]);
  });

  it('Clown: "JavaScript Example"', async () => {
    const server = await serve({ protocol: 'clown' });
    const { lines, console } = recorder();
    const ws = new WebSocket(server.url);
    ws.onopen = () => {
      console.log('Connected to clown daemon');
    };
    ws.onmessage = (event) => {
      const message = JSON.parse(event.data as string);
      switch (message.type) {
        case 'ProfileCreated':
          console.log(`Profile ${message.data.alias} created`);
          break;
        case 'UsageUpdated':
          console.log(`Usage updated for ${message.data.profile}`);
          break;
        // Handle other events...
      }
    };
    ws.onclose = () => {
      console.log('Disconnected from clown daemon');
      // Implement reconnection logic
    };
    await until(() => lines.length >= 6);
    await server.close();
    await until(() => lines.length >= 7);
    expect(lines).toEqual(['Connected to clown daemon', 'Profile my-project created', 'Usage updated for my-project', 'Usage updated for my-project', 'Profile work created', 'Usage updated for my-project', 'Disconnected from clown daemon']);
  });

  it('Coda: "WebSocket Connection"', async () => {
    const server = await serve({ protocol: 'coda' });
    const { lines, console } = recorder();
    const ws = new WebSocket(server.url);
    ws.onmessage = (event) => {
      const data = JSON.parse(event.data as string);
      console.log('Event:', data.type, data);
    };
    ws.onopen = () => {
      console.log('Connected to Coda WebSocket');
    };
    await until(() => lines.length >= 35);
    ws.close();
    expect(lines[0]).toBe('Connected to Coda WebSocket');
    expect(lines[1]).toMatch(/^Event: system_info \{"version":"1.0","seq":1,/);
  });

  it('Aragora control plane: "Example: JavaScript Client"', async () => {
    const server = await serve({ protocol: 'aragora-control-plane' });
    const { lines, console } = recorder();
    const updateDashboard = (d: unknown) => console.log('dashboard', d);
    const ws = new WebSocket(server.url);
    ws.onmessage = (event) => {
      const data = JSON.parse(event.data as string);
      switch (data.type) {
        case 'agent_registered':
          console.log(`Agent ${data.data.agent_id} joined`);
          break;
        case 'task_completed':
          console.log(`Task ${data.data.task_id} completed`);
          break;
        case 'task_failed':
          console.error(`Task ${data.data.task_id} failed: ${data.data.error}`);
          break;
        case 'health_update':
          updateDashboard(data.data);
          break;
      }
    };
    // Keep connection alive
    const timer = setInterval(() => {
      ws.send(JSON.stringify({ type: 'ping' }));
    }, 30000);
    await until(() => lines.length >= 10);
    clearInterval(timer);
    ws.close();
    expect(lines).toHaveLength(10);
    expect(lines.slice(0, 5)).toEqual(['Agent agent-abc123 joined', 'Agent agent-def456 joined', 'dashboard {"status":"healthy","agents":{"total":2,"idle":2,"busy":0}}', 'Task task-xyz789 completed', 'ERR Task task-uvw456 failed: Agent timeout during execution']);
  });

  it('Gemini chat: "Basic Chat Flow", "Tool Execution Flow" and "Monitoring Flow"', async () => {
    const server = await serve({ protocol: 'gemini-chat' });
    const { lines, console } = recorder();
    const jwtToken = 'dev-user-token';
    const sessionId = 'session_123_456';
    // Basic Chat Flow
    const socket = io(server.url, {
      auth: { token: jwtToken },
    });
    socket.on('connect', () => {
      socket.emit('join-session', { sessionId });
    });
    socket.on('session-joined', () => {
      socket.emit('chat:message', {
        content: 'Hello, Gemini!',
      });
    });
    let fullResponse = '';
    socket.on('gemini:content', (data) => {
      fullResponse += data.text;
      console.log('Partial response:', data.text);
    });
    socket.on('gemini:done', () => {
      console.log('Full response:', fullResponse);
    });
    // Tool Execution Flow
    socket.on('gemini:tool-request', (data) => {
      console.log(`Gemini wants to use ${data.tool}`);
      socket.emit('tool:approve', { callId: data.callId });
    });
    socket.on('tool:execution-start', (data) => {
      console.log('Tool starting:', data.name);
    });
    socket.on('tool:execution-complete', (data) => {
      console.log('Tool completed:', data.result);
    });
    await until(() => lines.some((l) => l.startsWith('Full response')));
    socket.emit('chat:message', { content: 'Read the file please' });
    await until(() => lines.filter((l) => l.startsWith('Full response')).length >= 3);
    socket.close();
    expect(lines).toEqual([
      'Partial response: Hello! ',
      'Partial response: I can answer questions, ',
      'Partial response: read and edit files in your workspace, ',
      'Partial response: and run tools for you.',
      'Full response: Hello! I can answer questions, read and edit files in your workspace, and run tools for you.',
      'Partial response: Let me read that file.',
      'Gemini wants to use readFile',
      'Full response: Hello! I can answer questions, read and edit files in your workspace, and run tools for you.Let me read that file.',
      'Tool starting: readFile',
      'Tool completed: Remember to water the plants.',
      'Partial response: The file says: ',
      'Partial response: "Remember to water the plants."',
      'Full response: Hello! I can answer questions, read and edit files in your workspace, and run tools for you.Let me read that file.The file says: "Remember to water the plants."',
    ]);

    // Monitoring Flow (admin)
    const admin = recorder();
    const monitor = io(server.url, { auth: { token: 'dev-admin-token' } });
    await new Promise((r) => monitor.on('connect', r));
    monitor.emit('monitoring:subscribe');
    monitor.on('monitoring:event', (event) => {
      if (event.type === 'chat') {
        admin.console.log(`User ${event.userId} sent: ${event.data.userMessage}`);
      }
    });
    monitor.emit('monitoring:get-stats');
    monitor.on('monitoring:stats', (stats) => {
      admin.console.log('Activity summary:', stats);
    });
    const user = io(server.url, { auth: { token: jwtToken } });
    user.emit('chat:message', { content: 'Hi from user 3' });
    await until(() => admin.lines.length >= 2);
    monitor.close();
    user.close();
    expect(admin.lines[0]).toMatch(/^Activity summary: \{"totalEvents":\d+,/);
    expect(admin.lines[1]).toBe('User user-3 sent: Hi from user 3');
  });
});
