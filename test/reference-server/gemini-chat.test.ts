import { describe, expect, it, vi } from 'vitest';
import { serve, sio, sleep } from './helpers.js';

const USER = 'dev-user-token';
const ADMIN = 'dev-admin-token';

describe('gemini-chat reference server', () => {
  it('serves the default namespace at http://127.0.0.1:PORT', async () => {
    const server = await serve({ protocol: 'gemini-chat' });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.urls).toEqual([server.url]);
  });

  it('refuses a handshake without a token, or with a wrong one, with connect_error "Authentication failed"', async () => {
    const server = await serve({ protocol: 'gemini-chat' });
    await expect(sio(server.url)).rejects.toThrow('Authentication failed');
    await expect(sio(server.url, 'wrong')).rejects.toThrow('Authentication failed');
    await expect(sio(server.url, USER)).resolves.toBeTruthy();
  });

  it('accepts the configured tokens instead of the defaults', async () => {
    const server = await serve({ protocol: 'gemini-chat', token: 'u-1', adminToken: 'a-1' });
    await expect(sio(server.url, USER)).rejects.toThrow('Authentication failed');
    const admin = await sio(server.url, 'a-1');
    admin.socket.emit('monitoring:get-stats', {});
    expect((await admin.waitFor('monitoring:stats')).totalEvents).toBe(1);
  });

  it('answers join-session for a known session with session-joined and for any other id with "Session not found"', async () => {
    const server = await serve({ protocol: 'gemini-chat' });
    const c = await sio(server.url, USER);
    c.socket.emit('join-session', { sessionId: 'session_123_456' });
    expect(await c.waitFor('session-joined')).toEqual({ sessionId: 'session_123_456' });
    c.socket.emit('join-session', { sessionId: 'session_999' });
    expect(await c.waitFor('error')).toEqual({ message: 'Session not found' });
    c.socket.emit('join-session', {});
    await c.count(3);
    expect(c.events.slice(2)).toEqual([['error', { message: 'Invalid message format' }]]);
  });

  it('streams gemini:content with the running concatenation, then gemini:done with the full response', async () => {
    const server = await serve({ protocol: 'gemini-chat' });
    const c = await sio(server.url, USER);
    c.socket.emit('chat:message', { content: 'Hello, Gemini! How can you help me today?' });
    const done = await c.waitFor('gemini:done');
    expect(c.names()).toEqual(['gemini:thought', 'gemini:content', 'gemini:content', 'gemini:content', 'gemini:content', 'gemini:done']);
    const contents = c.events.filter((e) => e[0] === 'gemini:content').map((e) => e[1]);
    let acc = '';
    for (const chunk of contents) {
      acc += chunk.text;
      expect(chunk.accumulated).toBe(acc);
    }
    expect(done).toEqual({ fullResponse: 'Hello! I can answer questions, read and edit files in your workspace, and run tools for you.', timestamp: '2026-01-08T10:30:00.700Z' });
  });

  it('sends chat:typing to the other users of the session, not to the sender', async () => {
    const server = await serve({ protocol: 'gemini-chat' });
    const a = await sio(server.url, USER);
    const b = await sio(server.url, USER);
    a.socket.emit('join-session', { sessionId: 'session_demo' });
    b.socket.emit('join-session', { sessionId: 'session_demo' });
    await a.waitFor('session-joined');
    await b.waitFor('session-joined');
    a.socket.emit('chat:message', { content: 'Hello' });
    await a.waitFor('gemini:done');
    await b.count(3);
    expect(b.events.slice(1)).toEqual([
      ['chat:typing', { userId: 'user-1', typing: true }],
      ['chat:typing', { userId: 'user-1', typing: false }],
    ]);
    expect(a.names()).not.toContain('chat:typing');
  });

  it('answers a tool request: approval runs the tool and continues the answer; rejection answers tool:rejected', async () => {
    const server = await serve({ protocol: 'gemini-chat' });
    const c = await sio(server.url, USER);
    c.socket.emit('chat:message', { content: 'What does the file say?' });
    const request = await c.waitFor('gemini:tool-request');
    expect(request).toEqual({ callId: expect.stringMatching(/^call_[0-9a-f]{12}$/), tool: 'readFile', args: { path: '/workspace/file.txt' } });
    await c.waitFor('gemini:done');
    const from = c.events.length;
    c.socket.emit('tool:approve', { callId: request.callId });
    await c.waitFor('gemini:done', 2000, from);
    expect(c.events.slice(from)).toEqual([
      ['tool:approved', { approvedBy: 'user-1', callId: request.callId, timestamp: '2026-01-08T10:30:00.300Z' }],
      ['tool:execution-start', { name: 'readFile', args: { path: '/workspace/file.txt' }, callId: request.callId }],
      ['tool:execution-complete', { name: 'readFile', result: 'Remember to water the plants.', resultDisplay: 'file.txt (29 bytes)', executionTime: 12, callId: request.callId }],
      ['gemini:tool-result', { callId: request.callId, result: 'Remember to water the plants.' }],
      ['gemini:content', { text: 'The file says: ', accumulated: 'The file says: ' }],
      ['gemini:content', { text: '"Remember to water the plants."', accumulated: 'The file says: "Remember to water the plants."' }],
      ['gemini:done', { fullResponse: 'The file says: "Remember to water the plants."', timestamp: '2026-01-08T10:30:00.620Z' }],
    ]);
    c.socket.emit('chat:message', { content: 'Read the other file' });
    const second = await c.waitFor('gemini:tool-request', 2000, from + 7);
    c.socket.emit('tool:reject', { callId: second.callId, reason: 'Security concern' });
    expect(await c.waitFor('tool:rejected')).toEqual({ rejectedBy: 'user-1', reason: 'Security concern', callId: second.callId });
  });

  it('executes a listed tool with start then complete under one callId, and an unknown tool with start then error', async () => {
    const server = await serve({ protocol: 'gemini-chat' });
    const c = await sio(server.url, USER);
    c.socket.emit('tool:execute', { name: 'readFile', args: { path: '/workspace/file.txt' }, callId: 'optional-call-id' });
    c.socket.emit('tool:execute', { name: 'formatDisk', args: {} });
    await c.waitFor('tool:execution-error');
    const [, , , [, err]] = c.events;
    expect(c.events.slice(0, 3)).toEqual([
      ['tool:execution-start', { name: 'readFile', args: { path: '/workspace/file.txt' }, callId: 'optional-call-id' }],
      ['tool:execution-complete', { name: 'readFile', result: 'Remember to water the plants.', resultDisplay: 'file.txt (29 bytes)', executionTime: 12, callId: 'optional-call-id' }],
      ['tool:execution-start', { name: 'formatDisk', args: {}, callId: err.callId }],
    ]);
    expect(err).toEqual({ name: 'formatDisk', error: 'Unknown tool: formatDisk', executionTime: 0, callId: expect.stringMatching(/^call_[0-9a-f]{12}$/) });
  });

  it('answers tool:list, chat:get-history, chat:clear and chat:cancel', async () => {
    const server = await serve({ protocol: 'gemini-chat' });
    const c = await sio(server.url, USER);
    c.socket.emit('tool:list');
    expect((await c.waitFor('tool:list-response')).tools.map((t: { name: string }) => t.name)).toEqual(['readFile', 'listFiles', 'runCommand']);
    c.socket.emit('chat:message', { content: 'Hi' });
    await c.waitFor('gemini:done');
    c.socket.emit('chat:get-history');
    expect(await c.waitFor('chat:history')).toEqual({
      history: [
        { role: 'user', content: 'Hi', timestamp: '2026-01-08T10:30:00Z' },
        { role: 'model', content: 'Hello! I can answer questions, read and edit files in your workspace, and run tools for you.', timestamp: '2026-01-08T10:30:00.700Z' },
      ],
      timestamp: '2026-01-08T10:30:00.700Z',
    });
    c.socket.emit('chat:clear');
    expect(await c.waitFor('chat:cleared')).toEqual({ timestamp: '2026-01-08T10:30:00.700Z' });
    c.socket.emit('chat:get-history');
    const n = c.events.length;
    expect((await c.waitFor('chat:history', 2000, n)).history).toEqual([]);
    c.socket.emit('chat:cancel');
    expect(await c.waitFor('gemini:cancelled')).toEqual({ message: 'Request cancelled' });
  });

  it('cancels a paced response that is still streaming', async () => {
    const server = await serve({ protocol: 'gemini-chat', speed: 1 });
    const c = await sio(server.url, USER);
    c.socket.emit('chat:message', { content: 'Hello' });
    await c.waitFor('gemini:thought');
    c.socket.emit('chat:cancel');
    await c.waitFor('gemini:cancelled');
    await sleep(700);
    expect(c.names()).toEqual(['gemini:thought', 'gemini:cancelled']);
  });

  it('refuses every monitoring operation to a non-admin with "Access denied" and never sends it monitoring events', async () => {
    const server = await serve({ protocol: 'gemini-chat' });
    const user = await sio(server.url, USER);
    for (const op of ['monitoring:subscribe', 'monitoring:unsubscribe', 'monitoring:get-events', 'monitoring:get-stats', 'monitoring:broadcast']) user.socket.emit(op);
    // Wait for the five answers rather than a fixed time: under load 100 ms was not enough.
    await user.count(5);
    expect(user.events).toEqual(Array(5).fill(['error', { message: 'Access denied' }]));
    user.socket.emit('chat:message', { content: 'Hello' });
    await user.waitFor('gemini:done');
    expect(user.names().filter((n) => n.startsWith('monitoring:'))).toEqual([]);
  });

  it('streams monitoring:event for every activity to a subscribed admin and answers its queries', async () => {
    const server = await serve({ protocol: 'gemini-chat' });
    const admin = await sio(server.url, ADMIN);
    admin.socket.emit('monitoring:subscribe');
    expect(await admin.waitFor('monitoring:event')).toEqual({ type: 'monitoring:subscribe', userId: 'admin-1', data: {}, timestamp: '2026-01-08T10:30:00Z' });
    const user = await sio(server.url, USER);
    user.socket.emit('join-session', { sessionId: 'session_123_456' });
    user.socket.emit('chat:message', { content: 'Hello, Gemini!' });
    await user.waitFor('gemini:done');
    await vi.waitFor(() => expect(admin.events.filter((e) => e[0] === 'monitoring:event').length).toBeGreaterThanOrEqual(4), { timeout: 5000 });
    expect(admin.events.filter((e) => e[0] === 'monitoring:event').map((e) => [e[1].type, e[1].userId, e[1].data])).toEqual([
      ['monitoring:subscribe', 'admin-1', {}],
      ['connect', 'user-2', {}],
      ['session', 'user-2', { sessionId: 'session_123_456' }],
      ['chat', 'user-2', { userMessage: 'Hello, Gemini!' }],
    ]);
    admin.socket.emit('monitoring:get-stats');
    expect(await admin.waitFor('monitoring:stats')).toEqual({ totalEvents: 5, byType: { connect: 2, 'monitoring:subscribe': 1, session: 1, chat: 1 }, byUser: { 'admin-1': 2, 'user-2': 3 }, toolUsage: {} });
    admin.socket.emit('monitoring:get-events', { userId: 'user-2', limit: 2 });
    expect((await admin.waitFor('monitoring:events')).events.map((e: { type: string }) => e.type)).toEqual(['session', 'chat']);
  });

  it('relays monitoring:broadcast to every client as system:broadcast', async () => {
    const server = await serve({ protocol: 'gemini-chat' });
    const admin = await sio(server.url, ADMIN);
    const user = await sio(server.url, USER);
    admin.socket.emit('monitoring:broadcast', { message: 'System maintenance in 10 minutes', type: 'warning' });
    const expected = { message: 'System maintenance in 10 minutes', type: 'warning', from: 'admin-1', timestamp: '2026-01-08T10:30:00Z' };
    expect(await user.waitFor('system:broadcast')).toEqual(expected);
    expect(await admin.waitFor('system:broadcast')).toEqual(expected);
  });

  it('ignores an unknown event and answers a malformed known one with "Invalid message format"', async () => {
    const server = await serve({ protocol: 'gemini-chat' });
    const c = await sio(server.url, USER);
    c.socket.emit('no:such-event', { x: 1 });
    c.socket.emit('chat:message', { content: 42 });
    c.socket.emit('tool:list');
    await c.waitFor('tool:list-response');
    expect(c.names()).toEqual(['error', 'tool:list-response']);
    expect(c.events[0][1]).toEqual({ message: 'Invalid message format' });
  });
});
