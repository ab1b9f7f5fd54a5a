/**
 * The benchmarks' server process (run with `fork`): a reference server on a long fixture (instant
 * mode unless a speed is given) and two bare `ws` servers (plain and corked, see bare.ts) sending
 * the frames the reference server sent (captured once, here), so that the servers' CPU and
 * memory are their own and the clients run in the bench process.
 *
 * Messages from the parent, each answered with one message: `{ cmd: 'start', protocol, fixture,
 * bare, capture, speed? }`, `rss-start`, `rss-stop`, `watch-buffers`, `buffers`, `close`.
 */
import { WebSocket } from 'ws';
import { startReferenceServer, type RunningServer } from '../reference-server/index.js';
import { capture, startBareServer, type BareServer } from './bare.js';

/** What the host answers to `start`. */
export interface HostStarted {
  url: string;
  /** The bare server: each frame its own `ws.send` and socket write. */
  bareUrl?: string;
  /** The corked bare server: one socket write per batch of frames. */
  blasterUrl?: string;
  /** How many frames one client receives (0: not captured). */
  frames: number;
  /** Their total size in bytes (UTF-8). */
  bytes: number;
  /** The largest frame in bytes. */
  largest: number;
}

/** What the host answers to `rss-stop`: RSS in bytes. */
export interface HostRss {
  idle: number;
  peak: number;
}

/** What the host answers to `buffers`: what the server-side sockets did since `watch-buffers`. */
export interface HostBuffers {
  /** The largest `bufferedAmount` of a server-side socket right after a send. */
  maxBuffered: number;
  /** Close codes and reasons the server sent. */
  closes: { code?: number; reason?: string }[];
  /** Milliseconds from `watch-buffers` to the first close. */
  firstCloseMs?: number;
}

type Command = { cmd: 'start'; protocol: string; fixture: string; bare: boolean; capture: boolean; speed?: number } | { cmd: 'rss-start' } | { cmd: 'rss-stop' } | { cmd: 'watch-buffers' } | { cmd: 'buffers' } | { cmd: 'close' };

let ref: RunningServer | undefined;
let bare: BareServer | undefined;
let blaster: BareServer | undefined;
let idle = 0;
let peak = 0;
let sampler: NodeJS.Timeout | undefined;

let buffers: HostBuffers = { maxBuffered: 0, closes: [] };
let watchedAt = 0;

const reply = (m: unknown) => process.send!(m);

/**
 * Instruments `ws` in this process (the reference server's own copy): after every send of a
 * server-side socket, its `bufferedAmount`; every close code and reason the server sends.
 * Reading, not changing: the original methods run unchanged.
 */
function watchBuffers(): void {
  const proto = WebSocket.prototype as unknown as Record<'send' | 'close', (this: WebSocket, ...args: unknown[]) => void>;
  const send = proto.send;
  const close = proto.close;
  proto.send = function (this: WebSocket, ...args: unknown[]) {
    send.apply(this, args);
    buffers.maxBuffered = Math.max(buffers.maxBuffered, this.bufferedAmount);
  };
  proto.close = function (this: WebSocket, ...args: unknown[]) {
    if (!buffers.closes.length) buffers.firstCloseMs = performance.now() - watchedAt;
    buffers.closes.push({ code: args[0] as number | undefined, reason: args[1] === undefined ? undefined : String(args[1]) });
    close.apply(this, args);
  };
  watchedAt = performance.now();
}

process.on('message', async (m: Command) => {
  try {
    if (m.cmd === 'start') {
      ref = await startReferenceServer({ protocol: m.protocol, port: 0, fixture: m.fixture, ...(m.speed ? { speed: m.speed } : { instant: true }) });
      const frames = m.capture || m.bare ? await capture(ref.url) : [];
      if (m.bare) [bare, blaster] = await Promise.all([startBareServer(frames, false), startBareServer(frames, true)]);
      const sizes = frames.map((f) => Buffer.byteLength(f));
      const started: HostStarted = { url: ref.url, bareUrl: bare?.url, blasterUrl: blaster?.url, frames: frames.length, bytes: sizes.reduce((a, b) => a + b, 0), largest: sizes.reduce((a, b) => Math.max(a, b), 0) };
      reply(started);
    } else if (m.cmd === 'rss-start') {
      global.gc?.();
      idle = process.memoryUsage.rss();
      peak = idle;
      sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
      reply({ ok: true });
    } else if (m.cmd === 'rss-stop') {
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage.rss());
      const rss: HostRss = { idle, peak };
      reply(rss);
    } else if (m.cmd === 'watch-buffers') {
      watchBuffers();
      reply({ ok: true });
    } else if (m.cmd === 'buffers') {
      reply(buffers);
    } else if (m.cmd === 'close') {
      await Promise.all([ref?.close(), bare?.close(), blaster?.close()]);
      reply({ ok: true });
      process.disconnect();
    }
  } catch (err) {
    reply({ error: (err as Error).stack ?? String(err) });
  }
});
