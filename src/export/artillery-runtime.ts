/**
 * What an exported Artillery script runs (`wsconform export artillery`): the functions its
 * processor hands to Artillery's `ws` engine. Each virtual user performs the document's opening,
 * waits for its initial messages, sends its triggers and pings, and waits for each documented
 * reply by name, however many stream events come in between (the engine's own `match` reads only
 * the next message). Every message the user receives is validated against the document. A reply
 * that does not come within the timeout fails the user; an invalid message is an error counted
 * in the report. The server's own application ping is answered, as a run does.
 *
 * Counters in Artillery's report: `wsconform.replies.<name>` (a documented reply matched),
 * `wsconform.unanswered.<request>`, `wsconform.messages.valid` / `.invalid`; histogram
 * `wsconform.reply_ms.<request>`.
 */
import type { WebSocket } from 'ws';
import { loadSpec } from '../spec/load.js';
import type { Spec } from '../spec/model.js';
import { validatorFor, type Validator } from '../spec/validator.js';
import { numberId, outgoing, personalize } from '../runner/messages.js';
import { openingMessage, serverPingAnswer } from '../runner/opening.js';
import { presentToken } from '../runner/target.js';
import { withQuery } from '../transport/base.js';
import type { Frame } from '../transport/types.js';

/** Artillery's event emitter, as a processor function sees it. */
interface Events {
  emit(type: 'counter' | 'histogram', name: string, value: number): void;
  emit(type: 'error', message: string): void;
}

/** Artillery's virtual-user context (the `ws` engine sets `ws` once connected). */
interface Context {
  ws?: WebSocket;
  /** The socketio engine's sockets, by namespace ('' is the default one). */
  sockets?: Record<string, IoSocket>;
  vars: Record<string, unknown>;
}

/** The arguments the `ws` engine opens a connection with (a `connect.function` may change them). */
interface WsArgs {
  target: string;
  subprotocols?: string[];
  options?: { headers?: Record<string, string> } & Record<string, unknown>;
}

/** How the exported script was configured. */
export interface RuntimeOptions {
  /** How long a reply may take, in ms. */
  timeoutMs: number;
  /** The environment variables holding the tokens (never written into the script). */
  tokenEnv?: string;
  adminTokenEnv?: string;
  /** Socket.IO: the namespace to connect (the document's primary channel). */
  namespace?: string;
}

/** Per virtual user: its connection id, its message ids, its link to the server and its listener's state. */
interface User {
  id: string;
  lastId: { id: number };
  waiters: Set<(name: string | undefined, value: unknown) => void>;
  /** Sends a message as the transport frames it. */
  send?(text: unknown): void;
  /** Where its messages' counters and errors go. */
  events?: Events;
}

/** The part of a socket.io-client socket the runtime uses. */
interface IoSocket {
  io: { socket(ns: string, opts: { auth: Record<string, unknown> }): IoSocket };
  emit(event: string, ...args: unknown[]): unknown;
  onAny(listener: (event: string, ...args: unknown[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
  connect(): unknown;
}

const USER = '__wsconform';

/** The processor functions for the document at `file`. */
export async function processor(file: string, options: RuntimeOptions) {
  const spec = await loadSpec(file);
  const validator = validatorFor(spec);
  const answer = serverPingAnswer(spec);
  const token = () => (options.adminTokenEnv && process.env[options.adminTokenEnv]) || (options.tokenEnv && process.env[options.tokenEnv]) || undefined;
  const presented = () => presentToken(spec, token());

  const userOf = (context: Context): User => {
    let user = context.vars[USER] as User | undefined;
    if (!user) context.vars[USER] = user = { id: `wsa${Math.random().toString(36).slice(2, 8)}`, lastId: { id: 0 }, waiters: new Set() };
    return user;
  };
  const send = (context: Context, message: unknown): void => {
    const user = userOf(context);
    user.send!(numberId(spec, personalize(spec, message, user.id), user.lastId));
  };

  /** Sends `message` and waits for one of `replies` (by name), or fails the user after the timeout. */
  const request = (context: Context, events: Events, label: string, message: unknown, replies: readonly string[]): Promise<void> => {
    const user = userOf(context);
    if (!replies.length) {
      send(context, message);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      const timer = setTimeout(() => {
        user.waiters.delete(waiter);
        events.emit('counter', `wsconform.unanswered.${label}`, 1);
        reject(new Error(`wsconform: no ${replies.join(' or ')} within ${options.timeoutMs} ms of ${label}`));
      }, options.timeoutMs);
      const waiter = (name: string | undefined) => {
        if (name === undefined || !replies.includes(name)) return;
        clearTimeout(timer);
        user.waiters.delete(waiter);
        events.emit('counter', `wsconform.replies.${name}`, 1);
        events.emit('histogram', `wsconform.reply_ms.${label}`, performance.now() - t0);
        resolve();
      };
      user.waiters.add(waiter);
      send(context, message);
    });
  };

  /**
   * Socket.IO: the engine's socket (Artillery's socketio engine connects the default namespace
   * before the first step, with the script's `socketio` options: the token is presented there).
   * Another namespace is opened on the same manager, and left to the engine to close.
   */
  const openSocketIo = async (context: Context, user: User): Promise<void> => {
    const base = context.sockets?.[''];
    if (!base) throw new Error('wsconform: the socketio engine opened no socket');
    // The engine listens for an `error` event while it connects and never stops: a protocol whose
    // server emits an event named "error" (Gemini chat does) would make it call back twice and
    // crash the worker. Connected, that listener has done its work.
    base.off('error');
    let socket = base;
    const ns = options.namespace ?? '/';
    if (ns !== '/' && ns !== '') {
      socket = base.io.socket(ns, { auth: presented().auth ?? {} });
      context.sockets![ns] = socket;
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', (err: Error) => reject(new Error(`wsconform: namespace ${ns} refused the connection (${err.message})`)));
        socket.connect();
      });
    }
    user.send = (m) => socket.emit(...(m as [string, ...unknown[]]));
    const receive = (message: unknown[]) => onMessage(validator, spec, user.events!, user, answer, message);
    // The engine's own socket is patched by socketio-wildcard, which delivers every event as `*`
    // (and bypasses onAny); a socket opened here is not.
    if (socket === base) socket.on('*', (packet: { data?: unknown[] }) => Array.isArray(packet?.data) && receive(packet.data));
    else socket.onAny((event: string, ...args: unknown[]) => receive([event, ...args]));
  };

