/**
 * The Socket.IO transport (gemini-chat): one namespace per documented channel, the handshake
 * `auth.token` checked in a middleware (missing or wrong: `connect_error` "Authentication
 * failed"), heartbeat parameters from `keepaliveIntervalMs`.
 */
import { createServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { authState, handshakeTokens } from './auth.js';
import { Connection, type AuthState } from './connection.js';
import type { ServerContext } from './context.js';
import { dispatch, refused } from './inbound.js';
import { listen, urlOf } from './listen.js';
import type { Wire } from './outbox.js';
import type { Transport } from './ws-server.js';

/** The documented Socket.IO defaults. */
const PING_INTERVAL = 25_000;
const PING_TIMEOUT = 20_000;

interface EngineSocket {
  pingIntervalTimer?: NodeJS.Timeout;
  schedulePing: () => void;
  writeBuffer: { data?: unknown }[];
  transport?: { socket?: { bufferedAmount?: number } };
}

function sioWire(socket: Socket, sent?: (text: string) => void): Wire {
  const engine = socket.conn as unknown as EngineSocket;
  return {
    get open() {
      return socket.connected;
    },
    send(frame, flushed) {
      const [event, ...args] = frame as [string, ...unknown[]];
      socket.emit(event, ...args);
      sent?.(JSON.stringify(frame));
      setImmediate(flushed);
    },
    bufferedAmount() {
      let n = engine.transport?.socket?.bufferedAmount ?? 0;
      for (const p of engine.writeBuffer ?? []) n += typeof p.data === 'string' ? p.data.length : 0;
      return n;
    },
    close: () => {
      socket.disconnect(true);
    },
    terminate: () => {
      socket.conn.close();
    },
  };
}

/** Starts the Socket.IO server for a context. */
export async function startSocketIoServer(ctx: ServerContext): Promise<Transport> {
  const { spec, options, faults, validator } = ctx;
  const http = createServer((_req, res) => {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('Not Found\n');
  });
  const pingInterval = options.keepaliveIntervalMs ?? PING_INTERVAL;
  const io = new Server(http, {
    serveClient: false,
    pingInterval,
    // A short interval for tests keeps a tolerant timeout: a busy event loop must not drop clients.
    pingTimeout: options.keepaliveIntervalMs ? Math.max(options.keepaliveIntervalMs, 1000) : PING_TIMEOUT,
    maxHttpBufferSize: options.maxFrameBytes,
    cors: { origin: true },
  });
  if (faults.has('slow-heartbeat')) {
    // Advertise pingInterval in the handshake, then never ping: the client's heartbeat times out.
    io.engine.on('connection', (raw: EngineSocket) => {
      clearTimeout(raw.pingIntervalTimer);
      raw.schedulePing = () => undefined;
    });
  }
  let observed = 0;
  const namespaces = spec.channels.length ? spec.channels.map((c) => c.address || '/') : ['/'];
  for (const address of namespaces) {
    const nsp = io.of(address);
    nsp.use(async (socket, next) => {
      if (ctx.hub.crashed) return next(new Error('Server unavailable')); // crash-on-* faults
      const auth = await authState(spec, handshakeTokens(spec, socket.handshake.auth), options, faults);
      const needsToken = spec.ext.auth?.withoutToken === 'refuse' && (options.token || options.adminToken || options.jwtSecret);
      if (needsToken && !auth.authenticated) {
        options.observer?.onRefused?.({ channel: address, query: socket.handshake.query as Record<string, string>, headers: socket.handshake.headers, auth: socket.handshake.auth, status: 401 });
        return next(new Error('Authentication failed'));
      }
      if (faults.has('reject-namespace')) return next(new Error('Invalid namespace'));
      (socket.data as { auth?: AuthState }).auth = auth;
      next();
    });
    nsp.on('connection', (socket) => {
      const auth = (socket.data as { auth: AuthState }).auth;
      // judge-client: the observer sees the connection, every event the client emits and every one it is sent.
      const observer = options.observer;
      const id = observer ? ++observed : 0;
      if (observer) {
        observer.onOpen?.(id, {
          channel: address,
          query: socket.handshake.query as Record<string, string>,
          headers: socket.handshake.headers,
          auth: socket.handshake.auth,
          protocol: '',
          send: (text) => {
            const [event, ...args] = JSON.parse(text) as [string, ...unknown[]];
            if (socket.connected) socket.emit(event, ...args);
          },
          close: () => socket.disconnect(true),
          ping: () => undefined,
        });
        socket.onAny((event: string, ...args: unknown[]) => {
          const text = JSON.stringify([event, ...args]);
          observer.onFrame?.(id, text, Buffer.byteLength(text));
        });
        // The Engine.IO pongs the client sends (the heartbeat), as ping frames' pongs are for WebSocket.
        socket.conn.on('packet', (packet: { type: string; data?: unknown }) => {
          if (packet.type === 'pong') observer.onPong?.(id, typeof packet.data === 'string' ? packet.data : '');
        });
        socket.on('disconnect', (reason: string) => observer.onClose?.(id, reason === 'client namespace disconnect' ? 1000 : reason === 'ping timeout' ? 1011 : 1006, reason));
      }
      const conn = new Connection(ctx, sioWire(socket, observer ? (text) => observer.onSent?.(id, text) : undefined), address, auth);
      socket.onAny((event: string, ...args: unknown[]) => {
        try {
          onEvent(event, args);
        } catch {
          socket.disconnect(true); // never let one client's event take the server down
        }
      });
      function onEvent(event: string, args: unknown[]): void {
        if (conn.closed) return;
        // An event sent without an argument whose fields are all optional counts as `{}`.
        const schema = spec.message('send', event)?.schema as { type?: string; required?: string[] } | undefined;
        const frame = args.length === 0 && schema?.type === 'object' && !schema.required?.length ? [event, {}] : [event, ...args];
        const result = validator.validate(frame, 'send');
        if (result.valid) return dispatch(conn, event, frame[1]);
        const code = result.issues[0]?.code;
        if (code === 'schema' || code === 'envelope') {
          if (refused(conn, event, args[0])) return;
          if (conn.hasScript('$invalid-message')) conn.runScript('$invalid-message', args[0], { issue: result.issues[0].message });
          return;
        }
        // Unknown events are ignored (x-wsconform.robustness.unknownMessage: ignore).
        if (faults.has('crash-on-unknown')) return ctx.hub.crash();
        if (faults.has('close-on-unknown')) socket.disconnect(true);
      }
      socket.on('disconnect', () => conn.shutdown());
      conn.start().catch(() => socket.disconnect(true));
    });
  }
  const port = await listen(http, options.host, options.port);
  return {
    port,
    urls: namespaces.map((a) => urlOf('http', options.host, port, a === '/' ? '' : a)),
    async close() {
      for (const conn of ctx.hub.all()) conn.shutdown();
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}
