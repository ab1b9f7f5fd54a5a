/**
 * The truth matrix: the whole suite against servers written by people who never saw this repo,
 * each from its protocol's prose document alone (/work/shared/seeds/), in conforming mode and
 * once per documented fault (see each <server>/FAULTS.md).
 *
 * - Conforming: no check may fail, miss a SHOULD or err; the report has no problems; exit code 0.
 * - Fault: exactly the checks in `expect` fail (with the verdict given), and no other check
 *   fails, misses a SHOULD or errs.
 *
 * The expected verdicts are judged from the FAULTS.md sentence and the seed document, not from
 * what the kit happens to say: a row that does not come out as expected is a finding against the
 * kit or the server, never a reason to change the row.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECKS } from '../../conformance/index.js';
import { exitCodeOf, runSuite, type RunReport } from '../../src/runner/index.js';
import type { CheckResult, Finding } from '../../src/runner/types.js';
import { loadSpec } from '../../src/spec/load.js';
import { startServer } from './spawn-server.js';

type Bad = 'fail' | 'non-strict';

interface Server {
  /** Directory under test/independent/ and label. */
  name: string;
  /** The protocol id of the kit. */
  protocol: string;
  script: string;
  /** The URL of the channel under test, from the server's port. */
  url(port: number): string;
  /** Tokens of the run (passed to the server as --token/--admin-token and to the kit). */
  token?: string;
  adminToken?: string;
}

const USER = 'truth-user-token';
const ADMIN = 'truth-admin-token';

const SERVERS: Record<string, Server> = {
  kiwi: { name: 'kiwi', protocol: 'kiwi', script: 'kiwi/server.py', url: (p) => `ws://127.0.0.1:${p}/api/events` },
  clown: { name: 'clown', protocol: 'clown', script: 'clown/server.py', url: (p) => `ws://127.0.0.1:${p}/ws` },
  coda: { name: 'coda', protocol: 'coda', script: 'coda/server.py', url: (p) => `ws://127.0.0.1:${p}/` },
  aragora: { name: 'aragora', protocol: 'aragora', script: 'aragora/server.py', url: (p) => `ws://127.0.0.1:${p}/ws` },
  'aragora+token': { name: 'aragora', protocol: 'aragora', script: 'aragora/server.py', url: (p) => `ws://127.0.0.1:${p}/ws`, token: USER },
  'aragora-control-plane': { name: 'aragora-control-plane', protocol: 'aragora-control-plane', script: 'aragora-control-plane/server.py', url: (p) => `ws://127.0.0.1:${p}/api/control-plane/stream` },
  'gemini-chat': { name: 'gemini-chat', protocol: 'gemini-chat', script: 'gemini-chat/server.py', url: (p) => `http://127.0.0.1:${p}`, token: USER, adminToken: ADMIN },
  'gemini-chat-node': { name: 'gemini-chat-node', protocol: 'gemini-chat', script: 'gemini-chat-node/server.mjs', url: (p) => `http://127.0.0.1:${p}`, token: USER, adminToken: ADMIN },
  // A protocol the kit was not built for: the Home Assistant WebSocket API, described by a user
  // document written from its documentation page (documents/), the server by a helper that saw
  // only that page.
  // Phoenix Channels with the V2 serializer (every message a JSON array), described from Phoenix's
  // "Writing a Channels Client" guide; the server by a helper that saw only Phoenix's documentation.
  phoenix: { name: 'phoenix', protocol: join(import.meta.dirname, 'documents/phoenix-channels.asyncapi.yaml'), script: 'phoenix/server.py', url: (p) => `ws://127.0.0.1:${p}/socket/websocket?vsn=2.0.0` },
  // Ethereum JSON-RPC pub/sub, whose server assigns each subscription its id, described from Geth's
  // "Real-time Events" page and JSON-RPC 2.0; the server by a helper that saw only those.
  'eth-pubsub': { name: 'eth-pubsub', protocol: join(import.meta.dirname, 'documents/eth-pubsub.asyncapi.yaml'), script: 'eth-pubsub/server.py', url: (p) => `ws://127.0.0.1:${p}/` },
  'home-assistant': { name: 'home-assistant', protocol: join(import.meta.dirname, 'documents/home-assistant.asyncapi.yaml'), script: 'home-assistant/server.py', url: (p) => `ws://127.0.0.1:${p}/api/websocket`, token: USER },
};

