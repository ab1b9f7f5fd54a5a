/**
 * Suite time: the whole suite against the reference server (as `wsconform demo` runs it), each
 * protocol alone and all six at once; and the CLI's cold start against `node -e 0`.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DEMO, demoProtocol } from '../src/cli/demo.js';
import { exitCodeOf } from '../src/runner/index.js';
import { BUILTIN_PROTOCOLS, packageRoot } from '../src/spec/paths.js';
import { median, measure, result, type BenchResult } from './measure.js';

const REPEATS = 3;

/** Runs one protocol's suite; seconds, and whether it failed. */
async function timeSuite(protocol: string): Promise<{ s: number; failed: boolean }> {
  const t0 = performance.now();
  const { report } = await demoProtocol(protocol, { quiet: true });
  return { s: (performance.now() - t0) / 1000, failed: exitCodeOf(report) !== 0 };
}

/** Runs the suite-time benchmarks. */
export async function benchSuite(): Promise<BenchResult[]> {
  const alone = new Map<string, number[]>(BUILTIN_PROTOCOLS.map((p) => [p, []]));
  const together: number[] = [];
  const failed = new Set<string>();
  await timeSuite('kiwi'); // warm up
  for (let r = 0; r < REPEATS; r++) {
    for (const p of BUILTIN_PROTOCOLS) {
      const t = await timeSuite(p);
      alone.get(p)!.push(t.s);
      if (t.failed) failed.add(p);
    }
    const t0 = performance.now();
    const all = await Promise.all(BUILTIN_PROTOCOLS.map(timeSuite));
    together.push((performance.now() - t0) / 1000);
    all.forEach((t, i) => t.failed && failed.add(BUILTIN_PROTOCOLS[i]));
  }
  const floor = DEMO.observeMs / 1000;
  const out = BUILTIN_PROTOCOLS.map((p) =>
    result({
      name: `suite-${p}`,
      figure: `suite wall time, ${p} alone`,
      value: median(alone.get(p)!),
      unit: 's',
      baselineName: 'the observation window (observeMs), the least a run takes',
      baseline: floor,
      note: failed.has(p) ? 'the suite FAILED against the reference server' : undefined,
    }),
  );
  const sequential = out.reduce((a, r) => a + r.value, 0);
  out.push(
    result({
      name: 'suite-total',
      figure: 'suite wall time, all six at once (as `wsconform demo`)',
      value: median(together),
      unit: 's',
      baselineName: 'the six run one after another (sum of the above)',
      baseline: sequential,
      goal: { on: 'value', op: '<=', target: 5 },
      note: `median of ${REPEATS}; demo settings: observeMs ${DEMO.observeMs}, timeoutMs ${DEMO.timeoutMs}${failed.size ? `; FAILED: ${[...failed].join(', ')}` : ''}`,
    }),
  );
  out.push(await coldStart());
  return out;
}

/** `node bin/wsconform.js list kiwi` against `node -e 0`, spawned alternately. */
async function coldStart(): Promise<BenchResult> {
  const bin = join(packageRoot(), 'bin', 'wsconform.js');
  const spawn = (args: string[]) => () => {
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  };
  const repeats = 9;
  const [cli, node] = await measure([spawn([bin, 'list', 'kiwi']), spawn(['-e', '0'])], repeats);
  return result({
    name: 'cold-start',
    figure: 'CLI cold start, `wsconform list kiwi`',
    value: cli * 1000,
    unit: 'ms',
    baselineName: '`node -e 0`',
    baseline: node * 1000,
    note: `median of ${repeats} spawns each, alternated`,
  });
}
