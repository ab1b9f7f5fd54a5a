import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineOf, compareBaseline, exitCodeOf, readBaseline, summarize, writeBaseline, type Baseline } from '../../src/runner/index.js';
import type { CheckResult, RunReport, Verdict } from '../../src/runner/types.js';

const finding = (message: string) => ({ message, expected: 'e', actual: 'a', count: 1, occurrences: [] });
const result = (id: string, verdict: Verdict, ...messages: string[]): CheckResult => ({ id, category: id.split('/')[0], level: 'MUST', description: 'd', requirement: 'r', basis: [{ quote: 'q' }], quote: '"q"', verdict, durationMs: 1, findings: messages.map(finding) });
const reportOf = (...checks: CheckResult[]): RunReport => ({
  tool: { name: 'wsconform', version: '0.1.0' },
  spec: { id: 'kiwi', title: 'Kiwi', version: '1.0.0', file: '/x/kiwi.yaml' },
  url: 'ws://127.0.0.1:1/api/events',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1,
  summary: summarize(checks),
  checks,
});
const BASELINE: Baseline = {
  tool: { name: 'wsconform', version: '0.1.0' },
  spec: 'kiwi',
  createdAt: '2026-01-01T00:00:00.000Z',
  failures: [
    { id: 'envelope/fields', messages: ['field a', 'field b'] },
    { id: 'envelope/schema', messages: ['schema'] },
    { id: 'ordering/sequence', messages: ['gap'] },
    { id: 'ping-pong/app-ping', messages: ['no pong'] },
  ],
};

describe('baselineOf', () => {
  it('lists the failing checks sorted by id with their distinct finding messages sorted, leaving out every other verdict', () => {
    const report = reportOf(result('z/last', 'fail', 'b', 'a', 'b'), result('a/first', 'fail', 'only'), result('m/warn', 'non-strict', 'w'), result('m/skip', 'skip'), result('m/err', 'error'), result('m/ok', 'pass'));
    expect(baselineOf(report, '2026-02-02T00:00:00.000Z')).toEqual({
      tool: { name: 'wsconform', version: '0.1.0' },
      spec: 'kiwi',
      createdAt: '2026-02-02T00:00:00.000Z',
      failures: [
        { id: 'a/first', messages: ['only'] },
        { id: 'z/last', messages: ['a', 'b'] },
      ],
    });
  });

  it('writes a file that reads back equal', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'wsconform-bl-')), 'b.json');
    writeBaseline(file, BASELINE);
    expect(readBaseline(file, 'kiwi')).toEqual(BASELINE);
  });
});

describe('compareBaseline', () => {
  it('counts a known check failing with a new finding message as new, a message seen as non-strict as known, and a skipped or errored check as not verified', () => {
    const report = reportOf(
      result('envelope/fields', 'fail', 'field a', 'field c'),
      result('envelope/schema', 'non-strict', 'schema'),
      result('ordering/sequence', 'skip'),
      result('ping-pong/app-ping', 'error'),
      result('robustness/invalid-json', 'fail', 'closed'),
    );
    expect(compareBaseline(report, BASELINE, 'b.json')).toEqual({
      file: 'b.json',
      updated: false,
      createdAt: '2026-01-01T00:00:00.000Z',
      new: [
        { id: 'envelope/fields', message: 'field c' },
        { id: 'robustness/invalid-json', message: 'closed' },
      ],
      known: [
        { id: 'envelope/fields', message: 'field a' },
        { id: 'envelope/schema', message: 'schema' },
      ],
      fixed: [{ id: 'envelope/fields', message: 'field b' }],
      unverified: [
        { id: 'ordering/sequence', message: 'gap' },
        { id: 'ping-pong/app-ping', message: 'no pong' },
      ],
    });
  });

  it('makes the exit code 0 when every failure is known, and 1 on a new failure or any error', () => {
    const known = reportOf(result('envelope/fields', 'fail', 'field a'), result('envelope/schema', 'pass'));
    expect(exitCodeOf(known)).toBe(1);
    expect(exitCodeOf({ ...known, baseline: compareBaseline(known, BASELINE, 'b.json') })).toBe(0);
    const fresh = reportOf(result('handshake/upgrade', 'fail', 'did not open'));
    expect(exitCodeOf({ ...fresh, baseline: compareBaseline(fresh, BASELINE, 'b.json') })).toBe(1);
    const errored = reportOf(result('ping-pong/app-ping', 'error'));
    expect(exitCodeOf({ ...errored, baseline: compareBaseline(errored, BASELINE, 'b.json') })).toBe(1);
  });
});
