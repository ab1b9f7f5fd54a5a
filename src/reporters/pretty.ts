/**
 * The `pretty` reporter: one line per check as it finishes (verdict, id, time, skip reason),
 * then requirement / expected / actual for every failure, then (with a baseline) one line per
 * new, known, fixed and unverified failure, then the summary line
 * `12 passed, 1 failed, 3 skipped, 0 non-strict, 0 errors`.
 */
import type { BaselineStatus, CheckResult, RunReport, Summary } from '../runner/types.js';
import { renderBasis } from '../runner/basis.js';
import type { Coverage } from '../runner/coverage.js';
import type { Reporter, ReporterFactory, ReporterOutput } from './types.js';

const LABEL: Record<CheckResult['verdict'], string> = { pass: 'PASS', fail: 'FAIL', 'non-strict': 'WARN', skip: 'SKIP', error: 'ERR ' };
const COLOUR: Record<CheckResult['verdict'], string> = { pass: '32', fail: '31', 'non-strict': '33', skip: '90', error: '35' };

/** The summary line of a run. */
export function summaryLine(s: Summary): string {
  return `${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped, ${s.nonStrict} non-strict, ${s.errors} errors`;
}

/**
 * The observation in one line: the frames it judged, those its wire log still holds (the rest
 * were judged as they arrived), and how long the runner's event loop was held up: a server that
 * sends faster than the runner judges is slowed by TCP flow control, and the lag says by how much.
 */
export function observationLine(o: NonNullable<RunReport['observation']>): string {
  const rate = o.observedMs ? ` (${Math.round((o.serverFrames * 1000) / o.observedMs).toLocaleString('en-US')}/s)` : '';
  const kept = o.framesKept !== undefined && o.framesKept < o.serverFrames ? `; its wire log holds ${o.framesKept.toLocaleString('en-US')} frames (the first, the last and the evidence)` : '';
  const lag = o.loopDelayMs && o.loopDelayMs.max >= 100 ? `; the runner fell behind by up to ${Math.round(o.loopDelayMs.max)} ms (event-loop delay; p50 ${o.loopDelayMs.p50} ms)` : '';
  return `observation: ${o.serverFrames.toLocaleString('en-US')} server frames judged in ${(o.observedMs / 1000).toFixed(1)} s${rate}${kept}${lag}`;
}

/** The --clients summary: how many observed, and their ping → pong latencies (the spread across clients, and the slowest). */
export function clientLines(c: NonNullable<RunReport['clients']>): string[] {
  const timed = c.latency.filter((l) => l.p50Ms !== undefined);
  if (!timed.length) return [`clients: ${c.count} observed at once (no application ping documented, so no latency)`];
  const p50 = timed.map((l) => l.p50Ms!).sort((a, b) => a - b);
  const p99 = timed.map((l) => l.p99Ms!).sort((a, b) => a - b);
  const median = (v: number[]) => v[Math.floor((v.length - 1) / 2)];
  const slowest = timed.reduce((a, b) => (b.p99Ms! > a.p99Ms! ? b : a));
  const pings = timed.reduce((n, l) => n + l.samples, 0);
  return [
    `clients: ${c.count} observed at once; ping → pong over ${pings} pings`,
    `  p50 per client: median ${median(p50)} ms (${p50[0]}–${p50[p50.length - 1]} ms)`,
    `  p99 per client: median ${median(p99)} ms (${p99[0]}–${p99[p99.length - 1]} ms); slowest ${slowest.client} (p99 ${slowest.p99Ms} ms, max ${slowest.maxMs} ms)`,
  ];
}

/** The failure details of one check, as lines. */
export function failureLines(r: CheckResult): string[] {
  const lines = [`${r.id} (${r.level}, ${r.verdict})`, `  Requirement: ${r.requirement}`, `  Quote:       ${r.quote}`];
  if (r.verdict === 'error') lines.push(`  Error:       ${r.reason}`);
  for (const f of r.findings) {
    lines.push(`  - ${f.message}${f.count > 1 ? ` (${f.count} times)` : ''}${f.level === 'SHOULD' && r.level === 'MUST' ? ` [SHOULD: ${f.basis?.level === 'SHOULD' ? 'the document only recommends it' : 'the document is silent'}]` : ''}`);
    if (f.basis && r.basis.length > 1) lines.push(`    Basis:    ${renderBasis(f.basis)}`);
    lines.push(`    Expected: ${f.expected}`);
    lines.push(`    Actual:   ${f.actual}`);
    for (const o of f.occurrences) {
      const where = [o.frameIndex !== undefined ? `frame #${o.frameIndex}` : undefined, o.path, o.schemaPath ? `schema ${o.schemaPath}` : undefined].filter(Boolean).join(', ');
      lines.push(`    at ${where || 'the connection'}${o.frame ? `: ${o.frame}` : ''}`);
    }
  }
  return lines;
}

