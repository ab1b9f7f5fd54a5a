/**
 * Validation throughput: parse + identify + validate, over a mixed corpus of every protocol's
 * messages, divided by JSON.parse alone over the same corpus (goal ≥ 0.6).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFixture } from '../reference-server/index.js';
import { FaultSet } from '../reference-server/faults.js';
import { moduleFor } from '../reference-server/protocols/index.js';
import { FrameRenderer, type RenderContext } from '../reference-server/render.js';
import { loadSpec } from '../src/spec/load.js';
import type { Spec } from '../src/spec/model.js';
import { BUILTIN_PROTOCOLS, packageRoot } from '../src/spec/paths.js';
import { validatorFor, type Validator } from '../src/spec/validator.js';
import { measure, result, type BenchResult } from './measure.js';

interface Item {
  text: string;
  validator: Validator;
  direction: 'receive' | 'send';
}

/**
 * The frames of a protocol's default fixture, rendered as the server sends them (stream lines,
 * then every script with its trigger's first document example as the request, as the fixture
 * check renders them).
 */
async function fixtureFrames(spec: Spec): Promise<unknown[]> {
  const { fixture } = await loadFixture(spec.id);
  const module = moduleFor(spec.id);
  const auth = { authenticated: true, write: true, admin: false };
  const conn = { ordinal: 1, channel: spec.channels[0]?.address ?? '/', user: 'user-1', room: 'session_1' };
  const out: unknown[] = [];
  const stream = new FrameRenderer(spec, fixture.header, 1, 1, new FaultSet());
  for (const line of [...fixture.history, ...fixture.stream]) out.push(stream.render(line.template, line.at, { auth, conn }));
  for (const [on, scripts] of fixture.scripts) {
    const request = spec.message('send', on)?.examples[0] ?? {};
    for (const script of scripts) {
      const renderer = new FrameRenderer(spec, fixture.header, 1, 1, new FaultSet());
      const ctx: RenderContext = { request, auth, conn, vars: module.sampleVars?.(on, fixture.header) ?? {}, ids: new Map() };
      for (const line of script.lines) out.push(renderer.render(line.template, line.at, ctx));
    }
  }
  return out;
}

/** The corpus (exported for profiling): every document example and every rendered fixture frame of every protocol, as wire text. */
export async function corpus(): Promise<{ items: Item[]; examples: number; rendered: number }> {
  const items: Item[] = [];
  let examples = 0;
  for (const id of BUILTIN_PROTOCOLS) {
    const spec = await loadSpec(id);
    const validator = validatorFor(spec);
    const lines = readFileSync(join(packageRoot(), 'fixtures', id, 'examples.jsonl'), 'utf8').split('\n').filter(Boolean);
    for (const line of lines) {
      const ex = JSON.parse(line) as { direction: 'receive' | 'send'; frame: unknown };
      items.push({ text: JSON.stringify(ex.frame), validator, direction: ex.direction });
      examples++;
    }
    for (const frame of await fixtureFrames(spec)) items.push({ text: JSON.stringify(frame), validator, direction: 'receive' });
  }
  return { items, examples, rendered: items.length - examples };
}

/** Runs the validation benchmark. */
export async function benchValidation(): Promise<BenchResult[]> {
  const { items, examples, rendered } = await corpus();
  // Warm the validators (compiled once per spec, on first use of each message).
  let invalid = 0;
  for (const it of items) if (!it.validator.validateText(it.text, it.direction).valid) invalid++;
  let sink = 0;
  const rounds = 1000;
  const n = items.length * rounds;
  const parseOnly = () => {
    for (let r = 0; r < rounds; r++) for (const it of items) sink += JSON.parse(it.text) ? 1 : 0;
  };
  const parseAndValidate = () => {
    for (let r = 0; r < rounds; r++) for (const it of items) sink += it.validator.validateText(it.text, it.direction).valid ? 1 : 0;
  };
  parseOnly(); // one untimed round each: the optimising compiler has seen both loops
  parseAndValidate();
  const [baseline, subject] = await measure([parseOnly, parseAndValidate], 7);
  if (sink < 0) console.log(sink);
  const bytes = items.reduce((a, it) => a + Buffer.byteLength(it.text), 0);
  return [
    result({
      name: 'validation',
      figure: 'messages/s, JSON.parse + identify + validate',
      value: n / subject,
      unit: 'messages/s',
      baselineName: 'JSON.parse alone, same corpus',
      baseline: n / baseline,
      goal: { on: 'ratio', op: '>=', target: 0.6 },
      note: `${items.length} messages of the six protocols (${examples} document examples, ${rendered} rendered fixture frames; ${(bytes / items.length).toFixed(0)} B avg; ${invalid} invalid) × ${rounds}; median of 7`,
    }),
  ];
}
