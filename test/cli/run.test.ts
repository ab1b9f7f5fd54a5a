import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer } from '../../reference-server/index.js';
import { XMLParser } from 'fast-xml-parser';
import { CLI, ROOT, runCli } from '../helpers.js';
import { deadPort } from '../runner/servers.js';

type Server = Awaited<ReturnType<typeof startReferenceServer>>;
const FAST = ['--timeout', '1000', '--observe', '400'];
const servers: Server[] = [];
let kiwi: Server;
let echoing: Server;

beforeAll(async () => {
  kiwi = await startReferenceServer({ protocol: 'kiwi', port: 0, instant: true });
  echoing = await startReferenceServer({ protocol: 'aragora', port: 0, instant: true, token: 'tok-SECRET-1', faults: ['echo-token'] });
  servers.push(kiwi, echoing);
});
afterAll(() => Promise.all(servers.map((s) => s.close())));

describe('wsconform run', () => {
  it('answers --help with examples and exit codes', async () => {
    const r = await runCli(['run', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Exit codes: 0 no check failed');
    expect(r.stdout).toContain('wsconform run kiwi --url ws://localhost:7789/api/events');
  });

  it('observes with --clients N and prints their ping → pong spread; the JSON report has each client', async () => {
    const json = join(mkdtempSync(join(tmpdir(), 'wsc-clients-')), 'r.json');
    const r = await runCli(['run', 'kiwi', '--url', kiwi.url, '--timeout', '1000', '--observe', '800ms', '--clients', '3', '--reporter', 'pretty', '--reporter', `json:${json}`]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^clients: 3 observed at once; ping → pong over \d+ pings$/m);
    expect(r.stdout).toMatch(/^ {2}p99 per client: median [\d.]+ ms \([\d.]+–[\d.]+ ms\); slowest \S+ \(p99 [\d.]+ ms, max [\d.]+ ms\)$/m);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.clients.latency.map((l: { client: string }) => l.client)).toEqual(['observation', 'client-2', 'client-3']);
    const bad = await runCli(['run', 'kiwi', '--url', kiwi.url, '--clients', '0']);
    expect([bad.code, bad.stderr]).toEqual([2, 'wsconform: --clients must be a whole number of at least 1, got "0"\n(run with --help for usage)\n']);
  });

  it('exits 0 and prints progress and the summary line against a conforming server', async () => {
    const r = await runCli(['run', 'kiwi', '--url', kiwi.url, ...FAST]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ {2}PASS {2}ping-pong\/app-ping +\d+ ms$/m);
    expect(r.stdout).toMatch(/^ {2}SKIP {2}auth\/valid-token +\d+ ms {2}the document has no authentication$/m);
    expect(r.stdout).toMatch(/^14 passed, 0 failed, 21 skipped, 0 non-strict, 0 errors \(\d+ ms\)$/m);
    expect(r.code).toBe(0);
  });

  it('exits 1 on an echoed token under --strict (a decision of the kit, so a SHOULD), redacting the token in every report, evidence included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsconform-run-'));
    const json = join(dir, 'report.json');
    const xml = join(dir, 'report.xml');
    const r = await runCli(['run', 'aragora', '--url', echoing.url, '--token', 'tok-SECRET-1', ...FAST, '--strict', '--only', 'auth', '--reporter', 'pretty', '--reporter', `json:${json}`, '--reporter', `junit:${xml}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}FAIL {2}auth\/token-not-echoed/m);
    expect(r.stdout).toContain('***');
    const report = JSON.parse(readFileSync(json, 'utf8'));
    const echoed = report.checks.find((c: { id: string }) => c.id === 'auth/token-not-echoed');
    expect(echoed.verdict).toBe('fail');
    expect(echoed.findings[0].occurrences[0].frame).toContain('***');
    for (const text of [r.stdout, r.stderr, readFileSync(json, 'utf8'), readFileSync(xml, 'utf8')]) expect(text).not.toContain('tok-SECRET-1');
    expect(Object.keys(report)).toEqual(['tool', 'spec', 'url', 'startedAt', 'durationMs', 'summary', 'checks', 'coverage', 'problems', 'observation']);
    expect(echoed.basis).toEqual([{ decision: 'kit-token-not-echoed' }]);
    expect(readFileSync(xml, 'utf8')).toContain('<testcase name="auth/token-not-echoed" classname="auth"');
  });

  it('exits 2 when nothing listens at --url', async () => {
    const port = await deadPort();
    const r = await runCli(['run', 'kiwi', '--url', `ws://127.0.0.1:${port}/api/events`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`wsconform: cannot reach ws://127.0.0.1:${port}/api/events: no server at 127.0.0.1:${port} (127.0.0.1:${port} ECONNREFUSED)\n`);
  });

  it('exits 2 for usage and document errors, naming the problem', async () => {
    const cases: [string[], string][] = [
      [['run', 'kiwi'], '--url is required'],
      [['run', 'kiwi', '--url', 'not a url'], '--url "not a url" is not a URL'],
      [['run', 'kiwi', '--url', 'ws://127.0.0.1:1/', '--timeout', '0'], '--timeout must be a duration above 0: milliseconds (2000) or with a unit (500ms, 90s, 1.5s, 10m, 1h, 1m30s), got "0"'],
      [['run', 'kiwi', '--url', 'ws://127.0.0.1:1/', '--observe', '10 minutes'], '--observe must be a duration above 0'],
      [['run', 'kiwi', '--url', 'ws://127.0.0.1:1/', '--only', 'pingpong'], '"pingpong" is neither a check id nor a category'],
      [['run', 'kiwi', '--url', 'ws://127.0.0.1:1/', '--reporter', 'tap'], 'unknown reporter "tap"'],
      [['run', 'no-such-protocol', '--url', 'ws://127.0.0.1:1/'], '[WSC_SPEC_NOT_FOUND]'],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect([r.code, r.stderr.includes(message)], `${args.join(' ')}: ${r.stderr}`).toEqual([2, true]);
    }
  });
});