interface Row {
  server: keyof typeof SERVERS;
  /** The fault name, or `conforming`. */
  fault: string;
  /** Extra server arguments (besides --port 0, --fault, --token, --admin-token). */
  args: string[];
  /** The checks the fault must fail, with their verdict; empty for conforming mode. */
  expect: Record<string, Bad>;
  /**
   * A fault the kit cannot see yet, and why (listed in the README's verdict truth section). The
   * row asserts that no check fails because of it: a known miss, never a misattribution.
   */
  missed?: string;
}

const CONFORMING: Row[] = Object.keys(SERVERS).map((server) => ({ server, fault: 'conforming', args: [], expect: {} }));

// Judged from each FAULTS.md sentence, the seed document and `wsconform list <protocol>`:
// `fail` where the check's basis is the document's own sentence (or a transport RFC), `non-strict`
// where the kit can only rest the rule on a decision of its own.
const FAULT_ROWS: Row[] = [
  // "| `timestamp` | float | Unix timestamp |": ISO strings instead.
  { server: 'kiwi', fault: 'timestamp-iso-string', args: [], expect: { 'envelope/timestamps': 'fail' } },
  // Ping "Response: {"event": "pong"}": answered with {"type": "pong"}, so no documented pong
  // arrives (app-ping), and a server message lacks the "event" name field (envelope/fields).
  { server: 'kiwi', fault: 'pong-wrong-key', args: [], expect: { 'ping-pong/app-ping': 'fail', 'envelope/fields': 'fail' } },
  // "timestamp": "2026-01-08T10:30:00Z": integer epoch seconds instead.
  { server: 'clown', fault: 'epoch-timestamp', args: [], expect: { 'envelope/timestamps': 'fail' } },
  // RegistrySyncStarted "Emitted when registry sync begins.": the outcome comes before the start.
  // The kit's lifecycle rule for clown rests on its decision clown-lifecycles (a SHOULD).
  // Completed, Started, Completed, Started… on one connection reads exactly like a client that
  // joined mid-sync (strictStart: false): no black-box observer can tell them apart.
  { server: 'clown', fault: 'sync-end-before-start', args: [], expect: {}, missed: 'an end before its start is indistinguishable from a client joining mid-lifecycle (strictStart: false)' },
  // "New clients automatically receive a replay buffer of recent high-priority events": no replay.
  // Which events are "high-priority" is not documented, so a rule needs a decision of the kit
  // (e.g. a client that connects after events were sent gets some of them first): a SHOULD.
  { server: 'coda', fault: 'no-replay', args: [], expect: {}, missed: 'x-wsconform.replay is declared, but no check judges it yet (a second client compared with the first)' },
  // "timestamp": 1704067200.123 (epoch seconds): integer milliseconds instead.
  { server: 'coda', fault: 'timestamp-millis', args: [], expect: { 'envelope/timestamps': 'fail' } },
  // "`timestamp` is epoch seconds (float).": integer milliseconds instead.
  { server: 'aragora', fault: 'timestamp-ms', args: [], expect: { 'envelope/timestamps': 'fail' } },
  { server: 'aragora+token', fault: 'timestamp-ms', args: [], expect: { 'envelope/timestamps': 'fail' } },
  // "The WebSocket server accepts `/` or `/ws`.": `/` refused with 404.
  { server: 'aragora', fault: 'no-root-path', args: [], expect: { 'handshake/upgrade': 'fail' } },
  { server: 'aragora+token', fault: 'no-root-path', args: [], expect: { 'handshake/upgrade': 'fail' } },
  // Ping: "Server responds with: { "type": "pong", "timestamp": 1732735053.123 }": no timestamp.
  // app-ping's own requirement is "carrying the documented pong fields" on exactly this sentence;
  // envelope/schema leaves the pong's documented fields to it (one cause, one finding).
  { server: 'aragora-control-plane', fault: 'pong-missing-timestamp', args: [], expect: { 'ping-pong/app-ping': 'fail' } },
  // task_dead_lettered "Emitted when a task exhausts retries": sent while retries_left > 0 (a
  // stated sentence, so a rule resting on it is a MUST).
  { server: 'aragora-control-plane', fault: 'dead-letter-early', args: [], expect: {}, missed: 'the extension cannot say that task_dead_lettered follows only a task_failed with retries_left 0 (a rule on a field of an earlier message)' },
  // `accumulated: string; // Full response so far`: leaves out the chunk of its own event.
  { server: 'gemini-chat', fault: 'accumulated-lags', args: [], expect: { 'ordering/accumulation': 'fail' } },
  // "## Monitoring Events (Admin Only)": a non-admin's monitoring requests are served. The
  // monitoring:event it then gets answers its own subscribe (admin-refused's finding); a client
  // that asked for nothing gets none, so the feed itself does not leak.
  { server: 'gemini-chat', fault: 'monitoring-open', args: [], expect: { 'auth/admin-refused': 'fail' } },
  // `accumulated: string;` is a required field: every gemini:content lacks it.
  { server: 'gemini-chat-node', fault: 'content-no-accumulated', args: [], expect: { 'envelope/schema': 'fail' } },
  // "## Monitoring Events (Admin Only)": monitoring:get-stats answered for a non-admin.
  { server: 'gemini-chat-node', fault: 'stats-without-admin', args: [], expect: { 'auth/admin-refused': 'fail' } },
  // "The server will add this identifier to each message so that the client can link each
  // message to its origin.": every result carries the command's id + 1000.
  { server: 'home-assistant', fault: 'result-id', args: [], expect: { 'ordering/operations': 'fail' } },
  // "If the data is incorrect, the server will reply with `auth_invalid` message and disconnect
  // the session.": a wrong token gets auth_ok.
  { server: 'home-assistant', fault: 'auth-any-token', args: [], expect: { 'auth/wrong-token': 'fail' } },
  // "The server includes it in its reply so that the client knows which message the reply is
  // for.": the heartbeat's phx_reply carries another ref.
  // Cancel subscription: "It returns a bool indicating if the subscription was cancelled
  // successful.": true, and the notifications keep coming.
  { server: 'eth-pubsub', fault: 'notify-after-unsubscribe', args: [], expect: { 'ordering/operations': 'fail' } },
  // "For each event that matches the subscription a notification with relevant data is send
  // together with the subscription id.": every notification carries another id.
  { server: 'eth-pubsub', fault: 'wrong-subscription-id', args: [], expect: { 'ordering/operations': 'fail' } },
  { server: 'phoenix', fault: 'heartbeat-ref', args: [], expect: { 'ping-pong/app-ping': 'fail' } },
  // "Clients must join a channel to send and receive PubSub events on that channel." (the guide:
  // "`phx_leave` is used to leave a channel"): ticks keep coming after the leave.
  { server: 'phoenix', fault: 'tick-after-leave', args: [], expect: { 'ordering/operations': 'fail' } },
];

