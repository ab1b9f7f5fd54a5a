/**
 * A small typed client for the documented protocols, over `ws` and `socket.io-client`, for
 * other projects' tests and tools:
 *
 *   const kiwi = await connect('kiwi', 'ws://127.0.0.1:7789/api/events');
 *   kiwi.on('WAKE_WORD_DETECTED', (e) => console.log(e.data.text));
 *   kiwi.send('ping', { type: 'ping' });
 *   const pong = await kiwi.once('pong');
 *
 * Handlers receive the message as the document types it (for Socket.IO, the event's first
 * argument). With `validate: true`, every incoming message is checked against the document
 * and `onInvalid` hears about the ones that do not conform.
 */
import { io as ioClient, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { loadSpec } from '../spec/load.js';
import type { Spec } from '../spec/model.js';
import { validatorFor, type ValidationResult } from '../spec/validator.js';
import type * as Aragora from '../types/aragora.js';
import type * as ControlPlane from '../types/aragora-control-plane.js';
import type * as Clown from '../types/clown.js';
import type * as Coda from '../types/coda.js';
import type * as Gemini from '../types/gemini-chat.js';
import type * as Kiwi from '../types/kiwi.js';

/** The built-in protocols' name → payload maps. */
export interface ProtocolMaps {
  kiwi: { server: Kiwi.ServerEvents; client: Kiwi.ClientMessages };
  clown: { server: Clown.ServerEvents; client: Clown.ClientMessages };
  coda: { server: Coda.ServerEvents; client: Coda.ClientMessages };
  aragora: { server: Aragora.ServerEvents; client: Aragora.ClientMessages };
  'aragora-control-plane': { server: ControlPlane.ServerEvents; client: ControlPlane.ClientMessages };
  'gemini-chat': { server: Gemini.ServerEvents; client: Gemini.ClientMessages };
}

/** Options of `connect`. */
export interface ConnectOptions {
  /** A token, presented by the document's first auth means (bearer header, `?token=`, Socket.IO `auth.token`). */
  token?: string;
  /** Validate incoming messages against the document. */
  validate?: boolean;
  /** Called with each incoming message that does not conform (when `validate` is on). */
  onInvalid?: (result: ValidationResult, raw: unknown) => void;
  /** Connection timeout in milliseconds (default 5000). */
  timeoutMs?: number;
}

/** A typed connection. */
export interface TypedClient<S, C> {
  /** Calls `handler` for every message named `name`; returns a function that unsubscribes. */
  on<K extends keyof S & string>(name: K, handler: (message: S[K]) => void): () => void;
  /** Calls `handler` for every message, with its wire name. */
  onAny(handler: (name: string, message: unknown) => void): () => void;
  /**
   * Resolves with the earliest message named `name` that no other `once` took, including
   * messages that arrived before the call (the last 10,000 are kept), or rejects after `timeoutMs`.
   */
  once<K extends keyof S & string>(name: K, timeoutMs?: number): Promise<S[K]>;
  /** Sends a client message (WebSocket: the whole object; Socket.IO: the event's argument, if any). */
  send<K extends keyof C & string>(name: K, ...payload: C[K] extends void ? [] : [C[K]]): void;
  /** Closes the connection. */
  close(): Promise<void>;
  /** The loaded document. */
  readonly spec: Spec;
}

type Listener = (name: string, message: unknown) => void;

/** Connects to a server speaking a built-in protocol or a protocol from an AsyncAPI file. */
export async function connect<P extends keyof ProtocolMaps>(protocol: P, url: string, options?: ConnectOptions): Promise<TypedClient<ProtocolMaps[P]['server'], ProtocolMaps[P]['client']>>;
export async function connect<S = Record<string, unknown>, C = Record<string, unknown>>(protocol: string, url: string, options?: ConnectOptions): Promise<TypedClient<S, C>>;
export async function connect(protocol: string, url: string, options: ConnectOptions = {}): Promise<TypedClient<Record<string, unknown>, Record<string, unknown>>> {
  const spec = await loadSpec(protocol);
  const validator = options.validate ? validatorFor(spec) : undefined;
  const listeners = new Set<Listener>();
  // Messages not yet taken by once(): a replay may arrive in the same tick as the handshake.
  const backlog: { name: string; message: unknown }[] = [];
  const BACKLOG_MAX = 10_000;
  const deliver = (name: string, message: unknown, raw: unknown) => {
    backlog.push({ name, message });
    if (backlog.length > BACKLOG_MAX) backlog.shift();
    if (validator) {
      const result = validator.validate(raw, 'receive');
      if (!result.valid) options.onInvalid?.(result, raw);
    }
    for (const l of listeners) l(name, message);
  };
  const means = spec.ext.auth?.means[0];
  const timeoutMs = options.timeoutMs ?? 5000;

  let sendRaw: (name: string, payload: unknown[]) => void;
  let closeFn: () => Promise<void>;

  if (spec.transport === 'socket.io') {
    const socket: Socket = ioClient(url, {
      transports: ['websocket'],
      reconnection: false,
      timeout: timeoutMs,
      auth: options.token ? { [means?.name ?? 'token']: options.token } : undefined,
    });
    socket.onAny((name: string, ...args: unknown[]) => deliver(name, args[0], [name, ...args]));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => {
        socket.close();
        reject(err);
      });
    });
    sendRaw = (name, payload) => socket.emit(name, ...payload);
    closeFn = async () => {
      socket.close();
    };
  } else {
    const target = new URL(url);
    const headers: Record<string, string> = {};
    if (options.token && means?.in === 'query') target.searchParams.set(means.name ?? 'token', options.token);
    else if (options.token) headers.authorization = `Bearer ${options.token}`;
    const ws = new WebSocket(target, { headers, handshakeTimeout: timeoutMs });
    const field = spec.ext.nameField?.receive ?? 'type';
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let value: unknown;
      try {
        value = JSON.parse(data.toString());
      } catch {
        return;
      }
      const name = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[field] : undefined;
      deliver(typeof name === 'string' ? name : '', value, value);
    });
    // The message handler is attached first: frames may arrive in the same tick as the upgrade.
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    });
    sendRaw = (_name, payload) => ws.send(JSON.stringify(payload[0]));
    closeFn = () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close(1000);
        setTimeout(() => ws.terminate(), 1000).unref();
      });
  }

  return {
    spec,
    on(name, handler) {
      const l: Listener = (n, m) => n === name && handler(m as never);
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onAny(handler) {
      listeners.add(handler);
      return () => listeners.delete(handler);
    },
    once(name, ms = timeoutMs) {
      const i = backlog.findIndex((b) => b.name === name);
      if (i >= 0) return Promise.resolve(backlog.splice(i, 1)[0].message as never);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(l);
          reject(new Error(`no ${name} within ${ms} ms`));
        }, ms);
        const l: Listener = (n, m) => {
          if (n !== name) return;
          clearTimeout(timer);
          listeners.delete(l);
          const j = backlog.findIndex((b) => b.message === m);
          if (j >= 0) backlog.splice(j, 1);
          resolve(m as never);
        };
        listeners.add(l);
      });
    },
    send(name, ...payload) {
      sendRaw(name, payload);
    },
    close: () => closeFn(),
  };
}
