/**
 * The conformance suite as vitest tests, in a user's project:
 *
 *   import { conformanceSuite } from 'wsconform/vitest';
 *   conformanceSuite({ protocol: 'kiwi', url: () => server.url });
 *
 * registers `describe('wsconform kiwi')` with one test per check, named by its id. The suite runs
 * once in `beforeAll` (the url is resolved then, so the server can start in the user's own
 * `beforeAll` registered before the call); each test reports its check's verdict: `fail` and
 * `error` fail it (requirement / expected / actual in the message), `skip` marks it skipped with
 * the reason, `pass` and `non-strict` pass (a non-strict SHOULD miss is annotated).
 *
 *   import { clientConformanceSuite } from 'wsconform/vitest';
 *   clientConformanceSuite({ protocol: 'clown', exec: 'node dist/dashboard.js' });
 *
 * does the same for a client: judge-client serves the protocol, starts the client (`exec`, which
 * reads WSCONFORM_URL and WSCONFORM_TOKEN), and each client check is a test; a first test,
 * "the client connected", fails when the judge saw no connection.
 */
import { beforeAll, describe, it, type TestContext } from 'vitest';
import { CHECKS } from '../../conformance/index.js';
import { failureLines } from '../reporters/pretty.js';
import { DEFAULT_OBSERVE_MS, DEFAULT_TIMEOUT_MS, runSuite } from '../runner/run.js';
import { selectChecks } from '../runner/select.js';
import type { CheckResult, RunReport } from '../runner/types.js';
import { loadSpec } from '../spec/load.js';
import { CLIENT_CHECK_IDS, judgeClient, type JudgeClientOptions } from '../judge/client.js';

/** Options of `conformanceSuite`. */
export interface ConformanceSuiteOptions {
  /** A built-in protocol id or the path of an AsyncAPI document. */
  protocol: string;
  /** The server's URL, or a function giving it (called in `beforeAll`, after the user's own). */
  url: string | (() => string | Promise<string>);
  token?: string;
  adminToken?: string;
  /** A missed SHOULD fails its test. */
  strict?: boolean;
  /** Check ids or categories to run (default: all). */
  only?: string[];
  /** Check ids or categories to leave out. */
  skip?: string[];
  /** Waiting time for one expected answer, in ms (default 2000). */
  timeoutMs?: number;
  /** How long the shared observation connection listens, in ms (default 3000). */
  observeMs?: number;
  /** The server's keepalive interval when configured differently from the document. */
  keepaliveIntervalMs?: number;
  /** The suite's name (default `wsconform <protocol>`). */
  name?: string;
}

/** The message of a failed test: the check's verdict, then requirement / quote / expected / actual. */
export function failureMessage(r: CheckResult): string {
  const first = r.findings[0];
  const head = r.verdict === 'error' ? `${r.id}: the check could not be evaluated: ${r.reason}` : `${r.id} failed${first ? `: ${first.message}` : ''}`;
  return [head, ...failureLines(r)].join('\n');
}

/** The verdict of one check as a vitest test outcome (throws on fail and error, skips on skip). */
export async function reportVerdict(r: CheckResult, ctx: TestContext): Promise<void> {
  switch (r.verdict) {
    case 'pass':
      return;
    case 'non-strict':
      // annotate exists from vitest 3.2.
      await (ctx as Partial<TestContext>).annotate?.(`non-strict: ${r.level} missed (fails with strict: true)\n${failureLines(r).join('\n')}`, 'warning');
      return;
    case 'skip':
      ctx.skip(r.reason);
      return;
    default: {
      const err = new Error(failureMessage(r));
      err.name = r.verdict === 'error' ? 'ConformanceError' : 'ConformanceFailure';
      err.stack = `${err.name}: ${err.message}`;
      throw err;
    }
  }
}

/** Registers the suite: one `describe`, a `beforeAll` running every selected check once, one test per check. */
export function conformanceSuite(options: ConformanceSuiteOptions): void {
  const checks = selectChecks(CHECKS, options.only, options.skip);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const observeMs = options.observeMs ?? DEFAULT_OBSERVE_MS;
  // Generous: the run bounds itself (every check has a budget, the run a global timeout).
  const hookTimeout = 3 * (observeMs + timeoutMs * 40 + 5000) + 10_000;
  describe(options.name ?? `wsconform ${options.protocol}`, () => {
    let report: RunReport | undefined;
    beforeAll(async () => {
      const spec = await loadSpec(options.protocol);
      const url = typeof options.url === 'function' ? await options.url() : options.url;
      report = await runSuite(spec, CHECKS, {
        url,
        token: options.token,
        adminToken: options.adminToken,
        strict: options.strict,
        timeoutMs,
        observeMs,
        keepaliveIntervalMs: options.keepaliveIntervalMs,
        only: options.only,
        skip: options.skip,
      });
    }, hookTimeout);
    for (const check of checks) {
      it(check.id, async (ctx) => {
        const r = report?.checks.find((c) => c.id === check.id);
        if (!r) throw new Error(`${check.id}: no result (the run did not complete)`);
        await reportVerdict(r, ctx);
      });
    }
  });
}

/** Options of `clientConformanceSuite`: judge-client's, with the protocol and the suite's name. */
export interface ClientConformanceSuiteOptions extends Omit<JudgeClientOptions, 'reporters'> {
  /** A built-in protocol id or the path of an AsyncAPI document. */
  protocol: string;
  /** The suite's name (default `wsconform client <protocol>`). */
  name?: string;
}

/** Registers a client's suite: one `describe`, a `beforeAll` judging the client once, a test for the connection and one per client check. */
export function clientConformanceSuite(options: ClientConformanceSuiteOptions): void {
  const { protocol, name, ...judge } = options;
  const timeoutMs = judge.timeoutMs ?? 2000;
  // The judge bounds itself: the wait, the listening, the probes and the restart each have a limit.
  const hookTimeout = (judge.waitMs ?? 10_000) + (judge.listenMs ?? 2000) + 6 * timeoutMs + (judge.refuseMs ?? 3000) + (judge.reconnectMs ?? 10_000) + 15_000;
  describe(name ?? `wsconform client ${protocol}`, () => {
    let report: RunReport | undefined;
    beforeAll(async () => {
      report = await judgeClient(await loadSpec(protocol), judge);
    }, hookTimeout);
    it('the client connected', () => {
      if (!report) throw new Error('no report (the judge did not complete)');
      if (report.problems?.length) throw new Error(report.problems.join('\n'));
    });
    for (const id of CLIENT_CHECK_IDS) {
      it(id, async (ctx) => {
        const r = report?.checks.find((c) => c.id === id);
        if (!r) throw new Error(`${id}: no result (the judge did not complete)`);
        await reportVerdict(r, ctx);
      });
    }
  });
}
