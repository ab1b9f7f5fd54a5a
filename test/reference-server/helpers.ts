/** Shared helpers of the reference-server tests: start servers, connect clients, wait for frames. */
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import { io, type Socket } from 'socket.io-client';
import { startReferenceServer, type ReferenceServerOptions, type RunningServer } from '../../reference-server/index.js';

const running: { close(): Promise<void> | void }[] = [];

afterEach(async () => {
  const all = running.splice(0);
  await Promise.all(all.map((r) => r.close()));
});

/** Starts a server on a free port, instant, closed after the test. */
export async function serve(options: Partial<ReferenceServerOptions> & { protocol: string }): Promise<RunningServer> {
  const server = await startReferenceServer({ port: 0, instant: options.speed === undefined, ...options });
  running.push(server);
  return server;
}

/** A WebSocket test client that records every frame. */
export interface Client {
  ws: WebSocket;
  /** Text of every frame received, in order. */
  texts: string[];
  /** Parsed frames. */
  frames: any[];
  /** Binary flags of the frames. */
  binary: boolean[];
  /** Resolves when `n` frames have arrived in all (rejects after `ms`). */
  count(n: number, ms?: number): Promise<any[]>;
  /** Resolves with the first frame (from index `from`) matching `pred`. */
  waitFor(pred: (f: any) => boolean, ms?: number, from?: number): Promise<any>;
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  send(value: unknown): void;
  close(): void;
}

/**
 * Resolves with `check()`'s first defined value, tried now and after each arrival announced to
 * `listeners`; rejects after `ms`, naming what it waited for.
 */
function until<T>(listeners: Set<() => void>, check: () => T | undefined, ms: number, what: () => string): Promise<T> {
  return new Promise((resolve, reject) => {
    const hit = check();
    if (hit !== undefined) return resolve(hit);
    const timer = setTimeout(() => {
      listeners.delete(l);
      reject(new Error(`timed out after ${ms} ms waiting for ${what()}`));
    }, ms);
    const l = () => {
      const v = check();
      if (v === undefined) return;
      clearTimeout(timer);
      listeners.delete(l);
      resolve(v);
    };
    listeners.add(l);
  });
}

/** Connects a `ws` client and records frames. */
export function connect(url: string, options: WebSocket.ClientOptions = {}): Promise<Client> {
  const ws = new WebSocket(url, options);
  const texts: string[] = [];
  const frames: any[] = [];
  const binary: boolean[] = [];
  const listeners = new Set<() => void>();
  ws.on('message', (data, isBinary) => {
    const text = data.toString();
    texts.push(text);
    binary.push(isBinary);
    try {
      frames.push(JSON.parse(text));
    } catch {
      frames.push(text);
    }
    for (const l of [...listeners]) l();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  running.push({ close: () => ws.terminate() });
  const last = () => (texts[texts.length - 1] ?? '').slice(0, 200);
  const client: Client = {
    ws,
    texts,
    frames,
    binary,
    count: (n, ms = 5000) => until(listeners, () => (frames.length >= n ? frames.slice(0, n) : undefined), ms, () => `${n} frames; got ${frames.length} frames, the last: ${last()}`),
    waitFor: (pred, ms = 5000, from = 0) => until(listeners, () => frames.slice(from).find(pred), ms, () => `a matching frame; got ${frames.length} frames, the last: ${last()}`),
    closed,
    send: (value) => ws.send(typeof value === 'string' ? value : JSON.stringify(value)),
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

/** The HTTP status of a refused upgrade. */
export async function upgradeStatus(url: string, options: WebSocket.ClientOptions = {}): Promise<number> {
  try {
    const c = await connect(url, options);
    c.close();
    return 101;
  } catch (err) {
    return (err as { status?: number }).status ?? -1;
  }
}

/** Sleeps. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Socket.IO client that records every event as [name, payload]. */
export interface SioClient {
  socket: Socket;
  events: [string, any][];
  /** Resolves with the payload of the first `name` event (from index `from`). */
  waitFor(name: string, ms?: number, from?: number): Promise<any>;
  /** Resolves when `n` events have arrived in all (rejects after `ms`). */
  count(n: number, ms?: number): Promise<[string, any][]>;
  names(): string[];
}

/** Connects a socket.io client with a token; rejects with the connect_error. */
export function sio(url: string, token?: string, options: Record<string, unknown> = {}): Promise<SioClient> {
  const socket = io(url, { auth: token === undefined ? {} : { token }, transports: ['websocket'], reconnection: false, forceNew: true, ...options });
  running.push({ close: () => void socket.close() });
  const events: [string, any][] = [];
  const listeners = new Set<() => void>();
  socket.onAny((name, payload) => {
    events.push([name, payload]);
    for (const l of [...listeners]) l();
  });
  const client: SioClient = {
    socket,
    events,
    names: () => events.map((e) => e[0]),
    waitFor: (name, ms = 5000, from = 0) =>
      until(listeners, () => events.slice(from).find((e) => e[0] === name), ms, () => `${name}; got ${client.names().join(', ')}`).then((e) => e[1]),
    count: (n, ms = 5000) => until(listeners, () => (events.length >= n ? events.slice(0, n) : undefined), ms, () => `${n} events; got ${client.names().join(', ')}`),
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('connect_error', (err) => reject(err));
  });
}
