import { describe, expect, it } from 'vitest';
import { decodeEnginePacket, engineUrl } from '../../src/transport/index.js';
import { resolveTargets } from '../../src/runner/index.js';
import { loadSpec } from '../../src/spec/load.js';

describe('the Socket.IO wire decoder', () => {
  it('decodes Engine.IO open, ping and Socket.IO EVENT, CONNECT and CONNECT_ERROR packets', () => {
    expect(decodeEnginePacket('0{"sid":"a","pingInterval":200,"pingTimeout":400}')).toEqual({ sio: { engine: 'open', data: { sid: 'a', pingInterval: 200, pingTimeout: 400 } }, json: true });
    expect(decodeEnginePacket('2')).toEqual({ sio: { engine: 'ping', data: undefined } });
    expect(decodeEnginePacket('42["chat:history",{"history":[]}]')).toEqual({ sio: { engine: 'message', packet: 'EVENT', nsp: '/' }, json: true, message: ['chat:history', { history: [] }] });
    expect(decodeEnginePacket('42/admin,7["x"]')).toEqual({ sio: { engine: 'message', packet: 'EVENT', nsp: '/admin' }, json: true, message: ['x'] });
    expect(decodeEnginePacket('40{"sid":"s"}')).toEqual({ sio: { engine: 'message', packet: 'CONNECT', nsp: '/', data: { sid: 's' } }, json: true });
    expect(decodeEnginePacket('44{"message":"Authentication failed"}')).toEqual({ sio: { engine: 'message', packet: 'CONNECT_ERROR', nsp: '/', data: { message: 'Authentication failed' } }, json: true });
  });

  it('names what is wrong with a frame that is no Engine.IO packet or holds bad JSON', () => {
    expect(decodeEnginePacket('hello')).toEqual({ sio: { engine: 'invalid' }, json: false, parseError: 'not an Engine.IO packet' });
    expect(decodeEnginePacket('42["x",{').json).toBe(false);
  });

  it('turns a Socket.IO server URL into its Engine.IO websocket URL and namespace', () => {
    expect(engineUrl('http://127.0.0.1:3000')).toEqual({ url: 'ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket', namespace: '/' });
    expect(engineUrl('https://h/admin?x=1')).toEqual({ url: 'wss://h/socket.io/?x=1&EIO=4&transport=websocket', namespace: '/admin' });
  });
});

describe('the targets of a run', () => {
  it('derives every documented channel from the URL, the primary being the one the URL names', async () => {
    const aragora = await loadSpec('aragora');
    expect(resolveTargets(aragora, 'ws://h:1/')).toEqual({ primary: { address: '/', url: 'ws://h:1/' }, channels: [{ address: '/', url: 'ws://h:1/' }, { address: '/ws', url: 'ws://h:1/ws' }] });
    expect(resolveTargets(aragora, 'ws://h:1/ws?token=t').primary).toEqual({ address: '/ws', url: 'ws://h:1/ws?token=t' });
    const kiwi = await loadSpec('kiwi');
    expect(resolveTargets(kiwi, 'http://h:7789').primary).toEqual({ address: '/api/events', url: 'ws://h:7789/api/events' });
  });

  it('tests the URL given, path included, and derives the other channels from it', async () => {
    const kiwi = await loadSpec('kiwi');
    // A wrong path is the primary, so handshake/upgrade judges it; the documented one is tested too.
    expect(resolveTargets(kiwi, 'ws://h:1/api/event')).toEqual({ primary: { address: '/api/event', url: 'ws://h:1/api/event' }, channels: [{ address: '/api/event', url: 'ws://h:1/api/event' }, { address: '/api/events', url: 'ws://h:1/api/events' }] });
    // Behind a proxy: the prefix before a documented address is kept for the other channels.
    const cp = await loadSpec('aragora-control-plane');
    expect(resolveTargets(cp, 'wss://h/edge/ws/control-plane?token=t')).toEqual({
      primary: { address: '/ws/control-plane', url: 'wss://h/edge/ws/control-plane?token=t' },
      channels: [{ address: '/ws/control-plane', url: 'wss://h/edge/ws/control-plane?token=t' }, { address: '/api/control-plane/stream', url: 'wss://h/edge/api/control-plane/stream?token=t' }],
    });
  });
});
