// `npm test`: the vitest suite, then the fault matrix on its own (it runs the whole suite once per
// fault, and wants the machine to itself), then the load test. Both passes always run; the exit code is the first
// failing pass's, so a failure in the first never hides the second.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// vitest's own entry (its package exports no subpath for it, so the file is named directly).
const vitest = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'vitest', 'vitest.mjs');
const MATRIX = 'test/runner/fault-matrix.test.ts';
// The load test keeps both cores busy on purpose: it runs alone, last.
const LOAD = 'test/load/under-load.test.ts';
const passes = [
  ['run', '--exclude', MATRIX, '--exclude', LOAD, ...process.argv.slice(2)],
  ['run', MATRIX],
  ['run', LOAD],
];
let code = 0;
for (const args of passes) {
  const r = spawnSync(process.execPath, [vitest, ...args], { stdio: 'inherit' });
  const status = r.status ?? 1;
  if (status !== 0 && code === 0) code = status;
}
if (code !== 0) console.error(`npm test: a vitest pass failed (exit ${code}); both passes ran`);
process.exit(code);
