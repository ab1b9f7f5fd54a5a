/**
 * The plain WebSocket transport: one HTTP server, upgrades routed by path to the documented
 * channel addresses (anything else: HTTP 404), tokens checked on the upgrade, frames bounded by
 * `maxFrameBytes` (close 1009), and the document's keepalive ping frames.
 */
import { BinaryFrame } from './fault-effects.js';
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { authState, upgradeTokens } from './auth.js';
import { Connection, type AuthState } from './connection.js';
import type { ServerContext } from './context.js';
import { handleFrame } from './inbound.js';
import { listen, urlOf } from './listen.js';
import type { Wire } from './outbox.js';

/** A started transport. */
export interface Transport {
  port: number;
  urls: string[];
  close(): Promise<void>;
}

/** Frames above this are accepted under the `accept-oversized` fault. */
const OVERSIZED_LIMIT = 256 * 1024 * 1024;

function reject(socket: Duplex, status: number, text: string, headers: Record<string, string> = {}): void {
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n${extra}\r\n${text}`);
}

function reason(text: string): string {
  return Buffer.byteLength(text) <= 123 ? text : Buffer.from(text).subarray(0, 120).toString('utf8');
}

/** The wire of one `ws` connection; `socket` is its TCP socket, corked around bursts. */
function wsWire(ws: WebSocket, socket: Duplex): Wire {
  // binary-frames: the fault effects mark the stream frames to send as binary frames.
  const sendText = (text: string, binary: boolean, flushed: () => void) => ws.send(binary ? Buffer.from(text) : text, { binary }, () => flushed());
  const textOf = (frame: unknown) => JSON.stringify(frame instanceof BinaryFrame ? frame.frame : frame);
  return {
    get open() {
      return ws.readyState === WebSocket.OPEN;
    },
    send(frame, flushed) {
      sendText(textOf(frame), frame instanceof BinaryFrame, flushed);
    },
    encode(frame) {
      const text = textOf(frame);
      return { bytes: Buffer.byteLength(text), send: (flushed) => sendText(text, frame instanceof BinaryFrame, flushed) };
    },
    cork: () => socket.cork(),
    uncork: () => socket.uncork(),
    bufferedAmount: () => ws.bufferedAmount,
    close(code, why) {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(code, reason(why));
    },
    terminate: () => ws.terminate(),
  };
}

/** Starts the WebSocket server for a context. */
export async function startWsServer(ctx: ServerContext): Promise<Transport> {
  const { spec, options, faults } = ctx;
  const channels = spec.channels.map((c) => c.address || '/');
  const refused = faults.has('refuse-channel') ? channels.slice(1, 2) : [];
  const http = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const known = channels.includes(path);
    res.writeHead(known ? 426 : 404, { 'Content-Type': 'text/plain', ...(known ? { Upgrade: 'websocket' } : {}) });
    res.end(known ? `${spec.title}: connect with a WebSocket client\n` : 'Not Found\n');
  });
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: faults.has('accept-oversized') ? OVERSIZED_LIMIT : options.maxFrameBytes,
    autoPong: !faults.has('ignore-ws-ping'),
    perMessageDeflate: false,
    clientTracking: true,
    // The documented subprotocol, when the client offers it (RFC 6455 §4.2.2: one of the offered, or none).
    handleProtocols: (offered) => spec.ext.subprotocol?.offer.find((p) => offered.has(p)) ?? false,
  });
  const keepalive = spec.ext.keepalive?.serverPing && !faults.has('no-keepalive') ? spec.ext.keepalive.serverPing : undefined;

  http.on('upgrade', async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    if (ctx.hub.crashed) return socket.destroy(); // crash-on-* faults: nobody answers any more
    // judge-client: a refused attempt is seen too (how the client presented its token, which path it asked for).
    const refuse = (status: number, text: string, headers?: Record<string, string>) => {
      options.observer?.onRefused?.({ channel: path, query: Object.fromEntries(url.searchParams), headers: req.headers, status });
      reject(socket, status, text, headers);
    };
    if (!channels.includes(path) || refused.includes(path)) return refuse(404, 'Not Found');
    const auth = await authState(spec, upgradeTokens(spec, req, url, faults), options, faults);
    if (socket.destroyed) return;
    // A token carried in the opening's payload is judged when the opening comes, not on the upgrade.
    const inOpening = !!spec.ext.auth?.means.every((m) => m.in === 'opening-payload');
    if (spec.ext.auth?.withoutToken === 'refuse' && !inOpening && !auth.authenticated && (options.token || options.adminToken || options.jwtSecret)) {
      return refuse(401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer' });
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      observe(ws, path, req, url);
      onConnection(ws, path, auth, socket);
    });
  });

  // judge-client: the observer sees the connection and every client frame before the server does.
  let observed = 0;
  function observe(ws: WebSocket, channel: string, req: IncomingMessage, url: URL): void {
    const observer = options.observer;
    if (!observer) return;
    const id = ++observed;
    observer.onOpen?.(id, {
      channel,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      protocol: ws.protocol,
      send: (text) => ws.readyState === WebSocket.OPEN && ws.send(text),
      close: (code, reason) => ws.close(code, reason),
      ping: (payload) => ws.readyState === WebSocket.OPEN && ws.ping(Buffer.from(payload, 'utf8')),
    });
    if (observer.onSent) {
      // What the server sends the client, as it goes out (binary frames: their text).
      const send = ws.send.bind(ws) as (data: unknown, ...rest: unknown[]) => void;
      (ws as unknown as { send: (data: unknown, ...rest: unknown[]) => void }).send = (data, ...rest) => {
        observer.onSent!(id, typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
        send(data, ...rest);
      };
    }
    ws.on('pong', (data: Buffer) => observer.onPong?.(id, data.toString('utf8')));
    ws.on('message', (data: Buffer, isBinary: boolean) => observer.onFrame?.(id, isBinary ? undefined : data.toString('utf8'), data.length));
    ws.on('close', (code: number, reason: Buffer) => observer.onClose?.(id, code, reason.toString('utf8')));
  }

  function onConnection(ws: WebSocket, channel: string, auth: AuthState, socket: Duplex): void {
    // A document that requires its subprotocol: a client offering none is refused with the
    // documented code (else 1002, a protocol error).
    const sub = spec.ext.subprotocol;
    if (sub?.required && !ws.protocol && !faults.has('accept-no-subprotocol')) return ws.close(sub.refusalCode ?? 1002, 'subprotocol required');
    const conn = new Connection(ctx, wsWire(ws, socket), channel, auth);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      try {
        handleFrame(conn, data, isBinary);
      } catch {
        conn.close(1011, 'internal error'); // never let one client's message take the server down
      }
    });
    // e.g. 1009 on an oversized frame: ws closes the connection itself (or, under the
    // crash-on-oversized fault, the whole server goes down).
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' && faults.has('crash-on-oversized')) ctx.hub.crash();
    });
    ws.on('close', () => conn.shutdown());
    if (keepalive) startKeepalive(ws, conn, keepalive);
    conn.start().catch(() => conn.close(1011, 'internal error'));
  }

  function startKeepalive(ws: WebSocket, conn: Connection, rule: { intervalMs: number; timeoutMs?: number }): void {
    const interval = options.keepaliveIntervalMs ?? rule.intervalMs;
    const ratio = (rule.timeoutMs ?? rule.intervalMs) / rule.intervalMs;
    const timeout = options.keepaliveIntervalMs ? Math.max(Math.round(interval * ratio), 1000) : (rule.timeoutMs ?? rule.intervalMs);
    let deadline: NodeJS.Timeout | undefined;
    const timer = setInterval(() => {
      if (ws.readyState !== WebSocket.OPEN) return;
      ws.ping();
      if (!deadline) {
        deadline = setTimeout(() => {
          conn.close(1011, 'keepalive ping timeout');
          setTimeout(() => ws.terminate(), 1000).unref();
        }, timeout);
      }
    }, interval);
    ws.on('pong', () => {
      clearTimeout(deadline);
      deadline = undefined;
    });
    ws.on('close', () => {
      clearInterval(timer);
      clearTimeout(deadline);
    });
  }

  const port = await listen(http, options.host, options.port);
  return {
    port,
    urls: channels.map((c) => urlOf('ws', options.host, port, c)),
    async close() {
      for (const conn of ctx.hub.all()) conn.shutdown();
      const open = [...wss.clients];
      await Promise.all(
        open.map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === WebSocket.CLOSED) return resolve();
              const t = setTimeout(() => ws.terminate(), 1000);
              ws.once('close', () => {
                clearTimeout(t);
                resolve();
              });
              ws.close(1001, 'server shutting down');
            }),
        ),
      );
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}
