/** Throwaway servers for runner tests: a small Kiwi-like stream, and hostile servers. */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A running test server. */
export interface TestServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Kiwi events as a well-behaved server sends them. */
export function kiwiEvents(n = 3): Record<string, unknown>[] {
  const base = 1709000000.5;
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) out.push({ event: 'LLM_TOKEN', data: { token: `t${i}` }, timestamp: base + i, source: 'llm' });
  out.push({ event: 'TTS_FINISHED', data: {}, timestamp: base + n, source: 'tts' });
  return out;
}

/** Options of the Kiwi-like server: each switch breaks one behaviour. */
export interface KiwiOptions {
  /** The frames sent on connection (default: kiwiEvents()). Strings are sent raw. */
  frames?: (Record<string, unknown> | unknown[] | string)[];
  /** Do not answer {"type":"ping"}. */
  noPong?: boolean;
  /** Close the connection on a frame that is not JSON. */
  closeOnInvalidJson?: boolean;
  /** Largest accepted frame (default 1 MiB, as documented). */
  maxPayload?: number;
  /** Send a pong right after connecting. */
  unsolicitedPong?: boolean;
  /** Answer WebSocket pings with a different payload. */
  wrongPongPayload?: boolean;
  /** Called with every connection. */
  onConnection?(ws: WebSocket, url: string): void;
}

/** A Kiwi-like server at /api/events. */
export async function kiwiServer(options: KiwiOptions = {}): Promise<TestServer> {
  const http = createHttpServer();
  const wss = new WebSocketServer({ server: http, path: '/api/events', maxPayload: options.maxPayload ?? 1048576, autoPong: !options.wrongPongPayload });
  wss.on('connection', (ws, req) => {
    ws.on('error', () => undefined);
    options.onConnection?.(ws, req.url ?? '');
    if (options.wrongPongPayload) ws.on('ping', () => ws.pong(Buffer.from('something else')));
    if (options.unsolicitedPong) ws.send(JSON.stringify({ event: 'pong' }));
    for (const f of options.frames ?? kiwiEvents()) ws.send(typeof f === 'string' ? f : JSON.stringify(f));
    ws.on('message', (data) => {
      let msg: { type?: string };
      try {
        msg = JSON.parse(String(data));
      } catch {
        if (options.closeOnInvalidJson) ws.close(1003, 'invalid json');
        return;
      }
      if (msg?.type === 'ping' && !options.noPong) ws.send(JSON.stringify({ event: 'pong' }));
    });
  });
  return listenHttp(http, '/api/events', () => wss.clients.forEach((c) => c.terminate()));
}

/** A plain ws server at `path` whose connection handler is given. */
export async function wsServer(path: string, onConnection: (ws: WebSocket) => void, maxPayload?: number): Promise<TestServer> {
  const http = createHttpServer();
  const wss = new WebSocketServer({ server: http, path, maxPayload });
  wss.on('connection', (ws) => {
    ws.on('error', () => undefined);
    onConnection(ws);
  });
  return listenHttp(http, path, () => wss.clients.forEach((c) => c.terminate()));
}

function listenHttp(http: HttpServer, path: string, terminate: () => void): Promise<TestServer> {
  return new Promise((resolve) => {
    http.listen(0, '127.0.0.1', () => {
      const port = (http.address() as AddressInfo).port;
      resolve({
        url: `ws://127.0.0.1:${port}${path}`,
        port,
        close: () =>
          new Promise<void>((r) => {
            terminate();
            http.closeAllConnections();
            http.close(() => r());
          }),
      });
    });
  });
}

/** A TCP server that accepts connections and never answers. */
export async function silentServer(path = '/api/events'): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const net: NetServer = createNetServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  return new Promise((resolve) => {
    net.listen(0, '127.0.0.1', () => {
      const port = (net.address() as AddressInfo).port;
      resolve({
        url: `ws://127.0.0.1:${port}${path}`,
        port,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            net.close(() => r());
          }),
      });
    });
  });
}

/** A free port with nothing listening on it. */
export async function deadPort(): Promise<number> {
  const net = createNetServer();
  const port = await new Promise<number>((r) => net.listen(0, '127.0.0.1', () => r((net.address() as AddressInfo).port)));
  await new Promise<void>((r) => net.close(() => r()));
  return port;
}
