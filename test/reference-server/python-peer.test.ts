import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serve } from './helpers.js';

const PYTHON = '/usr/bin/python3';

/** The Clown document's "Python Example", unchanged except the URI (and a stop after the stream). */
const CLOWN_EXAMPLE = (uri: string) => `
import asyncio
import websockets
import json

async def listen_events():
    uri = "${uri}"
    async with websockets.connect(uri) as websocket:
        async for message in websocket:
            event = json.loads(message)
            print(f"Event: {event['type']}")
            print(f"Data: {event['data']}")
            if event['type'] == 'DaemonShuttingDown':
                break

asyncio.run(listen_events())
`;

function python(code: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, ['-c', code]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('close', (exit) => {
      clearTimeout(timer);
      resolve({ code: exit, stdout, stderr });
    });
  });
}

describe('the documents\' Python client against the reference server', () => {
  it.runIf(existsSync(PYTHON))('runs the Clown Python example with the websockets package', async () => {
    const check = await python('import websockets');
    expect(check.stderr).toBe('');
    const server = await serve({ protocol: 'clown' });
    const r = await python(CLOWN_EXAMPLE(server.url));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(44);
    expect(lines.slice(0, 2)).toEqual(['Event: DaemonStarted', "Data: {'version': '0.1.0', 'pid': 12345}"]);
    expect(lines.slice(-2)).toEqual(['Event: DaemonShuttingDown', "Data: {'reason': 'idle_timeout'}"]);
  });
});
