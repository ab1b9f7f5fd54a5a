/**
 * Memory: the reference server's RSS (a child process of its own) while 1,000 clients receive a
 * replay, against the same process idle; and the largest send buffer a paused client makes the
 * server hold before it is cut off, against the server's bound (maxBufferedBytes).
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import { resolveOptions } from '../reference-server/options.js';
import { loadSpec } from '../src/spec/load.js';
import { bareClient } from './bare.js';
import { startHost } from './host.js';
import { result, type BenchResult } from './measure.js';
import { formatValue } from './table.js';

const CLIENTS = 1000;
/** Clients whose connections are opened at once (below the listen backlog). */
const WAVE = 100;

/** Runs the memory benchmarks. */
export async function benchMemory(): Promise<BenchResult[]> {
  const rss = await rssFigure();
  return [rss.result, await slowConsumerFigure('instant', rss.largest), await slowConsumerFigure('paced', rss.largest)];
}

async function rssFigure(): Promise<{ result: BenchResult; largest: number }> {
  const repeat = 10;
  const host = await startHost('kiwi', repeat, false);
  try {
    await host.rssStart();
    const t0 = performance.now();
    const done: Promise<void>[] = [];
    for (let i = 0; i < CLIENTS; i += WAVE) {
      const wave = Array.from({ length: Math.min(WAVE, CLIENTS - i) }, () => bareClient(host.url, host.frames));
      done.push(...wave);
      await Promise.race([Promise.all(wave), new Promise((r) => setTimeout(r, 50))]);
    }
    await Promise.all(done);
    const seconds = (performance.now() - t0) / 1000;
    const { idle, peak } = await host.rssStop();
    const figure = result({
      name: 'memory-rss',
      figure: `reference server RSS, ${CLIENTS} clients receiving a replay`,
      value: peak,
      unit: 'B',
      baselineName: 'the same server process idle, after a GC',
      baseline: idle,
      note: `peak RSS sampled every 20 ms in the server's own process; ${formatValue((peak - idle) / CLIENTS, 'B')} per client; kiwi fixture × ${repeat}: ${host.frames} frames per client, all received in ${seconds.toFixed(1)} s`,
    });
    return { result: figure, largest: host.largest };
  } finally {
    await host.close();
  }
}

/**
 * Opens a WebSocket by hand (a raw TCP socket and the upgrade request) and never reads from it:
 * the slowest consumer there is.
 */
function pausedClient(url: string): Promise<Socket> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(Number(u.port), u.hostname, () => {
      socket.write(
        `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${Buffer.from('wsconform-bench!').toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      socket.pause();
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

/**
 * A paused client of a reference server replaying a long fixture: instant mode (the replay waits
 * for the client, so the buffer stays near the replay's low-water mark) or paced at a speed far
 * above any client (nothing waits: the slow-consumer bound must cut the client off). `largest`:
 * the largest frame of the fixture, in bytes.
 */
async function slowConsumerFigure(mode: 'instant' | 'paced', largest: number): Promise<BenchResult> {
  const spec = await loadSpec('kiwi');
  const bound = resolveOptions({ protocol: 'kiwi' }, spec).maxBufferedBytes;
  const repeat = 10_000;
  const speed = mode === 'paced' ? 1e6 : undefined;
  const waitMs = mode === 'paced' ? 30_000 : 2_000;
  const host = await startHost('kiwi', repeat, false, false, speed);
  let socket: Socket | undefined;
  try {
    await host.watchBuffers();
    socket = await pausedClient(host.url);
    let seen = await host.buffers();
    for (const t0 = performance.now(); !seen.closes.length && performance.now() - t0 < waitMs; seen = await host.buffers()) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const close = seen.closes[0];
    const over = seen.maxBuffered - bound;
    const where =
      over > 0
        ? `${over} B over the bound: the outbox queues a frame, then checks the bound, so the frame that crosses it stays queued (largest frame ${largest} B)`
        : 'never above the bound';
    const note = close
      ? `cut off after ${seen.firstCloseMs!.toFixed(0)} ms with close ${close.code} "${close.reason}"; ${where}; kernel socket buffers hold more on top`
      : `not cut off in ${waitMs / 1000} s: ${mode === 'instant' ? 'the instant replay waits for the client to drain (backpressure)' : 'the bound did not act'}; ${where}`;
    return result({
      name: `slow-consumer-${mode}`,
      figure: `largest send buffer for a paused client, ${mode === 'instant' ? 'instant' : `paced ×${speed}`} replay`,
      value: seen.maxBuffered,
      unit: 'B',
      baselineName: "the server's bound (maxBufferedBytes)",
      baseline: bound,
      goal: { on: 'value', op: '<=', target: bound },
      note: mode === 'paced' && !close ? `FAILED: ${note}` : note,
    });
  } finally {
    socket?.destroy();
    await host.close();
  }
}
