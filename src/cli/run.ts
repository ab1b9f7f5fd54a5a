/** `wsconform run <protocol|file> --url URL …`: the conformance suite against a running server. */
import { accessSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CHECKS } from '../../conformance/index.js';
import { createReporters, HTML_CONTEXT_FRAMES, parseReporter, type ReporterSpec } from '../reporters/index.js';
import { BaselineError, baselineOf, exitCodeOf, readBaseline, runSuite, SelectionError, selectChecks, splitList, TokenRequiredError, UnreachableError, writeBaseline, type BaselineOption } from '../runner/index.js';
import { readTriggers, withTriggers } from './triggers.js';
import { summaryLine } from '../reporters/pretty.js';
import { loadSpec } from '../spec/load.js';
import type { CommandImpl } from './commands.js';
import { UsageError } from './main.js';

/** Parses a positive integer option (milliseconds). */
export function msOption(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = parseDuration(String(value));
  if (n === undefined || n <= 0) throw new UsageError(`${flag} must be a duration above 0: milliseconds (2000) or with a unit (500ms, 90s, 1.5s, 10m, 1h, 1m30s), got "${String(value)}"`);
  return n;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration in whole milliseconds: a bare number is milliseconds; otherwise one or more
 * `<number><unit>` parts (ms, s, m, h), e.g. `90s`, `1.5s`, `1m30s`. Undefined when malformed.
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const parts = [...t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== t) return undefined;
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]], 0);
  return Number.isFinite(ms) && Number.isInteger(Math.round(ms)) ? Math.round(ms) : undefined;
}

/** Parses a positive whole-number option. */
export function countOption(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number of at least 1, got "${String(value)}"`);
  return n;
}

/** Parses the --reporter values (default pretty to standard output). */
export function reporterSpecs(values: unknown): ReporterSpec[] {
  const list = (values as string[] | undefined) ?? ['pretty'];
  try {
    return list.map(parseReporter);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The --baseline / --update-baseline request: the baseline to compare with, or the file to record. */
export function baselineOption(file: unknown, update: unknown, specId: string): BaselineOption | undefined {
  if (file === undefined) {
    if (update) throw new UsageError('--update-baseline needs --baseline FILE: the file to write');
    return undefined;
  }
  const path = String(file);
  if (update) {
    try {
      accessSync(dirname(resolve(path)), constants.W_OK);
    } catch {
      throw new UsageError(`baseline ${path}: cannot be written (its folder is missing or read-only)`);
    }
    return { file: path, update: true };
  }
  try {
    return { file: path, compare: readBaseline(path, specId) };
  } catch (err) {
    if (err instanceof BaselineError) throw new UsageError(err.message);
    throw err;
  }
}

const impl: CommandImpl = async ({ args, opts, io }) => {
  const [ref] = args as [string];
  const url = opts.url as string | undefined;
  if (!url) throw new UsageError('--url is required: the address of the server to test, e.g. --url ws://localhost:7789/api/events');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url "${url}" is not a URL (e.g. ws://localhost:7789/api/events)`);
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(parsed.protocol)) throw new UsageError(`--url must be ws://, wss://, http:// or https://, got ${parsed.protocol}//`);
  const timeoutMs = msOption(opts.timeout, '--timeout');
  const observeMs = msOption(opts.observe, '--observe');
  const keepaliveIntervalMs = msOption(opts.keepaliveInterval, '--keepalive-interval');
  const maxConnections = countOption(opts.maxConnections, '--max-connections');
  const clients = countOption(opts.clients, '--clients');
  const specs = reporterSpecs(opts.reporter);
  const only = splitList(opts.only as string[] | undefined);
  const skip = splitList(opts.skip as string[] | undefined);
  const loaded = await loadSpec(ref);
  const spec = withTriggers(loaded, readTriggers(opts.trigger as string[] | undefined, opts.triggers as string | undefined));
  if ((opts.token || opts.adminToken) && !spec.ext.auth) io.err.write(`wsconform: warning: ${spec.id} documents no authentication; --token is presented but no auth check runs\n`);
  const baseline = baselineOption(opts.baseline, opts.updateBaseline, spec.id);
  try {
    selectChecks(CHECKS, only, skip);
  } catch (err) {
    if (err instanceof SelectionError) throw new UsageError(err.message);
    throw err;
  }
  let out;
  try {
    out = createReporters(specs, { write: (t) => void io.out.write(t), isTTY: (io.out as { isTTY?: boolean }).isTTY });
  } catch (err) {
    throw new UsageError(`cannot write the report: ${(err as Error).message}`);
  }
  // SIGINT/SIGTERM stop the checks; the run then ends normally, every report is written whole,
  // and the exit code is 130. A second signal stops at once.
  const interrupt = new AbortController();
  const onSignal = () => {
    if (interrupt.signal.aborted) process.exit(130);
    io.err.write('wsconform: interrupted; stopping the checks and writing the reports (again to stop at once)\n');
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const report = await runSuite(spec, CHECKS, {
      signal: interrupt.signal,
      url,
      token: opts.token as string | undefined,
      adminToken: opts.adminToken as string | undefined,
      strict: !!opts.strict,
      timeoutMs,
      observeMs,
      keepaliveIntervalMs,
      maxConnections,
      clients,
      requireCoverage: !!opts.requireCoverage,
      only,
      skip,
      reporters: out.reporters,
      contextFrames: specs.some((s) => s.name === 'html') ? HTML_CONTEXT_FRAMES : 0,
      baseline,
    });
    if (baseline && 'update' in baseline && !report.interrupted) writeBaseline(baseline.file, baselineOf(report));
    // With every report in a file, standard error still gets the one line a person looks for.
    if (specs.every((s) => s.file)) {
      const line = `${summaryLine(report.summary)} (${report.durationMs} ms)${report.problems?.length ? `; RUN FAILED: ${report.problems[0]}` : ''}`;
      io.err.write(`wsconform: ${report.spec.id}: ${line}; reports: ${specs.map((s) => s.file).join(', ')}\n`);
    }
    return report.interrupted ? 130 : exitCodeOf(report);
  } catch (err) {
    if (err instanceof TokenRequiredError) throw new UsageError(err.message);
    if (err instanceof UnreachableError || err instanceof BaselineError) {
      io.err.write(`wsconform: ${err.message}\n`);
      return 2;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await out.close();
  }
};

export default impl;
