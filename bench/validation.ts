/**
 * Validation throughput: parse + identify + validate, over a mixed corpus of every protocol's
 * messages, divided by JSON.parse alone over the same corpus (goal ≥ 0.6).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpec } from '../src/spec/load.js';
import { BUILTIN_PROTOCOLS, packageRoot } from '../src/spec/paths.js';
import { validatorFor, type Validator } from '../src/spec/validator.js';
import { measure, type BenchResult } from './measure.js';

/** The corpus: every document example of every protocol, as wire text, with its validator. */
async function corpus(): Promise<{ text: string; validator: Validator; direction: 'receive' | 'send' }[]> {
  const out = [];
  for (const id of BUILTIN_PROTOCOLS) {
    const spec = await loadSpec(id);
    const validator = validatorFor(spec);
    const lines = readFileSync(join(packageRoot(), 'fixtures', id, 'examples.jsonl'), 'utf8').split('\n').filter(Boolean);
    for (const line of lines) {
      const ex = JSON.parse(line) as { direction: 'receive' | 'send'; frame: unknown };
      out.push({ text: JSON.stringify(ex.frame), validator, direction: ex.direction });
    }
  }
  return out;
}

/** Runs the validation benchmark. */
export async function benchValidation(): Promise<BenchResult[]> {
  const items = await corpus();
  // Warm the validators (compiled once per spec, on first use of each message).
  for (const it of items) it.validator.validateText(it.text, it.direction);
  let sink = 0;
  const rounds = 2000;
  const n = items.length * rounds;
  const [baseline, subject] = await measure(
    [
      () => {
        for (let r = 0; r < rounds; r++) for (const it of items) sink += JSON.parse(it.text) ? 1 : 0;
      },
      () => {
        for (let r = 0; r < rounds; r++) for (const it of items) sink += it.validator.validateText(it.text, it.direction).valid ? 1 : 0;
      },
    ],
    5,
  );
  if (sink < 0) console.log(sink);
  return [
    {
      name: 'validation',
      figure: 'messages/s, parse + validate',
      value: n / subject,
      baselineName: 'JSON.parse alone, same corpus',
      baseline: n / baseline,
      ratio: baseline / subject,
      goal: 0.6,
      higherIsBetter: true,
      note: `${items.length} messages (every document example of the six protocols) × ${rounds}`,
    },
  ];
}
