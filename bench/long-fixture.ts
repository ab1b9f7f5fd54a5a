/** A long replay for the benchmarks: a protocol's default fixture with `repeat` set in its header. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FIXTURES } from '../reference-server/options.js';
import { packageRoot } from '../src/spec/paths.js';

/** A temporary fixture file and how to remove it. */
export interface TempFixture {
  file: string;
  remove(): void;
}

/** Writes `protocol`'s default fixture with `"repeat": repeat` to a temporary file. */
export function longFixture(protocol: string, repeat: number): TempFixture {
  const source = join(packageRoot(), 'fixtures', protocol, DEFAULT_FIXTURES[protocol]);
  const lines = readFileSync(source, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('//'));
  lines[i] = JSON.stringify({ ...JSON.parse(lines[i]), repeat });
  const dir = mkdtempSync(join(tmpdir(), 'wsconform-bench-'));
  const file = join(dir, `${protocol}-x${repeat}.jsonl`);
  writeFileSync(file, lines.join('\n'));
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
