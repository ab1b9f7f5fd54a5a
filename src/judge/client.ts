/**
 * Judging a client (`wsconform judge-client`): the reference server serves the protocol, an
 * observer sees every connection and every frame the client sends, and scenarios put the client
 * through what a server may legitimately do. Verdicts are reported like a run's, with the same
 * reporters and exit codes. WebSocket and Socket.IO protocols.
 *
 * The scenarios, in order: listen (the client's own traffic, its keepalives at a stated interval), a ping frame, tolerance (an undocumented event
 * and a documented one with an extra field), and, where the document asks clients to reconnect,
 * a restart: the server closes every connection (1012, service restart), its port answers every
 * connection attempt by closing it at once for `refuseMs`, then the server is back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { VERSION } from '../cli/version.js';
import type { Reporter } from '../reporters/types.js';
import { sample } from '../../reference-server/scenario.js';
import { DEFAULT_TOKENS, startReferenceServer, type ObservedClient, type RefusedAttempt, type RunningServer } from '../../reference-server/index.js';
import { renderBasis, TRANSPORT } from '../runner/basis.js';
import { Findings, frameEvidence } from '../runner/findings.js';
import { Beats } from '../../conformance/expect/heartbeat.js';
import { fieldAt, payloadOf } from '../runner/messages.js';
import { withField } from '../runner/opening.js';
import { grade, summarize, withBasis } from '../runner/run.js';
import type { AuthMeans, Basis, ClientKeepaliveRule } from '../spec/extension.js';
import type { CheckResult, Level, Occurrence, RunReport, Verdict } from '../runner/types.js';
import type { Spec } from '../spec/model.js';
import { validatorFor } from '../spec/validator.js';
import { StallWatch } from '../runner/stalls.js';
import type { Frame } from '../transport/types.js';

/** Options of `judgeClient`. */
export interface JudgeClientOptions {
  /** The port to serve on (default: the document's own port; 0: a free one). */
  port?: number;
  /** A shell command that starts the client; it gets the server's URL as WSCONFORM_URL (and the token as WSCONFORM_TOKEN). */
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
export interface ClientCheck {
  id: string;
  level: Level;
  description: string;
  requirement: string;
  basis: Basis[];
  applies: true | string;
}

/** The ways a WebSocket client can present a token that the judge can see. */
const SEEN_MEANS = new Set(['bearer-header', 'query', 'opening-payload', 'socketio-auth']);

/** The Engine.IO ping interval (and timeout) the judge's Socket.IO server advertises: a listening of seconds sees pings. */
const SIO_PING_MS = 1500;

/** Socket.IO disconnect reasons that are the server's doing, not the client's. */
const SERVER_REASONS = new Set(['ping timeout', 'server namespace disconnect', 'server shutting down']);

function authApplies(spec: Spec, token: string | undefined): true | string {
  const auth = spec.ext.auth;
  if (!auth) return 'the document asks clients for no token';
  if (!auth.means.some((m) => SEEN_MEANS.has(m.in))) return `the judge cannot see the document's means (${auth.means.map((m) => m.in).join(', ')})`;
  if (!token) return 'authentication is optional in the document and no --token was given: give one (the client gets it as WSCONFORM_TOKEN) to judge how the client presents it';
  return true;
}

/** The ids of every client check, in report order. */
export const CLIENT_CHECK_IDS = ['client/messages', 'client/auth', 'client/keepalive', 'client/order', 'client/answers', 'client/ws-ping', 'client/heartbeat', 'client/tolerance', 'client/reconnect', 'client/backoff', 'client/resend'] as const;

/** The client checks of a document, with their bases on it (`token`: the one the judge gives the client, if any). */
export function checksFor(spec: Spec, token: string | undefined): ClientCheck[] {
  const r = spec.ext.client?.reconnect;
  const auth = spec.ext.auth;
  const ka = spec.ext.client?.keepalive;
  const sio = spec.transport === 'socket.io';
  const order = spec.ext.client?.order ?? [];
  const answers = spec.ext.client?.answers ?? [];
  const noReconnect = 'the document does not ask clients to reconnect (x-wsconform.client.reconnect)';
  return [
    { id: 'client/messages', level: 'MUST', description: 'Validates every message the client sends', requirement: 'Every message the client sends is a documented client message and matches its payload schema.', basis: [{ source: 'components.messages.*.payload: the payload schema of each client message' }, DECISION.known], applies: true },
    { id: 'client/auth', level: 'MUST', description: 'Reads how the client presents its token on every connection attempt', requirement: `Every connection attempt carries the token by a documented means (${auth?.means.map(meansText).join(' or ') ?? 'none documented'}).`, basis: auth ? [auth.basis ?? { source: 'x-wsconform.auth.means' }] : [], applies: authApplies(spec, token) },
    { id: 'client/keepalive', level: 'MUST', description: 'Times the keepalive messages the client sends while it is listened to', requirement: ka ? `The client sends ${ka.message} every ${ka.intervalMs} ms (at most ${keepaliveWindow(ka)} ms apart), from its connection on.` : 'The client sends its keepalive message at the documented interval.', basis: ka ? [ka.basis ?? { source: 'x-wsconform.client.keepalive' }] : [], applies: ka ? true : 'the document states no interval at which clients send a keepalive (x-wsconform.client.keepalive)' },
    { id: 'client/order', level: 'MUST', description: 'Reads the order of the messages the client sends on each connection', requirement: order.length ? order.map((o) => `${o.first} before ${o.then.join(', ')}`).join('; ') + ', on each connection.' : 'Client messages come in the documented order.', basis: order.map((o) => o.basis ?? { source: 'x-wsconform.client.order' }), applies: order.length ? true : 'the document sets no order of client messages (x-wsconform.client.order)' },
    { id: 'client/answers', level: 'MUST', description: 'Sends the client the messages it answers, and reads the ids of its answers', requirement: answers.length ? answers.map((a) => `${a.messages.join(', ')} carry at ${a.field} an id the server sent in a ${a.to}`).join('; ') + '.' : 'A client answer names a message the server sent.', basis: answers.map((a) => a.basis ?? { source: 'x-wsconform.client.answers' }), applies: answers.length ? true : 'the document names no client message that answers a server message (x-wsconform.client.answers)' },
    { id: 'client/ws-ping', level: 'MUST', description: 'Sends the client a WebSocket ping frame', requirement: 'The client answers a ping frame with a pong frame carrying the same payload.', basis: [TRANSPORT.pingFrame, TRANSPORT.pongPayload], applies: sio ? 'a Socket.IO protocol: the Engine.IO heartbeat is judged instead (client/heartbeat)' : true },
    { id: 'client/heartbeat', level: 'MUST', description: `Advertises an Engine.IO pingInterval of ${SIO_PING_MS} ms and watches the client's pongs`, requirement: 'The client answers the Engine.IO pings in time: the server never drops it with "ping timeout".', basis: [TRANSPORT.engineioHeartbeat], applies: sio ? true : 'not a Socket.IO protocol (client/ws-ping judges ping frames)' },
    { id: 'client/tolerance', level: 'SHOULD', description: 'Sends an undocumented event and a documented one with an extra field', requirement: 'The client stays connected after an undocumented server event and an extra field (what it sends then is judged by client/messages).', basis: [DECISION.tolerance], applies: true },
    { id: 'client/reconnect', level: 'MUST', description: 'Restarts the server: drops the client, refuses its attempts for a while, comes back', requirement: 'After the server drops it, the client reconnects once the server is back, without a reconnect storm while the port refuses.', basis: r ? [r.basis ?? { source: 'x-wsconform.client.reconnect' }, DECISION.storm] : [], applies: r ? true : noReconnect },
    { id: 'client/backoff', level: 'MUST', description: 'Times the attempts while the port refuses', requirement: 'The waits between failed reconnection attempts grow (exponential backoff).', basis: r?.backoff === 'exponential' ? [r.backoffBasis ?? r.basis ?? { source: 'x-wsconform.client.reconnect.backoff' }] : [], applies: r?.backoff === 'exponential' ? true : r ? 'the document asks for no backoff' : noReconnect },
    { id: 'client/resend', level: 'MUST', description: 'Compares what the client sent before and after the restart', requirement: 'The messages the document names (subscriptions) that the client sent before the drop, it sends again on its new connection.', basis: r?.resend?.length ? [r.resendBasis ?? r.basis ?? { source: 'x-wsconform.client.reconnect.resend' }] : [], applies: r?.resend?.length ? true : r ? 'the document names no message to send again' : noReconnect },
  ];
}

/** The most time allowed between two keepalives: the interval, and the documented tolerance or half the interval. */
function keepaliveWindow(rule: ClientKeepaliveRule): number {
  return Math.round(rule.intervalMs + (rule.toleranceMs ?? rule.intervalMs / 2));
}

function meansText(m: AuthMeans): string {
  if (m.in === 'bearer-header') return 'an Authorization: Bearer header on the upgrade';
  if (m.in === 'query') return `the query parameter ${m.name ?? 'token'}`;
  if (m.in === 'opening-payload') return `${m.name ?? 'token'} in the first message's payload`;
  return `the Socket.IO auth key ${m.name ?? 'token'}`;
}

/** What one connection attempt presented: the upgrade's query and headers, and (accepted) its first message. */
interface Presented {
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Socket.IO: the handshake's auth object. */
  auth?: Record<string, unknown>;
  first?: unknown;
}

/**
 * How an attempt failed to present the token by a documented means: what the judge saw instead
 * (the token elsewhere, another value where it belongs, or nothing); undefined when it did.
 */
function notPresented(p: Presented, means: AuthMeans[], token: string): string | undefined {
  const bearer = typeof p.headers.authorization === 'string' ? p.headers.authorization : undefined;
  for (const m of means) {
    if (m.in === 'bearer-header' && bearer === `Bearer ${token}`) return undefined;
    if (m.in === 'query' && p.query[m.name ?? 'token'] === token) return undefined;
    if (m.in === 'opening-payload' && fieldAt(p.first, m.name ?? 'token') === token) return undefined;
    if (m.in === 'socketio-auth' && p.auth?.[m.name ?? 'token'] === token) return undefined;
  }
  const elsewhere = [
    ...Object.entries(p.auth ?? {}).filter(([, v]) => typeof v === 'string' && v.includes(token)).map(([k]) => `the handshake auth key ${k}`),
    ...Object.entries(p.query).filter(([, v]) => v.includes(token)).map(([k]) => `the query parameter ${k}`),
    ...Object.entries(p.headers).filter(([k, v]) => k !== 'host' && [v].flat().some((x) => typeof x === 'string' && x.includes(token))).map(([k]) => `the header ${k}`),
  ];
  if (elsewhere.length) return `the token in ${elsewhere.join(' and ')}, which the document does not name`;
  const wrong = [
    ...(means.some((m) => m.in === 'bearer-header') && bearer !== undefined ? ['an Authorization header with another value'] : []),
    ...means.filter((m) => m.in === 'query' && p.query[m.name ?? 'token'] !== undefined).map((m) => `another value in the query parameter ${m.name ?? 'token'}`),
    ...means.filter((m) => m.in === 'socketio-auth' && p.auth?.[m.name ?? 'token'] !== undefined).map((m) => `another value in the handshake auth key ${m.name ?? 'token'}`),
  ];
  if (wrong.length) return wrong.join(' and ');
  return 'no token at all';
}


/** How a connection closed, read afresh (the observer sets it while the judge waits). */
const closedOf = (c: ClientConn): ClientConn['closed'] => c.closed;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Judges the client of `spec` (see the file comment); resolves with the report. */
export async function judgeClient(spec: Spec, options: JudgeClientOptions = {}): Promise<RunReport> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const validator = validatorFor(spec);
  const reporters = options.reporters ?? [];
  const startedAt = new Date();
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const stalls = new StallWatch();
  stalls.start();
  const sio = spec.transport === 'socket.io';
  const conns: ClientConn[] = [];
  /** The ids the server sent each connection in the messages its client answers (client.answers), by rule. */
  const requested = new Map<number, Set<unknown>[]>();
  const answerRules = spec.ext.client?.answers ?? [];
  const noteRequest = (connId: number, message: unknown) => {
    const name = validator.nameOf(message, 'receive');
    answerRules.forEach((rule, i) => {
      if (name !== rule.to) return;
      const ids = requested.get(connId) ?? answerRules.map(() => new Set<unknown>());
      requested.set(connId, ids);
      ids[i].add(fieldAt(payloadOf(spec, message), rule.toField ?? rule.field));
    });
  };
  /** Upgrades the server refused (HTTP 401, 404): they are connection attempts too. */
  const refusals: (RefusedAttempt & { label: string; at: number })[] = [];
  // The token the server accepts and the client gets (WSCONFORM_TOKEN): the one given, or, where
  // the document requires one, the protocol's development token or one of the judge's own.
  const auth = spec.ext.auth;
  // A built-in protocol's development token (the reference server's own default) comes first.
  const token = options.token ?? (auth && !auth.optional && auth.means.some((m) => SEEN_MEANS.has(m.in)) ? (DEFAULT_TOKENS[spec.id]?.token ?? 'wsconform-judge-token') : undefined);
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
      onRefused: (attempt: RefusedAttempt) => observer.onRefused(attempt),
      onSent: (id: number, text: string) => observer.onSent(key(id), text),
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
          // An event sent without an argument whose fields are all optional counts as `{}` (as the server reads it).
          if (sio && Array.isArray(frame.message) && frame.message.length === 1) {
            const schema = spec.message('send', String(frame.message[0]))?.schema as { type?: string; required?: string[] } | undefined;
            if (schema?.type === 'object' && !schema.required?.length) frame.message = [frame.message[0], {}];
          }
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
    onSent(id: number, text: string) {
      if (!answerRules.length) return;
      try {
        noteRequest(id, JSON.parse(text));
      } catch {
        // not JSON: no id in it
      }
    },
    onRefused(attempt: RefusedAttempt) {
      refusals.push({ ...attempt, label: `refused#${refusals.length + 1}`, at: now() });
      wake();
    },
    onClose(id: number, code: number, reason: string) {
      const c = conns.find((x) => x.id === id);
      if (c && !c.closed) c.closed = { code, reason, at: now(), byClient: !closingAll && !(sio && SERVER_REASONS.has(reason)) };
      wake();
    },
  };
  const serverOptions = { protocol: spec.file, port: options.port, token, adminToken: options.adminToken, ...(sio ? { keepaliveIntervalMs: SIO_PING_MS } : {}) };
  let server: RunningServer | undefined = await startReferenceServer({ ...serverOptions, observer: observerFor(1) });
  const port = server.port;
  const url = server.url;
  const problems: string[] = [];
  let child: ChildProcess | undefined;
  let unguard: (() => void) | undefined;
  let output = '';
  if (options.exec) {
    child = spawn(options.exec, { shell: true, env: { ...process.env, WSCONFORM_URL: url, ...(token ? { WSCONFORM_TOKEN: token } : {}) }, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    const keep = (d: Buffer) => (output = (output + d.toString('utf8')).slice(-16_384));
    unguard = guard(child);
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('error', (err) => problems.push(`--exec could not start: ${err.message}`));
  }
  const checks = checksFor(spec, token);
  for (const rep of reporters) await rep.onRunStart?.({ spec: { id: spec.id, title: spec.title, version: spec.version, file: spec.file }, url, startedAt: startedAt.toISOString(), checks: checks.map(({ id, level, description }) => ({ id, category: 'client', level, description })), strict: !!options.strict, timeoutMs, observeMs: options.listenMs ?? 2000 });

  const findings = new Map(checks.map((c) => [c.id, new Findings()]));
  const notes = new Map<string, string>();
  const at = (c: ClientConn, f: Frame | undefined, path?: string): Occurrence => ({ ...(f ? { frameIndex: f.index, frame: frameEvidence(f) } : {}), connection: c.label, ...(path ? { path } : {}) });
  let refusedAttempts: number[] = [];
  try {
    // 1. The client connects, and is listened to.
    const connected = await until(() => conns.length > 0, options.waitMs ?? 10_000);
    if (!connected) {
      const refused = refusals.length ? `; the server refused its ${refusals.length} attempt(s) (HTTP ${[...new Set(refusals.map((r) => r.status))].join(', ')} on ${[...new Set(refusals.map((r) => r.channel))].join(', ')})` : '';
      problems.push(`the client never connected to ${url} within ${options.waitMs ?? 10_000} ms${refused}${options.exec ? ` (its output: ${JSON.stringify(output.slice(-300))})` : ''}`);
    } else {
      const first = conns[0];
      await sleep(options.listenMs ?? 2000);

      // Keepalive: the gaps between the client's keepalives while it was listened to, less the
      // time the judge itself was held up (a loaded machine delays the judge, not the client).
      const ka = spec.ext.client?.keepalive;
      if (ka) {
        const window = keepaliveWindow(ka);
        const end = first.closed ? first.closed.at - first.openedAt : now() - first.openedAt;
        if (end < window) notes.set('client/keepalive', `the client was listened to for ${Math.round(end)} ms, less than the interval plus tolerance (${window} ms); raise --listen to judge it`);
        else {
          // The same judge as the server's heartbeats (ping-pong/server-keepalive): frame times count from the connection's start.
          const origin = t0 + first.openedAt;
          const beats = new Beats(findings.get('client/keepalive')!, window, ka.intervalMs, ka.message, (a, b) => stalls.heldUpMs(origin + a, origin + b));
          for (const f of first.frames) if (f.name === ka.message) beats.beat(f);
          beats.end(0, end);
        }
      }

      // 2. A WebSocket ping frame: RFC 6455 asks every endpoint to answer it (Socket.IO: the Engine.IO heartbeat runs all along).
      if (!sio && !first.closed) {
        const payload = `wsconform-${Math.random().toString(36).slice(2, 8)}`;
        first.client.ping(payload);
        const answered = await until(() => first.pongs.includes(payload) || !!first.closed, timeoutMs);
        if (!first.pongs.includes(payload)) findings.get('client/ws-ping')!.add('no-pong', { basis: first.pongs.length ? TRANSPORT.pongPayload : TRANSPORT.pingFrame, message: 'The client did not answer a ping frame', expected: `a pong frame with payload ${JSON.stringify(payload)} within ${timeoutMs} ms`, actual: answered ? 'the connection closed first' : first.pongs.length ? `pongs with other payloads: ${first.pongs.map((p) => JSON.stringify(p)).join(', ')}` : 'no pong frame' }, { connection: first.label });
      } else if (!sio) notes.set('client/ws-ping', 'the client closed its connection before the ping');

      // 3. Tolerance: an undocumented event, then a documented one with an extra field.
      if (!first.closed) {
        // Both are shaped as the document's events are (its first example, envelope and all):
        // only the name, or one extra field, is new, as in the next release of a server.
        const nameField = spec.ext.nameField?.receive ?? 'type';
        const documented = spec.messages.find((m) => m.direction === 'receive' && m.examples.length && typeof m.examples[0] === 'object' && m.examples[0] !== null && !Array.isArray(m.examples[0]));
        const example = (documented?.examples[0] ?? {}) as Record<string, unknown>;
        // Socket.IO: the event name is the name, the example its argument.
        first.client.send(JSON.stringify(sio ? ['WsconformUndocumented', example] : withField(example, nameField, 'WsconformUndocumented')));
        if (documented) first.client.send(JSON.stringify(sio ? [documented.name, { ...example, wsconformExtra: true }] : { ...example, wsconformExtra: true }));
        await until(() => !!first.closed, timeoutMs);
        const f = findings.get('client/tolerance')!;
        const closed = closedOf(first);
        if (closed?.byClient) f.add('closed', { message: 'The client closed its connection after an undocumented event', expected: 'a client that ignores what it does not know and stays connected', actual: `closed with ${closed.code}${closed.reason ? ` (${closed.reason})` : ''} within ${timeoutMs} ms` }, at(first, first.frames[first.frames.length - 1]));
      } else notes.set('client/tolerance', 'the client closed its connection before the probe');

      // 4. The messages the client answers (client.answers): the server's, with a fresh id each.
      for (const rule of answerRules) {
        if (first.closed) {
          notes.set('client/answers', 'the client closed its connection before the judge could send it what it answers');
          break;
        }
        const to = spec.messages.find((m) => m.direction === 'receive' && m.name === rule.to);
        // Its first example, or (none given) the smallest payload its schema accepts.
        const example = to ? (to.examples[0] ?? sample(to.schema)) : undefined;
        if (!to || !example || typeof example !== 'object' || Array.isArray(example)) {
          notes.set('client/answers', `the document gives no object payload of ${rule.to} to send`);
          continue;
        }
        const id = `wsconform-${Math.random().toString(36).slice(2, 10)}`;
        const payload = withField(example, rule.toField ?? rule.field, id);
        const message = sio ? [rule.to, payload] : payload;
        noteRequest(first.id, message);
        first.client.send(JSON.stringify(message));
        const already = first.frames.length;
        await until(() => first.frames.slice(already).some((f) => f.name !== undefined && answerRules.some((r) => r.messages.includes(f.name!))) || !!first.closed, timeoutMs);
      }

      // 5. The restart, where the document asks clients to reconnect.
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
    if (child) {
      await stop(child);
      unguard?.();
    }
    await server?.close();
    stalls.stop();
  }

  // How every connection attempt, accepted or refused, presented the token.
  if (auth && token && authApplies(spec, token) === true) {
    const a = findings.get('client/auth')!;
    const attempts = [...conns.map((c) => ({ label: c.label, at: c.openedAt, p: { query: c.client.query, headers: c.client.headers, auth: c.client.auth, first: c.frames[0]?.message } as Presented, opening: true })), ...refusals.map((r) => ({ label: r.label, at: r.at, p: { query: r.query, headers: r.headers, auth: r.auth } as Presented, opening: false }))];
    // A token in the opening's payload can only be read on an accepted connection that sent it.
    const means = (opening: boolean) => auth.means.filter((m) => m.in !== 'opening-payload' || opening);
    for (const t of attempts) {
      const actual = notPresented(t.p, means(t.opening), token);
      if (actual) a.add(actual, { basis: auth.basis, message: 'The client did not present its token by a documented means', expected: auth.means.map(meansText).join(' or '), actual: `${actual} (WSCONFORM_TOKEN)` }, { connection: t.label });
    }
    if (!attempts.length) notes.set('client/auth', 'the client made no connection attempt');
  }

  // The order of the client's messages, on every connection: nothing of `then` before `first`.
  const orderRules = spec.ext.client?.order ?? [];
  if (orderRules.length && conns.length) {
    const o = findings.get('client/order')!;
    for (const rule of orderRules) {
      for (const c of conns) {
        const firstAt = c.frames.findIndex((f) => f.name === rule.first);
        const early = c.frames.filter((f, i) => f.name !== undefined && rule.then.includes(f.name) && (firstAt < 0 || i < firstAt));
        for (const f of early) o.add(`${rule.first}|${f.name}`, { basis: rule.basis, message: `The client sent ${f.name} before ${rule.first}`, expected: `${rule.first} first, then ${rule.then.join(', ')}`, actual: firstAt < 0 ? `${f.name} on a connection that never sent ${rule.first}` : `${f.name} at message ${f.index + 1}, ${rule.first} only at message ${firstAt + 1}` }, at(c, f));
      }
    }
    if (!conns.some((c) => c.frames.some((f) => f.name !== undefined && orderRules.some((r) => r.then.includes(f.name!))))) notes.set('client/order', `the client sent none of ${[...new Set(orderRules.flatMap((r) => r.then))].join(', ')}`);
  }

  // The ids of the client's answers: each one the server sent that connection.
  if (answerRules.length && conns.length) {
    const a = findings.get('client/answers')!;
    let answered = 0;
    for (const c of conns) {
      for (const f of c.frames) {
        answerRules.forEach((rule, i) => {
          if (f.name === undefined || !rule.messages.includes(f.name)) return;
          answered++;
          const id = fieldAt(payloadOf(spec, f.message), rule.field);
          const sent = requested.get(c.id)?.[i] ?? new Set();
          if (!sent.has(id)) a.add(`${f.name}|${rule.to}`, { basis: rule.basis, message: `The client's ${f.name} names no ${rule.to} it was sent`, expected: `${rule.field} of a ${rule.to} sent on this connection (${sent.size ? [...sent].map((v) => JSON.stringify(v)).join(', ') : 'none was'})`, actual: `${rule.field} ${JSON.stringify(id)}` }, at(c, f, rule.field));
        });
      }
    }
    if (!answered && !notes.has('client/answers')) notes.set('client/answers', `the client answered none of the ${[...new Set(answerRules.map((r) => r.to))].join(', ')} it was sent`);
  }

  // The Engine.IO heartbeat: the server never dropped a connection for a missing pong.
  if (sio && conns.length) {
    const h = findings.get('client/heartbeat')!;
    for (const c of conns) if (c.closed?.reason === 'ping timeout') h.add('ping-timeout', { message: 'The client did not answer the Engine.IO pings in time', expected: `a pong within ${SIO_PING_MS} ms of each ping (pingInterval ${SIO_PING_MS} ms, pingTimeout ${SIO_PING_MS} ms in the handshake)`, actual: `the server dropped the connection with "ping timeout" ${Math.round(c.closed.at - c.openedAt)} ms after it opened` }, at(c, c.frames[c.frames.length - 1]));
    // A pong shows the client keeps the heartbeat; none and no timeout: no ping came due while it was connected.
    if (!h.list().length && !conns.some((c) => c.pongs.length)) {
      const lived = Math.max(...conns.map((c) => (c.closed?.at ?? now()) - c.openedAt));
      notes.set('client/heartbeat', `no Engine.IO ping came due while the client was connected (at most ${Math.round(lived)} ms; pingInterval ${SIO_PING_MS} ms)`);
    }
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
    if (!conns.length && !(c.id === 'client/auth' && refusals.length)) return done('skip', { reason: 'the client never connected' });
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
      ...(refusals.length ? { refusedUpgrades: refusals.map((r) => ({ label: r.label, ms: Math.round(r.at), channel: r.channel, status: r.status })) } : {}),
      ...(options.exec ? { output } : {}),
    },
  };
  for (const rep of reporters) await rep.onRunEnd?.(report);
  return report;
}

/** Sends a signal to the client's process group (Windows: to the client). */
function signalGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, sig);
    else child.kill(sig);
  } catch {
    // already gone
  }
}

