import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli } from '../helpers.js';
import { connect, serve } from './helpers.js';

/** Starts `wsconform serve ...` and resolves with the child and its first stdout line. */
function startServe(args: string[]): Promise<{ child: ReturnType<typeof spawn>; line: string; exit: Promise<{ code: number | null; stdout: string; stderr: string }> }> {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no line from serve; stderr: ${stderr}`));
    }, 15_000);
    child.stdout!.on('data', (d) => {
      stdout += d;
      if (stdout.includes('\n')) {
        clearTimeout(timer);
        resolve({ child, line: stdout.split('\n')[0], exit });
      }
    });
  });
}

describe('wsconform serve', () => {
  it('prints one line with the URLs, and closes clients with 1001 and exits 0 on SIGINT', async () => {
    const { child, line, exit } = await startServe(['aragora', '--port', '0', '--instant']);
    expect(line).toMatch(/^Serving aragora at ws:\/\/127\.0\.0\.1:(\d+)\/ws ws:\/\/127\.0\.0\.1:\1\/ \(instant, seed 1; Ctrl-C to stop\)$/);
    const url = line.split(' ')[3];
    const client = await connect(url);
    await client.count(121);
    child.kill('SIGINT');
    expect(await client.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    const result = await exit;
    expect([result.code, result.stdout, result.stderr]).toEqual([0, `${line}\n`, '']);
  });

  it('exits 0 on SIGTERM', async () => {
    const { child, exit } = await startServe(['gemini-chat', '--port', '0']);
    child.kill('SIGTERM');
    expect((await exit).code).toBe(0);
  });

  it('exits 2 naming the valid faults for an unknown fault or one of another protocol', async () => {
    const unknown = await runCli(['serve', 'kiwi', '--port', '0', '--fault', 'nope']);
    expect([unknown.code, unknown.stdout]).toEqual([2, '']);
    expect(unknown.stderr).toBe('wsconform: unknown fault "nope"; valid faults for kiwi: no-pong, ignore-ws-ping, timestamp-iso, rename-name-field, batch-array, binary-frames, extra-event, missing-field, rename-event, rename-field, null-field, unsolicited-reply, crash-on-invalid-json, crash-on-unknown, crash-on-non-object, crash-on-oversized [WSC_FAULT]\n');
    const other = await runCli(['serve', 'kiwi', '--port', '0', '--fault', 'seq-regress']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^wsconform: fault "seq-regress" does not apply to kiwi \(it applies to coda, aragora\); valid faults for kiwi: no-pong, /);
  });

  it('exits 2 with a clear error when the port is in use', async () => {
    const busy = await serve({ protocol: 'kiwi' });
    const r = await runCli(['serve', 'kiwi', '--port', String(busy.port)]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(`wsconform: port ${busy.port} on 127.0.0.1 is already in use; stop the other server or choose another port (--port N; 0 picks a free one) [WSC_LISTEN]\n`);
  });

  it('exits 2 for a broken fixture, naming file and line', async () => {
    const r = await runCli(['serve', 'kiwi', '--port', '0', '--fixture', 'fixtures/clown/daemon-session.jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('wsconform: fixtures/clown/daemon-session.jsonl:1: the fixture is for protocol "clown", not "kiwi" [WSC_FIXTURE]\n');
  });

  it('lists every fault with what it breaks, and only the applicable ones for a protocol', async () => {
    const all = await runCli(['serve', '--list-faults']);
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n')[0]).toBe(`${'no-pong'.padEnd(22)}  the application ping is never answered with its pong`);
    expect(all.stdout.split('\n')[1]).toBe(`${' '.repeat(22)}  protocols: kiwi, aragora-control-plane; fails: ping-pong/app-ping`);
    expect(all.stdout.match(/^\S+/gm)).toHaveLength(49);
    const coda = await runCli(['serve', 'coda', '--list-faults']);
    expect(coda.stdout.match(/^\S+/gm)).toEqual(['ignore-ws-ping', 'no-keepalive', 'seq-regress', 'timestamp-iso', 'rename-name-field', 'batch-array', 'binary-frames', 'extra-event', 'missing-field', 'rename-event', 'rename-field', 'null-field', 'crash-on-invalid-json', 'crash-on-unknown', 'crash-on-non-object', 'crash-on-oversized', 'no-broadcast']);
  });

  it('explains defaults, tokens and examples in --help', async () => {
    const r = await runCli(['serve', '--help']);
    expect(r.code).toBe(0);
    for (const text of ['--speed <factor>', '--instant', 'dev-user-token', 'dev-admin-token', 'kiwi 7789', 'wsconform serve kiwi', '--list-faults', 'close 1001']) expect(r.stdout).toContain(text);
  });

  it('exits 2 without a protocol', async () => {
    const r = await runCli(['serve']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('serve needs a protocol');
  });
});
