/** Side-by-side timing: the candidates run interleaved, several times, and the median counts. */

/** The unit of a figure, which also says how it is printed. */
export type Unit = 'events/s' | 'messages/s' | 's' | 'ms' | 'B';

/** A goal: `ratio >= 0.8`, or an absolute `value <= 5` (in the figure's unit). */
export interface Goal {
  on: 'ratio' | 'value';
  op: '>=' | '<=';
  target: number;
}

/** One line of the benchmark table. */
export interface BenchResult {
  name: string;
  /** What is measured, e.g. "events/s, reference server → 1 ws client". */
  figure: string;
  value: number;
  unit: Unit;
  /** What the value is divided by, said in words; and its value, in the same unit. */
  baselineName: string;
  baseline?: number;
  /** value / baseline. */
  ratio?: number;
  goal?: Goal;
  /** Whether the goal is met (absent when there is no goal). */
  met?: boolean;
  note?: string;
}

/** A result with its ratio and verdict filled in. */
export function result(r: Omit<BenchResult, 'ratio' | 'met'>): BenchResult {
  const ratio = r.baseline ? r.value / r.baseline : undefined;
  let met: boolean | undefined;
  if (r.goal) {
    const x = r.goal.on === 'ratio' ? ratio : r.value;
    met = x !== undefined && (r.goal.op === '>=' ? x >= r.goal.target : x <= r.goal.target);
  }
  return { ...r, ratio, met };
}

/** Median of numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Runs each function `repeats` times, interleaved (a, b, a, b, …) so that machine noise hits
 * both alike; returns the median seconds of each.
 */
export async function measure(fns: (() => unknown | Promise<unknown>)[], repeats: number): Promise<number[]> {
  const times: number[][] = fns.map(() => []);
  for (let r = 0; r < repeats; r++) {
    for (const [i, fn] of fns.entries()) {
      const t0 = process.hrtime.bigint();
      await fn();
      times[i].push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
  }
  return times.map(median);
}