const BAD = new Set(['fail', 'non-strict', 'error']);

// ---------------------------------------------------------------- servers, bounded and killed

const children = new Map<string, ChildProcess[]>();
afterEach((ctx) => {
  for (const child of children.get(ctx.task.id) ?? []) child.kill('SIGKILL');
  children.delete(ctx.task.id);
});

// At most four suites at once on the 2-core machine (the suites mostly wait on timeouts).
const LIMIT = 4;
let running = 0;
const queue: (() => void)[] = [];
async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= LIMIT) await new Promise<void>((r) => queue.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    queue.shift()?.();
  }
}

async function runRow(taskId: string, row: Row): Promise<{ report: RunReport; stderr: string }> {
  const server = SERVERS[row.server];
  const args = ['--port', '0', ...row.args];
  if (row.fault !== 'conforming') args.push('--fault', row.fault);
  if (server.token) args.push('--token', server.token);
  if (server.adminToken) args.push('--admin-token', server.adminToken);
  return slot(async () => {
    const started = await startServer(server.script, args, (c) => children.set(taskId, [...(children.get(taskId) ?? []), c]));
    try {
      const report = await runSuite(await loadSpec(server.protocol), CHECKS, {
        url: server.url(started.port),
        token: server.token,
        adminToken: server.adminToken,
        timeoutMs: 4000, // Python peers on a loaded machine: a slow answer is not a missing one
        observeMs: 1500,
        globalTimeoutMs: 45_000,
      });
      return { report, stderr: started.stderr() };
    } finally {
      started.child.kill('SIGKILL');
    }
  });
}