/** The coverage of a run, as lines: documented messages seen, never seen, undocumented names. */
export function coverageLines(c: Coverage): string[] {
  const lines = [`coverage: ${c.observed} of ${c.documented} documented server messages observed`];
  const unseen = c.neverSeen.slice(0, 12).map((n) => `${n.name}${n.triggers.length ? ` (reply to ${n.triggers.join(', ')})` : ''}`);
  if (c.neverSeen.length) lines.push(`  never seen: ${unseen.join(', ')}${c.neverSeen.length > 12 ? `, … and ${c.neverSeen.length - 12} more` : ''}`);
  for (const u of c.undocumented) lines.push(`  undocumented: ${u.name} (${u.count} time${u.count === 1 ? '' : 's'})${u.didYouMean ? `: did you mean ${u.didYouMean}?` : ''}`);
  return lines;
}

/** The baseline status of a run, as lines: a heading, then one line per failure. */
export function baselineLines(b: BaselineStatus): string[] {
  if (b.updated) return [`baseline ${b.file} recorded: ${b.known.length} known failure${b.known.length === 1 ? '' : 's'}`, ...b.known.map((e) => `  known failure: ${e.id}: ${e.message}`)];
  return [
    `baseline ${b.file} (created ${b.createdAt}): ${b.new.length} new, ${b.known.length} known, ${b.fixed.length} fixed, ${b.unverified.length} not verified`,
    ...b.new.map((e) => `  NEW failure: ${e.id}: ${e.message}`),
    ...b.known.map((e) => `  known failure: ${e.id}: ${e.message}`),
    ...b.fixed.map((e) => `  fixed since baseline: ${e.id}: ${e.message}`),
    ...b.unverified.map((e) => `  not verified (check did not run): ${e.id}: ${e.message}`),
  ];
}

/** Builds the pretty reporter. */
export const pretty: ReporterFactory = (out: ReporterOutput): Reporter => {
  const colour = (code: string, text: string) => (out.isTTY ? `\x1b[${code}m${text}\x1b[0m` : text);
  let width = 30;
  return {
    onRunStart(run) {
      width = Math.max(30, ...run.checks.map((c) => c.id.length)) + 2;
      out.write(`wsconform: ${run.spec.title} (${run.spec.id} ${run.spec.version}) at ${run.url}\n`);
      out.write(`  ${run.checks.length} checks, timeout ${run.timeoutMs} ms, observe ${run.observeMs} ms${run.strict ? ', strict' : ''}\n\n`);
    },
    onProgress(p) {
      out.write(`  … observing: ${(p.elapsedMs / 1000).toFixed(0)} s of ${(p.observeMs / 1000).toFixed(0)} s, ${p.frames.toLocaleString('en-US')} server frames judged (${p.perSecond.toLocaleString('en-US')}/s), ${p.deviations.toLocaleString('en-US')} deviation${p.deviations === 1 ? '' : 's'} so far\n`);
    },
    onCheckResult(r) {
      const time = `${r.durationMs} ms`.padStart(8);
      const extra = r.verdict === 'skip' || r.verdict === 'error' ? `  ${r.reason}` : r.findings.length ? `  ${r.findings[0].message}${r.findings.length > 1 ? ` (+${r.findings.length - 1} more)` : ''}` : '';
      out.write(`  ${colour(COLOUR[r.verdict], LABEL[r.verdict])}  ${r.id.padEnd(width)}${time}${extra}\n`);
    },
    onRunEnd(report: RunReport) {
      const bad = report.checks.filter((c) => c.verdict === 'fail' || c.verdict === 'non-strict' || c.verdict === 'error');
      if (bad.length) {
        out.write('\n');
        for (const r of bad) out.write(failureLines(r).join('\n') + '\n\n');
      } else out.write('\n');
      if (report.baseline) out.write(baselineLines(report.baseline).join('\n') + '\n\n');
      if (report.coverage) out.write(coverageLines(report.coverage).join('\n') + '\n\n');
      if (report.clients) out.write(clientLines(report.clients).join('\n') + '\n\n');
      if (report.observation) out.write(observationLine(report.observation) + '\n\n');
      for (const p of report.problems ?? []) out.write(colour('31', `RUN FAILED: ${p}`) + '\n');
      out.write(`${summaryLine(report.summary)} (${report.durationMs} ms)\n`);
    },
  };
};
