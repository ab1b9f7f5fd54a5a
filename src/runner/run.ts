/**
 * The run loop: every selected check runs concurrently (stream checks share one observation),
 * each within its own time budget and the run's global timeout; results reach the reporters
 * redacted and in registry order.
 */
import { setMaxListeners } from 'node:events';
import { VERSION } from '../cli/version.js';
import type { Reporter } from '../reporters/types.js';
import type { Spec } from '../spec/model.js';
import { validatorFor } from '../spec/validator.js';
import { connect as openConnection } from '../transport/index.js';
import { probe } from '../transport/probe.js';
import type { Connection } from '../transport/types.js';
import { baselineStatus, type BaselineOption } from './baseline.js';
import { observe } from './observation.js';
import { redactDeep, redactor } from './redact.js';
import { selectChecks } from './select.js';
import { presentToken, resolveTargets, tokenOf } from './target.js';
import { withTranscripts } from './transcript.js';
import type { CheckConnectOptions, CheckContext, CheckDef, CheckResult, Observation, Outcome, RunReport, RunSettings, Summary, Verdict } from './types.js';

/** Default waiting time for one expected answer, in ms. */
export const DEFAULT_TIMEOUT_MS = 2000;
/** Default observation window, in ms. */
export const DEFAULT_OBSERVE_MS = 3000;

/** Options of `runSuite`. */
export interface RunOptions {
  url: string;
  token?: string;
  adminToken?: string;
  strict?: boolean;
  timeoutMs?: number;
  observeMs?: number;
  keepaliveIntervalMs?: number;
  /** Check ids or categories to run (default: all). */
  only?: string[];
  /** Check ids or categories to leave out. */
  skip?: string[];
  reporters?: Reporter[];
  /** A hard limit on the whole run (default: derived from the checks' budgets). */
  globalTimeoutMs?: number;
  /** Probe TCP reachability first and throw `UnreachableError` when nothing listens (default true). */
  probe?: boolean;
  /** Frames of the wire log kept before and after each occurrence (`Occurrence.transcript`; default 0: none). */
  contextFrames?: number;
  /** Compare the failures with a baseline, or record them as the new one (`RunReport.baseline`). */
  baseline?: BaselineOption;
}

/** The server cannot be reached at all: connection refused (or no such host) at every address. */
export class UnreachableError extends Error {
  constructor(readonly url: string, readonly detail: string) {
    super(`cannot reach ${url}: ${detail}`);
    this.name = 'UnreachableError';
  }
}

/** The verdict a check's outcome gets at its level. */
export function grade(outcome: Outcome, level: CheckDef['level'], strict: boolean): Verdict {
  if (outcome.verdict !== 'fail') return outcome.verdict;
  return level === 'SHOULD' && !strict ? 'non-strict' : 'fail';
}

/** Counts verdicts. */
export function summarize(results: CheckResult[]): Summary {
  const count = (v: Verdict) => results.filter((r) => r.verdict === v).length;
  return { passed: count('pass'), failed: count('fail'), nonStrict: count('non-strict'), skipped: count('skip'), errors: count('error'), total: results.length };
}

/**
 * The exit code of a report: 0 when no check failed (a missed SHOULD fails only under --strict,
 * where its verdict is `fail`), 1 when one did or when a check could not be evaluated (`error`).
 * With a baseline, only failures the baseline does not list count (errors always do).
 */
