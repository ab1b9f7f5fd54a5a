// `wsconform export artillery`: the exported script runs on the real `artillery run` against the
// reference server, for a WebSocket and the Socket.IO protocol, and its documented replies are
// matched; against a server that stops answering, the virtual users fail.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/spec/paths.js';
import { serve } from '../reference-server/helpers.js';
import { runCli as cli } from '../helpers.js';

const ROOT = packageRoot();
const ARTILLERY = join(ROOT, 'node_modules', 'artillery', 'bin', 'run');
const NO_TELEMETRY = join(ROOT, 'test', 'export', 'no-telemetry.cjs');
// The folder a user runs the script in, with wsconform installed in it (here: a link to this package).
const dir = mkdtempSync(join(tmpdir(), 'wsconform-artillery-'));
mkdirSync(join(dir, 'node_modules'));
symlinkSync(ROOT, join(dir, 'node_modules', 'wsconform'), 'dir');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Aggregate {
  counters: Record<string, number>;
}

/** `artillery run` on an exported script; its exit code and the report's aggregate counters. */
function artillery(script: string, env: Record<string, string> = {}): Promise<{ code: number | null; counters: Record<string, number>; output: string }> {
  const report = `${script}.report.json`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', NO_TELEMETRY, ARTILLERY, 'run', '--output', report, script], {
      cwd: dir,
      // Nothing leaves this machine (see no-telemetry.cjs).
      env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        const { counters } = (JSON.parse(readFileSync(join(dir, report), 'utf8')) as { aggregate: Aggregate }).aggregate;
        resolve({ code, counters, output });
      } catch (err) {
        reject(new Error(`artillery wrote no report (exit ${code}): ${output.slice(-2000)} (${(err as Error).message})`));
      }
    });
  });
}

async function exported(protocol: string, url: string, name: string, extra: string[] = []): Promise<string> {
  const out = join(dir, name);
  const r = await cli(['export', 'artillery', protocol, '--url', url, '--out', out, '--duration', '1s', '--arrival-rate', '2', '--pings', '2', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain(`${protocol}.artillery.yml`);
  return join(name, `${protocol}.artillery.yml`);
}

// `artillery run` boots its CLI, plugins and a worker before the first user: 7–13 s on a quiet
// machine, and more than the suite's 30 s once both cores are busy (a clean-clone run timed out).
// The timeout bounds a hang; it is not a speed claim.
describe('wsconform export artillery, run by artillery', { timeout: 120_000 }, () => {
  it('kiwi (ws engine): every user pings, every pong is matched among the stream events, every message validates', async () => {
    const server = await serve({ protocol: 'kiwi' });
    const r = await artillery(await exported('kiwi', server.url, 'kiwi'));
    expect(r.code, r.output).toBe(0);
    const c = r.counters;
    expect(c['vusers.created']).toBeGreaterThan(0);
    expect(c['vusers.completed']).toBe(c['vusers.created']);
    expect(c['vusers.failed'] ?? 0).toBe(0);
    // The trigger (a ping) and two pings per user.
    expect(c['wsconform.replies.pong']).toBe(3 * c['vusers.created']);
    expect(c['wsconform.messages.valid']).toBeGreaterThan(c['wsconform.replies.pong']);
    expect(c['wsconform.messages.invalid'] ?? 0).toBe(0);
    expect(Object.keys(c).filter((k) => k.startsWith('errors.'))).toEqual([]);
  });

  it('gemini-chat (socketio engine): the token from the environment, each trigger answered by a documented reply', async () => {
    const server = await serve({ protocol: 'gemini-chat' });
    const r = await artillery(await exported('gemini-chat', server.url, 'gemini'), { WSCONFORM_TOKEN: 'dev-user-token' });
    expect(r.code, r.output).toBe(0);
    const c = r.counters;
    expect(c['vusers.completed']).toBe(c['vusers.created']);
    expect(c['vusers.failed'] ?? 0).toBe(0);
    expect(c['wsconform.replies.chat:history']).toBe(c['vusers.created']);
    expect(c['wsconform.replies.tool:list-response']).toBe(c['vusers.created']);
    expect(c['wsconform.messages.invalid'] ?? 0).toBe(0);
    expect(Object.keys(c).filter((k) => k.startsWith('errors.'))).toEqual([]);
  });

  it('gemini-chat without the token: refused by the server, every user fails', async () => {
    const server = await serve({ protocol: 'gemini-chat' });
    const r = await artillery(await exported('gemini-chat', server.url, 'gemini-no-token'));
    expect(r.counters['vusers.failed']).toBe(r.counters['vusers.created']);
    expect(r.counters['vusers.completed'] ?? 0).toBe(0);
  });

  it('kiwi with the no-pong fault: the pongs never come, every user fails on its first ping', async () => {
    const server = await serve({ protocol: 'kiwi', faults: ['no-pong'] });
    const r = await artillery(await exported('kiwi', server.url, 'kiwi-no-pong', ['--timeout', '1s']));
    expect(r.counters['vusers.failed']).toBe(r.counters['vusers.created']);
    expect(r.counters['wsconform.unanswered.ping']).toBe(r.counters['vusers.created']);
    expect(r.counters['wsconform.replies.pong'] ?? 0).toBe(0);
  });
});