describe('wsconform list', () => {
  it('prints every check with its level and whether it applies to the document', async () => {
    const r = await runCli(['list', 'kiwi']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Kiwi voice assistant event stream (kiwi 1.0.0): 35 checks, 14 apply');
    expect(lines).toContain('ping-pong/app-ping            ping-pong         MUST    applies');
    expect(lines).toContain('envelope/known-messages       envelope          SHOULD  applies');
    expect(lines).toContain('auth/valid-token              auth              MUST    not applicable: the document has no authentication');
    expect(lines).toContain('  The server answers the documented ping with the documented pong within the timeout, carrying the documented pong fields and, where the document says so, the ping\'s echoed fields.');
  });

  it('prints the list as JSON with --json', async () => {
    const r = await runCli(['list', 'gemini-chat', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.spec.id).toBe('gemini-chat');
    expect(doc.checks).toHaveLength(35);
    expect(doc.checks.find((c: { id: string }) => c.id === 'ping-pong/ws-ping-frame')).toMatchObject({ category: 'ping-pong', level: 'MUST', applies: false, reason: 'Socket.IO keeps connections alive with Engine.IO heartbeats (ping-pong/socketio-heartbeat)' });
    expect(doc.checks.find((c: { id: string }) => c.id === 'auth/privileged-feed')).toMatchObject({ applies: true });
  });
});

describe('wsconform demo', () => {
  it('runs the whole suite against the reference server of all six protocols and exits 0', async () => {
    // Its speed is measured by `npm run bench` (suite time), not asserted here.
    const r = await runCli(['demo']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^\d+ passed, 0 failed, \d+ skipped, 0 non-strict, 0 errors \(\d+ ms\)$/gm)).toHaveLength(6);
    expect(r.stdout).toMatch(/^demo: 6 protocols, \d+ passed, 0 failed, \d+ skipped, 0 non-strict, 0 errors in [\d.]+ s$/m);
  });

  it('answers --help and refuses an unknown protocol with exit 2', async () => {
    expect((await runCli(['demo', '--help'])).stdout).toContain('Exit codes: 0 no check failed on any protocol');
    const r = await runCli(['demo', '--protocol', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"nope" is not a built-in protocol');
  });
});

describe('wsconform run, interrupted', () => {
  it('writes every report whole on SIGINT, interrupted checks as errors, and exits 130', async () => {
    // The run is under way once the server sees its first connection (the CLI handles signals by then).
    let connected!: () => void;
    const underWay = new Promise<void>((r) => (connected = r));
    const server = await startReferenceServer({ protocol: 'kiwi', port: 0, observer: { onOpen: () => connected() } });
    const dir = mkdtempSync(join(tmpdir(), 'wsconform-sigint-'));
    const files = { json: join(dir, 'r.json'), junit: join(dir, 'r.xml'), html: join(dir, 'r.html') };
    try {
      const child = spawn(process.execPath, [CLI, 'run', 'kiwi', '--url', server.url, '--observe', '20000', ...Object.entries(files).map(([k, f]) => `--reporter=${k}:${f}`)], { cwd: ROOT });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      // A fixed sleep was not enough on a loaded machine: the signal came before the CLI's handler.
      await underWay;
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGINT');
      const code = await new Promise<number | null>((r) => child.on('close', r));
      expect(code).toBe(130);
      const report = JSON.parse(readFileSync(files.json, 'utf8'));
      expect(report.interrupted).toBe(true);
      expect(report.problems[0]).toBe('interrupted by a signal: the checks still running were stopped and are reported as errors');
      const stopped = report.checks.filter((c: { reason?: string }) => c.reason?.startsWith('interrupted'));
      expect(stopped.length).toBeGreaterThan(0);
      expect(stopped.every((c: { verdict: string }) => c.verdict === 'error')).toBe(true);
      expect(new XMLParser().parse(readFileSync(files.junit, 'utf8')).testsuites.testsuite.testcase.length).toBe(report.checks.length + 1);
      expect(readFileSync(files.html, 'utf8').trimEnd().endsWith('</html>')).toBe(true);
      expect(stderr).toContain('wsconform: interrupted; stopping the checks and writing the reports');
      expect(stderr).toMatch(/wsconform: kiwi: \d+ passed, \d+ failed, \d+ skipped, \d+ non-strict, \d+ errors \(\d+ ms\); RUN FAILED: interrupted by a signal/);
    } finally {
      await server.close();
    }
  }, 30_000);
});

describe('durations on the command line', () => {
  it('reads milliseconds and human durations alike, and refuses the malformed', async () => {
    const { parseDuration } = await import('../../src/cli/run.js');
    expect(['2000', '500ms', '90s', '1.5s', '10m', '1h', '1m30s', '2s500ms'].map(parseDuration)).toEqual([2000, 500, 90_000, 1500, 600_000, 3_600_000, 90_000, 2500]);
    expect(['', 's', '10 m', '1.5', '-3s', '10x', '1m 30s'].map(parseDuration)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});
