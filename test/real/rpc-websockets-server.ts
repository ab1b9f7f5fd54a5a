/**
 * The real rpc-websockets server (its `Server`, the JSON-RPC 2.0 implementation of the package)
 * on 127.0.0.1:0, serving the methods of the JSON-RPC 2.0 specification's own examples. A
 * variant breaks one rule by rewriting what the real server sends, or by answering what it would
 * not: the protocol logic stays rpc-websockets' own.
 */
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { WebSocket } from 'ws';

export const RPC_VARIANTS = [
  'result-wrong-id',
  'no-jsonrpc-member',
  'method-not-found-code',
  'parse-error-code',
  'batch-unbatched',
  'answers-notification',
  'invalid-params-code',
] as const;
export type RpcVariant = (typeof RPC_VARIANTS)[number];

// Node's resolution (the package's CommonJS build), not the test bundler's.
const { Server } = createRequire(import.meta.url)('rpc-websockets') as typeof import('rpc-websockets');

type Response = { jsonrpc?: string; result?: unknown; error?: { code: number; message: string }; id?: unknown };

/** What a variant makes of one Response the real server sends alone (not in a batch). */
function rewrite(variant: RpcVariant | undefined, r: Response): Response {
  switch (variant) {
    case 'result-wrong-id':
      return 'result' in r ? { ...r, id: `${String(r.id)}-other` } : r;
    case 'no-jsonrpc-member': {
      const { jsonrpc: _, ...rest } = r;
      return rest;
    }
    case 'method-not-found-code':
      return r.error?.code === -32601 ? { ...r, error: { ...r.error, code: -32000 } } : r;
    case 'parse-error-code':
      return r.error?.code === -32700 ? { ...r, error: { ...r.error, code: -32600 } } : r;
    case 'invalid-params-code':
      return r.error?.code === -32602 ? { ...r, error: { ...r.error, code: -32603 } } : r;
    default:
      return r;
  }
}

const numbers = (params: unknown): number[] => {
  if (!Array.isArray(params) || !params.every((p) => typeof p === 'number')) throw { code: -32602, message: 'Invalid params' };
  return params;
};

export async function startRpcWebsockets(variant?: RpcVariant): Promise<{ url: string; close: () => Promise<void> }> {
  const server = new Server({ host: '127.0.0.1', port: 0 });
  server.register('sum', (params: unknown) => numbers(params).reduce((a, b) => a + b, 0));
  server.register('subtract', (params: unknown) => {
    const [a, b] = numbers(params);
    return a - b;
  });
  server.register('get_data', () => ['hello', 5]);
  server.register('notify_hello', () => undefined);
  server.on('connection', (socket: WebSocket) => {
    const send = socket.send.bind(socket) as (data: string, ...rest: unknown[]) => void;
    (socket as unknown as { send: (data: string, ...rest: unknown[]) => void }).send = (data, ...rest) => {
      const value = JSON.parse(String(data)) as Response | Response[];
      if (Array.isArray(value)) {
        if (variant === 'batch-unbatched') for (const r of value) send(JSON.stringify(r), ...rest);
        else send(data, ...rest);
        return;
      }
      send(JSON.stringify(rewrite(variant, value)), ...rest);
    };
    if (variant === 'answers-notification') {
      socket.on('message', (data) => {
        let value: unknown;
        try {
          value = JSON.parse(String(data));
        } catch {
          return;
        }
        if (value && typeof value === 'object' && !Array.isArray(value) && 'method' in value && !('id' in value)) send(JSON.stringify({ jsonrpc: '2.0', result: null, id: null }));
      });
    }
  });
  await new Promise<void>((resolve) => server.on('listening', () => resolve()));
  const { port } = server.wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    close: async () => {
      for (const c of server.wss.clients) c.terminate();
      await server.close();
    },
  };
}
