/**
 * The run loop: every selected check runs concurrently (stream checks share one observation),
 * each within its own time budget and the run's global timeout; results reach the reporters
 * redacted and in registry order.
 */
import { StallWatch } from './stalls.js';
import { setMaxListeners } from 'node:events';
import { VERSION } from '../cli/version.js';
import type { Reporter } from '../reporters/types.js';
import type { Spec } from '../spec/model.js';
import { validatorFor } from '../spec/validator.js';
import { connect as openConnection } from '../transport/index.js';
import { numberId, personalize } from './messages.js';
import { PooledConnection, Slots } from './pool.js';
import { probe } from '../transport/probe.js';
import type { Connection } from '../transport/types.js';
import { baselineStatus, type BaselineOption } from './baseline.js';
import { levelOf, renderBasis, type Basis } from './basis.js';
import { NotJudged } from './define-check.js';
import { coverageOf, type Coverage } from './coverage.js';
import { Findings } from './findings.js';
import { StreamHub } from './stream.js';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { initialMessagesFor, observe } from './observation.js';
import { redactDeep, redactor } from './redact.js';
import { selectChecks } from './select.js';
import { performOpening, serverPingAnswer } from './opening.js';
import { presentToken, resolveTargets, tokenOf } from './target.js';
import { withTranscripts } from './transcript.js';
import type { ChannelTarget, CheckConnectOptions, CheckContext, CheckDef, CheckResult, Finding, Observation, Outcome, RunReport, RunSettings, Summary, Verdict } from './types.js';

/** Default waiting time for one expected answer, in ms. */
/** How often a long observation reports its progress; one longer than twice this reports it. */
const PROGRESS_EVERY_MS = 5_000;

export const DEFAULT_TIMEOUT_MS = 2000;
/** Default observation window, in ms. */
export const DEFAULT_OBSERVE_MS = 3000;
/** Default bound on the connections open at once: below a server limit of 10 per client address. */
export const DEFAULT_MAX_CONNECTIONS = 6;

/** Options of `runSuite`. */
export interface RunOptions {
  url: string;
  token?: string;
  adminToken?: string;
  strict?: boolean;
  timeoutMs?: number;
  observeMs?: number;
  keepaliveIntervalMs?: number;
  /** The most connections open at once (default 6; the observation counts as one). */
  maxConnections?: number;
  /** Aborting it interrupts the run: running checks end as `error: interrupted`, the report is complete. */
  signal?: AbortSignal;
  /** Documented server messages never observed fail the run (`--require-coverage`). */
  requireCoverage?: boolean;
  /** Check ids or categories to run (default: all). */
  only?: string[];
  /** Check ids or categories to leave out. */
  skip?: string[];
  reporters?: Reporter[];
  /** A hard limit on the whole run (default: derived from the checks' budgets). */
  globalTimeoutMs?: number;
  /** How many clients observe at once (`--clients`): each judged per connection, each timing ping → pong. */
  clients?: number;
  /** How often a long observation reports progress to the reporters (default 5000 ms; only when --observe is over twice this). */
  progressEveryMs?: number;
  /** Probe TCP reachability first and throw `UnreachableError` when nothing listens (default true). */
  probe?: boolean;
  /** Frames of the wire log kept before and after each occurrence (`Occurrence.transcript`; default 0: none). */
  contextFrames?: number;
  /** Compare the failures with a baseline, or record them as the new one (`RunReport.baseline`). */
  baseline?: BaselineOption;
}

/** The document refuses connections without a token, and the run was given none: a usage error. */
export class TokenRequiredError extends Error {
  constructor(readonly specId: string) {
    super(`${specId} refuses connections without a token (x-wsconform.auth.withoutToken: refuse): give --token (and --admin-token for admin-only checks)`);
    this.name = 'TokenRequiredError';
  }
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
  if (strict) return 'fail';
  // A MUST check fails only on a finding whose rule the document (or a transport
  // specification) states; a finding resting on a decision alone is a missed SHOULD.
  const must = level === 'MUST' && outcome.findings.some((f) => (f.level ?? 'MUST') === 'MUST');
  return must ? 'fail' : 'non-strict';
}

/**
 * A finding with the basis of its rule: its own, else the check's when the check enforces one
 * rule. Its level is what that basis supports: a decision alone is at most a SHOULD.
 */
export function withBasis(f: Finding, bases: readonly Basis[]): Finding {
  if (f.basis) return f.level ? f : { ...f, level: levelOf(f.basis) };
  if (bases.length === 1) return { ...f, basis: bases[0], level: levelOf(bases[0]) };
  return { ...f, level: bases.length && bases.every((b) => levelOf(b) === 'SHOULD') ? 'SHOULD' : 'MUST' };
}

