/** Throwaway servers for runner tests: a small Kiwi-like stream, and hostile servers. */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createHash } from 'node:crypto';
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
  return listenNet(path, () => undefined);
}

/** A raw TCP test server: `onSocket` handles each connection; close stops `cleanup` and every socket. */
function listenNet(path: string, onSocket: (s: Socket) => void, cleanup: () => void = () => undefined): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const net: NetServer = createNetServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    onSocket(s);
  });
  return new Promise((resolve) => {
    net.listen(0, '127.0.0.1', () => {
      const port = (net.address() as AddressInfo).port;
      resolve({
        url: `ws://127.0.0.1:${port}${path}`,
        port,
        close: () =>
          new Promise<void>((r) => {
            cleanup();
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

/**
 * A server that answers each upgrade one byte every `everyMs` (a dribbling handshake), or that
 * completes the upgrade and then sends a frame one byte at a time (`inFrame`).
 */
export async function dribblingServer(mode: 'handshake' | 'in-frame', everyMs = 200, path = '/api/events'): Promise<TestServer> {
  const timers = new Set<NodeJS.Timeout>();
  const dribble = (s: Socket, bytes: Buffer) => {
    let i = 0;
    const t = setInterval(() => {
      if (i >= bytes.length || s.destroyed) return clearInterval(t);
      s.write(bytes.subarray(i, ++i));
    }, everyMs);
    timers.add(t);
  };
  return listenNet(
    path,
    (s) =>
      s.once('data', (req) => {
        const key = /Sec-WebSocket-Key: (.+)\r\n/i.exec(req.toString())?.[1]?.trim() ?? '';
        const accept = createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
        const head = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;
        if (mode === 'handshake') return dribble(s, Buffer.from(head));
        s.write(head);
        // A text frame announcing 100 bytes, delivered one byte at a time.
        dribble(s, Buffer.concat([Buffer.from([0x81, 100]), Buffer.alloc(100, 0x61)]));
      }),
    () => timers.forEach(clearInterval),
  );
}
