/**
 * Fixture files: a recorded scenario as data (JSON Lines). See fixtures/README.md.
 *
 *   {"wsconform": "fixture", "version": 1, "protocol": "kiwi", ...}      header (first line)
 *   {"at": 1200, "frame": {...}}                                          stream frame at virtual ms
 *   {"on": "ping", "at": 0, "frame": {...}}                               script line, run per trigger
 *
 * This module parses and compiles; fixture-check.ts validates the frames against the protocol.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_EPOCH_SECONDS, type TimestampFormat } from './clock.js';
import { ReferenceServerError } from './errors.js';
import { compileTemplate, type Template } from './template.js';

/** Who receives a script line's frame. */
export type Target = 'self' | 'others' | 'all' | 'room' | 'monitors';

/** The first line of a fixture. */
export interface FixtureHeader {
  wsconform: 'fixture';
  version: 1;
  /** Protocol id the frames belong to. */
  protocol: string;
  title?: string;
  description?: string;
  /** Epoch seconds of virtual time 0 (default 2026-01-08T10:30:00Z). */
  epoch?: number;
  /** Format of `${timestamp}` markers outside the envelope's timestamp fields. */
  timestampFormat?: TimestampFormat;
  /** Play the stream this many times, each pass shifted after the previous one (default 1). */
  repeat?: number;
  /** Virtual gap between passes in ms (default 1000). */
  repeatGapMs?: number;
  /** How many history lines (negative `at`) a new client is sent first (default 50). */
  replayBufferSize?: number;
  /** Data for the protocol module (sessions, tools, loops...). */
  state?: Record<string, unknown>;
}

/** A frame of the stream or of a script, compiled. */
export interface FixtureLine {
  /** 1-based line number in the file. */
  line: number;
  /** Virtual ms: from connection start (stream) or from the trigger (script). */
  at: number;
  template: Template;
  /** Wire name, read from the template (may be undefined for a broken frame, caught by the check). */
  name?: string;
  /**
   * Set by `wsconform record` on a frame the recorded server sent that does not conform, with
   * its issues: the frame is replayed verbatim and exempt from validation at load.
   */
  nonconforming?: string[];
}

/** A script line. */
export interface ScriptLine extends FixtureLine {
  to: Target;
}

/** The lines run for one trigger; several variants are used in turn. */
export interface Script {
  on: string;
  variant: string;
  lines: ScriptLine[];
}

/** A loaded fixture. */
export interface Fixture {
  file: string;
  header: FixtureHeader;
  /** Lines with negative `at`: the past, of which the last `replayBufferSize` are sent first. */
  history: FixtureLine[];
  /** The stream, one pass, in time order. */
  stream: FixtureLine[];
  /** Scripts by trigger (`$connect`, a client message name, or another `$hook`). */
  scripts: Map<string, Script[]>;
}

const HEADER_KEYS = new Set(['wsconform', 'version', 'protocol', 'title', 'description', 'epoch', 'timestampFormat', 'repeat', 'repeatGapMs', 'replayBufferSize', 'state']);
const STREAM_KEYS = new Set(['at', 'frame', 'note', 'nonconforming']);
const SCRIPT_KEYS = new Set(['on', 'at', 'frame', 'to', 'variant', 'note']);
const TARGETS = new Set<Target>(['self', 'others', 'all', 'room', 'monitors']);

