/**
 * Timing that survives load: the demo and the timing-sensitive checks pass five times in a row
 * while both cores are kept busy by a CPU hog this test starts (two busy child processes, each
 * bounded in time and killed when the test ends). `npm test` runs this file in a pass of its own,
 * so the hog slows nothing else.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer } from '../../reference-server/index.js';
import { runCli } from '../helpers.js';
import { KEEPALIVE, result, run } from '../runner/suite.js';

const HOG_MS = 120_000;
let hogs: ChildProcess[] = [];

beforeAll(() => {
  // One busy loop per core; each stops by itself after HOG_MS even if the test runner dies.
  hogs = [0, 1].map(() => spawn(process.execPath, ['-e', `const end = Date.now() + ${HOG_MS}; while (Date.now() < end) {}`], { stdio: 'ignore' }));
});
afterAll(() => {
  for (const h of hogs) h.kill('SIGKILL');
});

describe('under a CPU hog on both cores', () => {
  it('the demo passes five times in a row', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await runCli(['demo'], { timeoutMs: 60_000 });
      // On a failure, the message shows what failed (the demo prints each failing check).
      const failing = r.stdout.split('\n').filter((l) => /FAIL|ERR |WARN|failures in/.test(l)).join('\n');
      expect([i, r.code, r.stdout.match(/^demo: .*$/m)?.[0]], failing).toEqual([i, 0, expect.stringMatching(/^demo: 6 protocols, \d+ passed, 0 failed, \d+ skipped, 0 non-strict, 0 errors in [\d.]+ s$/)]);
    }
  }, 300_000);

  it('the keepalive and heartbeat checks pass five times in a row, and still catch a server that stops', async () => {
    for (let i = 0; i < 5; i++) {
      for (const [protocol, check] of [['coda', 'ping-pong/server-keepalive'], ['gemini-chat', 'ping-pong/socketio-heartbeat']] as const) {
        const server = await startReferenceServer({ protocol, port: 0, instant: true, token: 'load-token', adminToken: 'load-admin', keepaliveIntervalMs: KEEPALIVE });
        try {
          const r = result(await run(protocol, server.url, { token: 'load-token', adminToken: 'load-admin', only: [check], observeMs: 1200, keepaliveIntervalMs: KEEPALIVE, timeoutMs: 2000 }), check);
          expect([i, check, r.verdict, r.findings.map((f) => f.actual)]).toEqual([i, check, 'pass', []]);
        } finally {
          await server.close();
        }
      }
    }
    const stopped = await startReferenceServer({ protocol: 'coda', port: 0, instant: true, keepaliveIntervalMs: KEEPALIVE, faults: ['no-keepalive'] });
    try {
      expect(result(await run('coda', stopped.url, { only: ['ping-pong/server-keepalive'], observeMs: 1200, keepaliveIntervalMs: KEEPALIVE }), 'ping-pong/server-keepalive').verdict).toBe('fail');
    } finally {
      await stopped.close();
    }
  }, 300_000);
});
