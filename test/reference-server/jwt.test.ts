import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startReferenceServer, type RunningServer } from '../../reference-server/index.js';
import { connect } from '../../src/client/index.js';

const SECRET = 'a-secret-of-the-test-suite-at-least-32-bytes';
const jwt = (claims: Record<string, unknown>, secret = SECRET) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('10m').sign(new TextEncoder().encode(secret));

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the reference server with --jwt-secret', () => {
  it('accepts a gemini-chat JWT, grants monitoring only to role admin, and refuses a JWT signed with another secret', async () => {
    server = await startReferenceServer({ protocol: 'gemini-chat', port: 0, instant: true, jwtSecret: SECRET });
    const user = await connect('gemini-chat', server.url, { token: await jwt({ sub: 'u1', role: 'engineer' }) });
    const denied = user.once('error');
    user.send('monitoring:get-stats', {});
    expect(await denied).toMatchObject({ message: 'Access denied' });
    await user.close();

    const admin = await connect('gemini-chat', server.url, { token: await jwt({ sub: 'a1', role: 'admin' }) });
    const stats = admin.once('monitoring:stats');
    admin.send('monitoring:get-stats', {});
    expect(typeof (await stats).totalEvents).toBe('number');
    await admin.close();

    await expect(connect('gemini-chat', server.url, { token: await jwt({ role: 'admin' }, 'another-secret-of-at-least-32-bytes!!'), timeoutMs: 2000 })).rejects.toThrow('Authentication failed');
  });

  it('authenticates an Aragora client presenting a JWT as its bearer token', async () => {
    server = await startReferenceServer({ protocol: 'aragora', port: 0, instant: true, jwtSecret: SECRET });
    const ws = new WebSocket(server.url, { headers: { Authorization: `Bearer ${await jwt({ sub: 'u1' })}` } });
    const first = await new Promise<Record<string, any>>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
    expect(first).toMatchObject({ type: 'connection_info', data: { authenticated: true, write_access: true } });
    ws.close();
  });
});
