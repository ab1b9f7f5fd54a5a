/** The benchmark table: printed as text, written as JSON. */
import { cpus } from 'node:os';
import type { BenchResult, Goal, Unit } from './measure.js';

/** A figure in its unit, short: 103.6k events/s, 1.23 s, 45.2 MB. */
export function formatValue(v: number | undefined, unit: Unit): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  switch (unit) {
    case 'events/s':
    case 'messages/s':
      return `${v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : `${(v / 1e3).toFixed(1)}k`} ${unit}`;
    case 's':
      return `${v.toFixed(2)} s`;
    case 'ms':
      return `${v.toFixed(0)} ms`;
    case 'B':
      // Below 16 MiB every byte is shown: a bound and what came near it differ by a few bytes.
      return v >= 16 * 1024 * 1024 ? `${(v / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(v).toLocaleString('en-US')} B`;
  }
}

function formatGoal(g: Goal | undefined, unit: Unit): string {
  if (!g) return '—';
  const op = g.op === '>=' ? '≥' : '≤';
  return g.on === 'ratio' ? `ratio ${op} ${g.target}` : `${op} ${formatValue(g.target, unit)}`;
}

/** The table as text: one row per figure, each note under its row. */
export function formatTable(results: BenchResult[]): string {
  const head = ['name', 'figure', 'value', 'baseline', 'ratio', 'goal', 'met'];
  const rows = results.map((r) => [
    r.name,
    r.figure,
    formatValue(r.value, r.unit),
    `${r.baselineName}${r.baseline !== undefined ? `: ${formatValue(r.baseline, r.unit)}` : ''}`,
    r.ratio === undefined ? '—' : r.ratio.toFixed(3),
    formatGoal(r.goal, r.unit),
    r.met === undefined ? '—' : r.met ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  ')];
  rows.forEach((row, i) => {
    out.push(line(row));
    if (results[i].note) out.push(`    ${results[i].note}`);
  });
  return out.join('\n');
}

/** The JSON document of a run. */
export function resultsDocument(results: BenchResult[], wallSeconds: number) {
  return {
    tool: 'wsconform bench',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, platform: `${process.platform} ${process.arch}` },
    wallSeconds: Math.round(wallSeconds * 10) / 10,
    results: results.map((r) => ({ ...r, display: { value: formatValue(r.value, r.unit), baseline: formatValue(r.baseline, r.unit), goal: formatGoal(r.goal, r.unit) } })),
  };
}
