/** Helpers of the runner tests: run the whole registry and read verdicts out of the report. */
import { CHECKS } from '../../conformance/index.js';
import { runSuite, type RunOptions } from '../../src/runner/index.js';
import type { CheckResult, Finding, RunReport, Verdict } from '../../src/runner/types.js';
import { loadSpec } from '../../src/spec/load.js';

/**
 * The keepalive interval of the timing tests: pings every 500 ms, judged within interval +
 * tolerance, leave a loaded machine's event loop room (test/load runs them under a CPU hog).
 */
export const KEEPALIVE = 500;

/** Short waits: every test server is local. */
export const FAST = { timeoutMs: 500, observeMs: 300 } as const;

/** Runs every check of the registry for `protocol` (id or document path) against `url`. */
export async function run(protocol: string, url: string, options: Partial<RunOptions> = {}): Promise<RunReport> {
  const spec = await loadSpec(protocol);
  return runSuite(spec, CHECKS, { url, ...FAST, ...options });
}

/** The result of one check. */
export function result(report: RunReport, id: string): CheckResult {
  const r = report.checks.find((c) => c.id === id);
  if (!r) throw new Error(`no result for ${id}`);
  return r;
}

/** The verdict of every check that ran (not skipped as not applicable), by id. */
export function verdicts(report: RunReport, ...ids: string[]): Record<string, Verdict> {
  const out: Record<string, Verdict> = {};
  for (const c of report.checks) if (!ids.length || ids.includes(c.id)) out[c.id] = c.verdict;
  return out;
}

/** A finding without the basis of its rule and its level (asserted on their own). */
export function plain({ basis: _b, level: _l, ...rest }: Finding): Omit<Finding, 'basis' | 'level'> {
  return rest;
}
