import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { createReporters, junitXml, parseReporter, REPORTERS } from '../../src/reporters/index.js';
import type { CheckResult, RunReport } from '../../src/runner/types.js';

const base = { category: 'envelope', level: 'MUST' as const, description: 'd', requirement: 'Every frame is JSON.', basis: [{ quote: 'All events are JSON objects.' }], quote: '"All events are JSON objects."', durationMs: 12, findings: [] };
const REPORT: RunReport = {
  tool: { name: 'wsconform', version: '0.1.0' },
  spec: { id: 'kiwi', title: 'Kiwi', version: '1.0.0', file: '/x/kiwi.yaml' },
  url: 'ws://127.0.0.1:1/api/events',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 345,
  summary: { passed: 1, failed: 1, nonStrict: 1, skipped: 1, errors: 1, total: 5 },
  checks: [
    { ...base, id: 'envelope/text-frames', verdict: 'pass' },
    {
      ...base,
      id: 'envelope/json-objects',
      verdict: 'fail',
      findings: [{ message: 'A text frame is not JSON', expected: 'a JSON object', actual: 'text <&> "q"', count: 2, occurrences: [{ frameIndex: 3, frame: '<bad>\u0001&' }] }],
    },
    { ...base, id: 'envelope/known-messages', level: 'SHOULD', verdict: 'non-strict', findings: [{ message: 'An undocumented message "X"', expected: 'a listed name', actual: '"X"', count: 1, occurrences: [] }] },
    { ...base, id: 'envelope/timestamps', verdict: 'skip', reason: 'nothing observed' },
    { ...base, id: 'envelope/schema', verdict: 'error', reason: 'the check threw: boom' },
  ] as CheckResult[],
};

function capture(name: string): string {
  let out = '';
  const rep = REPORTERS[name]({ write: (t) => void (out += t) });
  rep.onRunStart?.({ spec: REPORT.spec, url: REPORT.url, startedAt: REPORT.startedAt, checks: REPORT.checks, strict: false, timeoutMs: 2000, observeMs: 3000 });
  for (const c of REPORT.checks) rep.onCheckResult?.(c);
  rep.onRunEnd?.(REPORT);
  return out;
}

describe('reporters', () => {
  it('pretty prints progress per check, then requirement / expected / actual per failure, then the summary line', () => {
    const lines = capture('pretty').split('\n');
    expect(lines.slice(0, 8)).toEqual([
      'wsconform: Kiwi (kiwi 1.0.0) at ws://127.0.0.1:1/api/events',
      '  5 checks, timeout 2000 ms, observe 3000 ms',
      '',
      '  PASS  envelope/text-frames               12 ms',
      '  FAIL  envelope/json-objects              12 ms  A text frame is not JSON',
      '  WARN  envelope/known-messages            12 ms  An undocumented message "X"',
      '  SKIP  envelope/timestamps                12 ms  nothing observed',
      '  ERR   envelope/schema                    12 ms  the check threw: boom',
    ]);
    expect(lines).toContain('envelope/json-objects (MUST, fail)');
    expect(lines).toContain('  Requirement: Every frame is JSON.');
    expect(lines).toContain('  - A text frame is not JSON (2 times)');
    expect(lines).toContain('    Expected: a JSON object');
    expect(lines).toContain('    Actual:   text <&> "q"');
    expect(lines).toContain('    at frame #3: <bad>\u0001&');
    expect(lines.at(-2)).toBe('1 passed, 1 failed, 1 skipped, 1 non-strict, 1 errors (345 ms)');
  });

  it('json writes the report as documented, and nothing else', () => {
    expect(JSON.parse(capture('json'))).toEqual(REPORT);
  });

  it('junit writes valid XML with one testcase per check, failures with expected/actual, skipped and error elements', () => {
    const xml = junitXml(REPORT);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const suite = doc.testsuites.testsuite;
    expect([suite.tests, suite.failures, suite.errors, suite.skipped]).toEqual(['5', '1', '1', '1']);
    const cases = suite.testcase;
    expect(cases.map((c: { name: string; classname: string }) => [c.name, c.classname])).toEqual(REPORT.checks.map((c) => [c.id, 'envelope']));
    expect(cases[1].failure.message).toBe('A text frame is not JSON: expected a JSON object, actual text <&> "q"');
    expect(cases[1].failure['#text']).toContain('at frame #3: <bad>\uFFFD&');
    expect(cases[2]['system-out']).toContain('non-strict (SHOULD missed; fails under --strict)');
    expect(cases[3].skipped.message).toBe('nothing observed');
    expect(cases[4].error.message).toBe('the check threw: boom');
  });

  it('parses NAME:FILE, refuses unknown names, and writes several reporters at once', async () => {
    expect(parseReporter('junit:out/a.xml')).toEqual({ name: 'junit', file: 'out/a.xml' });
    expect(() => parseReporter('tap')).toThrow('unknown reporter "tap" (built in: pretty, json, junit, html)');
    const dir = mkdtempSync(join(tmpdir(), 'wsconform-rep-'));
    let stdout = '';
    const { reporters, close } = createReporters([{ name: 'pretty' }, { name: 'json', file: join(dir, 'r.json') }, { name: 'junit', file: join(dir, 'r.xml') }], { write: (t) => void (stdout += t) });
    for (const r of reporters) r.onRunEnd?.(REPORT);
    await close();
    expect(stdout).toContain('1 passed, 1 failed, 1 skipped, 1 non-strict, 1 errors');
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).summary).toEqual(REPORT.summary);
    expect(XMLValidator.validate(readFileSync(join(dir, 'r.xml'), 'utf8'))).toBe(true);
  });
});
