/**
 * Judging a client (`wsconform judge-client`): the reference server serves the protocol, an
 * observer sees every connection and every frame the client sends, and scenarios put the client
 * through what a server may legitimately do. Verdicts are reported like a run's, with the same
 * reporters and exit codes. WebSocket protocols only, so far.
 *
 * The scenarios, in order: listen (the client's own traffic), tolerance (an undocumented event
 * and a documented one with an extra field), and, where the document asks clients to reconnect,
 * a restart: the server closes every connection (1012, service restart), its port answers every
 * connection attempt by closing it at once for `refuseMs`, then the server is back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { VERSION } from '../cli/version.js';
import type { Reporter } from '../reporters/types.js';
import { startReferenceServer, type ObservedClient, type RunningServer } from '../../reference-server/index.js';
import { renderBasis, TRANSPORT } from '../runner/basis.js';
import { Findings, frameEvidence } from '../runner/findings.js';
import { withField } from '../runner/opening.js';
import { grade, summarize, withBasis } from '../runner/run.js';
import type { Basis } from '../spec/extension.js';
import type { CheckResult, Level, Occurrence, RunReport, Verdict } from '../runner/types.js';
import type { Spec } from '../spec/model.js';
import { validatorFor } from '../spec/validator.js';
import type { Frame } from '../transport/types.js';

/** Options of `judgeClient`. */
export interface JudgeClientOptions {
  /** The port to serve on (default: the document's own port; 0: a free one). */
  port?: number;
  /** A shell command that starts the client; it gets the server's URL as WSCONFORM_URL. */
  exec?: string;
  /** How long to wait for the client's first connection (default 10 s). */
  waitMs?: number;
  /** How long to listen to the client before the scenarios (default 2 s). */
  listenMs?: number;
  /** How long a client may take to answer or to react (default 2 s). */
  timeoutMs?: number;
  /** How long the port refuses connections during the restart (default 3 s). */
  refuseMs?: number;
  /** How long after the server is back the client may take to reconnect (default 10 s). */
  reconnectMs?: number;
  /** The tokens the server accepts (default: the document's development tokens). */
  token?: string;
  adminToken?: string;
  strict?: boolean;
  reporters?: Reporter[];
}

/** One connection of the client, as the judge saw it. */
interface ClientConn {
  id: number;
  label: string;
  client: ObservedClient;
  openedAt: number;
  frames: Frame[];
  /** The payloads of the pong frames it sent. */
  pongs: string[];
  closed?: { code: number; reason: string; at: number; byClient: boolean };
}

/** The decisions of the judge where the documents are silent (asyncapi/DECISIONS.md, section kit). */
const DECISION = {
  tolerance: { decision: 'kit-client-tolerance' },
  storm: { decision: 'kit-reconnect-storm' },
  known: { decision: 'kit-client-known-messages' },
} as const satisfies Record<string, Basis>;

/** More attempts per second than this while the port refuses is a reconnect storm. */
const STORM_PER_SECOND = 10;

/** A client judge's checks: id, level, what it requires, and its bases on this document. */
interface ClientCheck {
  id: string;
  level: Level;
  description: string;
  requirement: string;
  basis: Basis[];
  applies: true | string;
}

