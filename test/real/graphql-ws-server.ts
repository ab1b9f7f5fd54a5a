/**
 * The real graphql-ws server (its `makeServer`, the protocol implementation of the package) on
 * 127.0.0.1:0, over `ws`, as `graphql-ws/use/ws` wires it. A variant breaks one rule by filtering
 * what goes in or out of the real server: the protocol logic stays graphql-ws's own.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { GRAPHQL_TRANSPORT_WS_PROTOCOL, handleProtocols, makeServer } from 'graphql-ws';
import { WebSocketServer } from 'ws';

export const GRAPHQL_VARIANTS = [
  'next-after-complete',
  'no-ack',
  'second-init-accepted',
  'duplicate-id-accepted',
  'pong-missing',
  'no-subprotocol-accepted',
  'ignores-cancel',
  'wrong-unauthorized-code',
  'pong-not-echoing',
  // Conforming: the server pings each client after the ack and closes one that does not answer.
  'pings-client',
] as const;
export type GraphqlVariant = (typeof GRAPHQL_VARIANTS)[number];

// The graphql that graphql-ws itself loads (Node's resolution, not the test bundler's): one
// realm, or graphql refuses the schema ("Cannot use GraphQLSchema from another module or realm").
const { buildSchema } = createRequire(import.meta.url)('graphql') as typeof import('graphql');
const schema = buildSchema(`
  type Query { hello: String }
  type Subscription { ticks: Int }
`);

const roots = {
  query: { hello: () => 'world' },
  subscription: {
    // Runs until the client completes it: a tick every 20 ms.
    ticks: async function* () {
      for (let n = 0; ; n++) {
        await new Promise((r) => setTimeout(r, 20));
        yield { ticks: n };
      }
    },
  },
};

type Message = { type?: string; id?: string };

/** The `pings-client` variant's count of server pings sent, answered with their payload, and unanswered (the connection closed). */
export interface PingStats {
  pings: number;
  answered: number;
  unanswered: number;
}
const parse = (text: string): Message => {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Message) : {};
  } catch {
    return {};
  }
};

/**
 * `token`: the server requires `connection_init.payload.token` to equal it (graphql-ws's own
 * `onConnect` returning false closes the socket with 4403 Forbidden).
 */
export async function startGraphqlWs(variant?: GraphqlVariant, token?: string): Promise<{ url: string; close: () => Promise<void>; stats: PingStats }> {
  const stats: PingStats = { pings: 0, answered: 0, unanswered: 0 };
  const server = makeServer({ schema, roots, connectionInitWaitTimeout: 3000, onConnect: token === undefined ? undefined : (ctx) => ctx.connectionParams?.token === token });
  const http = createServer();
  const wss = new WebSocketServer({
    server: http,
    path: '/graphql',
    handleProtocols: variant === 'no-subprotocol-accepted' ? (protocols) => [...protocols][0] ?? false : handleProtocols,
  });
  wss.on('connection', (socket, request) => {
    const active = new Set<string>();
    let inits = 0;
    let pingTimer: NodeJS.Timeout | undefined;
    socket.once('close', () => clearTimeout(pingTimer));
    const sendRaw = (data: string) => new Promise<void>((resolve, reject) => (socket.readyState !== socket.OPEN ? resolve() : socket.send(data, (err) => (err ? reject(err) : resolve()))));
    const closed = server.opened(
      {
        protocol: variant === 'no-subprotocol-accepted' ? GRAPHQL_TRANSPORT_WS_PROTOCOL : socket.protocol,
        send: async (data) => {
          const m = parse(data);
          if (variant === 'no-ack' && m.type === 'connection_ack') return;
          if (variant === 'pong-missing' && m.type === 'pong') return;
          if (variant === 'pong-not-echoing' && m.type === 'pong') return sendRaw(JSON.stringify({ type: 'pong' }));
          if (m.type === 'complete' && m.id) active.delete(m.id);
          await sendRaw(data);
          if (variant === 'next-after-complete' && m.type === 'complete') await sendRaw(JSON.stringify({ id: m.id, type: 'next', payload: { data: { hello: 'again' } } }));
          if (variant === 'pings-client' && m.type === 'connection_ack') {
            await sendRaw(JSON.stringify({ type: 'ping', payload: { beat: 1 } }));
            stats.pings++;
            pingTimer = setTimeout(() => {
              stats.unanswered++;
              socket.close(4499, 'no pong to the server ping');
            }, 2000);
          }
        },
        close: (code, reason) => socket.close(variant === 'wrong-unauthorized-code' && code === 4401 ? 4400 : code, reason),
        onMessage: (cb) =>
          socket.on('message', async (event) => {
            const text = String(event);
            const m = parse(text) as Message & { payload?: { beat?: number } };
            if (m.type === 'pong' && m.payload?.beat === 1) {
              clearTimeout(pingTimer);
              stats.answered++;
            }
            if (m.type === 'connection_init' && ++inits > 1 && variant === 'second-init-accepted') return;
            if (m.type === 'subscribe' && m.id) {
              if (variant === 'duplicate-id-accepted' && active.has(m.id)) return;
              active.add(m.id);
            }
            if (m.type === 'complete' && m.id) {
              // The client's complete never reaches the real server: the stream goes on.
              if (variant === 'ignores-cancel') return;
              active.delete(m.id);
            }
            try {
              await cb(text);
            } catch (err) {
              socket.close(4500, String(err).slice(0, 100));
            }
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => void closed(code, String(reason)));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  return {
    stats,
    url: `ws://127.0.0.1:${port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
