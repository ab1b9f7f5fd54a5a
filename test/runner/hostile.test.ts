import { afterEach, describe, expect, it } from 'vitest';
import { CHECKS } from '../../conformance/index.js';
import { runSuite, UnreachableError } from '../../src/runner/index.js';
import { loadSpec } from '../../src/spec/load.js';
import { deadPort, dribblingServer, silentServer, wsServer, type TestServer } from './servers.js';
import { plain, result, run, verdicts } from './suite.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a run against a hostile server never hangs', () => {
  it('fails handshake/upgrade and skips the rest when the server accepts TCP and never answers the handshake', async () => {
    server = await silentServer();
    const t0 = performance.now();
    const report = await run('kiwi', server.url);
    expect(performance.now() - t0).toBeLessThan(3000);
    const upgrade = result(report, 'handshake/upgrade');
    expect(upgrade.verdict).toBe('fail');
    expect(upgrade.findings.map(plain)).toEqual([
      {
        message: 'The channel /api/events did not open',
        expected: '101 Switching Protocols at /api/events within 500 ms',
        actual: 'no answer to the opening handshake within 500 ms',
        count: 1,
        occurrences: [{ frameIndex: 0, frame: '(close frame, code 1006)' }],
      },
    ]);
    expect(report.summary).toEqual({ passed: 0, failed: 1, nonStrict: 0, skipped: 34, errors: 0, total: 35 });
    expect(report.problems).toEqual([`the server at ${server.url} did not accept the observation connection (no answer to the opening handshake)`]);
    expect(result(report, 'ping-pong/app-ping').reason).toBe('could not connect (no answer to the opening handshake within 500 ms); handshake/upgrade reports it');
    expect(result(report, 'envelope/schema').reason).toBe('the observation connection did not open (no answer to the opening handshake); handshake/upgrade reports it');
  });

  it('fails envelope/json-objects with the garbage as evidence when the server sends text that is not JSON', async () => {
    server = await wsServer('/api/events', (ws) => {
      ws.send('garbage!!');
      ws.send('{"event":"LLM_TOKEN"');
    });
    const report = await run('kiwi', server.url);
    expect(result(report, 'envelope/json-objects').findings.map(plain)).toEqual([
      { message: 'A text frame is not JSON', expected: 'a JSON object', actual: 'text that is not JSON: "garbage!!"', count: 2, occurrences: [{ frameIndex: 0, frame: 'garbage!!' }, { frameIndex: 1, frame: '{"event":"LLM_TOKEN"' }] },
    ]);
    expect(verdicts(report, 'handshake/upgrade', 'envelope/text-frames', 'envelope/json-objects', 'ping-pong/app-ping', 'request-response/replies', 'robustness/oversized-frame')).toEqual({
      'handshake/upgrade': 'pass',
      'envelope/text-frames': 'pass',
      'envelope/json-objects': 'fail',
      'ping-pong/app-ping': 'fail',
      // Kiwi's only request with a reply is the keepalive ping: app-ping judges it.
      'request-response/replies': 'skip',
      // It still serves after the large frame; its silence on ping is app-ping's finding alone.
      'robustness/oversized-frame': 'pass',
    });
  });

  it('fails the checks that need an open connection when the server closes every connection at once', async () => {
    server = await wsServer('/api/events', (ws) => ws.close(1011, 'bye'));
    const report = await run('kiwi', server.url);
    const upgrade = result(report, 'handshake/upgrade');
    expect(upgrade.findings[0].message).toBe('The channel /api/events closed right after opening');
    expect(upgrade.findings[0].actual).toMatch(/^the server closed the connection \(code 1011, reason "bye"\) after \d+ ms$/);
    expect(upgrade.findings[0].occurrences).toEqual([{ frameIndex: 0, frame: '(close frame, code 1011, reason "bye")' }]);
    expect(verdicts(report, 'handshake/upgrade', 'ping-pong/app-ping', 'ping-pong/ws-ping-frame', 'request-response/replies', 'robustness/invalid-json', 'robustness/unknown-message', 'robustness/oversized-frame')).toEqual({
      'handshake/upgrade': 'fail',
      'ping-pong/app-ping': 'fail',
      'ping-pong/ws-ping-frame': 'fail',
      'request-response/replies': 'skip',
      // Closed before the bad input could be sent: nothing to judge; handshake/upgrade reports the close.
      'robustness/invalid-json': 'skip',
      'robustness/unknown-message': 'skip',
      'robustness/oversized-frame': 'skip',
    });
    expect(result(report, 'robustness/invalid-json').reason).toMatch(/^the connection closed before a frame that is not JSON could be sent/);
    expect(result(report, 'envelope/json-objects').verdict).toBe('skip');
  });

  it('fails envelope/text-frames when the server sends a 50 MB frame, beyond the client limit, and still finishes', async () => {
    const huge = 'x'.repeat(50 * 1024 * 1024);
    server = await wsServer('/api/events', (ws) => ws.send(huge));
    const t0 = performance.now();
    // A long enough observation for 50 MB to cross loopback on a loaded machine; the run is still bounded.
    // Sending 50 MB blocks the in-process server's event loop for a while: a generous handshake
    // timeout, so that a loaded machine does not turn the slow send into a refused handshake.
    const report = await run('kiwi', server.url, { only: ['envelope', 'handshake'], observeMs: 4000, timeoutMs: 3000 });
    expect(performance.now() - t0).toBeLessThan(20000);
    expect([result(report, 'envelope/text-frames').verdict, result(report, 'envelope/text-frames').reason]).toEqual(['fail', undefined]);
    expect(result(report, 'envelope/text-frames').findings.map(plain)).toEqual([
      {
        message: 'The server sent a frame the client could not read',
        expected: 'a text frame holding JSON',
        actual: "a frame larger than the client's limit (Max payload size exceeded)",
        count: 1,
        occurrences: [{ frameIndex: 0, frame: "(a frame larger than the client's limit (Max payload size exceeded))" }],
      },
    ]);
  });

  it('fails handshake/upgrade within --timeout when the server dribbles its handshake a byte at a time, and skips the rest', async () => {
    server = await dribblingServer('handshake');
    const t0 = performance.now();
    const report = await run('kiwi', server.url, { timeoutMs: 1000, observeMs: 500 });
    // Bounded by a few --timeouts plus --observe, however slowly the bytes come.
    expect(performance.now() - t0).toBeLessThan(5 * 1000 + 500);
    expect(result(report, 'handshake/upgrade').findings.map((f) => [f.message, f.actual])).toEqual([['The channel /api/events did not open', 'the opening handshake did not complete within 1000 ms']]);
    expect(report.checks.filter((c) => c.verdict === 'fail').map((c) => c.id)).toEqual(['handshake/upgrade']);
    expect(report.summary.errors).toBe(0);
  });

  it.each([
    ['sends a frame one byte at a time after the upgrade', () => dribblingServer('in-frame')],
    ['completes the upgrade and then sends nothing at all', () => wsServer('/api/events', () => undefined)],
  ])('ends within a few --timeouts when the server %s', async (_, start) => {
    server = await start();
    const t0 = performance.now();
    const report = await run('kiwi', server.url, { timeoutMs: 1000, observeMs: 500 });
    expect(performance.now() - t0).toBeLessThan(5 * 1000 + 500);
    expect(report.summary.errors).toBe(0);
    expect(result(report, 'handshake/upgrade').verdict).toBe('pass');
    expect(result(report, 'ping-pong/app-ping').verdict).toBe('fail');
    expect(report.problems).toHaveLength(1);
    expect(report.problems![0]).toMatch(/^no stream event was observed in \d+ ms at ws:\/\/127\.0\.0\.1:\d+\/api\/events: the stream checks had nothing to judge/);
  });

  describe('Socket.IO', () => {
    const GEMINI = { token: 'hostile-user', timeoutMs: 1000, observeMs: 500 };

    it('fails handshake/upgrade within --timeout when the WebSocket opens but no Engine.IO open packet follows', async () => {
      server = await wsServer('/socket.io/', () => undefined);
      const t0 = performance.now();
      const report = await run('gemini-chat', server.url.replace('ws://', 'http://').replace('/socket.io/', ''), GEMINI);
      expect(performance.now() - t0).toBeLessThan(5 * 1000 + 500);
      const upgrade = result(report, 'handshake/upgrade');
      expect(upgrade.verdict).toBe('fail');
      expect(upgrade.findings.map((f) => f.actual)).toEqual(['no Engine.IO open packet after the upgrade within 1000 ms']);
      // One cause, one finding: every other check skips, none passes on nothing.
      expect(report.summary).toEqual({ passed: 0, failed: 1, nonStrict: 0, skipped: 34, errors: 0, total: 35 });
      expect(result(report, 'auth/valid-token').reason).toBe('could not connect (no Engine.IO open packet after the upgrade, as on the observation connection); handshake/upgrade reports it');
      expect(result(report, 'robustness/invalid-json').reason).toBe('could not connect (not tried: the observation connection got no answer (no Engine.IO open packet after the upgrade within 1000 ms)); handshake/upgrade reports it');
    });

    it('fails handshake/upgrade within --timeout when the server sends the Engine.IO open but never answers CONNECT', async () => {
      server = await wsServer('/socket.io/', (ws) => ws.send('0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'));
      const t0 = performance.now();
      const report = await run('gemini-chat', server.url.replace('ws://', 'http://').replace('/socket.io/', ''), GEMINI);
      expect(performance.now() - t0).toBeLessThan(5 * 1000 + 500);
      const upgrade = result(report, 'handshake/upgrade');
      expect(upgrade.findings.map((f) => f.actual)).toEqual(['no answer to the CONNECT of namespace / within 1000 ms']);
      // The open packet is a frame the server sent: it rightly holds no token.
      expect(report.checks.filter((c) => c.verdict === 'pass').map((c) => c.id)).toEqual(['auth/token-not-echoed']);
      expect(report.summary).toEqual({ passed: 1, failed: 1, nonStrict: 0, skipped: 33, errors: 0, total: 35 });
    });
  });

  it('throws UnreachableError before any check when the connection is refused at every address', async () => {
    const port = await deadPort();
    const spec = await loadSpec('kiwi');
    const started: string[] = [];
    const attempt = runSuite(spec, CHECKS, { url: `ws://127.0.0.1:${port}/api/events`, reporters: [{ onRunStart: () => void started.push('run') }] });
    await expect(attempt).rejects.toBeInstanceOf(UnreachableError);
    await expect(attempt).rejects.toThrow(`cannot reach ws://127.0.0.1:${port}/api/events: no server at 127.0.0.1:${port} (127.0.0.1:${port} ECONNREFUSED)`);
    expect(started).toEqual([]);
  });
});
