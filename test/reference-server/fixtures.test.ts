import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURES, ReferenceServerError, loadFixture } from '../../reference-server/index.js';
import { loadSpec } from '../../src/spec/load.js';
import { BUILTIN_PROTOCOLS, packageRoot } from '../../src/spec/paths.js';

const ROOT = packageRoot();
const scenarios = (id: string) => readdirSync(join(ROOT, 'fixtures', id)).filter((f) => f.endsWith('.jsonl') && f !== 'examples.jsonl');

function tmpFixture(lines: unknown[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'wsc-fixture-')), 'broken.jsonl');
  writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return file;
}

async function fixtureError(protocol: string, lines: unknown[]): Promise<ReferenceServerError> {
  const file = tmpFixture(lines);
  try {
    await loadFixture(protocol, file);
  } catch (err) {
    return err as ReferenceServerError;
  }
  throw new Error('the fixture loaded');
}

const KIWI_HEADER = { wsconform: 'fixture', version: 1, protocol: 'kiwi' };

describe('fixtures', () => {
  it.each([...BUILTIN_PROTOCOLS])('every scenario of %s validates against the protocol', async (id) => {
    expect(scenarios(id)).toContain(DEFAULT_FIXTURES[id]);
    for (const name of scenarios(id)) {
      const { fixture } = await loadFixture(id, join(ROOT, 'fixtures', id, name));
      expect(fixture.header.protocol).toBe(id);
    }
  });

  it('contain every server message of every protocol at least once', async () => {
    const missing: string[] = [];
    for (const id of BUILTIN_PROTOCOLS) {
      const spec = await loadSpec(id);
      const lifecycle = new Set(spec.ext.lifecycle ?? []);
      const seen = new Set<string>();
      for (const name of scenarios(id)) {
        const { fixture } = await loadFixture(id, join(ROOT, 'fixtures', id, name));
        for (const line of [...fixture.history, ...fixture.stream, ...[...fixture.scripts.values()].flat().flatMap((s) => s.lines)]) if (line.name) seen.add(line.name);
      }
      for (const m of spec.messages) if (m.direction === 'receive' && !lifecycle.has(m.name) && !seen.has(m.name)) missing.push(`${id}: ${m.name}`);
      expect(spec.messages.filter((m) => m.direction === 'receive').length).toBeGreaterThan(0);
    }
    expect(missing).toEqual([]);
  });

  it('name the file, line and schema error of a frame the schemas reject, with code WSC_FIXTURE', async () => {
    const file = tmpFixture([KIWI_HEADER, '// a comment', { at: 0, frame: { event: 'LLM_TOKEN', data: { token: 5 }, timestamp: '${timestamp}', source: 'llm' } }]);
    const err = await loadFixture('kiwi', file).catch((e) => e as ReferenceServerError);
    expect(err).toBeInstanceOf(ReferenceServerError);
    expect(err.code).toBe('WSC_FIXTURE');
    expect(err.file).toBe(file);
    expect(err.line).toBe(3);
    expect(err.message).toBe(`${file}:3: LLM_TOKEN: $.data.token must be string (expected string, got integer 5) [schema]`);
  });

  it('reject an undocumented event name', async () => {
    const err = await fixtureError('kiwi', [KIWI_HEADER, { at: 0, frame: { event: 'NOPE', data: {}, timestamp: 1, source: 'x' } }]);
    expect([err.code, err.line]).toEqual(['WSC_FIXTURE', 2]);
    expect(err.message).toBe(`${err.file}:2: NOPE: "NOPE" is not a documented server message (expected a documented message name, got "NOPE") [unknown-message]`);
  });

  it('reject a line that is not JSON, a missing header and a stream that goes back in time', async () => {
    expect((await fixtureError('kiwi', [KIWI_HEADER, '{"at": 0,'])).message).toMatch(/broken\.jsonl:2: not JSON: /);
    expect((await fixtureError('kiwi', [{ at: 0, frame: {} }])).message).toMatch(/broken\.jsonl:1: the first line must be the header/);
    const pong = { event: 'pong' };
    const err = await fixtureError('kiwi', [KIWI_HEADER, { at: 10, frame: { event: 'TTS_FINISHED', data: {}, timestamp: '${timestamp}', source: 'tts' } }, { at: 5, frame: pong }]);
    expect([err.line, err.message.split(': ').slice(1).join(': ')]).toEqual([3, '"at" 5 goes back in time (the previous line is at 10); stream lines are in time order']);
  });

  it('reject a malformed marker, an unknown trigger and a fixture of another protocol', async () => {
    expect((await fixtureError('kiwi', [KIWI_HEADER, { at: 0, frame: { event: 'TTS_FINISHED', data: {}, timestamp: '${clock}x', source: 'tts' } }])).message).toContain(':2: marker ${clock} must be a whole string value');
    expect((await fixtureError('kiwi', [KIWI_HEADER, { on: 'pingg', frame: { event: 'pong' } }])).message).toContain(':2: "on": "pingg" is neither a client message of kiwi nor a hook');
    expect((await fixtureError('clown', [KIWI_HEADER])).message).toContain(':1: the fixture is for protocol "kiwi", not "clown"');
  });

  it('reject a fixture without a script for a documented reply', async () => {
    const err = await fixtureError('kiwi', [KIWI_HEADER]);
    expect(err.message).toBe(`${err.file}: no script for "ping" (the document says ping is answered with pong); add a line {"on": "ping", "frame": ...}`);
  });

  it('reject a $connect script that sends the initial messages out of order', async () => {
    const lines = readFileSync(join(ROOT, 'fixtures/aragora/debate.jsonl'), 'utf8').split('\n');
    const connect = lines.filter((l) => l.includes('"$connect"'));
    const rest = lines.filter((l) => !l.includes('"$connect"'));
    const err = await fixtureError('aragora', [rest[0], connect[1], connect[0], ...connect.slice(2), ...rest.slice(1)]);
    expect(err.message).toContain('the $connect script must send connection_info exactly once, in the order connection_info, loop_list, sync');
  });
});
