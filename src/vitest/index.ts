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
 */
import { beforeAll, describe, it, type TestContext } from 'vitest';
import { CHECKS } from '../../conformance/index.js';
import { failureLines } from '../reporters/pretty.js';
import { DEFAULT_OBSERVE_MS, DEFAULT_TIMEOUT_MS, runSuite } from '../runner/run.js';
import { selectChecks } from '../runner/select.js';
import type { CheckResult, RunReport } from '../runner/types.js';
import { loadSpec } from '../spec/load.js';

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
