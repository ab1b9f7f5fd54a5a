import { spawn, type ChildProcess } from 'node:child_process';
import { isAbsolute, join } from 'node:path';

/**
 * Starting the independently written servers: each prints its bound port alone on the first
 * line of stdout. Python servers run on Debian's /usr/bin/python3 (the python3 on PATH lacks
 * websockets / python-socketio); `.mjs` servers run on this Node.
 */
export const PYTHON = '/usr/bin/python3';

export interface Started {
  port: number;
  child: ChildProcess;
  /** What the server wrote to stderr so far (for failure messages). */
  stderr(): string;
}

/** Spawns `script` (relative to test/independent/) with `args`; resolves with its port. */
export function startServer(script: string, args: readonly string[] = [], onSpawn?: (child: ChildProcess) => void): Promise<Started> {
  const path = isAbsolute(script) ? script : join(import.meta.dirname, script);
  const [cmd, argv] = path.endsWith('.mjs') || path.endsWith('.js') ? [process.execPath, [path, ...args]] : [PYTHON, [path, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    onSpawn?.(child);
    let err = '';
    let out = '';
    let done = false;
    child.stderr!.on('data', (d) => (err += d));
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      child.kill('SIGKILL');
      reject(new Error(`${script} ${args.join(' ')} printed no port within 10 s: ${err}`));
    }, 10_000);
    child.stdout!.on('data', (d) => {
      if (done) return;
      out += d;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      done = true;
      clearTimeout(timer);
      // The port alone, or `LISTENING <port>`.
      const port = Number(out.slice(0, nl).trim().replace(/^LISTENING\s+/, ''));
      if (!Number.isInteger(port) || port <= 0) {
        child.kill('SIGKILL');
        reject(new Error(`${script} printed ${JSON.stringify(out.slice(0, nl))} instead of a port: ${err}`));
      } else resolve({ port, child, stderr: () => err });
    });
    child.once('error', (e) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(new Error(`${script} ${args.join(' ')} exited ${code ?? signal}: ${err}`));
    });
  });
}
