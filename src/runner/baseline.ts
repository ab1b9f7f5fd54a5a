/**
 * Baselines: a file listing an implementation's known failures, so a CI gate fails only on new
 * ones. A failure is a check id plus one of its finding messages (a finding message names a kind
 * of deviation; the counts, frames and timings that vary between runs live in expected/actual):
 * a known check failing in a new way is a new failure, and a known finding that is gone is fixed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { BaselineEntry, BaselineStatus, CheckResult, RunReport } from './types.js';

/** The baseline file's content (`--update-baseline` writes it; keys and lists in a stable order). */
export interface Baseline {
  tool: { name: string; version: string };
  /** The spec id of the run that recorded it. */
  spec: string;
  /** ISO time the file was written. */
  createdAt: string;
  /** Every check whose verdict was `fail`, by id, with its finding messages (both sorted). */
  failures: { id: string; messages: string[] }[];
}

/** What `runSuite` does with a baseline: compare the run with it, or record the run as the new one. */
export type BaselineOption = { file: string; compare: Baseline } | { file: string; update: true };

/** A baseline file that is missing, unreadable, malformed or of another spec (a usage error). */
export class BaselineError extends Error {
  constructor(readonly file: string, detail: string) {
    super(`baseline ${file}: ${detail}`);
    this.name = 'BaselineError';
  }
}

const byIdThenMessage = (a: BaselineEntry, b: BaselineEntry) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
const key = (e: BaselineEntry) => `${e.id}\u0000${e.message}`;

/** The failures of checks with these verdicts, one entry per distinct finding message, sorted. */
function entriesOf(checks: CheckResult[], verdicts: CheckResult['verdict'][]): BaselineEntry[] {
  const out = new Map<string, BaselineEntry>();
  for (const c of checks) {
    if (!verdicts.includes(c.verdict)) continue;
    const messages = c.findings.length ? c.findings.map((f) => f.message) : ['(failed without a finding)'];
    for (const message of messages) out.set(key({ id: c.id, message }), { id: c.id, message });
  }
  return [...out.values()].sort(byIdThenMessage);
}

/** The baseline recording a report's failures (verdict `fail`). */
export function baselineOf(report: RunReport, createdAt = new Date().toISOString()): Baseline {
  const failures: Baseline['failures'] = [];
  for (const e of entriesOf(report.checks, ['fail'])) {
    const last = failures.at(-1);
    if (last?.id === e.id) last.messages.push(e.message);
    else failures.push({ id: e.id, messages: [e.message] });
  }
  return { tool: { name: report.tool.name, version: report.tool.version }, spec: report.spec.id, createdAt, failures };
}

/** Writes a baseline as indented JSON with a final newline. */
export function writeBaseline(file: string, baseline: Baseline): void {
  try {
    writeFileSync(file, JSON.stringify(baseline, null, 2) + '\n');
  } catch (err) {
    throw new BaselineError(file, `cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** Reads and checks a baseline file; with `specId`, it must have been recorded for that spec. */
export function readBaseline(file: string, specId?: string): Baseline {
  if (!existsSync(file)) throw new BaselineError(file, 'no such file (record one with --update-baseline)');
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new BaselineError(file, `not valid JSON (${(err as Error).message})`);
  }
  const bad = (what: string): never => {
    throw new BaselineError(file, `malformed: ${what}`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(doc)) return bad('the file must hold a JSON object');
  if (!isObject(doc.tool) || typeof doc.tool.name !== 'string' || typeof doc.tool.version !== 'string') bad('"tool" must be {"name": string, "version": string}');
  if (typeof doc.spec !== 'string') bad('"spec" must be a spec id (string)');
  if (typeof doc.createdAt !== 'string') bad('"createdAt" must be an ISO time (string)');
  if (!Array.isArray(doc.failures)) return bad('"failures" must be an array');
  doc.failures.forEach((f: unknown, i) => {
    if (!isObject(f) || typeof f.id !== 'string') bad(`failures[${i}].id must be a check id (string)`);
    const messages = (f as Record<string, unknown>).messages;
    if (!Array.isArray(messages) || !messages.every((m) => typeof m === 'string')) bad(`failures[${i}].messages must be an array of strings`);
  });
  const baseline = doc as unknown as Baseline;
  if (specId !== undefined && baseline.spec !== specId) throw new BaselineError(file, `recorded for spec "${baseline.spec}", not "${specId}"`);
  return baseline;
}

/**
 * How a report's failures compare with a baseline: `new` (verdict `fail`, not listed), `known`
 * (listed and seen again, also as a non-strict SHOULD), `fixed` (listed, its check ran and did not
 * show it), `unverified` (listed, its check did not run, was skipped or errored).
 */
export function compareBaseline(report: RunReport, baseline: Baseline, file: string): BaselineStatus {
  const listed = baseline.failures.flatMap((f) => f.messages.map((message) => ({ id: f.id, message }))).sort(byIdThenMessage);
  const listedKeys = new Set(listed.map(key));
  const seen = new Set(entriesOf(report.checks, ['fail', 'non-strict']).map(key));
  const judged = new Set(report.checks.filter((c) => c.verdict === 'pass' || c.verdict === 'fail' || c.verdict === 'non-strict').map((c) => c.id));
  return {
    file,
    updated: false,
    createdAt: baseline.createdAt,
    new: entriesOf(report.checks, ['fail']).filter((e) => !listedKeys.has(key(e))),
    known: listed.filter((e) => seen.has(key(e))),
    fixed: listed.filter((e) => !seen.has(key(e)) && judged.has(e.id)),
    unverified: listed.filter((e) => !seen.has(key(e)) && !judged.has(e.id)),
  };
}

/** The status of a run that records itself as the baseline: every failure is known. */
export function recordedStatus(report: RunReport, file: string): BaselineStatus {
  return { file, updated: true, new: [], known: entriesOf(report.checks, ['fail']), fixed: [], unverified: [] };
}

/** The status for a baseline option (compare, or record). */
export function baselineStatus(report: RunReport, option: BaselineOption): BaselineStatus {
  return 'update' in option ? recordedStatus(report, option.file) : compareBaseline(report, option.compare, option.file);
}