function checksFor(spec: Spec): ClientCheck[] {
  const r = spec.ext.client?.reconnect;
  const noReconnect = 'the document does not ask clients to reconnect (x-wsconform.client.reconnect)';
  return [
    { id: 'client/messages', level: 'MUST', description: 'Validates every message the client sends', requirement: 'Every message the client sends is a documented client message and matches its payload schema.', basis: [{ source: 'components.messages.*.payload: the payload schema of each client message' }, DECISION.known], applies: true },
    { id: 'client/ws-ping', level: 'MUST', description: 'Sends the client a WebSocket ping frame', requirement: 'The client answers a ping frame with a pong frame carrying the same payload.', basis: [TRANSPORT.pingFrame, TRANSPORT.pongPayload], applies: true },
    { id: 'client/tolerance', level: 'SHOULD', description: 'Sends an undocumented event and a documented one with an extra field', requirement: 'The client stays connected after an undocumented server event and an extra field (what it sends then is judged by client/messages).', basis: [DECISION.tolerance], applies: true },
    { id: 'client/reconnect', level: 'MUST', description: 'Restarts the server: drops the client, refuses its attempts for a while, comes back', requirement: 'After the server drops it, the client reconnects once the server is back, without a reconnect storm while the port refuses.', basis: r ? [r.basis ?? { source: 'x-wsconform.client.reconnect' }, DECISION.storm] : [], applies: r ? true : noReconnect },
    { id: 'client/backoff', level: 'MUST', description: 'Times the attempts while the port refuses', requirement: 'The waits between failed reconnection attempts grow (exponential backoff).', basis: r?.backoff === 'exponential' ? [r.backoffBasis ?? r.basis ?? { source: 'x-wsconform.client.reconnect.backoff' }] : [], applies: r?.backoff === 'exponential' ? true : r ? 'the document asks for no backoff' : noReconnect },
    { id: 'client/resend', level: 'MUST', description: 'Compares what the client sent before and after the restart', requirement: 'The messages the document names (subscriptions) that the client sent before the drop, it sends again on its new connection.', basis: r?.resend?.length ? [r.resendBasis ?? r.basis ?? { source: 'x-wsconform.client.reconnect.resend' }] : [], applies: r?.resend?.length ? true : r ? 'the document names no message to send again' : noReconnect },
  ];
}