// ---------------------------------------------------------------- what a human needs to judge

function describeFinding(f: Finding): string {
  const o = f.occurrences[0];
  const where = o ? ` | first at ${o.connection ?? 'observation'}#${o.frameIndex ?? '?'}${o.path ? ` ${o.path}` : ''}${o.schemaPath ? ` (${o.schemaPath})` : ''}: ${o.frame ?? '(no frame)'}` : '';
  return `  - ${f.message} [×${f.count}, ${f.level ?? '?'}] expected: ${f.expected} | actual: ${f.actual}${where}`;
}

function describeCheck(c: CheckResult): string {
  return [`${c.id}: ${c.verdict}${c.reason ? ` (${c.reason})` : ''}`, ...c.findings.map(describeFinding)].join('\n');
}

function label(row: Row): string {
  const s = SERVERS[row.server];
  return `${row.server} [${row.fault}]${row.args.length ? ` ${row.args.join(' ')}` : ''}${s.token ? ` token${s.adminToken ? '+admin' : ''}` : ''}`;
}

function assertConforming(row: Row, report: RunReport, stderr: string) {
  const bad = report.checks.filter((c) => BAD.has(c.verdict));
  const text = `${label(row)}: checks that should pass\n${bad.map(describeCheck).join('\n')}\nproblems: ${JSON.stringify(report.problems ?? [])}\nserver stderr (tail): ${stderr.slice(-800)}`;
  expect(bad.map(describeCheck), text).toEqual([]);
  expect(report.problems ?? [], text).toEqual([]);
  expect(exitCodeOf(report), text).toBe(0);
}

function assertFault(row: Row, report: RunReport, stderr: string) {
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  const got = Object.fromEntries(Object.keys(row.expect).map((id) => [id, byId.get(id)?.verdict ?? 'missing']));
  const others = report.checks.filter((c) => !(c.id in row.expect) && BAD.has(c.verdict));
  const text = [
    `${label(row)}:`,
    'expected checks:',
    ...Object.keys(row.expect).map((id) => (byId.get(id) ? describeCheck(byId.get(id)!) : `${id}: missing from the report`)),
    'other checks that should pass or skip:',
    ...others.map(describeCheck),
    `problems: ${JSON.stringify(report.problems ?? [])}`,
    `server stderr (tail): ${stderr.slice(-800)}`,
  ].join('\n');
  expect(got, text).toEqual(row.expect);
  for (const id of Object.keys(row.expect)) expect(byId.get(id)?.findings.length ?? 0, text).toBeGreaterThan(0);
  expect(others.map(describeCheck), text).toEqual([]);
}

// ---------------------------------------------------------------- the matrix

const TIMEOUT = 120_000;

describe.concurrent('independent servers in conforming mode pass the whole suite', () => {
  for (const row of CONFORMING) {
    it(`${label(row)}: no fail, non-strict or error, no problems, exit 0`, { timeout: TIMEOUT }, async (ctx) => {
      const { report, stderr } = await runRow(ctx.task.id, row);
      assertConforming(row, report, stderr);
    });
  }
  it('aragora [conforming] --max-per-ip 10: no fail and no error', { timeout: TIMEOUT }, async (ctx) => {
    const row: Row = { server: 'aragora', fault: 'conforming', args: ['--max-per-ip', '10'], expect: {} };
    const { report, stderr } = await runRow(ctx.task.id, row);
    const bad = report.checks.filter((c) => c.verdict === 'fail' || c.verdict === 'error');
    const text = `${label(row)}:\n${bad.map(describeCheck).join('\n')}\nserver stderr (tail): ${stderr.slice(-800)}`;
    expect(bad.map(describeCheck), text).toEqual([]);
  });
});

describe.concurrent('independent servers with one fault fail exactly the intended checks', () => {
  for (const row of FAULT_ROWS) {
    const want = row.missed ? `a known miss (${row.missed})` : `${Object.entries(row.expect).map(([id, v]) => `${id} ${v}`).join(', ')}, nothing else`;
    it(`${label(row)}: ${want}`, { timeout: TIMEOUT }, async (ctx) => {
      const { report, stderr } = await runRow(ctx.task.id, row);
      assertFault(row, report, stderr);
    });
  }
});