/** Reads and compiles a fixture file; `nameOf` reads a frame's wire name. Errors carry code WSC_FIXTURE. */
export function readFixture(file: string, nameOf: (frame: unknown) => string | undefined): Fixture {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ReferenceServerError('WSC_FIXTURE', `cannot read the fixture (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { file });
  }
  return parseFixture(text, file, nameOf);
}

/** Parses fixture text (exported for tests). */
export function parseFixture(text: string, file: string, nameOf: (frame: unknown) => string | undefined): Fixture {
  const fail = (line: number, message: string): never => {
    throw new ReferenceServerError('WSC_FIXTURE', message, { file, line });
  };
  let header: FixtureHeader | undefined;
  const history: FixtureLine[] = [];
  const stream: FixtureLine[] = [];
  const scripts = new Map<string, Script[]>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i].trim();
    if (raw === '' || raw.startsWith('//')) continue;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      return fail(lineNo, `not JSON: ${(err as Error).message}`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) fail(lineNo, 'a fixture line must be a JSON object');
    if (!header) {
      header = checkHeader(value, (m) => fail(lineNo, m));
      continue;
    }
    const isScript = 'on' in value;
    const allowed = isScript ? SCRIPT_KEYS : STREAM_KEYS;
    for (const key of Object.keys(value)) {
      if (!allowed.has(key)) fail(lineNo, `unknown key "${key}" in a ${isScript ? 'script' : 'stream'} line (allowed: ${[...allowed].join(', ')})`);
    }
    if (!('frame' in value)) fail(lineNo, 'missing "frame"');
    const at = value.at ?? (isScript ? 0 : undefined);
    if (typeof at !== 'number' || !Number.isFinite(at)) fail(lineNo, '"at" must be a number of virtual milliseconds');
    let template: Template;
    try {
      template = compileTemplate(value.frame);
    } catch (err) {
      return fail(lineNo, (err as Error).message);
    }
    const base: FixtureLine = { line: lineNo, at: at as number, template, name: nameOf(value.frame) };
    if ('nonconforming' in value) {
      if (!Array.isArray(value.nonconforming) || !value.nonconforming.every((x) => typeof x === 'string')) fail(lineNo, '"nonconforming" must be a list of strings (the issues of a recorded frame)');
      base.nonconforming = value.nonconforming as string[];
    }
    if (isScript) {
      if (typeof value.on !== 'string' || value.on === '') fail(lineNo, '"on" must be a client message name or a $hook');
      if ((at as number) < 0) fail(lineNo, 'a script line\'s "at" must be >= 0 (ms after the trigger)');
      const to = (value.to ?? 'self') as Target;
      if (!TARGETS.has(to)) fail(lineNo, `"to" must be one of ${[...TARGETS].join(', ')}`);
      const on = value.on as string;
      const variant = value.variant === undefined ? '' : String(value.variant);
      const list = scripts.get(on) ?? [];
      let script = list.find((s) => s.variant === variant);
      if (!script) {
        script = { on, variant, lines: [] };
        list.push(script);
        scripts.set(on, list);
      }
      const prev = script.lines[script.lines.length - 1];
      if (prev && prev.at > (at as number)) fail(lineNo, `"at" ${at} goes back in time (the script's previous line is at ${prev.at})`);
      script.lines.push({ ...base, to });
    } else {
      const target = (at as number) < 0 ? history : stream;
      const prev = target[target.length - 1];
      if (prev && prev.at > (at as number)) fail(lineNo, `"at" ${at} goes back in time (the previous line is at ${prev.at}); stream lines are in time order`);
      target.push(base);
    }
  }
  if (!header) throw new ReferenceServerError('WSC_FIXTURE', 'empty fixture: the first line must be the header {"wsconform": "fixture", "version": 1, "protocol": ...}', { file, line: 1 });
  return { file, header, history, stream, scripts };
}

function checkHeader(value: Record<string, unknown>, fail: (m: string) => never): FixtureHeader {
  if (value.wsconform !== 'fixture' || value.version !== 1) {
    fail('the first line must be the header {"wsconform": "fixture", "version": 1, "protocol": ...}');
  }
  for (const key of Object.keys(value)) if (!HEADER_KEYS.has(key)) fail(`unknown header key "${key}" (allowed: ${[...HEADER_KEYS].join(', ')})`);
  if (typeof value.protocol !== 'string') fail('the header needs "protocol": the protocol id');
  const positive = (k: string, min: number) => {
    if (value[k] !== undefined && (typeof value[k] !== 'number' || !Number.isInteger(value[k]) || (value[k] as number) < min)) fail(`header "${k}" must be an integer >= ${min}`);
  };
  positive('repeat', 1);
  positive('repeatGapMs', 0);
  positive('replayBufferSize', 0);
  if (value.epoch !== undefined && (typeof value.epoch !== 'number' || !Number.isFinite(value.epoch))) fail('header "epoch" must be a number of epoch seconds');
  if (value.timestampFormat !== undefined && !['iso-8601', 'epoch-seconds', 'epoch-millis'].includes(value.timestampFormat as string)) {
    fail('header "timestampFormat" must be iso-8601, epoch-seconds or epoch-millis');
  }
  if (value.state !== undefined && (typeof value.state !== 'object' || value.state === null || Array.isArray(value.state))) fail('header "state" must be an object');
  return { epoch: DEFAULT_EPOCH_SECONDS, repeat: 1, repeatGapMs: 1000, replayBufferSize: 50, ...value } as FixtureHeader;
}

/** The stream lines of every pass (`repeat`), with their virtual times. */
export function* streamPasses(fixture: Fixture): Generator<{ line: FixtureLine; at: number }> {
  const span = fixture.stream.length ? fixture.stream[fixture.stream.length - 1].at : 0;
  const repeat = fixture.header.repeat ?? 1;
  for (let pass = 0; pass < repeat; pass++) {
    const shift = pass * (span + (fixture.header.repeatGapMs ?? 1000));
    for (const line of fixture.stream) yield { line, at: line.at + shift };
  }
}

/** The history lines a new client receives first (the replay buffer). */
export function replayBuffer(fixture: Fixture): FixtureLine[] {
  const size = fixture.header.replayBufferSize ?? 50;
  return size === 0 ? [] : fixture.history.slice(-size);
}
