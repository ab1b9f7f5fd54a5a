/**
 * `npx wsconform …` puts npm and a `sh -c` between the signal and node: npm passes SIGTERM to
 * the shell, which dies without passing it on. These tests run the CLI the way a user's CI does,
 * through `npm exec` (offline, from a local node_modules/.bin), and signal npm only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startReferenceServer } from '../../reference-server/index.js';
import { ROOT } from '../helpers.js';

const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

/** A project folder with wsconform installed as a link to this checkout. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wsconform-npx-'));
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'wsconform'));
  symlinkSync(join('..', 'wsconform', 'bin', 'wsconform.js'), join(dir, 'node_modules', '.bin', 'wsconform'));
  writeFileSync(join(dir, 'package.json'), '{"name":"gate","version":"1.0.0","private":true}\n');
  return dir;
}

function npx(dir: string, args: string[]): ChildProcess & { output: () => string } {
  const child = spawn('npm', ['exec', '--offline', '--', 'wsconform', ...args], {
    cwd: dir,
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return Object.assign(child, { output: () => out });
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('signals through npx', () => {
  it('SIGTERM to npx stops `serve`: its port is closed, no orphan keeps it', async () => {
    const child = npx(project(), ['serve', 'kiwi', '--port', '0', '--host', '127.0.0.1']);
    await until('the serving line', () => /ws:\/\/127\.0\.0\.1:\d+/.test(child.output()));
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(child.output())![1]);
    expect(await refused(port)).toBe(false);
    child.kill('SIGTERM');
    await until('the port to close', () => refused(port));
  }, 30_000);

  it('SIGTERM to npx mid-run still writes the report, marked interrupted', async () => {
    const server = await startReferenceServer({ protocol: 'kiwi', port: 0 });
    try {
      const dir = project();
      const report = join(dir, 'report.json');
      const child = npx(dir, ['run', 'kiwi', '--url', server.url, '--observe', '20000', '--reporter=pretty', `--reporter=json:${report}`]);
      // The first verdict line: the run is under way, its signal handlers in place.
      await until('the first verdict', () => /^ {2}(PASS|FAIL|SKIP) /m.test(child.output()));
      child.kill('SIGTERM');
      await until('the report', () => existsSync(report) && readFileSync(report, 'utf8').trimEnd().endsWith('}'));
      const json = JSON.parse(readFileSync(report, 'utf8'));
      expect(json.interrupted).toBe(true);
      expect(json.checks.some((c: { reason?: string }) => c.reason?.startsWith('interrupted'))).toBe(true);
    } finally {
      await server.close();
    }
  }, 30_000);
});
