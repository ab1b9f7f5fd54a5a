/** Shared test helpers. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../src/spec/paths.js';

export const ROOT = packageRoot();
export const CLI = join(ROOT, 'bin', 'wsconform.js');

/** Runs the built CLI; resolves with exit code and output (never rejects on a non-zero exit). */
export function runCli(args: string[], options: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
