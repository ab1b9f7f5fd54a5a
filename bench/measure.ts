/** Side-by-side timing: the candidates run interleaved, several times, and the median counts. */

/** One line of the benchmark table. */
export interface BenchResult {
  name: string;
  figure: string;
  value: number;
  baselineName?: string;
  baseline?: number;
  /** value / baseline, oriented so that higher is better when `higherIsBetter`. */
  ratio?: number;
  goal?: number;
  higherIsBetter: boolean;
  unit?: string;
  note?: string;
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
