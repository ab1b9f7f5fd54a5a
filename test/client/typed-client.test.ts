import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceServer, type RunningServer } from '../../reference-server/index.js';
import { connect } from '../../src/client/index.js';
import type { ValidationResult } from '../../src/spec/validator.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('connect (the typed client)', () => {
  it('receives typed Kiwi events and gets a pong for a ping', async () => {
    server = await startReferenceServer({ protocol: 'kiwi', port: 0, instant: true });
    const kiwi = await connect('kiwi', server.url, { validate: true });
    const wake = await kiwi.once('WAKE_WORD_DETECTED');
    expect(typeof wake.data.text).toBe('string');
    expect(typeof wake.timestamp).toBe('number');
    const pong = kiwi.once('pong');
    kiwi.send('ping', { type: 'ping' });
    expect(await pong).toMatchObject({ event: 'pong' });
    await kiwi.close();
  });

  it('speaks Socket.IO with the handshake token and typed payloads', async () => {
    server = await startReferenceServer({ protocol: 'gemini-chat', port: 0, instant: true, token: 'user-t', adminToken: 'admin-t' });
    const chat = await connect('gemini-chat', server.url, { token: 'user-t' });
    const tools = chat.once('tool:list-response');
    chat.send('tool:list');
    expect(Array.isArray((await tools).tools)).toBe(true);
    await chat.close();
  });

  it('rejects with the server refusal when the Socket.IO token is wrong', async () => {
    server = await startReferenceServer({ protocol: 'gemini-chat', port: 0, instant: true, token: 'user-t' });
    await expect(connect('gemini-chat', server.url, { token: 'nope', timeoutMs: 2000 })).rejects.toThrow(/auth/i);
  });

  it('reports frames that do not conform when validate is on', async () => {
    server = await startReferenceServer({ protocol: 'kiwi', port: 0, instant: true, faults: ['timestamp-iso'] });
    const invalid: ValidationResult[] = [];
    const kiwi = await connect('kiwi', server.url, { validate: true, onInvalid: (r) => invalid.push(r) });
    await kiwi.once('WAKE_WORD_DETECTED');
    expect(invalid.length).toBeGreaterThan(0);
    expect(invalid[0].issues[0]).toMatchObject({ code: 'envelope', path: '$.timestamp' });
    await kiwi.close();
  });
});
