/** The parent's side of bench/server-host.ts: fork it, ask, and stop it. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { longFixture } from './long-fixture.js';
import type { HostBuffers, HostRss, HostStarted } from './server-host.js';

/** A server process. */
export interface Host extends HostStarted {
  /** The child's pid. */
  pid: number;
  /** Starts sampling the child's RSS (after a GC: the idle figure). */
  rssStart(): Promise<void>;
  /** Stops sampling; the idle and peak RSS in bytes. */
  rssStop(): Promise<HostRss>;
  /** Starts watching the server's send buffers and close frames. */
  watchBuffers(): Promise<void>;
  /** What the server's sockets did since `watchBuffers`. */
  buffers(): Promise<HostBuffers>;
  close(): Promise<void>;
}

function ask<T>(child: ChildProcess, message: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the server process exited (${code})`));
    child.once('exit', onExit);
    child.once('message', (m: T & { error?: string }) => {
      child.off('exit', onExit);
      if (m && typeof m === 'object' && 'error' in m && m.error) reject(new Error(m.error));
      else resolve(m);
    });
    child.send(message as object);
  });
}

/**
 * Forks a server process: the reference server replaying `protocol`'s default fixture `repeat`
 * times (instant mode; paced at `speed` when given), and (with `bare`) the bare `ws` servers
 * sending the same frames. Unless `capture` is false, the frames a client receives are captured
 * once (count and sizes).
 */
export async function startHost(protocol: string, repeat: number, bare: boolean, capture = true, speed?: number): Promise<Host> {
  const fixture = longFixture(protocol, repeat);
  const child = fork(fileURLToPath(new URL('./server-host.js', import.meta.url)), [], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const started = await ask<HostStarted>(child, { cmd: 'start', protocol, fixture: fixture.file, bare, capture, speed });
    return {
      ...started,
      pid: child.pid!,
      rssStart: () => ask(child, { cmd: 'rss-start' }),
      rssStop: () => ask<HostRss>(child, { cmd: 'rss-stop' }),
      watchBuffers: () => ask(child, { cmd: 'watch-buffers' }),
      buffers: () => ask<HostBuffers>(child, { cmd: 'buffers' }),
      async close() {
        await ask(child, { cmd: 'close' }).catch(() => child.kill());
        fixture.remove();
      },
    };
  } catch (err) {
    child.kill();
    fixture.remove();
    throw err;
  }
}