export function exitCodeOf(report: RunReport): 0 | 1 {
  const failed = report.baseline ? report.baseline.new.length > 0 : report.summary.failed > 0;
  return failed || report.summary.errors > 0 ? 1 : 0;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Runs the checks against the server at `options.url`; resolves with the (redacted) report. */
export async function runSuite(spec: Spec, registry: readonly CheckDef[], options: RunOptions): Promise<RunReport> {
  const checks = selectChecks(registry, options.only, options.skip);
  const settings: RunSettings = {
    url: options.url,
    token: options.token || undefined,
    adminToken: options.adminToken || undefined,
    strict: options.strict ?? false,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    observeMs: options.observeMs ?? DEFAULT_OBSERVE_MS,
    keepaliveIntervalMs: options.keepaliveIntervalMs,
  };
  const redact = redactor([settings.token, settings.adminToken]);
  const reporters = options.reporters ?? [];
  const { primary, channels } = resolveTargets(spec, settings.url);

  if (options.probe ?? true) {
    const reach = await probe(primary.url, settings.timeoutMs);
    if (!reach.reachable) throw new UnreachableError(redact(settings.url), redact(reach.detail));
  }

  const validator = validatorFor(spec);
  const startedAt = new Date();
  const t0 = performance.now();
  const runAbort = new AbortController();
  setMaxListeners(0, runAbort.signal);
  const allConnections: Connection[] = [];
  const spec4report = { id: spec.id, title: spec.title, version: spec.version, file: spec.file };
  const nameOf = (m: unknown, d: 'receive' | 'send') => validator.nameOf(m, d);

  const openFor = (options: CheckConnectOptions & { label: string }): Connection => {
    const address = options.address ?? primary.address;
    const target = channels.find((c) => c.address === address) ?? (address === primary.address ? primary : { address, url: primary.url });
    const credential = options.as ?? 'best';
    const token = tokenOf(credential, settings);
    const conn = openConnection(spec.transport, {
      url: target.url,
      namespace: spec.transport === 'socket.io' ? address : undefined,
      timeoutMs: options.timeoutMs ?? settings.timeoutMs,
      nameOf,
      label: options.label,
      ...presentToken(spec, token, typeof credential === 'object' ? credential.means : undefined),
    });
    allConnections.push(conn);
    return conn;
  };

  let observation: Promise<Observation> | undefined;
  const getObservation = () =>
    (observation ??= observe({ spec, settings, primary, connect: openFor, sleep: (ms) => abortableSleep(ms, runAbort.signal) }));

  const finished = checks.map(() => deferred<void>());
  const readsWireLog = new Set<number>();
  const results: (CheckResult | undefined)[] = checks.map(() => undefined);
  const ownConnections: Connection[][] = checks.map(() => []);
  let flushed = 0;
  let flushing = Promise.resolve();
  const flush = () => {
    flushing = flushing.then(async () => {
      while (flushed < checks.length && results[flushed]) {
        const r = results[flushed++]!;
        for (const rep of reporters) await rep.onCheckResult?.(r);
      }
    });
    return flushing;
  };

  const start = redactDeep(
    {
      spec: spec4report,
      url: settings.url,
      startedAt: startedAt.toISOString(),
      checks: checks.map(({ id, category, level, description }) => ({ id, category, level, description })),
      strict: settings.strict,
      timeoutMs: settings.timeoutMs,
      observeMs: settings.observeMs,
    },
    redact,
  );
  for (const rep of reporters) await rep.onRunStart?.(start);

  const defaultBudget = settings.observeMs + 4 * settings.timeoutMs + 2000;
  const runOne = async (check: CheckDef, i: number): Promise<CheckResult> => {
    const c0 = performance.now();
    const base = { id: check.id, category: check.category, level: check.level, description: check.description, requirement: check.requirement, quote: check.quote };
    const done = (verdict: Verdict, extra: Partial<CheckResult> = {}): CheckResult => ({ ...base, verdict, durationMs: Math.round(performance.now() - c0), findings: [], ...extra });
    const applies = check.appliesTo(spec);
    if (applies !== true) return done('skip', { reason: applies });
    const abort = new AbortController();
    setMaxListeners(0, abort.signal);
    const onRunAbort = () => abort.abort();
    runAbort.signal.addEventListener('abort', onRunAbort, { once: true });
    const own = ownConnections[i];
    let seq = 0;
    const ctx: CheckContext = {
      spec,
      validator,
      settings,
      primary,
      channels,
      observation: getObservation,
      connect: (o = {}) => {
        const conn = openFor({ ...o, label: `${check.id}#${++seq}` });
        own.push(conn);
        return conn;
      },
      wireLog: async () => {
        // Waits for the checks that have not asked for the wire log themselves: two such checks
        // never wait for each other (the later caller does not wait for the earlier one).
        readsWireLog.add(i);
        await Promise.all(finished.filter((_, j) => !readsWireLog.has(j)).map((d) => d.promise));
        if (observation) await observation;
        return [...allConnections];
      },
      sleep: (ms) => abortableSleep(ms, abort.signal),
      signal: abort.signal,
    };
    const budget = check.budgetMs?.(ctx) ?? defaultBudget;
    let timer: NodeJS.Timeout | undefined;
    const overrun = new Promise<'overrun'>((resolve) => {
      timer = setTimeout(() => resolve('overrun'), budget);
      abort.signal.addEventListener('abort', () => resolve('overrun'), { once: true });
    });
    try {
      const outcome = await Promise.race([check.run(ctx), overrun]);
      if (outcome === 'overrun') {
        const why = runAbort.signal.aborted ? "the run's global timeout" : `its time budget of ${budget} ms`;
        return done('error', { reason: `the check did not finish within ${why}` });
      }
      if (outcome.verdict === 'skip') return done('skip', { reason: outcome.reason });
      if (outcome.verdict === 'pass') return done('pass');
      return done(grade(outcome, check.level, settings.strict), { findings: outcome.findings });
    } catch (err) {
      const e = err as Error;
      const where = e?.stack?.split('\n').find((l) => l.includes('conformance/') || l.includes('src/'))?.trim();
      return done('error', { reason: `the check threw: ${e?.message ?? String(err)}${where ? ` (${where})` : ''}` });
    } finally {
      clearTimeout(timer);
      abort.abort();
      runAbort.signal.removeEventListener('abort', onRunAbort);
      await Promise.all(own.map((c) => c.close()));
    }
  };

  const budgets = checks.map((c) => c.budgetMs?.({ spec, validator, settings, primary, channels } as CheckContext) ?? defaultBudget);
  const globalMs = options.globalTimeoutMs ?? Math.max(defaultBudget, ...budgets) + settings.timeoutMs + 2000;
  const globalTimer = setTimeout(() => runAbort.abort(), globalMs);

  await Promise.all(
    checks.map(async (check, i) => {
      for (const rep of reporters) await rep.onCheckStart?.(start.checks[i]);
      const result = withTranscripts(await runOne(check, i), [...ownConnections[i], ...allConnections], options.contextFrames ?? 0);
      results[i] = redactDeep(result, redact);
      finished[i].resolve();
      await flush();
    }),
  );
  clearTimeout(globalTimer);
  await flush();
  runAbort.abort();
  if (observation) await observation.catch(() => undefined);
  await Promise.all(allConnections.map((c) => c.close()));

  const final = results as CheckResult[];
  const report: RunReport = {
    tool: { name: 'wsconform', version: VERSION },
    spec: spec4report,
    url: redact(settings.url),
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    summary: summarize(final),
    checks: final,
  };
  if (options.baseline) report.baseline = redactDeep(baselineStatus(report, options.baseline), redact);
  for (const rep of reporters) await rep.onRunEnd?.(report);
  return report;
}