/**
 * What makes a run unfit to pass whatever its checks say: an interrupt, an observation the target
 * refused, a stream that showed no event beyond initial messages and pongs, and (when required)
 * documented messages never seen.
 */
async function runProblems(spec: Spec, hub: StreamHub, primary: ChannelTarget, obs: Observation | undefined, coverage: Coverage, run: { interrupted: boolean; requireCoverage: boolean; token?: string }): Promise<string[]> {
  const problems: string[] = [];
  if (run.interrupted) problems.push('interrupted by a signal: the checks still running were stopped and are reported as errors');
  if (obs) {
    const opened = await obs.conn.opened;
    if (!opened.ok) {
      const refused = (opened.kind === 'http' && (opened.status === 401 || opened.status === 403)) || opened.kind === 'connect-error';
      problems.push(`the server at ${primary.url} did not accept the observation connection (${opened.detail})${refused && !run.token ? '; give --token' : ''}`);
    } else {
      const quiet = new Set([...initialMessagesFor(spec, primary.address).map((m) => m.message), ...(spec.ext.keepalive?.appPing ? [spec.ext.keepalive.appPing.pong] : [])]);
      const names = hub.names([obs.conn]);
      const events = [...names].filter(([n]) => !quiet.has(n)).reduce((sum, [, c]) => sum + c, 0);
      if (!events) {
        const only = names.size ? ` (only ${[...names.keys()].join(', ')})` : '';
        problems.push(`no stream event was observed in ${obs.observedMs} ms at ${primary.url}${only}: the stream checks had nothing to judge; raise --observe or set --trigger`);
      }
    }
  }
  // With --clients: every client must have connected, and every ping of every client been answered.
  for (const c of obs?.clients ?? []) {
    const r = await c.opened;
    if (!r.ok) problems.push(`${c.label} of ${(obs!.clients!.length ?? 0) + 1} clients could not connect (${r.detail})`);
  }
  for (const l of obs?.latency ?? []) if (l.unanswered) problems.push(`${l.client}: ${l.unanswered} of ${l.samples + l.unanswered} pings got no ${spec.ext.keepalive?.appPing?.pong ?? 'pong'} within the timeout`);
  if (run.requireCoverage && coverage.neverSeen.length) {
    problems.push(`--require-coverage: ${coverage.neverSeen.length} documented server message(s) never observed: ${coverage.neverSeen.map((n) => n.name).join(', ')}`);
  }
  return problems;
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
  return failed || report.summary.errors > 0 || (report.problems?.length ?? 0) > 0 ? 1 : 0;
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
    maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    ...(options.clients ? { clients: options.clients } : {}),
  };
  const redact = redactor([settings.token, settings.adminToken]);
  const auth = spec.ext.auth;
  if (auth?.withoutToken === 'refuse' && !auth.optional && !settings.token && !settings.adminToken) throw new TokenRequiredError(spec.id);
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
  const pingAnswer = serverPingAnswer(spec);
  // Every frame of every connection passes through the hub once, to the stream checks watching it.
  const hub = new StreamHub(spec, validator, options.contextFrames ?? 0);
  // When the runner's own event loop was held up: timing checks do not blame the server for it.
  const stalls = new StallWatch();
  stalls.start();

  // Every connection of a check waits for one of the slots; the observation has its own, so a
  // check that waits for the observation while holding a slot can never starve it.
  const slots = new Slots(Math.max(2, settings.maxConnections - 1));
  const runId = Math.random().toString(36).slice(2, 6);
  let connections = 0;
  // A server that never completes the observation's opening (handshake, Engine.IO open, CONNECT,
  // within --timeout) is not tried again: each later connection would wait its own --timeout in
  // a queue of slots, and a run would take minutes to say what handshake/upgrade says at once.
  let unanswered: string | undefined;
  let observationConn: Connection | undefined;
  // When it was the opening that got no answer, a connection without the opening (the checks
  // that judge the opening itself) is still tried.
  let unansweredInOpening = false;
  const hopelessFor = (withOpening: boolean) => () => (unanswered && (withOpening || !unansweredInOpening) ? `not tried: the observation connection got no answer (${unanswered})` : undefined);
  const observationUnanswered = async (): Promise<boolean> => {
    const r = await observationConn?.opened;
    return !!r && !r.ok && r.kind === 'timeout';
  };
  const openFor = (options: CheckConnectOptions & { label: string }): Connection => {
    const address = options.address ?? primary.address;
    const target = channels.find((c) => c.address === address) ?? (address === primary.address ? primary : { address, url: primary.url });
    const credential = options.as ?? 'best';
    const token = tokenOf(credential, settings);
    const id = `wsc${runId}${++connections}`;
    const { openingPayload, ...presented } = presentToken(spec, token, typeof credential === 'object' ? credential.means : undefined);
    const timeoutMs = options.timeoutMs ?? settings.timeoutMs;
    const opening = spec.ext.opening?.steps.length && options.opening !== false;
    const lastId = { id: 0 };
    const conn = new PooledConnection(
      options.label,
      target.url,
      () =>
        openConnection(spec.transport, {
          url: target.url,
          namespace: spec.transport === 'socket.io' ? address : undefined,
          timeoutMs,
          nameOf,
          label: options.label,
          protocols: options.protocols ?? spec.ext.subprotocol?.offer,
          answer: pingAnswer,
          ...presented,
        }),
      // The observers (the observation, --clients) open at once, outside the check slots.
      options.label === 'observation' || options.label.startsWith('client-') ? undefined : slots,
      (m) => numberId(spec, personalize(spec, m, id), lastId),
      (ms) => abortableSleep(ms, runAbort.signal),
      hopelessFor(!!opening),
      options.label === 'observation' ? undefined : observationUnanswered,
      opening
        ? async (c) => {
            const failed = await performOpening(spec, c, timeoutMs, openingPayload);
            if (failed && options.label === 'observation') unansweredInOpening = true;
            return failed;
          }
        : undefined,
    );
    if (options.label === 'observation') {
      observationConn = conn;
      void conn.opened.then((r) => {
        if (!r.ok && r.kind === 'timeout') unanswered = `${r.detail} within ${options.timeoutMs ?? settings.timeoutMs} ms`;
      });
    }
    allConnections.push(conn);
    hub.add(conn, options.label === 'observation' ? 'observation' : options.label.startsWith('client-') ? 'observer' : 'check');
    return conn;
  };

  let observation: Promise<Observation> | undefined;
  // How long the event loop was held up while observing: a runner that could not keep up says so.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const getObservation = () => (observation ??= timedObservation(withProgress(observe({ spec, settings, primary, connect: openFor, sleep: (ms) => abortableSleep(ms, runAbort.signal) }))));
  // A long observation says how far it is, every few seconds, so a run of minutes is not silent.
  const withProgress = (running: Promise<Observation>): Promise<Observation> => {
    const every = options.progressEveryMs ?? PROGRESS_EVERY_MS;
    if (settings.observeMs <= 2 * every || !reporters.some((r) => r.onProgress)) return running;
    const t0 = performance.now();
    let last = { at: t0, frames: 0 };
    const timer = setInterval(() => {
      const conn = observationConn;
      if (!conn) return;
      const now = performance.now();
      const frames = hub.serverFrames(conn);
      const progress = { elapsedMs: Math.round(now - t0), observeMs: settings.observeMs, frames, deviations: hub.deviations, perSecond: Math.round(((frames - last.frames) * 1000) / Math.max(1, now - last.at)) };
      last = { at: now, frames };
      for (const rep of reporters) void rep.onProgress?.(progress);
    }, every);
    timer.unref?.();
    return running.finally(() => clearInterval(timer));
  };
  const timedObservation = (running: Promise<Observation>): Promise<Observation> => {
    loopDelay.enable();
    return running.finally(() => loopDelay.disable());
  };

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
    const bases = check.basis(spec);
    const base = { id: check.id, category: check.category, level: check.level, description: check.description, requirement: check.requirement, basis: bases, quote: bases.map(renderBasis).join(' · ') };
    const done = (verdict: Verdict, extra: Partial<CheckResult> = {}): CheckResult => ({ ...base, verdict, durationMs: Math.round(performance.now() - c0), findings: [], ...extra });
    const applies = check.appliesTo(spec);
    if (applies !== true) {
      started();
      return done('skip', { reason: applies });
    }
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
      wireLog,
      watchObservation: (tap) => {
        hub.watch('observation', tap);
        return getObservation();
      },
      watchRun: (tap) => {
        hub.watch('run', tap);
        return wireLog();
      },
      findings: () => new Findings({ onKeep: (o) => hub.pin(o), onAdd: () => hub.deviations++ }),
      heldUpMs: (fromMs, toMs) => stalls.heldUpMs(fromMs, toMs),
      sleep: (ms) => abortableSleep(ms, abort.signal),
      signal: abort.signal,
    };
    async function wireLog(): Promise<Connection[]> {
        // Waits for the checks that have not asked for the wire log themselves: two such checks
        // never wait for each other (the later caller does not wait for the earlier one).
        readsWireLog.add(i);
        await Promise.all(finished.filter((_, j) => !readsWireLog.has(j)).map((d) => d.promise));
        // The observation is part of every run's wire log, even when no stream check asked for it.
        await getObservation().catch(() => undefined);
        return [...allConnections];
    }
    const budget = check.budgetMs?.(ctx) ?? defaultBudget;
    let timer: NodeJS.Timeout | undefined;
    const overrun = new Promise<'overrun'>((resolve) => {
      timer = setTimeout(() => resolve('overrun'), budget);
      abort.signal.addEventListener('abort', () => resolve('overrun'), { once: true });
    });
    try {
      const running = check.run(ctx);
      // The check has reached its first await: its stream watching, if any, is in place.
      started();
      const outcome = await Promise.race([running, overrun]);
      // A server that said "try later" was not judged: the check could not verify its requirement.
      const limited = own.find((c) => c instanceof PooledConnection && c.rateLimited) as PooledConnection | undefined;
      if (limited) return done('error', { reason: `rate-limited: ${limited.rateLimited} (${limited.label}); lower --max-connections or run again later` });
      if (outcome === 'overrun') {
        if (interrupted) return done('error', { reason: 'interrupted: the run was stopped by a signal before this check finished' });
        const why = runAbort.signal.aborted ? "the run's global timeout" : `its time budget of ${budget} ms`;
        return done('error', { reason: `the check did not finish within ${why}` });
      }
      if (outcome.verdict === 'skip') return done('skip', { reason: outcome.reason });
      if (outcome.verdict === 'pass') return done('pass');
      const findings = outcome.findings.map((f) => withBasis(f, bases));
      return done(grade({ verdict: 'fail', findings }, check.level, settings.strict), { findings });
    } catch (err) {
      if (err instanceof NotJudged) return done('skip', { reason: err.message });
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

  // Once every check has begun (and so is watching what it watches), the observers' logs are bounded.
  let notStarted = checks.length;
  function started() {
    if (--notStarted === 0) hub.seal();
  }

  const budgets = checks.map((c) => c.budgetMs?.({ spec, validator, settings, primary, channels } as CheckContext) ?? defaultBudget);
  const globalMs = options.globalTimeoutMs ?? Math.max(defaultBudget, ...budgets) + settings.timeoutMs + 2000;
  const globalTimer = setTimeout(() => runAbort.abort(), globalMs);
  // An interrupt (SIGINT/SIGTERM in the CLI) stops every check at once; the run still ends
  // normally, so every reporter writes a complete report with the interrupted checks as errors.
  let interrupted = false;
  const onInterrupt = () => {
    interrupted = true;
    runAbort.abort();
  };
  if (options.signal?.aborted) onInterrupt();
  else options.signal?.addEventListener('abort', onInterrupt, { once: true });

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
  stalls.stop();
  options.signal?.removeEventListener('abort', onInterrupt);
  await flush();
  runAbort.abort();
  const obs = observation ? await observation.catch(() => undefined) : undefined;
  await Promise.all(allConnections.map((c) => c.close()));

  const final = results as CheckResult[];
  const coverage = coverageOf(spec, hub.names());
  const problems = await runProblems(spec, hub, primary, obs, coverage, { interrupted, requireCoverage: !!options.requireCoverage, token: settings.token });
  const report: RunReport = {
    tool: { name: 'wsconform', version: VERSION },
    spec: spec4report,
    url: redact(settings.url),
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    summary: summarize(final),
    checks: final,
    coverage,
    problems: problems.map(redact),
    ...(interrupted ? { interrupted: true } : {}),
    ...(obs ? { observation: observationFigures(obs, hub, loopDelay) } : {}),
    ...(settings.clients ? { clients: { count: settings.clients, latency: obs?.latency ?? [] } } : {}),
  };
  if (options.baseline) report.baseline = redactDeep(baselineStatus(report, options.baseline), redact);
  for (const rep of reporters) await rep.onRunEnd?.(report);
  return report;
}

/** What the report says of the observation: its window, the frames it judged and kept, how far the runner fell behind. */
function observationFigures(obs: Observation, hub: StreamHub, loopDelay: import('node:perf_hooks').IntervalHistogram): NonNullable<RunReport['observation']> {
  const ms = (ns: number) => Math.round(ns / 1e5) / 10;
  const figures: NonNullable<RunReport['observation']> = { observedMs: obs.observedMs, serverFrames: hub.serverFrames(obs.conn), framesKept: obs.conn.frames.length - obs.conn.frames.dropped };
  if (loopDelay.count) figures.loopDelayMs = { p50: ms(loopDelay.percentile(50)), max: ms(loopDelay.max) };
  return figures;
}
