import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceServer } from '../../reference-server/index.js';
import { runCli } from '../helpers.js';

type Server = Awaited<ReturnType<typeof startReferenceServer>>;
const FAST = ['--timeout', '1000', '--observe', '400'];
const TIMESTAMPS = 'timestamp is an ISO 8601 string, not epoch seconds as a number';
const dir = mkdtempSync(join(tmpdir(), 'wsconform-baseline-'));
const file = join(dir, 'baseline.json');
let clean: Server;
let isoTimestamps: Server;
let noWsPong: Server;

beforeAll(async () => {
  [clean, isoTimestamps, noWsPong] = await Promise.all([
    startReferenceServer({ protocol: 'kiwi', port: 0, instant: true }),
    startReferenceServer({ protocol: 'kiwi', port: 0, instant: true, faults: ['timestamp-iso'] }),
    startReferenceServer({ protocol: 'kiwi', port: 0, instant: true, faults: ['ignore-ws-ping'] }),
  ]);
  const r = await runCli(['run', 'kiwi', '--url', isoTimestamps.url, ...FAST, '--baseline', file, '--update-baseline']);
  expect([r.code, r.stderr]).toEqual([0, '']);
});
afterAll(() => Promise.all([clean, isoTimestamps, noWsPong].map((s) => s?.close())));

describe('wsconform run --baseline', () => {
  it('--update-baseline records the failing check ids with their finding messages, sorted, and exits 0', () => {
    const baseline = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(baseline)).toEqual(['tool', 'spec', 'createdAt', 'failures']);
    expect(baseline.tool).toEqual({ name: 'wsconform', version: '0.1.0' });
    expect(baseline.spec).toBe('kiwi');
    expect(new Date(baseline.createdAt).toISOString()).toBe(baseline.createdAt);
    // One cause, one finding: the timestamp drift is envelope/timestamps' alone, not also envelope/fields'.
    expect(baseline.failures).toEqual([{ id: 'envelope/timestamps', messages: [TIMESTAMPS] }]);
  });

  it('exits 0 when the same faults are run against their baseline, listing them as known', async () => {
    const r = await runCli(['run', 'kiwi', '--url', isoTimestamps.url, ...FAST, '--baseline', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain(`baseline ${file} (created ${JSON.parse(readFileSync(file, 'utf8')).createdAt}): 0 new, 1 known, 0 fixed, 0 not verified`);
    expect(lines).toContain(`  known failure: envelope/timestamps: ${TIMESTAMPS}`);
    expect(r.stdout).toMatch(/^13 passed, 1 failed, 21 skipped, 0 non-strict, 0 errors \(\d+ ms\)$/m);
  });

  it('exits 1 on a failure the baseline does not list, naming it, and names the known failures that are gone as fixed', async () => {
    const json = join(dir, 'ignore-ws-ping.json');
    const r = await runCli(['run', 'kiwi', '--url', noWsPong.url, ...FAST, '--baseline', file, '--reporter', 'pretty', '--reporter', `json:${json}`]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('  NEW failure: ping-pong/ws-ping-frame: No pong frame answered the ping frame');
    expect(lines).toContain(`  fixed since baseline: envelope/timestamps: ${TIMESTAMPS}`);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(Object.keys(report)).toEqual(['tool', 'spec', 'url', 'startedAt', 'durationMs', 'summary', 'checks', 'coverage', 'problems', 'observation', 'baseline']);
    expect(report.baseline).toEqual({
      file,
      updated: false,
      createdAt: JSON.parse(readFileSync(file, 'utf8')).createdAt,
      new: [{ id: 'ping-pong/ws-ping-frame', message: 'No pong frame answered the ping frame' }],
      known: [],
      fixed: [{ id: 'envelope/timestamps', message: TIMESTAMPS }],
      unverified: [],
    });
  });

  it('reports every known failure fixed against a clean server, and exits 0', async () => {
    const r = await runCli(['run', 'kiwi', '--url', clean.url, ...FAST, '--baseline', file]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => /^baseline |^ {2}(NEW failure|known failure|fixed since baseline|not verified)/.test(l))).toEqual([
      `baseline ${file} (created ${JSON.parse(readFileSync(file, 'utf8')).createdAt}): 0 new, 0 known, 1 fixed, 0 not verified`,
      `  fixed since baseline: envelope/timestamps: ${TIMESTAMPS}`,
    ]);
  });

  it('lists the known failures of checks left out with --only as not verified, not as fixed', async () => {
    const r = await runCli(['run', 'kiwi', '--url', clean.url, ...FAST, '--baseline', file, '--only', 'ping-pong']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 new, 0 known, 0 fixed, 1 not verified');
    expect(r.stdout).toContain(`  not verified (check did not run): envelope/timestamps: ${TIMESTAMPS}`);
  });

  it('exits 2 naming the file when the baseline is missing, not JSON, malformed or of another protocol', async () => {
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const other = write('other.json', JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), spec: 'aragora' }));
    const cases: [string[], string][] = [
      [['--baseline', join(dir, 'missing.json')], `wsconform: baseline ${join(dir, 'missing.json')}: no such file (record one with --update-baseline)\n`],
      [['--baseline', write('garbage.json', '{"tool": ')], `wsconform: baseline ${join(dir, 'garbage.json')}: not valid JSON (`],
      [['--baseline', write('array.json', '[]')], `wsconform: baseline ${join(dir, 'array.json')}: malformed: the file must hold a JSON object\n`],
      [['--baseline', write('shape.json', JSON.stringify({ tool: { name: 'wsconform', version: '0.1.0' }, spec: 'kiwi', createdAt: 'x', failures: [{ id: 'a', messages: 'b' }] }))], `wsconform: baseline ${join(dir, 'shape.json')}: malformed: failures[0].messages must be an array of strings\n`],
      [['--baseline', other], `wsconform: baseline ${other}: recorded for spec "aragora", not "kiwi"\n`],
      [['--update-baseline'], 'wsconform: --update-baseline needs --baseline FILE: the file to write\n'],
      [['--baseline', join(dir, 'no-such-folder', 'b.json'), '--update-baseline'], `wsconform: baseline ${join(dir, 'no-such-folder', 'b.json')}: cannot be written (its folder is missing or read-only)\n`],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['run', 'kiwi', '--url', clean.url, ...FAST, ...args]);
      expect([r.code, r.stdout, r.stderr.startsWith(message)], `${args.join(' ')}: ${r.stderr}`).toEqual([2, '', true]);
    }
  });

  it('--help documents the options and the granularity', async () => {
    const r = await runCli(['run', '--help']);
    expect(r.stdout).toContain('--baseline <file>');
    expect(r.stdout).toContain('--update-baseline');
    expect(r.stdout).toContain('A failure is a check id plus\none of its finding messages');
  });
});