/**
 * The client runs in a group of its own, so an interrupt of the judge does not reach it: while
 * it runs, the judge's exit, SIGINT and SIGTERM stop the group first (the signal then takes its
 * usual course). Returns the function that removes the guard.
 */
function guard(child: ChildProcess): () => void {
  const onExit = () => signalGroup(child, 'SIGKILL');
  const onSignal = (sig: NodeJS.Signals) => {
    signalGroup(child, 'SIGKILL');
    remove();
    process.kill(process.pid, sig);
  };
  const remove = () => {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return remove;
}

/**
 * Stops the client and everything it started: `--exec` runs in a shell, whose children (the
 * client itself) would keep running, and keep the output pipes (and so the judge) open, if only
 * the shell were killed. The client runs in a process group of its own, and the group is stopped.
 */
async function stop(child: ChildProcess): Promise<void> {
  const signal = (sig: NodeJS.Signals) => signalGroup(child, sig);
  const closed = new Promise<void>((r) => (child.exitCode !== null && child.stdout?.closed !== false ? r() : child.once('close', () => r())));
  signal('SIGTERM');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = await Promise.race([closed.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), 2000)))]);
  clearTimeout(timer);
  if (late) {
    signal('SIGKILL');
    child.stdout?.destroy();
    child.stderr?.destroy();
  }
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
