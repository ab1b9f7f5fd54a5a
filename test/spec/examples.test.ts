import { beforeAll, describe, expect, it } from 'vitest';
import { readExamples, type DocExample } from '../../scripts/generate-lib.js';
import { loadSpec } from '../../src/spec/load.js';
import { BUILTIN_PROTOCOLS } from '../../src/spec/paths.js';
import type { Spec } from '../../src/spec/model.js';
import { validatorFor } from '../../src/spec/validator.js';
import { ROOT } from '../helpers.js';

type Json = Record<string, unknown>;

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** The sub-schema at a property path, following local `#/definitions` refs. */
function subschema(root: Json, path: string[]): Json | undefined {
  let node: Json | undefined = root;
  const deref = (n: Json | undefined): Json | undefined => {
    let guard = 0;
    while (n && typeof n.$ref === 'string' && guard++ < 10) {
      n = (n.$ref as string).split('/').slice(1).reduce<unknown>((acc, k) => (acc as Json)?.[k], root) as Json | undefined;
    }
    return n;
  };
  for (const key of path) {
    node = deref(node);
    node = (node?.properties as Json | undefined)?.[key] as Json | undefined;
  }
  return deref(node);
}

const WRONG: Record<string, unknown> = { string: 12345, number: 'not-a-number', integer: 'not-an-integer', boolean: 'yes', object: 'not-an-object', array: 'not-an-array' };

/** A copy of the example with one documented, typed field given a value of another type. */
function wrongTyped(spec: Spec, ex: DocExample): { frame: unknown; field: string } | undefined {
  const socketio = spec.transport === 'socket.io';
  const payload = (socketio ? (ex.frame as unknown[])[1] : ex.frame) as Json | undefined;
  if (!payload || typeof payload !== 'object') return undefined;
  const name = socketio ? (ex.frame as unknown[])[0] : payload[spec.ext.nameField![ex.direction]];
  const message = spec.message(ex.direction, String(name));
  if (!message?.schema) return undefined;
  const nameField = socketio ? undefined : spec.ext.nameField![ex.direction];
  const candidates: string[][] = [];
  const data = payload.data;
  if (data && typeof data === 'object' && !Array.isArray(data)) for (const k of Object.keys(data)) candidates.push(['data', k]);
  for (const k of Object.keys(payload)) if (k !== nameField && k !== 'data') candidates.push([k]);
  for (const path of candidates) {
    const s = subschema(message.schema, path);
    const type = s?.type;
    if (typeof type !== 'string' || !(type in WRONG)) continue;
    const copy = clone(ex.frame) as Json | unknown[];
    const target = (socketio ? (copy as unknown[])[1] : copy) as Json;
    const parent = path.length === 2 ? (target[path[0]] as Json) : target;
    parent[path[path.length - 1]] = WRONG[type];
    return { frame: copy, field: path.join('.') };
  }
  return undefined;
}

describe.each(BUILTIN_PROTOCOLS)('the document examples of %s', (id) => {
  let examples: DocExample[] = [];
  beforeAll(() => {
    examples = readExamples(ROOT, id);
  });

  it('are kept under fixtures/ and each one validates as its message', async () => {
    const spec = await loadSpec(id);
    const v = validatorFor(spec);
    expect(examples.length).toBeGreaterThan(0);
    for (const [i, ex] of examples.entries()) {
      const result = v.validate(ex.frame, ex.direction);
      expect({ line: i + 1, issues: result.issues }).toEqual({ line: i + 1, issues: [] });
      expect(result.message, `line ${i + 1}`).toBeDefined();
    }
  });

  it('are rejected when a documented field has the wrong type', async () => {
    const spec = await loadSpec(id);
    const v = validatorFor(spec);
    let mutated = 0;
    for (const ex of examples) {
      const m = wrongTyped(spec, ex);
      if (!m) continue;
      mutated++;
      const result = v.validate(m.frame, ex.direction);
      expect(result.valid, `${JSON.stringify(m.frame)} (field ${m.field})`).toBe(false);
      expect(result.issues.some((i) => i.path.endsWith(m.field.split('.').pop()!) && (i.keyword === 'type' || i.keyword === 'format'))).toBe(true);
    }
    expect(mutated).toBeGreaterThan(0);
  });

  it('are rejected without the name field, as missing-name', async () => {
    const spec = await loadSpec(id);
    const v = validatorFor(spec);
    for (const ex of examples) {
      let frame: unknown;
      if (spec.transport === 'socket.io') frame = (ex.frame as unknown[]).slice(1);
      else {
        frame = clone(ex.frame);
        delete (frame as Json)[spec.ext.nameField![ex.direction]];
      }
      const result = v.validate(frame, ex.direction);
      expect(result.valid).toBe(false);
      expect(result.issues[0].code).toMatch(/^(missing-name|not-array)$/);
    }
  });

  it('are rejected when data is not an object', async () => {
    const spec = await loadSpec(id);
    const v = validatorFor(spec);
    for (const ex of examples) {
      const payload = (spec.transport === 'socket.io' ? (ex.frame as unknown[])[1] : ex.frame) as Json | undefined;
      if (!payload || typeof payload !== 'object' || !('data' in payload)) continue;
      const frame = clone(ex.frame);
      const target = (spec.transport === 'socket.io' ? (frame as unknown[])[1] : frame) as Json;
      target.data = 'not-an-object';
      const result = v.validate(frame, ex.direction);
      expect(result.valid, JSON.stringify(frame)).toBe(false);
      expect(result.issues.map((i) => i.path)).toContain('$' + (spec.transport === 'socket.io' ? '[1]' : '') + '.data');
    }
  });
});
