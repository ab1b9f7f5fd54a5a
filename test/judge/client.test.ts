// wsconform judge-client: the reference server judges a client. A conforming client passes;
// each broken client fails its intended check and no other; the document's own snippet gets its
// honest verdict (its onclose only logs, so it misses the reconnection SHOULD).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeClient } from '../../src/judge/client.js';
import { exitCodeOf, type RunReport } from '../../src/runner/index.js';
import { loadSpec } from '../../src/spec/load.js';
import { packageRoot } from '../../src/spec/paths.js';
import { runCli } from '../helpers.js';

/** The Clown document's "Python Example", unchanged but for its URI (read from the environment) and flush=True, so that its output reaches the report. */
const CLOWN_PYTHON = `import asyncio
import os
import websockets
import json

async def listen_events():
    uri = os.environ["WSCONFORM_URL"]
    async with websockets.connect(uri) as websocket:
        async for message in websocket:
            event = json.loads(message)
            print(f"Event: {event['type']}", flush=True)
            print(f"Data: {event['data']}", flush=True)

asyncio.run(listen_events())
`;

const CLIENT = join(packageRoot(), 'test', 'clients', 'clown-client.mjs');
const FAST = { port: 0, waitMs: 10_000, listenMs: 600, timeoutMs: 1500, refuseMs: 2000, reconnectMs: 8000 };

const judged = new Map<string, Promise<RunReport>>();
async function judge(mode: string): Promise<RunReport> {
  if (!judged.has(mode)) judged.set(mode, loadSpec('clown').then((spec) => judgeClient(spec, { ...FAST, exec: `"${process.execPath}" "${CLIENT}" ${mode}` })));
  return judged.get(mode)!;
}

/** The verdict of every client check that did not pass, but for those the Clown document does not ask for (skipped, checked once below). */
function notPassed(report: RunReport): Record<string, string> {
  return Object.fromEntries(report.checks.filter((c) => c.verdict !== 'pass' && !NOT_ASKED.includes(c.id)).map((c) => [c.id, c.verdict]));
}
const NOT_ASKED = ['client/auth', 'client/keepalive', 'client/order', 'client/answers', 'client/heartbeat'];

describe('judge-client, a Clown client', () => {
  it('passes a client that validates, tolerates, reconnects with backoff and subscribes again', async () => {
    const r = await judge('good');
    expect(notPassed(r), JSON.stringify(r.checks.map((c) => [c.id, c.verdict, c.reason, c.findings[0]?.actual]))).toEqual({});
    expect(exitCodeOf(r)).toBe(0);
    expect(r.checks.filter((c) => NOT_ASKED.includes(c.id)).map((c) => [c.id, c.verdict, c.reason])).toEqual([
      ['client/auth', 'skip', 'the document asks clients for no token'],
      ['client/keepalive', 'skip', 'the document states no interval at which clients send a keepalive (x-wsconform.client.keepalive)'],
      ['client/order', 'skip', 'the document sets no order of client messages (x-wsconform.client.order)'],
      ['client/answers', 'skip', 'the document names no client message that answers a server message (x-wsconform.client.answers)'],
      ['client/heartbeat', 'skip', 'not a Socket.IO protocol (client/ws-ping judges ping frames)'],
    ]);
    expect(r.client!.connections.length).toBeGreaterThanOrEqual(2);
    expect(r.client!.connections[0].frames[0].frame).toContain('"action":"subscribe"');
    expect(r.client!.refusedAttempts.length).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ['snippet', { 'client/reconnect': 'non-strict', 'client/backoff': 'skip', 'client/messages': 'skip', 'client/resend': 'skip' }],
    ['storm', { 'client/reconnect': 'non-strict', 'client/backoff': 'skip' }],
    ['flat', { 'client/backoff': 'non-strict' }],
    ['no-resubscribe', { 'client/resend': 'non-strict' }],
    ['invalid', { 'client/messages': 'fail' }],
    ['fragile', { 'client/tolerance': 'non-strict' }],
    ['no-pong', { 'client/ws-ping': 'fail' }],
  ])('%s fails only %o', async (mode, expected) => {
    const r = await judge(mode);
    expect(notPassed(r), JSON.stringify(r.checks.map((c) => [c.id, c.verdict, c.reason, c.findings[0]?.actual]))).toEqual(expected);
  });

  it('the snippet: the finding quotes the document and says what the client did', async () => {
    const r = await judge('snippet');
    const c = r.checks.find((x) => x.id === 'client/reconnect')!;
    expect(c.findings[0].basis?.quote).toContain('Clients should implement reconnection logic');
    expect(c.findings[0].level).toBe('SHOULD');
    expect(r.client!.output).toContain('Disconnected from clown daemon');
  });

  it("the document's Python example (its URI from the environment) misses the reconnection SHOULD, and tolerates the probes", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsconform-judge-'));
    const file = join(dir, 'clown_example.py');
    writeFileSync(file, CLOWN_PYTHON);
    const r = await judgeClient(await loadSpec('clown'), { ...FAST, exec: `/usr/bin/python3 "${file}"` });
    expect(notPassed(r), JSON.stringify(r.checks.map((c) => [c.id, c.verdict, c.reason]))).toEqual({ 'client/reconnect': 'non-strict', 'client/backoff': 'skip', 'client/messages': 'skip', 'client/resend': 'skip' });
    expect(r.client!.output).toContain('Event: WsconformUndocumented');
  });

  it('a client that never connects fails the run (exit 1 from the CLI, never green)', async () => {
    const r = await runCli(['judge-client', 'clown', '--port', '0', '--wait', '1s', '--exec', `"${process.execPath}" -e "setTimeout(() => {}, 3000)"`, '--reporter', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the client never connected');
  });
});
