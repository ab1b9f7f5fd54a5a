/**
 * `npm run bench`: every figure side by side with its baseline, printed as a table and written to
 * bench/results.json. Separate from the tests; see bench/README.md.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/spec/paths.js';
import type { BenchResult } from './measure.js';
import { benchMemory } from './memory.js';
import { benchObservation } from './observation.js';
import { benchReplay } from './replay.js';
import { benchScale } from './scale.js';
import { benchSuite } from './suite.js';
import { formatTable, resultsDocument } from './table.js';
import { benchValidation } from './validation.js';

/** The sections, in the order they run. */
const SECTIONS: [string, () => Promise<BenchResult[]>][] = [
  ['validation', benchValidation],
  ['replay', benchReplay],
  ['observation', benchObservation],
  ['suite', benchSuite],
  ['memory', benchMemory],
  ['scale', benchScale],
];

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  const t0 = performance.now();
  const results: BenchResult[] = [];
  let broken = 0;
  for (const [name, run] of SECTIONS) {
    if (only.length && !only.includes(name)) continue;
    const s0 = performance.now();
    process.stderr.write(`bench: ${name}…`);
    try {
      results.push(...(await run()));
      process.stderr.write(` ${((performance.now() - s0) / 1000).toFixed(1)} s\n`);
    } catch (err) {
      broken++;
      process.stderr.write(` failed: ${(err as Error).stack ?? err}\n`);
    }
    global.gc?.();
  }
  const wall = (performance.now() - t0) / 1000;
  process.stdout.write(`${formatTable(results)}\n\nbench: ${results.length} figures, ${results.filter((r) => r.met === false).length} goals missed, ${wall.toFixed(1)} s\n`);
  // A partial run (sections named on the command line, or a section that failed) is not the record.
  const file = join(packageRoot(), 'bench', only.length || broken ? 'results.tmp.json' : 'results.json');
  writeFileSync(file, JSON.stringify(resultsDocument(results, wall), null, 2) + '\n');
  process.stderr.write(`bench: wrote ${file}\n`);
  return broken ? 1 : 0;
}

process.exitCode = await main();