  return {
    /** `connect.function`: presents the token as the document says (query or header) and offers its subprotocols. */
    wsconformConnect(wsArgs: WsArgs, _context: Context, done: (err?: Error) => void): void {
      const { query, headers } = presented();
      wsArgs.target = withQuery(wsArgs.target, query);
      if (headers) wsArgs.options = { ...wsArgs.options, headers: { ...wsArgs.options?.headers, ...headers } };
      if (spec.ext.subprotocol?.offer?.length) wsArgs.subprotocols = spec.ext.subprotocol.offer;
      done();
    },

    /**
     * Listens (validating every message, answering the server's pings) and performs the opening.
     * The initial messages are not awaited: they may arrive before Artillery runs the first step
     * (`wsconform run` judges them); the ones that come after are validated like any message.
     */
    async wsconformStart(context: Context, events: Events): Promise<void> {
      const user = userOf(context);
      user.events = events;
      if (spec.transport === 'socket.io') await openSocketIo(context, user);
      else {
        const ws = context.ws!;
        user.send = (m) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(m));
        ws.on('message', (data: Buffer, binary: boolean) => {
          if (binary) return events.emit('error', 'wsconform: a binary frame (the document sends JSON text)');
          let value: unknown;
          try {
            value = JSON.parse(data.toString('utf8'));
          } catch {
            events.emit('counter', 'wsconform.messages.invalid', 1);
            return events.emit('error', 'wsconform: a text frame that is not JSON');
          }
          onMessage(validator, spec, events, user, answer, value);
        });
      }
      const opening = spec.ext.opening?.steps ?? [];
      const inPayload = presented().openingPayload;
      for (const [i, step] of opening.entries()) await request(context, events, step.send, openingMessage(spec, step, i, inPayload), step.expect);
    },

    /** Sends each trigger the credentials allow and waits for its documented reply. */
    async wsconformTriggers(context: Context, events: Events): Promise<void> {
      for (const t of spec.ext.triggers ?? []) {
        if (t.needs === 'admin' && !(options.adminTokenEnv && process.env[options.adminTokenEnv])) continue;
        if (t.needs === 'token' && !token()) continue;
        await request(context, events, t.message, outgoing(spec, t.message, t.payload), spec.replies.get(t.message) ?? []);
      }
    },

    /** The document's application ping, and its pong. */
    async wsconformPing(context: Context, events: Events): Promise<void> {
      const ping = spec.ext.keepalive?.appPing;
      if (ping) await request(context, events, ping.ping, outgoing(spec, ping.ping, ping.payload), [ping.pong]);
    },
  };
}

function onMessage(validator: Validator, spec: Spec, events: Events, user: User, answer: ((f: Frame) => unknown) | undefined, value: unknown): void {
  // Each event of a batch is a message of its own.
  const batch = spec.transport === 'websocket' && spec.ext.shape !== 'array' && !spec.ext.batch && Array.isArray(value) && value.length > 0 && value.every((v) => v && typeof v === 'object' && !Array.isArray(v));
  for (const message of batch ? (value as unknown[]) : [value]) {
    const result = validator.validate(message, 'receive');
    const name = result.name;
    if (result.valid) events.emit('counter', 'wsconform.messages.valid', 1);
    else {
      events.emit('counter', 'wsconform.messages.invalid', 1);
      const issue = result.issues[0];
      events.emit('error', `wsconform: ${name ?? 'a message'} does not conform (${issue.path}: ${issue.message})`);
    }
    const pong = answer?.({ index: 0, at: 0, dir: 'in', type: 'text', bytes: 0, name, message } as Frame);
    if (pong !== undefined) user.send?.(pong);
    for (const w of [...user.waiters]) w(name, message);
  }
}
