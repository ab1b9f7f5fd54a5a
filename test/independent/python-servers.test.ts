import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECKS } from '../../conformance/index.js';
import { exitCodeOf, runSuite, type RunReport } from '../../src/runner/index.js';
import { loadSpec } from '../../src/spec/load.js';
import { startServer } from './spawn-server.js';

// Servers written independently of wsconform's reference server, in Python with Debian's
// python3-websockets: the kit must pass one that conforms and name every drift of one that does not.
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

async function startPython(script: string): Promise<number> {
  const started = await startServer(script, [], (c) => (child = c));
  return started.port;
}

const verdicts = (r: RunReport) => Object.fromEntries(r.checks.map((c) => [c.id, c.verdict]));
const findings = (r: RunReport, id: string) => r.checks.find((c) => c.id === id)!.findings;

describe('independent Python implementations', () => {
  it('pass a Kiwi server written from the document alone, with other states, providers and bad-input handling', async () => {
    const port = await startPython('kiwi_server.py');
    const report = await runSuite(await loadSpec('kiwi'), CHECKS, { url: `ws://127.0.0.1:${port}/api/events`, timeoutMs: 2000, observeMs: 800 });
    expect(report.checks.filter((c) => c.verdict === 'fail' || c.verdict === 'error' || c.verdict === 'non-strict').map((c) => [c.id, c.findings])).toEqual([]);
    expect(verdicts(report)).toMatchObject({
      'handshake/upgrade': 'pass',
      'envelope/schema': 'pass',
      'envelope/timestamps': 'pass',
      'ping-pong/app-ping': 'pass',
      'ping-pong/ws-ping-frame': 'pass',
      'robustness/invalid-json': 'pass',
      'robustness/oversized-frame': 'pass',
    });
    expect(exitCodeOf(report)).toBe(0);
  });

  it('name every drift of a real-world Aragora server precisely, once per kind, with counts and paths', async () => {
    const port = await startPython('aragora_drifting_server.py');
    const report = await runSuite(await loadSpec('aragora'), CHECKS, { url: `ws://127.0.0.1:${port}/ws`, timeoutMs: 2000, observeMs: 800 });
    expect(verdicts(report)).toMatchObject({
      'handshake/initial-messages': 'pass',
      'envelope/json-objects': 'fail',
      'envelope/timestamps': 'fail',
      'envelope/schema': 'fail',
      'envelope/known-messages': 'non-strict',
      'ordering/sequence': 'pass',
      'request-response/replies': 'pass',
      'auth/missing-token': 'skip',
    });
    expect(findings(report, 'envelope/json-objects').map((f) => [f.message, f.actual, f.count])).toEqual([['Several events were batched in one frame', 'an array of 2 events in one frame', 3]]);
    expect(findings(report, 'envelope/timestamps').map((f) => [f.message, f.count, f.occurrences[0].path])).toEqual([['timestamp is an ISO 8601 string, not epoch seconds as a number', 3, '$.timestamp']]);
    expect(findings(report, 'envelope/schema').map((f) => [f.message, f.expected, f.actual, f.count])).toEqual([['critique: $.data.severity is required', 'present', 'missing', 2]]);
    expect(findings(report, 'envelope/known-messages').map((f) => [f.message, f.count])).toEqual([['An undocumented message "heartbeat"', 4]]);
    expect(exitCodeOf(report)).toBe(1);
  });
});
