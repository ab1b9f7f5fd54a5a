/**
 * The baselines' bare `ws` endpoints: a server that sends every client the same pre-serialised
 * frames, and a client that counts messages.
 */
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/** A running bare server. */
export interface BareServer {
  url: string;
  close(): Promise<void>;
}

/** Bytes a bare server lets wait in `ws` before it waits for the socket to drain. */
const HIGH_WATER = 64 * 1024;
/** Frames a bare server writes with one system call (socket corked around them). */
const BATCH = 64;

/**
 * Starts a bare `ws` server that sends `frames` (already JSON text) to each client as fast as
 * the client reads: `ws.send` in a loop, and while more than HIGH_WATER bytes wait, it waits for
 * them to go. Plain, each `ws.send` is its own socket write, as in the reference server;
 * `corked`, the socket is corked around each batch of BATCH frames (one write per batch): a
 * server as fast as `ws` can be, to saturate a client.
 */
export async function startBareServer(frames: readonly string[], corked: boolean): Promise<BareServer> {
  const http = createServer();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  http.on('upgrade', (req, socket: Socket, head) => wss.handleUpgrade(req, socket, head, (ws) => blast(ws, socket)));
  function blast(ws: WebSocket, socket: Socket): void {
    ws.on('error', () => undefined);
    let i = 0;
    const pump = (): void => {
      while (i < frames.length && ws.readyState === WebSocket.OPEN) {
        if (ws.bufferedAmount > HIGH_WATER) return void ws.send(frames[i++], pump);
        if (!corked) {
          ws.send(frames[i++]);
          continue;
        }
        socket.cork();
        for (const end = Math.min(i + BATCH, frames.length); i < end; i++) ws.send(frames[i]);
        socket.uncork();
      }
    };
    pump();
  }
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}

/**
 * Opens a bare `ws` client and resolves once it has received `n` messages (then drops it). With
 * `parse`, it also runs `JSON.parse` on each, the least any checker pays.
 */
export function bareClient(url: string, n: number, parse = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let count = 0;
    let sink = 0;
    ws.on('message', (data: Buffer) => {
      if (parse) sink += JSON.parse(data.toString()) ? 1 : 0;
      if (++count === n) {
        if (parse && sink < 0) reject(new Error('unreachable'));
        ws.terminate();
        resolve();
      }
    });
    ws.on('error', reject);
    ws.on('close', () => (count < n ? reject(new Error(`closed after ${count} of ${n} messages`)) : undefined));
  });
}

/** Connects to `url` and collects every text message until none arrives for `quietMs`. */
export function capture(url: string, quietMs = 300): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const frames: string[] = [];
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      ws.terminate();
      resolve(frames);
    };
    ws.on('open', () => (timer = setTimeout(done, quietMs)));
    ws.on('message', (data: Buffer, binary: boolean) => {
      if (!binary) frames.push(data.toString('utf8'));
      clearTimeout(timer);
      timer = setTimeout(done, quietMs);
    });
    ws.on('error', reject);
  });
}