/** How a connection closed, read afresh (the observer sets it while the judge waits). */
const closedOf = (c: ClientConn): ClientConn['closed'] => c.closed;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Judges the client of `spec` (see the file comment); resolves with the report. */
export async function judgeClient(spec: Spec, options: JudgeClientOptions = {}): Promise<RunReport> {
  if (spec.transport !== 'websocket') throw new Error(`judge-client judges WebSocket clients; ${spec.id} is a Socket.IO protocol (not built yet)`);
  const timeoutMs = options.timeoutMs ?? 2000;
  const validator = validatorFor(spec);
  const reporters = options.reporters ?? [];
  const startedAt = new Date();
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const conns: ClientConn[] = [];
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  /** Resolves when `test` holds (checked on every event), or false after `ms`. */
  const until = (test: () => boolean, ms: number) =>
    new Promise<boolean>((resolve) => {
      if (test()) return resolve(true);
      const timer = setTimeout(() => done(false), ms);
      const w = () => test() && done(true);
      const done = (v: boolean) => {
        clearTimeout(timer);
        waiters.delete(w);
        resolve(v);
      };
      waiters.add(w);
    });
  let closingAll = false;
  // Each server (before and after a restart) numbers its connections from 1: the judge's ids go on.
  const observerFor = (generation: number) => {
    const key = (id: number) => generation * 1_000_000 + id;
    return {
      onOpen: (id: number, client: ObservedClient) => observer.onOpen(key(id), client),
      onFrame: (id: number, text: string | undefined, bytes: number) => observer.onFrame(key(id), text, bytes),
      onClose: (id: number, code: number, reason: string) => observer.onClose(key(id), code, reason),
      onPong: (id: number, payload: string) => observer.onPong(key(id), payload),
    };
  };
  const observer = {
    onOpen(id: number, client: ObservedClient) {
      conns.push({ id, label: `client#${conns.length + 1}`, client, openedAt: now(), frames: [], pongs: [] });
      wake();
    },
    onFrame(id: number, text: string | undefined, bytes: number) {
      const c = conns.find((x) => x.id === id);
      if (!c) return;
      const frame: Frame = { index: c.frames.length, at: Math.round(now() - c.openedAt), dir: 'out', type: text === undefined ? 'binary' : 'text', text, bytes };
      if (text !== undefined) {
        try {
          frame.message = JSON.parse(text);
          frame.json = true;
          frame.name = validator.nameOf(frame.message, 'send');
        } catch (err) {
          frame.json = false;
          frame.parseError = (err as Error).message;
        }
      }
      c.frames.push(frame);
      wake();
    },
    onPong(id: number, payload: string) {
      conns.find((x) => x.id === id)?.pongs.push(payload);
      wake();
    },
    onClose(id: number, code: number, reason: string) {
      const c = conns.find((x) => x.id === id);
      if (c && !c.closed) c.closed = { code, reason, at: now(), byClient: !closingAll };
      wake();
    },
  };
  const serverOptions = { protocol: spec.file, port: options.port, token: options.token, adminToken: options.adminToken };
  let server: RunningServer | undefined = await startReferenceServer({ ...serverOptions, observer: observerFor(1) });
  const port = server.port;
  const url = server.url;
  const problems: string[] = [];
  let child: ChildProcess | undefined;
  let output = '';
  if (options.exec) {
    child = spawn(options.exec, { shell: true, env: { ...process.env, WSCONFORM_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (d: Buffer) => (output = (output + d.toString('utf8')).slice(-16_384));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('error', (err) => problems.push(`--exec could not start: ${err.message}`));
  }
  const checks = checksFor(spec);
  for (const rep of reporters) await rep.onRunStart?.({ spec: { id: spec.id, title: spec.title, version: spec.version, file: spec.file }, url, startedAt: startedAt.toISOString(), checks: checks.map(({ id, level, description }) => ({ id, category: 'client', level, description })), strict: !!options.strict, timeoutMs, observeMs: options.listenMs ?? 2000 });

  const findings = new Map(checks.map((c) => [c.id, new Findings()]));
  const notes = new Map<string, string>();
  const at = (c: ClientConn, f: Frame | undefined, path?: string): Occurrence => ({ ...(f ? { frameIndex: f.index, frame: frameEvidence(f) } : {}), connection: c.label, ...(path ? { path } : {}) });
  let refusedAttempts: number[] = [];
  try {
    // 1. The client connects, and is listened to.
    const connected = await until(() => conns.length > 0, options.waitMs ?? 10_000);
    if (!connected) {
      problems.push(`the client never connected to ${url} within ${options.waitMs ?? 10_000} ms${options.exec ? ` (its output: ${JSON.stringify(output.slice(-300))})` : ''}`);
    } else {
      const first = conns[0];
      await sleep(options.listenMs ?? 2000);

      // 2. A WebSocket ping frame: RFC 6455 asks every endpoint to answer it.
      if (!first.closed) {
        const payload = `wsconform-${Math.random().toString(36).slice(2, 8)}`;
        first.client.ping(payload);
        const answered = await until(() => first.pongs.includes(payload) || !!first.closed, timeoutMs);
        if (!first.pongs.includes(payload)) findings.get('client/ws-ping')!.add('no-pong', { basis: first.pongs.length ? TRANSPORT.pongPayload : TRANSPORT.pingFrame, message: 'The client did not answer a ping frame', expected: `a pong frame with payload ${JSON.stringify(payload)} within ${timeoutMs} ms`, actual: answered ? 'the connection closed first' : first.pongs.length ? `pongs with other payloads: ${first.pongs.map((p) => JSON.stringify(p)).join(', ')}` : 'no pong frame' }, { connection: first.label });
      } else notes.set('client/ws-ping', 'the client closed its connection before the ping');

      // 3. Tolerance: an undocumented event, then a documented one with an extra field.
      if (!first.closed) {
        // Both are shaped as the document's events are (its first example, envelope and all):
        // only the name, or one extra field, is new, as in the next release of a server.
        const nameField = spec.ext.nameField?.receive ?? 'type';
        const documented = spec.messages.find((m) => m.direction === 'receive' && m.examples.length && typeof m.examples[0] === 'object' && m.examples[0] !== null && !Array.isArray(m.examples[0]));
        const example = (documented?.examples[0] ?? {}) as Record<string, unknown>;
        first.client.send(JSON.stringify(withField(example, nameField, 'WsconformUndocumented')));
        if (documented) first.client.send(JSON.stringify({ ...example, wsconformExtra: true }));
        await until(() => !!first.closed, timeoutMs);
        const f = findings.get('client/tolerance')!;
        const closed = closedOf(first);
        if (closed?.byClient) f.add('closed', { message: 'The client closed its connection after an undocumented event', expected: 'a client that ignores what it does not know and stays connected', actual: `closed with ${closed.code}${closed.reason ? ` (${closed.reason})` : ''} within ${timeoutMs} ms` }, at(first, first.frames[first.frames.length - 1]));
      } else notes.set('client/tolerance', 'the client closed its connection before the probe');

      // 4. The restart, where the document asks clients to reconnect.
      const rule = spec.ext.client?.reconnect;
      if (rule && server) {
        const before = conns.length;
        const restartedAt = now();
        closingAll = true;
        for (const c of conns) if (!c.closed) c.client.close(1012, 'service restart');
        await server.close();
        server = undefined;
        closingAll = false;
        refusedAttempts = await refuse(port, options.refuseMs ?? 3000, now);
        server = await startReferenceServer({ ...serverOptions, port, observer: observerFor(2) });
        const reconnected = await until(() => conns.length > before, options.reconnectMs ?? 10_000);
        const again = conns[before];
        const r = findings.get('client/reconnect')!;
        if (!reconnected) {
          r.add('no-reconnect', { basis: rule.basis, message: 'The client did not reconnect after the server restarted', expected: `a new connection within ${options.reconnectMs ?? 10_000} ms of the server being back`, actual: `none (${refusedAttempts.length} attempt(s) while the port refused)` }, { connection: conns[before - 1]?.label });
        }
        const seconds = (options.refuseMs ?? 3000) / 1000;
        const storm = refusedAttempts.length / seconds > STORM_PER_SECOND;
        if (storm) r.add('storm', { basis: DECISION.storm, message: 'The client stormed the server with reconnection attempts', expected: `at most ${STORM_PER_SECOND} attempts per second while the server is away`, actual: `${refusedAttempts.length} attempts in ${seconds} s` });
        // Backoff: the waits between the attempts while the port refused grow.
        if (rule.backoff === 'exponential' && storm) notes.set('client/backoff', 'the attempts were a storm, which client/reconnect reports (one cause, one finding)');
        else if (rule.backoff === 'exponential') {
          // Only the attempts the refusing port saw: between it and the server coming back the port
          // is closed for a moment, and an attempt then is not seen.
          const times = [restartedAt, ...refusedAttempts];
          const gaps = times.slice(1).map((t, i) => t - times[i]);
          if (gaps.length < 3) notes.set('client/backoff', `only ${gaps.length} wait(s) to judge`);
          // Growth overall, and no wait much shorter than the one before: a loaded machine delays
          // timers, so a wait may come out a little shorter than the previous, delayed one.
          else if (!(gaps[gaps.length - 1] > gaps[0] * 1.5) || gaps.some((g, i) => i > 0 && g < gaps[i - 1] * 0.5)) {
            findings.get('client/backoff')!.add('flat', { basis: rule.backoffBasis ?? rule.basis, message: 'The waits between reconnection attempts do not grow', expected: 'each wait longer than the one before (exponential backoff)', actual: `waits of ${gaps.map((g) => Math.round(g)).join(', ')} ms` });
          }
        }
        // Resend: the named messages sent before the drop come again on the new connection.
        if (rule.resend?.length && !again) notes.set('client/resend', 'the client did not reconnect (client/reconnect reports it)');
        if (rule.resend?.length && again) {
          const sentBefore = new Set(conns.slice(0, before).flatMap((c) => c.frames.map((fr) => fr.name)).filter((n): n is string => n !== undefined && rule.resend!.includes(n)));
          if (!sentBefore.size) notes.set('client/resend', `the client sent none of ${rule.resend.join(', ')} before the restart`);
          else {
            await until(() => [...sentBefore].every((n) => again.frames.some((fr) => fr.name === n)), timeoutMs);
            const missing = [...sentBefore].filter((n) => !again.frames.some((fr) => fr.name === n));
            if (missing.length) findings.get('client/resend')!.add('missing', { basis: rule.resendBasis ?? rule.basis, message: `The client did not send ${missing.join(', ')} again after reconnecting`, expected: `${missing.join(', ')} again on the new connection within ${timeoutMs} ms`, actual: `${again.frames.length} message(s) on the new connection, none of them ${missing.join(' or ')}` }, at(again, again.frames[again.frames.length - 1]));
          }
        }
      }
      await sleep(Math.min(timeoutMs, 500));
    }
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([new Promise((r) => child!.once('exit', r)), sleep(2000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await server?.close();
  }

  // Every message the client sent, on every connection.
  const m = findings.get('client/messages')!;
  let sent = 0;
  for (const c of conns) {
    for (const f of c.frames) {
      sent++;
      if (f.type === 'binary') m.add('binary', { message: 'The client sent a binary frame', expected: 'a JSON text frame', actual: `${f.bytes} bytes` }, at(c, f));
      else if (!f.json) m.add('not-json', { message: 'The client sent text that is not JSON', expected: 'a JSON message', actual: `${(f.text ?? '').slice(0, 60)} (${f.parseError})` }, at(c, f));
      else {
        const v = validator.validate(f.message, 'send');
        // An undocumented name rests on a decision (at most a SHOULD); a documented message that
        // breaks its schema breaks the document.
        for (const issue of v.issues) m.add(`${v.name ?? ''}|${issue.path}|${issue.code}`, { ...(issue.code === 'unknown-message' ? { basis: DECISION.known } : {}), message: `${v.name ?? 'A message'}: ${issue.message}`, expected: issue.expected, actual: issue.actual }, at(c, f, issue.path));
      }
    }
  }
  if (conns.length && !sent) notes.set('client/messages', 'the client sent no message');

  const results: CheckResult[] = checks.map((c) => {
    const base = { id: c.id, category: 'client', level: c.level, description: c.description, requirement: c.requirement, basis: c.basis, quote: c.basis.map(renderBasis).join(' · '), durationMs: 0 };
    const done = (verdict: Verdict, extra: Partial<CheckResult> = {}): CheckResult => ({ ...base, verdict, findings: [], ...extra });
    if (c.applies !== true) return done('skip', { reason: c.applies });
    if (!conns.length) return done('skip', { reason: 'the client never connected' });
    const list = findings.get(c.id)!.list().map((f) => withBasis(f, c.basis));
    if (list.length) return done(grade({ verdict: 'fail', findings: list }, c.level, !!options.strict), { findings: list });
    const note = notes.get(c.id);
    // A note says why the check could not be judged.
    if (note) return done('skip', { reason: note });
    return done('pass');
  });
  for (const r of results) for (const rep of reporters) await rep.onCheckResult?.(r);
  const report: RunReport = {
    tool: { name: 'wsconform', version: VERSION },
    spec: { id: spec.id, title: spec.title, version: spec.version, file: spec.file },
    url,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(now()),
    summary: summarize(results),
    checks: results,
    problems,
    client: {
      connections: conns.map((c) => ({ label: c.label, openedMs: Math.round(c.openedAt), ...(c.closed ? { closed: { code: c.closed.code, byClient: c.closed.byClient, ms: Math.round(c.closed.at) } } : {}), frames: c.frames.map((f) => ({ frameIndex: f.index, at: f.at, dir: f.dir, frame: frameEvidence(f) })) })),
      refusedAttempts: refusedAttempts.map((t) => Math.round(t)),
      ...(options.exec ? { output } : {}),
    },
  };
  for (const rep of reporters) await rep.onRunEnd?.(report);
  return report;
}

/**
 * The port refused for a while: every connection attempt is accepted and closed at once, and
 * its time kept (a closed port would hide how often the client tries).
 */
async function refuse(port: number, ms: number, now: () => number): Promise<number[]> {
  const attempts: number[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    attempts.push(now());
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  await sleep(ms);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return attempts;
}
