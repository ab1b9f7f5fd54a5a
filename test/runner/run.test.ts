import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../conformance/index.js';
import { defineCheck, exitCodeOf, pass, runSuite, SelectionError, skip, verdictOf } from '../../src/runner/index.js';
import type { CheckDef, Finding } from '../../src/runner/index.js';
import { loadSpec } from '../../src/spec/load.js';
import { kiwiServer, type TestServer } from './servers.js';
import { FAST } from './suite.js';

let server: TestServer;
beforeAll(async () => {
  server = await kiwiServer();
});
afterAll(() => server.close());

const finding = (message: string): Finding => ({ message, expected: 'e', actual: 'a', count: 1, occurrences: [] });

function check(id: string, run: CheckDef['run'], extra: Partial<CheckDef> = {}): CheckDef {
  return defineCheck({ id, category: id.split('/')[0], level: 'MUST', description: 'd', requirement: 'r', basis: () => [{ quote: 'q' }], appliesTo: () => true, run, ...extra });
}

async function runChecks(checks: CheckDef[], options: Record<string, unknown> = {}) {
  return runSuite(await loadSpec('kiwi'), checks, { url: server.url, ...FAST, ...options });
}

describe('the run loop', () => {
  it('reports the progress of a long observation to the reporters: frames so far and their rate', async () => {
    const progress: { elapsedMs: number; observeMs: number; frames: number; perSecond: number }[] = [];
    const stream = check('kit/stream', async (ctx) => ((await ctx.observation()).conn.frames.length ? pass() : skip('nothing')));
    await runChecks([stream], { observeMs: 1200, progressEveryMs: 300, reporters: [{ onProgress: (p: (typeof progress)[number]) => void progress.push(p) }] });
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.every((p) => p.observeMs === 1200 && p.elapsedMs > 0 && p.frames >= 0 && p.perSecond >= 0)).toBe(true);
    expect(progress.at(-1)!.frames).toBeGreaterThan(0);
    // A short observation (not over twice the interval) stays quiet.
    const quiet: unknown[] = [];
    await runChecks([stream], { observeMs: 500, progressEveryMs: 300, reporters: [{ onProgress: (p: unknown) => void quiet.push(p) }] });
    expect(quiet).toEqual([]);
  });

  it('grades a thrown exception as an error of the kit, never a fail of the server', async () => {
    const report = await runChecks([check('kit/throws', async () => { throw new Error('boom'); })]);
    expect(report.checks[0].verdict).toBe('error');
    expect(report.checks[0].reason).toMatch(/^the check threw: boom/);
    expect(report.summary).toEqual({ passed: 0, failed: 0, nonStrict: 0, skipped: 0, errors: 1, total: 1 });
    expect(exitCodeOf(report)).toBe(1);
  });

  it('ends a check that overruns its budget with an error, and the run goes on', async () => {
    const hang = check('kit/hangs', () => new Promise(() => undefined), { budgetMs: () => 50 });
    const report = await runChecks([hang, check('kit/fine', async () => pass())]);
    expect(report.checks.map((c) => [c.id, c.verdict, c.reason])).toEqual([
      ['kit/hangs', 'error', 'the check did not finish within its time budget of 50 ms'],
      ['kit/fine', 'pass', undefined],
    ]);
  });

  it('grades a missed SHOULD non-strict (exit 0), and fail under --strict (exit 1)', async () => {
    const should = check('kit/should', async () => verdictOf([finding('missed')]), { level: 'SHOULD' });
    const loose = await runChecks([should]);
    expect([loose.checks[0].verdict, exitCodeOf(loose)]).toEqual(['non-strict', 0]);
    const strict = await runChecks([should], { strict: true });
    expect([strict.checks[0].verdict, exitCodeOf(strict)]).toEqual(['fail', 1]);
  });

  it('never counts a skip as a pass, and keeps its reason', async () => {
    const report = await runChecks([check('kit/skips', async () => skip('nothing observed')), check('kit/na', async () => pass(), { appliesTo: () => 'not in this document' })]);
    expect(report.checks.map((c) => [c.verdict, c.reason])).toEqual([['skip', 'nothing observed'], ['skip', 'not in this document']]);
    expect(report.summary.passed).toBe(0);
    expect(exitCodeOf(report)).toBe(0);
  });

  it('reports results in registry order, whatever order they finish in', async () => {
    const events: string[] = [];
    const slow = check('kit/slow', async (ctx) => (await ctx.sleep(80), pass()));
    const quick = check('kit/quick', async () => pass());
    await runChecks([slow, quick], {
      reporters: [
        {
          onRunStart: (r) => void events.push(`start ${r.checks.length}`),
          onCheckStart: (c) => void events.push(`begin ${c.id}`),
          onCheckResult: (r) => void events.push(`result ${r.id}`),
          onRunEnd: (r) => void events.push(`end ${r.summary.passed}`),
        },
      ],
    });
    expect(events).toEqual(['start 2', 'begin kit/slow', 'begin kit/quick', 'result kit/slow', 'result kit/quick', 'end 2']);
  });

  it('redacts both tokens everywhere in the results, URL-encoded forms included', async () => {
    const leaky = check('kit/leaks', async (ctx) => verdictOf([{ message: `saw ${ctx.settings.token}`, expected: 'x', actual: `frame ?token=${encodeURIComponent(ctx.settings.adminToken!)}`, count: 1, occurrences: [{ frameIndex: 0, frame: `{"t":"${ctx.settings.token}"}` }] }]));
    const report = await runChecks([leaky], { token: 's3cret', adminToken: 'ad min/+', url: `${server.url}?token=s3cret` });
    const text = JSON.stringify(report);
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('ad%20min');
    expect(report.url).toBe(`${server.url}?token=***`);
    expect(report.checks[0].findings[0]).toEqual({ message: 'saw ***', expected: 'x', actual: 'frame ?token=***', count: 1, occurrences: [{ frameIndex: 0, frame: '{"t":"***"}' }], basis: { quote: 'q' }, level: 'MUST' });
  });

  it('selects by category and by id, and refuses a name that is neither', async () => {
    const spec = await loadSpec('kiwi');
    const report = await runSuite(spec, CHECKS, { url: server.url, ...FAST, only: ['ping-pong', 'envelope/schema'], skip: ['ping-pong/server-keepalive'] });
    expect(report.checks.map((c) => c.id)).toEqual(['envelope/schema', 'ping-pong/app-ping', 'ping-pong/ws-ping-frame', 'ping-pong/socketio-heartbeat']);
    await expect(runSuite(spec, CHECKS, { url: server.url, only: ['pingpong'] })).rejects.toBeInstanceOf(SelectionError);
  });

  it('shares one observation connection between every stream check', async () => {
    let connections = 0;
    const counting = await kiwiServer({ onConnection: () => void connections++ });
    try {
      await runSuite(await loadSpec('kiwi'), CHECKS, { url: counting.url, ...FAST, only: ['envelope', 'ordering'] });
      expect(connections).toBe(1);
    } finally {
      await counting.close();
    }
  });
});
