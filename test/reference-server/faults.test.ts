import { describe, expect, it } from 'vitest';
import { FAULTS, ReferenceServerError, startReferenceServer } from '../../reference-server/index.js';
import { loadSpec } from '../../src/spec/load.js';
import { BUILTIN_PROTOCOLS } from '../../src/spec/paths.js';
import { connect, serve, sio, sleep, upgradeStatus } from './helpers.js';

const ANTHROPIC_SEQ = (frames: any[]) => frames.filter((f) => f.agent === 'anthropic-api').map((f) => f.agent_seq);

describe('the fault list', () => {
  it('names every fault with one line of what it breaks, its protocols and the checks that catch it', () => {
    expect(FAULTS.map((f) => f.name)).toEqual([
      'no-pong', 'pong-no-echo', 'pong-missing-fields', 'ignore-ws-ping', 'no-keepalive', 'slow-heartbeat', 'seq-regress', 'agent-seq-regress',
      'initial-out-of-order', 'initial-missing', 'timestamp-iso', 'rename-name-field', 'batch-array', 'binary-frames', 'extra-event',
      'missing-field', 'rename-event', 'rename-field', 'null-field', 'accept-missing-token', 'accept-bad-token', 'ignore-query-token', 'allow-unauth-writes', 'allow-admin-ops', 'leak-monitoring', 'echo-token',
      'accumulated-mismatch', 'full-response-mismatch', 'lifecycle-orphan-end', 'unsolicited-reply', 'no-reply', 'close-on-invalid-json',
      'crash-on-invalid-json', 'ignore-unknown', 'close-on-unknown', 'crash-on-unknown', 'crash-on-non-object', 'close-on-non-object', 'accept-oversized', 'crash-on-oversized', 'no-broadcast', 'no-opening-reply', 'operation-after-end', 'accept-no-subprotocol', 'wrong-close-codes', 'batch-unbatched', 'misanswer-probes', 'refuse-channel', 'reject-namespace',
    ]);
    for (const f of FAULTS) {
      expect(f.description).not.toContain('\n');
      expect(f.catches.length).toBeGreaterThan(0);
    }
  });

  it('lists for each fault exactly the built-in protocols whose document it applies to', async () => {
    for (const id of BUILTIN_PROTOCOLS) {
      const spec = await loadSpec(id);
      const byDocument = FAULTS.filter((f) => f.applies(spec)).map((f) => f.name);
      const listed = FAULTS.filter((f) => f.protocols.includes(id)).map((f) => f.name);
      expect([id, listed]).toEqual([id, byDocument]);
    }
  });

  it('refuses an unknown fault and a fault of another protocol with WSC_FAULT, listing the valid ones', async () => {
    const unknown = await startReferenceServer({ protocol: 'clown', port: 0, faults: ['nope'] }).catch((e) => e as ReferenceServerError);
    expect([unknown.code, unknown.message]).toEqual(['WSC_FAULT', 'unknown fault "nope"; valid faults for clown: ignore-ws-ping, timestamp-iso, rename-name-field, batch-array, binary-frames, extra-event, missing-field, rename-event, rename-field, null-field, crash-on-invalid-json, crash-on-unknown, crash-on-non-object, crash-on-oversized, no-broadcast']);
    const other = await startReferenceServer({ protocol: 'clown', port: 0, faults: ['no-pong'] }).catch((e) => e as ReferenceServerError);
    expect(other.message).toMatch(/^fault "no-pong" does not apply to clown \(it applies to kiwi, aragora-control-plane\); valid faults for clown: ignore-ws-ping, /);
  });
});

describe('each fault breaks the behaviour it names', () => {
  it('no-pong: kiwi and the control plane ignore the application ping', async () => {
    for (const [protocol, n, ping] of [['kiwi', 30, { type: 'ping' }], ['aragora-control-plane', 36, { type: 'ping' }]] as const) {
      const client = await connect((await serve({ protocol, faults: ['no-pong'] })).url);
      await client.count(n);
      client.send(ping);
      await sleep(150);
      expect(client.frames).toHaveLength(n);
    }
  });

  it('pong-missing-fields: the control plane pong has no timestamp', async () => {
    const client = await connect((await serve({ protocol: 'aragora-control-plane', faults: ['pong-missing-fields'] })).url);
    await client.count(36);
    client.send({ type: 'ping' });
    expect(await client.waitFor((f) => f.type === 'pong')).toEqual({ type: 'pong' });
  });

  it('ignore-ws-ping: a WebSocket ping frame gets no pong frame', async () => {
    const client = await connect((await serve({ protocol: 'kiwi', faults: ['ignore-ws-ping'] })).url);
    let pongs = 0;
    client.ws.on('pong', () => pongs++);
    client.ws.ping('x');
    await sleep(150);
    expect(pongs).toBe(0);
  });

  it('no-keepalive: coda sends no ping frames', async () => {
    const client = await connect((await serve({ protocol: 'coda', keepaliveIntervalMs: 50, faults: ['no-keepalive'] })).url);
    let pings = 0;
    client.ws.on('ping', () => pings++);
    await sleep(300);
    expect(pings).toBe(0);
  });

  it('slow-heartbeat: the Socket.IO client times out waiting for the advertised pings', async () => {
    const healthy = await sio((await serve({ protocol: 'gemini-chat', keepaliveIntervalMs: 100 })).url, 'dev-user-token');
    const broken = await sio((await serve({ protocol: 'gemini-chat', keepaliveIntervalMs: 100, faults: ['slow-heartbeat'] })).url, 'dev-user-token');
    const reason = await new Promise<string>((resolve) => broken.socket.on('disconnect', resolve));
    expect(reason).toBe('ping timeout');
    expect(healthy.socket.connected).toBe(true);
  });

  it('seq-regress: coda\'s third seq goes back to 1', async () => {
    const client = await connect((await serve({ protocol: 'coda', faults: ['seq-regress'] })).url);
    expect((await client.count(6)).map((f) => f.seq)).toEqual([1, 2, 1, 4, 5, 6]);
  });

  it('agent-seq-regress: an agent\'s third agent_seq goes back to 1 while seq stays increasing', async () => {
    const client = await connect((await serve({ protocol: 'aragora', faults: ['agent-seq-regress'] })).url);
    const frames = await client.count(121);
    expect(ANTHROPIC_SEQ(frames).slice(0, 5)).toEqual([1, 2, 1, 4, 5]);
    expect(frames.slice(4).map((f) => f.seq).slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
  });

  it('initial-out-of-order: connection_info comes after loop_list; connected after the first event', async () => {
    const a = await connect((await serve({ protocol: 'aragora', faults: ['initial-out-of-order'] })).url);
    expect((await a.count(4)).map((f) => f.type)).toEqual(['loop_list', 'connection_info', 'sync', 'sync']);
    const cp = await connect((await serve({ protocol: 'aragora-control-plane', faults: ['initial-out-of-order'] })).url);
    expect((await cp.count(3)).map((f) => f.type)).toEqual(['agent_registered', 'connected', 'agent_registered']);
  });

  it('initial-missing: no connection_info, no connected', async () => {
    const a = await connect((await serve({ protocol: 'aragora', faults: ['initial-missing'] })).url);
    const frames = await a.count(120);
    expect(frames.map((f) => f.type).slice(0, 3)).toEqual(['loop_list', 'sync', 'sync']);
    expect(frames.some((f) => f.type === 'connection_info')).toBe(false);
    const cp = await connect((await serve({ protocol: 'aragora-control-plane', faults: ['initial-missing'] })).url);
    expect((await cp.count(35)).some((f) => f.type === 'connected')).toBe(false);
  });

  it('timestamp-iso: kiwi sends ISO strings, clown sends epoch seconds', async () => {
    const kiwi = await connect((await serve({ protocol: 'kiwi', faults: ['timestamp-iso'] })).url);
    expect((await kiwi.count(2)).map((f) => f.timestamp)).toEqual(['2024-02-27T02:13:20Z', '2024-02-27T02:13:20.015Z']);
    const clown = await connect((await serve({ protocol: 'clown', faults: ['timestamp-iso'] })).url);
    expect((await clown.count(2)).map((f) => f.timestamp)).toEqual([1767868200, 1767868200.4]);
  });

  it('rename-name-field: kiwi\'s event becomes type, clown\'s type becomes event_type', async () => {
    const kiwi = await connect((await serve({ protocol: 'kiwi', faults: ['rename-name-field'] })).url);
    await kiwi.count(1);
    expect(kiwi.texts[0]).toBe('{"type":"WAKE_WORD_DETECTED","data":{"text":"kiwi"},"timestamp":1709000000,"source":"listener"}');
    const clown = await connect((await serve({ protocol: 'clown', faults: ['rename-name-field'] })).url);
    expect(Object.keys((await clown.count(1))[0])).toEqual(['event_type', 'timestamp', 'data']);
  });

  it('batch-array: stream events arrive two per frame in a JSON array', async () => {
    const client = await connect((await serve({ protocol: 'kiwi', faults: ['batch-array'] })).url);
    const frames = await client.count(15);
    expect(frames.every((f) => Array.isArray(f) && f.length === 2)).toBe(true);
    expect(frames[0].map((f: { event: string }) => f.event)).toEqual(['WAKE_WORD_DETECTED', 'STATE_CHANGED']);
  });

  it('binary-frames: every message is a binary frame', async () => {
    const client = await connect((await serve({ protocol: 'kiwi', faults: ['binary-frames'] })).url);
    await client.count(30);
    expect(client.binary.every((b) => b)).toBe(true);
    expect(client.frames[0].event).toBe('WAKE_WORD_DETECTED');
  });

  it('extra-event: an undocumented event follows the first one', async () => {
    const kiwi = await connect((await serve({ protocol: 'kiwi', faults: ['extra-event'] })).url);
    expect((await kiwi.count(31))[1]).toEqual({ event: 'UNDOCUMENTED_EVENT', data: { text: 'kiwi' }, timestamp: 1709000000, source: 'listener' });
    const gemini = await sio((await serve({ protocol: 'gemini-chat', faults: ['extra-event'] })).url, 'dev-user-token');
    gemini.socket.emit('join-session', { sessionId: 'session_123_456' });
    expect(await gemini.waitFor('undocumented:event')).toEqual({ sessionId: 'session_123_456' });
  });

  it('missing-field: the first message with a required payload field loses it', async () => {
    const kiwi = await connect((await serve({ protocol: 'kiwi', faults: ['missing-field'] })).url);
    const [first, second] = await kiwi.count(2);
    expect(first).toEqual({ event: 'WAKE_WORD_DETECTED', data: {}, timestamp: 1709000000, source: 'listener' });
    expect(second.data).toEqual({ old: 'IDLE', new: 'LISTENING' });
    const coda = await connect((await serve({ protocol: 'coda', faults: ['missing-field'] })).url);
    const result = (await coda.count(34)).find((f) => f.type === 'stt_result');
    expect(result).toMatchObject({ text: 'Hello world', duration_ms: 1500 });
    expect(result.confidence).toBeUndefined();
    const gemini = await sio((await serve({ protocol: 'gemini-chat', faults: ['missing-field'] })).url, 'dev-user-token');
    gemini.socket.emit('join-session', { sessionId: 'session_123_456' });
    expect(await gemini.waitFor('session-joined')).toEqual({});
  });

  it('accept-missing-token: a client without a token is authenticated', async () => {
    const client = await connect((await serve({ protocol: 'aragora', token: 's3cret', faults: ['accept-missing-token'] })).url);
    expect((await client.count(1))[0].data).toMatchObject({ authenticated: true, write_access: true });
    const server = await serve({ protocol: 'gemini-chat', faults: ['accept-missing-token'] });
    await expect(sio(server.url)).resolves.toBeTruthy();
    await expect(sio(server.url, 'wrong')).rejects.toThrow('Authentication failed');
  });

  it('accept-bad-token: a wrong token authenticates', async () => {
    const server = await serve({ protocol: 'aragora', token: 's3cret', faults: ['accept-bad-token'] });
    const client = await connect(server.url, { headers: { Authorization: 'Bearer wrong' } });
    expect((await client.count(1))[0].data).toMatchObject({ authenticated: true, write_access: true });
    await expect(sio((await serve({ protocol: 'gemini-chat', faults: ['accept-bad-token'] })).url, 'wrong')).resolves.toBeTruthy();
  });

  it('ignore-query-token: ?token= is ignored but the Bearer header still works', async () => {
    const server = await serve({ protocol: 'aragora', token: 's3cret', faults: ['ignore-query-token'] });
    const query = await connect(`${server.url}?token=s3cret`);
    expect((await query.count(1))[0].data.authenticated).toBe(false);
    const bearer = await connect(server.url, { headers: { Authorization: 'Bearer s3cret' } });
    expect((await bearer.count(1))[0].data.authenticated).toBe(true);
  });

  it('allow-unauth-writes: a vote without a token is acknowledged', async () => {
    const client = await connect((await serve({ protocol: 'aragora', token: 's3cret', faults: ['allow-unauth-writes'] })).url);
    await client.count(121);
    client.send({ type: 'user_vote', loop_id: 'loop_abc123', payload: { choice: 'A', intensity: 5 } });
    expect((await client.waitFor((f) => f.type !== 'loop_list', 2000, 121)).type).toBe('ack');
  });

  it('allow-admin-ops: a non-admin gets monitoring:stats', async () => {
    const user = await sio((await serve({ protocol: 'gemini-chat', faults: ['allow-admin-ops'] })).url, 'dev-user-token');
    user.socket.emit('monitoring:get-stats');
    expect((await user.waitFor('monitoring:stats')).totalEvents).toBe(1);
  });

  it('leak-monitoring: a non-admin that never subscribed receives monitoring:event', async () => {
    const server = await serve({ protocol: 'gemini-chat', faults: ['leak-monitoring'] });
    const watcher = await sio(server.url, 'dev-user-token');
    const other = await sio(server.url, 'dev-user-token');
    other.socket.emit('chat:message', { content: 'Hello' });
    await other.waitFor('gemini:done');
    await sleep(50);
    expect(watcher.events.filter((e) => e[0] === 'monitoring:event').map((e) => [e[1].type, e[1].userId])).toEqual([
      ['connect', 'user-1'],
      ['connect', 'user-2'],
      ['chat', 'user-2'],
    ]);
  });

  it('echo-token: the presented token comes back in a server message', async () => {
    const client = await connect(`${(await serve({ protocol: 'aragora', token: 's3cret', faults: ['echo-token'] })).url}?token=s3cret`);
    // In a field of its own: no id another rule matches on changes.
    expect((await client.count(1))[0].data.token).toBe('s3cret');
    const gemini = await sio((await serve({ protocol: 'gemini-chat', faults: ['echo-token'] })).url, 'dev-user-token');
    gemini.socket.emit('tool:list');
    await gemini.waitFor('tool:list-response');
    expect(JSON.stringify(gemini.events)).toContain('dev-user-token');
  });

  it('accumulated-mismatch and full-response-mismatch: the stream does not add up', async () => {
    const acc = await sio((await serve({ protocol: 'gemini-chat', faults: ['accumulated-mismatch'] })).url, 'dev-user-token');
    acc.socket.emit('chat:message', { content: 'Hello' });
    await acc.waitFor('gemini:done');
    expect(acc.events.filter((e) => e[0] === 'gemini:content')[1][1]).toEqual({ text: 'I can answer questions, ', accumulated: 'I can answer questions, ' });
    const full = await sio((await serve({ protocol: 'gemini-chat', faults: ['full-response-mismatch'] })).url, 'dev-user-token');
    full.socket.emit('chat:message', { content: 'Hello' });
    expect((await full.waitFor('gemini:done')).fullResponse).toBe('Hello! I can answer questions, read and edit files in your workspace, ');
  });

  it('lifecycle-orphan-end: tool:execution-complete arrives again after its lifecycle ended', async () => {
    const c = await sio((await serve({ protocol: 'gemini-chat', faults: ['lifecycle-orphan-end'] })).url, 'dev-user-token');
    c.socket.emit('tool:execute', { name: 'readFile', args: { path: '/x' }, callId: 'c1' });
    await c.waitFor('tool:execution-complete');
    await sleep(50);
    expect(c.names()).toEqual(['tool:execution-start', 'tool:execution-complete', 'tool:execution-complete']);
  });

  it('unsolicited-reply: a pong (kiwi) or an ack (aragora) arrives without a request', async () => {
    const kiwi = await connect((await serve({ protocol: 'kiwi', faults: ['unsolicited-reply'] })).url);
    expect((await kiwi.count(31))[0]).toEqual({ event: 'pong' });
    const aragora = await connect((await serve({ protocol: 'aragora', faults: ['unsolicited-reply'] })).url);
    expect((await aragora.count(5))[4].type).toBe('ack');
  });

  it('no-reply: get_loops and tool:list are ignored', async () => {
    const aragora = await connect((await serve({ protocol: 'aragora', faults: ['no-reply'] })).url);
    await aragora.count(121);
    aragora.send({ type: 'get_loops' });
    const gemini = await sio((await serve({ protocol: 'gemini-chat', faults: ['no-reply'] })).url, 'dev-user-token');
    gemini.socket.emit('tool:list');
    gemini.socket.emit('chat:get-history');
    await sleep(150);
    expect(aragora.frames).toHaveLength(121);
    expect(gemini.events).toEqual([]);
  });

  it('crash-on-invalid-json: a frame that is not JSON drops every client and refuses new ones', async () => {
    const server = await serve({ protocol: 'kiwi', faults: ['crash-on-invalid-json'] });
    const [a, b] = [await connect(server.url), await connect(server.url)];
    a.send('not json');
    expect([(await a.closed).code, (await b.closed).code]).toEqual([1006, 1006]);
    await expect(connect(server.url)).rejects.toThrow();
  });

  it('crash-on-unknown and crash-on-oversized take the server down on their input, Socket.IO included', async () => {
    const clown = await serve({ protocol: 'clown', faults: ['crash-on-oversized'], maxFrameBytes: 1024 });
    const [c, bystander] = [await connect(clown.url), await connect(clown.url)];
    c.send('x'.repeat(4096));
    // ws closes the offending connection with 1009 itself; the "crash" then drops everyone else.
    expect([(await c.closed).code, (await bystander.closed).code]).toEqual([1009, 1006]);
    await expect(connect(clown.url)).rejects.toThrow();
    const gemini = await serve({ protocol: 'gemini-chat', faults: ['crash-on-unknown'] });
    const g = await sio(gemini.url, 'dev-user-token');
    g.socket.emit('no:such-event', {});
    await sleep(100);
    await expect(sio(gemini.url, 'dev-user-token')).rejects.toThrow('Server unavailable');
  });

  it('ignore-unknown: applies to no built-in protocol, since none documents an answer to unknown messages', async () => {
    for (const protocol of BUILTIN_PROTOCOLS) {
      const err = await startReferenceServer({ protocol, port: 0, faults: ['ignore-unknown'] }).catch((e) => e as ReferenceServerError);
      expect([protocol, err.code]).toEqual([protocol, 'WSC_FAULT']);
    }
  });

  it('no-broadcast: two clients connected together get different halves of the same stream', async () => {
    const url = (await serve({ protocol: 'aragora', faults: ['no-broadcast'] })).url;
    const [a, b] = [await connect(url), await connect(url)];
    await sleep(400);
    const texts = (c: typeof a) => new Set(c.texts.filter((t) => t.includes('"seq"')));
    const [ta, tb] = [texts(a), texts(b)];
    const shared = [...ta].filter((t) => tb.has(t));
    // The events both get are identical frames; each also gets some the other does not.
    expect(shared.length).toBeGreaterThan(0);
    expect([...ta].some((t) => !tb.has(t)) && [...tb].some((t) => !ta.has(t))).toBe(true);
  });

  it('crash-on-non-object: JSON that is not a message object drops every client, while an unknown name does not', async () => {
    const server = await serve({ protocol: 'kiwi', faults: ['crash-on-non-object'] });
    const [a, b] = [await connect(server.url), await connect(server.url)];
    a.send({ type: 'no_such_action' });
    await sleep(50);
    a.send('[]');
    expect([(await a.closed).code, (await b.closed).code]).toEqual([1006, 1006]);
    await expect(connect(server.url)).rejects.toThrow();
  });

  it('accept-oversized: applies to no built-in protocol, since none documents a maximum frame size', async () => {
    for (const protocol of BUILTIN_PROTOCOLS) {
      const err = await startReferenceServer({ protocol, port: 0, faults: ['accept-oversized'] }).catch((e) => e as ReferenceServerError);
      expect([protocol, err.code]).toEqual([protocol, 'WSC_FAULT']);
    }
  });

  it('refuse-channel: aragora\'s second address and the control plane\'s answer 404', async () => {
    const aragora = await serve({ protocol: 'aragora', faults: ['refuse-channel'] });
    expect([await upgradeStatus(aragora.urls[0]), await upgradeStatus(aragora.urls[1])]).toEqual([101, 404]);
    const cp = await serve({ protocol: 'aragora-control-plane', faults: ['refuse-channel'] });
    expect([await upgradeStatus(cp.urls[0]), await upgradeStatus(cp.urls[1])]).toEqual([101, 404]);
  });

  it('reject-namespace: even a valid token gets connect_error', async () => {
    const server = await serve({ protocol: 'gemini-chat', faults: ['reject-namespace'] });
    await expect(sio(server.url, 'dev-user-token')).rejects.toThrow('Invalid namespace');
  });
});
